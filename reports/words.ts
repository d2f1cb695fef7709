// The diagnosis in words: a headline an engineer would say ("The jump VM resolves the workspace to
// its public IP: the zone has no link to vnet-hub-weu"), root causes with the symptoms they explain,
// tallies by target, and resource names instead of full ARM ids. Pure functions of a RunReport.
import { namesForIds } from '../src/azure/resourceId.js';
import type { CheckResult, RunReport, TargetReport } from '../src/engine/types.js';
import { countResults, oneLine, plural, targetRootCauses } from './model.js';
import { hopOf, rootCauseIds } from './path.js';

/** One line of text with every ARM id replaced by the resource's name (the id stays in the evidence). */
export function namedText(text: string): string {
  return namesForIds(oneLine(text));
}

/** A root cause of one target: the result, and the results it explains (its symptoms and what waits on it). */
export interface Cause {
  result: CheckResult;
  symptoms: CheckResult[];
}

/** Order: what ARM shows before what the VM observes (ARM explains the observation), then report order. */
const SIDE_ORDER = ['provider', 'consumer', 'local', 'public'];

export function targetCauses(target: TargetReport): Cause[] {
  const ids = rootCauseIds(target);
  const listed = new Map(targetRootCauses(target).map((c) => [c.checkId, c.explains]));
  // A result waits on another when it is explained by it, blocked by it, or listed as what it explains.
  const waitsOn = (r: CheckResult, id: string) => r.explainedBy?.includes(id) || r.blockedBy === id || listed.get(id)?.includes(r.checkId);
  const causes = target.results
    .filter((r) => ids.includes(r.checkId))
    .map((result) => {
      // Symptoms of symptoms too: a check blocked by the public DNS answer waits on the unlinked zone.
      const found = new Set<string>([result.checkId]);
      const queue = [result.checkId];
      while (queue.length) {
        const id = queue.shift()!;
        for (const r of target.results) if (!found.has(r.checkId) && waitsOn(r, id)) (found.add(r.checkId), queue.push(r.checkId));
      }
      return { result, symptoms: target.results.filter((r) => r !== result && found.has(r.checkId)) };
    });
  return causes.sort((a, b) => SIDE_ORDER.indexOf(a.result.side) - SIDE_ORDER.indexOf(b.result.side));
}

/**
 * What the jump VM observes when something on the path is wrong, from the first local probe that
 * failed among `among` (a cause and its symptoms: a probe another cause explains is not this one's).
 */
export function observedSymptom(target: TargetReport, among?: ReadonlySet<string>): string | undefined {
  const failed = (id: string) => (among && !among.has(id) ? undefined : target.results.find((r) => r.checkId === id && r.status === 'fail'));
  const dns = failed('local.dns-private');
  if (dns) {
    const addresses = Array.isArray(dns.evidence.addresses) ? (dns.evidence.addresses as Array<{ class?: unknown }>) : [];
    if (addresses.some((a) => a?.class === 'public')) return 'The jump VM resolves the workspace to its public IP';
    if (addresses.length === 0) return 'The jump VM gets no address for the workspace';
    return 'The jump VM does not resolve the workspace to a private IP';
  }
  const phrases: Array<[string, string]> = [
    ['local.dns-endpoint-ip', "The jump VM resolves the workspace to a private IP that is not the endpoint's"],
    ['local.dns-consistent', "The jump VM's DNS answers disagree"],
    ['local.dns-all-endpoints', 'Some of the workspace names do not resolve privately on the jump VM'],
    ['local.tcp-443', 'The jump VM cannot open TCP 443 to the private endpoint'],
    ['local.tls', "The jump VM does not trust the workspace's TLS certificate"],
    ['local.api-reachable', 'The workspace API does not answer the jump VM through the private endpoint'],
    ['public.access-denied-probe', 'The workspace answers on its public path'],
  ];
  for (const [id, phrase] of phrases) if (failed(id)) return phrase;
  return undefined;
}

/** One root cause as a sentence: what the VM sees because of it, then why (its finding, with names for ids). */
export function causeSentence(target: TargetReport, cause: CheckResult): string {
  const why = namedText(cause.message);
  const own = targetCauses(target).find((c) => c.result.checkId === cause.checkId);
  const seen = observedSymptom(target, new Set([cause.checkId, ...(own?.symptoms ?? []).map((s) => s.checkId)]));
  // A probe that is itself the cause already says what the VM saw: keep only its reason.
  const reason = cause.side === 'local' || cause.side === 'public' ? why.slice(why.lastIndexOf(': ') + 1).trim() : why;
  if (seen) return `${seen}: ${reason || why}`;
  const hop = hopOf(cause.checkId);
  const where = hop ? `${hop.label}: ` : '';
  return `${where}${why}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface Headline {
  /** `fail`: a root cause; `error`: something could not be evaluated and nothing failed; `pass`. */
  status: 'pass' | 'fail' | 'error';
  /** The sentence. */
  text: string;
  /** Counts in words: root causes, what waits on them, targets healthy. */
  detail: string;
}

/** The headline of a run, in words. An interrupted run says so first; an error-only run never reads as healthy. */
export function headline(report: RunReport): Headline {
  const n = report.targets.length;
  const perTarget = report.targets.map((t) => ({ target: t, causes: targetCauses(t), counts: countResults(t.results) }));
  const failing = perTarget.filter((p) => p.causes.length > 0);
  const erroring = perTarget.filter((p) => p.causes.length === 0 && p.counts.error > 0);
  const healthy = perTarget.filter((p) => p.counts.fail === 0 && p.counts.error === 0 && p.counts.pass > 0).length;
  const interrupted = report.interrupted ? 'The run was interrupted before every check finished. ' : '';
  const tally = n > 1 ? `${healthy}/${n} targets healthy` : '';
  const totalCauses = failing.reduce((sum, p) => sum + p.causes.length, 0);

  if (failing.length) {
    const first = failing[0]!;
    const cause = first.causes[0]!;
    const sameCause = failing.filter((p) => p.causes.some((c) => c.result.checkId === cause.result.checkId)).length;
    let text = capitalise(causeSentence(first.target, cause.result));
    if (n > 1) text = sameCause > 1 ? `${text} (on ${sameCause} of ${n} targets)` : `${oneLine(first.target.name)}: ${text}`;
    const waiting = failing.reduce((sum, p) => sum + p.causes.reduce((k, c) => k + c.symptoms.length, 0), 0);
    const detail = [tally, plural(totalCauses, 'root cause'), waiting ? `${plural(waiting, 'check')} explained by ${totalCauses === 1 ? 'it' : 'them'}` : '', targetLabel(report)]
      .filter(Boolean)
      .join(' · ');
    return { status: 'fail', text: `${interrupted}${text}`, detail };
  }
  if (erroring.length) {
    const errors = perTarget.reduce((sum, p) => sum + p.counts.error, 0);
    const passes = perTarget.reduce((sum, p) => sum + p.counts.pass, 0);
    const firstError = erroring[0]!.target.results.find((r) => r.status === 'error')!;
    const what = passes === 0 ? 'Nothing could be evaluated' : `${plural(errors, 'check')} could not be evaluated`;
    const text = `${interrupted}${what}: ${namedText(firstError.message)}`;
    const detail = [tally, `${plural(errors, 'check')} without an answer`, `no check failed, but the path is not proven`, targetLabel(report)].filter(Boolean).join(' · ');
    return { status: 'error', text, detail };
  }
  const warns = perTarget.reduce((sum, p) => sum + p.counts.warn, 0);
  const passes = perTarget.reduce((sum, p) => sum + p.counts.pass, 0);
  if (passes === 0) {
    return { status: 'error', text: `${interrupted}Nothing was evaluated: every check was skipped`, detail: targetLabel(report) };
  }
  const reached = report.targets.every((t) => t.results.some((r) => r.checkId === 'local.api-reachable' && r.status === 'pass'));
  const base = reached ? 'The jump VM reaches the workspace through the private link' : 'Every evaluated check passed';
  const text = `${interrupted}${base}${warns ? ` (${plural(warns, 'warning')})` : ''}`;
  return { status: report.interrupted ? 'error' : 'pass', text, detail: [tally, targetLabel(report)].filter(Boolean).join(' · ') };
}

/** `workspace "sales analytics" (0355…81fa)` for one target; `N targets` for a fleet. */
function targetLabel(report: RunReport): string {
  if (report.targets.length !== 1) return plural(report.targets.length, 'target');
  const t = report.targets[0]!;
  const display = t.results.find((r) => r.checkId === 'provider.workspace-found' && typeof r.evidence.displayName === 'string')?.evidence.displayName as string | undefined;
  const id = t.workspaceId.length > 12 ? `${t.workspaceId.slice(0, 4)}…${t.workspaceId.slice(-4)}` : t.workspaceId;
  return display ? `workspace "${oneLine(display)}" (${id})` : `workspace ${id}`;
}

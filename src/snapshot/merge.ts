// `merge`: one estate report from the reports of several vantage points (one jump VM or CI runner
// per VNet). Local checks must run inside each VNet, so each result keeps where it was observed;
// control-plane results (the same ARM and Fabric reads from everywhere) are kept once when they
// agree. Pure: RunReports in, a RunReport out.
import { computeSummary } from '../engine/status.js';
import type { CheckResult, RecordedFact, RootCause, RunReport, Side, TargetReport, Vantage } from '../engine/types.js';

export interface MergeInput {
  /** Where the report came from (for messages). */
  file: string;
  report: RunReport;
}

export interface MergeOptions {
  tool: { name: string; version: string };
  /** The gate of the merged report (default: the first report's). */
  failOn?: string;
}

export class MergeError extends Error {}

/** Sides whose results depend on where the run ran. */
const OBSERVED_SIDES: ReadonlySet<Side> = new Set(['local', 'public']);

export function mergeReports(inputs: MergeInput[], options: MergeOptions): RunReport {
  if (inputs.length === 0) throw new MergeError('name at least one report to merge');
  const vantages = assignVantages(inputs);
  const facts: Record<string, RecordedFact> = {};
  const targets = new Map<string, { target: TargetReport; perVantage: Array<{ vantage: string; target: TargetReport }> }>();

  inputs.forEach(({ file, report }, i) => {
    if (report.mode === 'merged') throw new MergeError(`${file}: is already a merged report; merge the reports it was made from`);
    const vantage = vantages[i]!.id;
    const prefix = `${vantage}/`;
    for (const [key, fact] of Object.entries(report.facts)) facts[prefix + key] = fact;
    for (const target of report.targets) {
      const id = target.workspaceId.toLowerCase();
      const seen = targets.get(id);
      if (seen && seen.target.name !== target.name) {
        throw new MergeError(`${file}: workspace ${target.workspaceId} is named "${target.name}" here but "${seen.target.name}" in ${inputs[0]!.file}; use the same config for every vantage point`);
      }
      const prefixed: TargetReport = {
        ...target,
        results: target.results.map((r) => ({ ...r, facts: r.facts.map((f) => prefix + f) })),
        factRefs: Object.fromEntries(Object.entries(target.factRefs).map(([k, v]) => [k, prefix + v])),
      };
      if (seen) seen.perVantage.push({ vantage, target: prefixed });
      else targets.set(id, { target: prefixed, perVantage: [{ vantage, target: prefixed }] });
    }
  });

  const mergedTargets = [...targets.values()].map(({ target, perVantage }) => mergeTarget(target, perVantage));
  const failOn = options.failOn ?? inputs[0]!.report.failOn;
  const started = Math.min(...inputs.map((i) => Date.parse(i.report.startedAt)));
  const ended = Math.max(...inputs.map((i) => Date.parse(i.report.startedAt) + i.report.durationMs));
  return {
    schemaVersion: 1,
    tool: options.tool,
    startedAt: new Date(started).toISOString(),
    durationMs: Math.max(0, ended - started),
    ...(inputs.some((i) => i.report.interrupted) ? { interrupted: true } : {}),
    mode: 'merged',
    vantagePoints: vantages,
    failOn,
    summary: computeSummary(mergedTargets.flatMap((t) => t.results), failOn),
    targets: mergedTargets,
    facts,
    environment: { merged: inputs.map((input, i) => ({ file: input.file, vantage: vantages[i]!.id, environment: input.report.environment })) },
  };
}

/**
 * The vantage of each input: the one it recorded, else one made from its environment's host name;
 * ids made unique with `#2`, `#3` when two runs share a name.
 */
function assignVantages(inputs: MergeInput[]): Vantage[] {
  const used = new Map<string, number>();
  return inputs.map(({ report }, i) => {
    const env = report.environment as { hostname?: unknown };
    const recorded = report.vantage ?? { id: typeof env.hostname === 'string' && env.hostname ? env.hostname : `run-${i + 1}`, host: typeof env.hostname === 'string' ? env.hostname : '', startedAt: report.startedAt };
    const n = (used.get(recorded.id) ?? 0) + 1;
    used.set(recorded.id, n);
    return n === 1 ? recorded : { ...recorded, id: `${recorded.id}#${n}` };
  });
}

/**
 * One target across vantage points: a control-plane result is kept once when every vantage point
 * saw the same status and message, else once per vantage point; a local or public result is kept
 * once per vantage point, so "private from spoke A, public from spoke B" stays visible.
 */
function mergeTarget(first: TargetReport, perVantage: Array<{ vantage: string; target: TargetReport }>): TargetReport {
  const order: string[] = [];
  const byCheck = new Map<string, Array<{ vantage: string; result: CheckResult }>>();
  for (const { vantage, target } of perVantage) {
    for (const result of target.results) {
      if (!byCheck.has(result.checkId)) {
        order.push(result.checkId);
        byCheck.set(result.checkId, []);
      }
      byCheck.get(result.checkId)!.push({ vantage, result });
    }
  }
  const results: CheckResult[] = [];
  const keptOnce = new Set<string>();
  for (const checkId of order) {
    const seen = byCheck.get(checkId)!;
    const agree = seen.every((s) => s.result.status === seen[0]!.result.status && s.result.message === seen[0]!.result.message);
    if (!OBSERVED_SIDES.has(seen[0]!.result.side) && agree) {
      results.push(seen[0]!.result);
      keptOnce.add(checkId);
    } else {
      // Every writer shows the message, so it says where it was seen; `vantage` keeps it structured.
      for (const { vantage, result } of seen) results.push({ ...result, vantage, message: `from ${vantage}: ${result.message}` });
    }
  }
  const rootCauses = mergeRootCauses(perVantage, keptOnce);
  return { ...first, results, ...(rootCauses ? { rootCauses } : {}) };
}

function mergeRootCauses(perVantage: Array<{ vantage: string; target: TargetReport }>, keptOnce: ReadonlySet<string>): RootCause[] | undefined {
  if (perVantage.every((p) => p.target.rootCauses === undefined)) return undefined;
  const out: RootCause[] = [];
  const seen = new Set<string>();
  for (const { vantage, target } of perVantage) {
    for (const cause of target.rootCauses ?? []) {
      const merged = keptOnce.has(cause.checkId) ? cause : { ...cause, vantage };
      const key = `${merged.checkId}\0${merged.vantage ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(merged);
    }
  }
  return out;
}

/** A check whose results disagree between vantage points, per target: what `merge` shows side by side. */
export interface VantageConflict {
  target: string;
  checkId: string;
  title: string;
  observations: Array<{ vantage: string; status: CheckResult['status']; message: string }>;
}

export function vantageConflicts(report: RunReport): VantageConflict[] {
  const out: VantageConflict[] = [];
  for (const target of report.targets) {
    const byCheck = new Map<string, CheckResult[]>();
    for (const r of target.results) if (r.vantage !== undefined) byCheck.set(r.checkId, [...(byCheck.get(r.checkId) ?? []), r]);
    for (const [checkId, results] of byCheck) {
      if (new Set(results.map((r) => r.status)).size < 2) continue;
      out.push({ target: target.name, checkId, title: results[0]!.title, observations: results.map((r) => ({ vantage: r.vantage!, status: r.status, message: r.message })) });
    }
  }
  return out;
}

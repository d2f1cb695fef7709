// What every writer derives from a RunReport the same way: counts, the verdict, root causes grouped
// across targets, evidence as text, and text made safe for terminals and markup. Pure functions.
import { rootCausesOf } from '../src/engine/causality.js';
import { SEVERITIES, STATUSES, TENANT_SIDES, type CheckResult, type Fix, type RootCause, type RunReport, type Severity, type Side, type Status, type TargetReport, type TenantSide } from '../src/engine/types.js';

export type Counts = Record<Status, number>;

export const STATUS_GLYPH: Record<Status, string> = { pass: '✓', warn: '!', fail: '✗', skip: '-', error: '?' };
/** The marks for consoles that cannot draw the Unicode ones (the Windows console host). */
export const ASCII_GLYPH: Record<Status, string> = { pass: '+', warn: '!', fail: 'x', skip: '-', error: '?' };
export const STATUS_LABEL: Record<Status, string> = { pass: 'passed', warn: 'warned', fail: 'failed', skip: 'skipped', error: 'error' };

/** A run's duration: seconds with one decimal (`0.4 s`, `12.3 s`). */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A check's duration: `850 ms` under a second, else as formatSeconds. */
export function formatMs(ms: number): string {
  return ms >= 1000 ? formatSeconds(ms) : `${Math.round(ms)} ms`;
}

export function emptyCounts(): Counts {
  return { pass: 0, warn: 0, fail: 0, skip: 0, error: 0 };
}

export function countResults(results: readonly Pick<CheckResult, 'status'>[]): Counts {
  const counts = emptyCounts();
  for (const r of results) counts[r.status]++;
  return counts;
}

/** Counts over every target (equal to report.summary's when the report is consistent). */
export function reportCounts(report: RunReport): Counts {
  return countResults(report.targets.flatMap((t) => t.results));
}

/** The plain closing line: `N passed, N failed, N warned, N skipped, N errors`. */
export function countsLine(c: Counts): string {
  return `${c.pass} passed, ${c.fail} failed, ${c.warn} warned, ${c.skip} skipped, ${c.error} errors`;
}

/** The worst status among results: fail > error > warn > pass > skip. */
export function worstStatus(counts: Counts): Status {
  for (const s of ['fail', 'error', 'warn', 'pass'] as const) if (counts[s] > 0) return s;
  return 'skip';
}

export interface Verdict {
  /** `pass` gate passed; `fail` gate failed; `error` not evaluated (exit 3). */
  status: 'pass' | 'fail' | 'error';
  headline: string;
  exitCode: number;
}

export function verdict(report: RunReport): Verdict {
  const c = reportCounts(report);
  const exitCode = report.summary.exitCode;
  const causes = rootCauses(report);
  const failingTargets = new Set(causes.flatMap((g) => g.items.map((i) => i.target))).size;
  const of = report.targets.length > 1 ? ` on ${failingTargets} of ${report.targets.length} targets` : '';
  const interrupted = report.interrupted ? ' (the run was interrupted: some checks did not finish)' : '';
  const unchecked = uncheckedSides(report);
  const notChecked = unchecked.length ? `; ${unchecked.join('; ')}` : '';
  if (exitCode === 1) {
    const what = c.fail > 0 ? `${plural(causes.length, 'root cause')}${of}` : 'warnings or errors trip the gate';
    return { status: 'fail', exitCode, headline: `FAILED: ${what} (--fail-on ${report.failOn}, exit 1)${notChecked}${interrupted}` };
  }
  if (exitCode === 3 || c.error > 0) {
    const errorCauses = rootCauses(report, 'error').reduce((n, g) => n + g.items.length, 0);
    const why = errorCauses && errorCauses < c.error ? ` (${plural(errorCauses, 'cause')})` : '';
    return { status: 'error', exitCode, headline: `NOT EVALUATED: ${plural(c.error, 'check')} could not learn the answer${why} (exit ${exitCode})${notChecked}${interrupted}` };
  }
  if (c.fail > 0) {
    return { status: 'pass', exitCode, headline: `PASSED the gate (--fail-on ${report.failOn}) with ${plural(causes.length, 'root cause')} below it${notChecked}${interrupted}` };
  }
  const warned = c.warn > 0 ? ` with ${plural(c.warn, 'warning')}` : '';
  if (unchecked.length) return { status: 'pass', exitCode, headline: `PASSED, ${unchecked.join('; ')} (every evaluated check passed${warned})${interrupted}` };
  return { status: 'pass', exitCode, headline: `PASSED: every evaluated check passed${warned}${interrupted}` };
}

const TENANT_OF_SIDE = { provider: 'tenant 2', consumer: 'tenant 1' } as const;

/**
 * The tenant sides a run did not check for want of a credential, in words ("tenant 1 not checked:
 * no credential", with "on K of N targets" in a fleet where only some lack it). A side is unchecked
 * on a target when its credential check was skipped for no access (older reports without the
 * credential checks: when every result of the side is a skip and one of them for no access).
 */
export function uncheckedSides(report: RunReport): string[] {
  const out: string[] = [];
  for (const side of TENANT_SIDES) {
    const targets = report.targets.filter((t) => sideUnchecked(t, side)).length;
    if (targets === 0) continue;
    const where = report.targets.length > 1 && targets < report.targets.length ? ` on ${targets} of ${report.targets.length} targets` : '';
    out.push(`${TENANT_OF_SIDE[side]} not checked${where}: no credential`);
  }
  return out;
}

/** Whether a target's side went unchecked for want of a credential (see uncheckedSides). */
export function sideUnchecked(target: TargetReport, side: TenantSide): boolean {
  const credential = target.results.find((r) => r.checkId === `${side}.credential`);
  if (credential) return credential.status === 'skip' && credential.skipReason === 'no-access';
  const results = target.results.filter((r) => r.side === side);
  return results.length > 0 && results.every((r) => r.status === 'skip') && results.some((r) => r.skipReason === 'no-access');
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export interface GroupItem {
  target: string;
  result: CheckResult;
  /** Checks on the same target skipped because of this one. */
  blocks: string[];
  /** Results on the same target this one explains (its symptoms: they carry `explainedBy`). */
  symptoms: CheckResult[];
}

/** Results of one check with one status, across targets. */
export interface ResultGroup {
  checkId: string;
  title: string;
  side: Side;
  severity: Severity;
  status: Status;
  docStep: string;
  items: GroupItem[];
  /** Distinct fixes in the group, in order of first appearance. */
  fixes: Fix[];
}

/** A target's root causes as the engine listed them (computed from the results for a report that predates them). */
export function targetRootCauses(target: TargetReport): RootCause[] {
  return Array.isArray(target.rootCauses) ? target.rootCauses : rootCausesOf(target.results);
}

/**
 * The root causes of a status (`fail` by default; `error` for what could not be evaluated), grouped
 * by check across targets, each item with the symptoms it explains: most severe first, then
 * catalogue order. A symptom is listed under its cause, never as a cause of its own.
 */
export function rootCauses(report: RunReport, status: 'fail' | 'error' = 'fail'): ResultGroup[] {
  const causes = new Map(report.targets.map((t) => [t, new Map(targetRootCauses(t).map((c) => [c.checkId, c]))]));
  return groupResults(report, (target, result) => {
    if (result.status !== status) return undefined;
    const cause = causes.get(target)!.get(result.checkId);
    if (!cause) return undefined;
    return target.results.filter((r) => cause.explains.includes(r.checkId));
  });
}

/** Results with a status grouped by check id; most severe first, then catalogue order. */
export function groupByCheck(report: RunReport, status: Status): ResultGroup[] {
  return groupResults(report, (_target, result) => (result.status === status ? [] : undefined));
}

/** Groups the results `pick` keeps (it returns their symptoms, or undefined to leave a result out). */
function groupResults(report: RunReport, pick: (target: TargetReport, result: CheckResult) => CheckResult[] | undefined): ResultGroup[] {
  const groups = new Map<string, ResultGroup>();
  const order: string[] = [];
  for (const target of report.targets) {
    for (const result of target.results) {
      if (!order.includes(result.checkId)) order.push(result.checkId);
      const symptoms = pick(target, result);
      if (!symptoms) continue;
      let group = groups.get(result.checkId);
      if (!group) {
        group = {
          checkId: result.checkId,
          title: result.title,
          side: result.side,
          severity: result.severity,
          status: result.status,
          docStep: result.docStep,
          items: [],
          fixes: [],
        };
        groups.set(result.checkId, group);
      }
      group.items.push({ target: target.name, result, blocks: blockedBy(target, result.checkId), symptoms });
      if (result.fix && !group.fixes.some((f) => JSON.stringify(f) === JSON.stringify(result.fix))) group.fixes.push(result.fix);
    }
  }
  return [...groups.values()].sort(
    (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || order.indexOf(a.checkId) - order.indexOf(b.checkId),
  );
}

function blockedBy(target: TargetReport, checkId: string): string[] {
  return target.results.filter((r) => r.blockedBy === checkId).map((r) => r.checkId);
}

/** Status order for listings: what needs attention first. */
export const ATTENTION_ORDER: Status[] = ['fail', 'error', 'warn', 'skip', 'pass'];
export { STATUSES };

// ---- text safety: the one sanitiser lives in src/text/sanitize.ts -------------------------------

import { cleanText, oneLine } from '../src/text/sanitize.js';
export { cleanText, oneLine };

/** Cut text to at most `max` characters (code points kept whole), saying how much was cut. */
export function truncate(text: string, max: number, pointer = ''): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  const rest = [...text.slice(cut.length)].length;
  return `${cut}… [${rest} more characters cut${pointer ? `; ${pointer}` : ''}]`;
}

// ---- evidence ----------------------------------------------------------------------------------

/**
 * Evidence as indented `key: value` lines, the way a person reads it: scalars inline, short lists
 * of scalars inline, objects and long lists nested. Text is cleaned of escapes and controls.
 */
export function evidenceLines(evidence: Record<string, unknown>, options: { maxValueChars?: number } = {}): string[] {
  const maxValue = options.maxValueChars ?? Infinity;
  const lines: string[] = [];
  const scalar = (v: unknown): string | undefined => {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'string') return truncate(cleanText(v), maxValue, 'see report.json');
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return undefined;
  };
  // `head` is what precedes the value on its first line ("key: " or "- "); `cont` indents the rest.
  const walk = (value: unknown, head: string, cont: string) => {
    const s = scalar(value);
    if (s !== undefined) {
      const [first = '', ...rest] = s.split('\n');
      lines.push(`${head}${first}`);
      for (const line of rest) lines.push(`${cont}  ${line}`);
      return;
    }
    if (Array.isArray(value)) {
      const scalars = value.map(scalar);
      const inline = `[${scalars.join(', ')}]`;
      if (scalars.every((x) => x !== undefined && !x.includes('\n')) && inline.length <= 100) return void lines.push(`${head}${inline}`);
      lines.push(head.trimEnd());
      for (const item of value) walk(item, `${cont}  - `, `${cont}    `);
      return;
    }
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return void lines.push(`${head}{}`);
    // A list item's first key sits on the dash line, YAML style.
    const inList = head.endsWith('- ');
    if (!inList && head) lines.push(head.trimEnd());
    const inner = inList ? cont : head ? `${cont}  ` : cont;
    entries.forEach(([k, v], i) => walk(v, `${inList && i === 0 ? head : inner}${cleanText(k)}: `, inner));
  };
  for (const [key, value] of Object.entries(evidence)) walk(value, `${cleanText(key)}: `, '');
  return lines;
}

export function evidenceText(evidence: Record<string, unknown>, options: { maxValueChars?: number } = {}): string {
  return evidenceLines(evidence, options).join('\n');
}

/** `setup step 7`, or `prerequisite` as is. */
export function stepLabel(docStep: string): string {
  return /^\d/.test(docStep) ? `setup step ${docStep}` : docStep ? `setup: ${docStep}` : '';
}

/**
 * A result's fix, undefined when there is nothing to do (a report written before `fix` has its
 * remediation text read as a fix when it is loaded: src/snapshot/load.ts).
 */
export function fixOf(result: Pick<CheckResult, 'fix'>): Fix | undefined {
  return result.fix && (result.fix.summary || result.fix.steps.length) ? result.fix : undefined;
}

/** "tenant 1" / "tenant 2" for a fix step's tenant. */
export function tenantLabel(tenant: TenantSide | undefined): string {
  return tenant === 'provider' ? 'tenant 2' : tenant === 'consumer' ? 'tenant 1' : '';

}

export type Shell = 'bash' | 'powershell';
export const SHELL_LABEL: Record<Shell, string> = { bash: 'bash', powershell: 'PowerShell' };

/**
 * A fix as plain text (JUnit, explain): the summary, then each step numbered with where it runs,
 * and its command for each shell asked for on a line of its own, never cut.
 */
export function fixLines(fix: Fix, shells: readonly Shell[]): string[] {
  const lines = [oneLine(fix.summary)];
  fix.steps.forEach((step, i) => {
    lines.push(`${i + 1}. ${step.tenant || step.commands ? `[${tenantLabel(step.tenant) || 'this machine'}] ` : ''}${oneLine(step.text)}`);
    if (!step.commands) return;
    for (const shell of shells) lines.push(`   ${shells.length > 1 ? `${SHELL_LABEL[shell]}: ` : ''}${cleanText(step.commands[shell]).replace(/\n/g, ' ')}`);
  });
  return lines;
}

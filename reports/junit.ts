// report.junit.xml: one <testsuite> per target, one <testcase> per check. Valid against both the
// Jenkins xunit schema and the strict Ant (windyroad) schema in shared/reference/junit/: that one
// wants <properties> and both system-out/err in every suite, `package` and `id` on aggregated suites,
// `type` on failure/error, a zone-less UTC timestamp and decimal times, and nothing on <testsuites>.
import type { CheckResult, Fix, RunReport, TargetReport } from '../src/engine/types.js';
import { cleanText, countResults, countsLine, evidenceText, fixLines, oneLine, stepLabel, truncate } from './model.js';

export type JUnitWarnAs = 'skipped' | 'passed' | 'failure';
export const JUNIT_WARN_AS: readonly JUnitWarnAs[] = ['skipped', 'passed', 'failure'];

export interface JUnitOptions {
  /** How a `warn` shows in CI: `<skipped>` (default), a plain pass, or a `<failure>`. */
  junitWarnAs?: JUnitWarnAs;
  /** Longest evidence text kept in a failure body (characters); the rest is in report.json. */
  maxEvidenceChars?: number;
  /** Host name for the suites; default environment.hostname, else `localhost`. */
  hostname?: string;
}

const DEFAULT_MAX_EVIDENCE = 4000;

export function renderJUnit(report: RunReport, options: JUnitOptions = {}): string {
  const warnAs = options.junitWarnAs ?? 'skipped';
  const hostEnv = report.environment.hostname;
  const hostname = oneLine(options.hostname ?? (typeof hostEnv === 'string' ? hostEnv : '')) || 'localhost';
  // Strict schema: YYYY-MM-DDTHH:MM:SS, UTC, no zone, no millis.
  const timestamp = new Date(report.startedAt).toISOString().slice(0, 19);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>'];
  report.targets.forEach((target, index) => {
    out.push(...suite(report, target, index, { warnAs, hostname, timestamp, maxEvidence: options.maxEvidenceChars ?? DEFAULT_MAX_EVIDENCE }));
  });
  out.push('</testsuites>', '');
  return out.join('\n');
}

interface SuiteContext {
  warnAs: JUnitWarnAs;
  hostname: string;
  timestamp: string;
  maxEvidence: number;
}

/** The per-suite numbers, as CI systems count them (warn counted where --junit-warn-as puts it). */
export function junitCounts(results: readonly Pick<CheckResult, 'status'>[], warnAs: JUnitWarnAs = 'skipped') {
  const c = countResults(results);
  return {
    tests: results.length,
    failures: c.fail + (warnAs === 'failure' ? c.warn : 0),
    errors: c.error,
    skipped: c.skip + (warnAs === 'skipped' ? c.warn : 0),
  };
}

function suite(report: RunReport, target: TargetReport, index: number, ctx: SuiteContext): string[] {
  const n = junitCounts(target.results, ctx.warnAs);
  const c = countResults(target.results);
  const name = oneLine(target.name) || `target-${index + 1}`;
  const time = seconds(suiteTime(report, target));
  const lines = [
    `  <testsuite name="${attr(name)}" package="${attr(name)}" id="${index}" tests="${n.tests}" failures="${n.failures}" errors="${n.errors}" skipped="${n.skipped}" time="${time}" timestamp="${ctx.timestamp}" hostname="${attr(ctx.hostname)}">`,
    '    <properties>',
    prop('workspaceId', target.workspaceId),
    prop('tool', `${report.tool.name} ${report.tool.version}`),
    prop('mode', report.mode),
    prop('failOn', report.failOn),
    prop('junitWarnAs', ctx.warnAs),
    ...(report.interrupted ? [prop('interrupted', 'true')] : []),
    // The xtenant-doctor statuses, so a reader can recover them whatever warnAs did.
    ...(['pass', 'warn', 'fail', 'skip', 'error'] as const).map((s) => prop(`count.${s}`, String(c[s]))),
    '    </properties>',
  ];
  for (const result of target.results) lines.push(...testcase(target, result, ctx));
  lines.push(`    <system-out>${cdata(`${name} (workspace ${target.workspaceId}): ${countsLine(c)}`)}</system-out>`, '    <system-err></system-err>', '  </testsuite>');
  return lines;
}

function testcase(target: TargetReport, r: CheckResult, ctx: SuiteContext): string[] {
  const open = `    <testcase name="${attr(testName(target, r))}" classname="xtenant-doctor.${attr(r.side)}" time="${seconds(r.durationMs)}"`;
  const message = oneLine(r.message);
  const body = () => cdata(failureText(target, r, ctx.maxEvidence));
  let child: string | undefined;
  if (r.status === 'fail' || (r.status === 'warn' && ctx.warnAs === 'failure')) {
    const type = r.status === 'warn' ? 'warning' : `${r.severity}`;
    child = `<failure type="${attr(type)}" message="${attr(message)}">${body()}</failure>`;
  } else if (r.status === 'error') {
    const kind = typeof r.evidence.kind === 'string' ? oneLine(r.evidence.kind) : 'error';
    child = `<error type="${attr(kind || 'error')}" message="${attr(message)}">${body()}</error>`;
  } else if (r.status === 'skip') {
    child = `<skipped message="${attr(skipMessage(r))}"/>`;
  } else if (r.status === 'warn' && ctx.warnAs === 'skipped') {
    child = `<skipped message="${attr(`warning: ${message}`)}">${body()}</skipped>`;
  }
  if (!child) return [`${open}/>`];
  return [`${open}>`, `      ${child}`, '    </testcase>'];
}

/**
 * `zone-linked: The zone is linked to the resolving VNet [sales]`: the check's id without its side
 * (the classname names the side), its title, and the target (and vantage point), so the name is
 * unique and readable.
 */
export function testName(target: TargetReport, r: CheckResult): string {
  const shortId = r.checkId.startsWith(`${r.side}.`) ? r.checkId.slice(r.side.length + 1) : r.checkId;
  // A merged estate report names the vantage point too: the same check from two VNets is two tests.
  return oneLine(`${shortId}: ${r.title} [${target.name}${r.vantage ? ` @ ${r.vantage}` : ''}]`);
}

/** One skip message: the reason once (`blocked by consumer.zone-linked`, not `blocked: blocked by …`). */
export function skipMessage(r: CheckResult): string {
  const message = oneLine(r.message);
  const reason = r.skipReason ?? 'skipped';
  return message.toLowerCase().startsWith(reason.replace(/-/g, ' ')) || message.toLowerCase().startsWith(reason) ? message : `${reason}: ${message}`;
}

/**
 * A suite's time is wall time, not the sum of its checks (they run in parallel): the run's duration
 * for a single target; in a fleet, where targets overlap, the target's longest check.
 */
export function suiteTime(report: RunReport, target: TargetReport): number {
  if (report.targets.length === 1) return report.durationMs;
  return target.results.reduce((max, r) => Math.max(max, r.durationMs), 0);
}

/**
 * What a person needs in the CI's failure pane (Azure DevOps shows nothing else for a failed test):
 * the finding, the evidence, the fix and the setup step, and what this blocks.
 */
export function failureText(target: TargetReport, r: CheckResult, maxEvidence = DEFAULT_MAX_EVIDENCE): string {
  const parts = [`${r.status.toUpperCase()} ${r.checkId} (${r.title}) on ${target.name}`, cleanText(r.message)];
  const evidence = evidenceText(r.evidence, { maxValueChars: 1000 });
  if (evidence) {
    parts.push('', 'Evidence:', truncate(evidence, maxEvidence, `the full evidence is in report.json (target "${oneLine(target.name)}", check ${r.checkId})`));
  }
  if (r.fix) parts.push('', ...junitFix(r.fix));
  const step = stepLabel(r.docStep);
  if (step) parts.push(`Setup step: ${step.replace(/^setup step |^setup: /, '')}`);
  const blocked = target.results.filter((x) => x.blockedBy === r.checkId).map((x) => x.checkId);
  if (blocked.length) parts.push(`Blocks: ${blocked.join(', ')}`);
  parts.push(`Severity: ${r.severity}`);
  return parts.join('\n');
}

function prop(name: string, value: string): string {
  return `      <property name="${attr(name)}" value="${attr(oneLine(value))}"/>`;
}

/** Seconds with three decimals, never exponent notation (the Jenkins schema's SUREFIRE_TIME). */
export function seconds(ms: number): string {
  return (Number.isFinite(ms) && ms > 0 ? ms / 1000 : 0).toFixed(3);
}

/** An attribute value: illegal characters removed, markup and whitespace escaped. */
export function attr(text: string): string {
  return cleanText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

/** A CDATA section: illegal characters removed (they are illegal in CDATA too), `]]>` split. */
export function cdata(text: string): string {
  return `<![CDATA[${cleanText(text).replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** The fix in a failure body: the summary and every step, each command for bash and for PowerShell on its own line, never cut. */
export function junitFix(fix: Fix): string[] {
  const [summary, ...steps] = fixLines(fix, ['bash', 'powershell']);
  return [`Fix: ${summary}`, ...steps];
}

// The terminal view, grouped like `flutter doctor`: one line per hop of the path (this VM, tenant 1,
// tenant 2, the public path), details only under problems, then the root causes with their fixes,
// the path in one line, the counts and the gate's verdict. A fleet prints one line per target with a
// problem (expanded) and one line for all the healthy ones. Pure functions returning strings; colour
// through picocolors, off for NO_COLOR or a pipe; ASCII marks where the console cannot draw others.
import pc from 'picocolors';
import type { CheckResult, RunReport, Status, TargetReport } from '../src/engine/types.js';
import { setupStepUrl } from './links.js';
import { ASCII_GLYPH, STATUS_GLYPH, countResults, formatMs, countsLine, evidenceLines, fixOf, oneLine, plural, reportCounts, rootCauses, stepLabel, tenantLabel, verdict } from './model.js';
import { GROUP_LABEL, combineStatus, fleetPathLine, hopStates, pathLine, unmappedResults, type HopGroup, type HopStatus } from './path.js';
import { causeSentence, headline, namedText, targetCauses } from './words.js';

export interface TerminalOptions {
  /** Colour on or off; decide it with `shouldColor`. Default: off. */
  color?: boolean;
  /** Evidence under each result that is not a pass. */
  verbose?: boolean;
  /** The verdict line only. */
  quiet?: boolean;
  /** ASCII marks and arrows (decide it with `shouldUseAscii`). Default: off. */
  ascii?: boolean;
  /** The shell whose fix commands are printed. Default: PowerShell on Windows, else bash. */
  shell?: 'bash' | 'powershell';
  /** Targets with a problem printed in full before "and N more". Default 5. */
  maxTargets?: number;
}

type Colors = ReturnType<typeof pc.createColors>;

/**
 * Whether to colour a stream: an explicit flag wins (`--color`/`--no-color`); else `NO_COLOR`
 * (any non-empty value) turns it off, `FORCE_COLOR` (not 0) on, and otherwise only a TTY gets colour.
 */
export function shouldColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env, flag?: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return stream.isTTY === true;
}

/**
 * Whether to print ASCII marks: `--ascii` wins; else on Windows unless the terminal is one that
 * draws Unicode (Windows Terminal sets WT_SESSION, VS Code's terminal sets TERM_PROGRAM=vscode,
 * ConEmu sets ConEmuANSI=ON). The classic console host shows ✓ ✗ ⠋ as boxes.
 */
export function shouldUseAscii(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, flag?: boolean): boolean {
  if (flag !== undefined) return flag;
  if (platform !== 'win32') return false;
  return !(env.WT_SESSION || env.TERM_PROGRAM === 'vscode' || env.ConEmuANSI === 'ON');
}

function colors(options: TerminalOptions): Colors {
  return pc.createColors(options.color === true);
}

export function glyph(status: Status, options: Pick<TerminalOptions, 'ascii'> = {}): string {
  return (options.ascii ? ASCII_GLYPH : STATUS_GLYPH)[status];
}

export function paintStatus(c: Colors, status: Status, text: string): string {
  switch (status) {
    case 'pass':
      return c.green(text);
    case 'warn':
      return c.yellow(text);
    case 'fail':
      return c.red(text);
    case 'error':
      return c.magenta(text);
    default:
      return c.dim(text);
  }
}

/** One result: `✗ consumer.zone-linked  message` (names for ids); verbose adds timing and, unless it passed, evidence. */
export function formatResultLine(result: CheckResult, options: TerminalOptions & { target?: string } = {}): string {
  const c = colors(options);
  const mark = paintStatus(c, result.status, glyph(result.status, options));
  const target = options.target !== undefined ? `${c.cyan(oneLine(options.target))} ` : '';
  const id = result.status === 'skip' ? c.dim(result.checkId) : c.bold(result.checkId);
  const message = result.status === 'skip' ? c.dim(namedText(result.message)) : namedText(result.message);
  const lines = [`${mark} ${target}${id}  ${message}`];
  if (options.verbose) {
    lines[0] += c.dim(`  (${formatMs(result.durationMs)})`);
    if (result.status !== 'pass') for (const line of evidenceLines(result.evidence, { maxValueChars: 400 })) lines.push(c.dim(`    ${line}`));
  }
  return lines.join('\n');
}

const GROUP_ORDER: HopGroup[] = ['tenant2', 'tenant1', 'machine', 'public'];

/** One target as hop lines, grouped by tenant; problems expanded (their results, skips counted). */
export function formatTargetHops(target: TargetReport, options: TerminalOptions = {}, indent = ''): string[] {
  const c = colors(options);
  const states = hopStates(target);
  const out: string[] = [];
  for (const group of GROUP_ORDER) {
    const inGroup = states.filter((s) => s.hop.group === group);
    if (!inGroup.length) continue;
    out.push(`${indent}${c.bold(GROUP_LABEL[group])}`);
    for (const state of inGroup) out.push(...hopLines(state.hop.label, state.status, state.rootCause, state.results, options, `${indent}  `));
  }
  const others = unmappedResults(target);
  if (others.length) {
    out.push(`${indent}${c.bold('Other checks')}`);
    out.push(...hopLines('Plugins', combineStatus(others.map((r) => r.status)), false, others, options, `${indent}  `));
  }
  return out;
}

function hopLines(label: string, status: HopStatus, rootCause: boolean, results: CheckResult[], options: TerminalOptions, indent: string): string[] {
  const c = colors(options);
  const mark = paintStatus(c, status, glyph(status, options));
  const note = status === 'skip' ? c.dim(results.length ? 'not reached' : 'not checked') : status === 'pass' ? c.dim(plural(results.length, 'check')) : '';
  const lines = [`${indent}${mark} ${rootCause ? c.bold(label) : label}${rootCause ? c.red(' (root cause)') : ''}${note ? `  ${note}` : ''}`];
  if (status === 'pass' || status === 'skip') return lines;
  const problems = results.filter((r) => r.status !== 'pass' && r.status !== 'skip');
  for (const r of problems) {
    const [first = '', ...rest] = formatResultLine(r, options).split('\n');
    // A symptom says what explains it: the cause is listed (with its fix) below, not here.
    const explained = r.explainedBy?.length ? c.dim(` (explained by ${r.explainedBy.join(', ')})`) : '';
    lines.push(`${indent}    ${first}${explained}`, ...rest.map((l) => `${indent}    ${l}`));
  }
  const waiting = results.filter((r) => r.status === 'skip').length;
  if (waiting) lines.push(c.dim(`${indent}    ${plural(waiting, 'check')} here skipped`));
  return lines;
}

/** The whole view: the headline, the hops (or one line per target in a fleet), then the summary. */
export function formatTerminalReport(report: RunReport, options: TerminalOptions = {}): string {
  if (options.quiet) return formatVerdict(report, options);
  return formatSummary(report, options);
}

/** The verdict line (the gate: exit code and --fail-on), coloured by outcome. */
export function formatVerdict(report: RunReport, options: TerminalOptions = {}): string {
  const c = colors(options);
  const v = verdict(report);
  const status: Status = report.interrupted && v.status === 'pass' ? 'warn' : v.status;
  return paintStatus(c, status, c.bold(`${glyph(status, options)} ${v.headline}`));
}

/**
 * What the run found: the headline in words; the hops of one target, or the targets of a fleet
 * with problems expanded; the root causes with their fixes; what could not be evaluated; the path
 * in one line; the counts; the verdict.
 */
export function formatSummary(report: RunReport, options: TerminalOptions = {}): string {
  if (options.quiet) return formatVerdict(report, options);
  const c = colors(options);
  const h = headline(report);
  const hStatus: Status = h.status === 'fail' ? 'fail' : report.interrupted ? 'warn' : h.status;
  const out: string[] = [paintStatus(c, hStatus, c.bold(`${glyph(hStatus, options)} ${h.text}`)), c.dim(h.detail), ''];
  if (report.targets.length === 1) out.push(...formatTargetHops(report.targets[0]!, options), '');
  else out.push(...fleetLines(report, options), '');
  out.push(...causeLines(report, options));
  out.push(`${c.dim('Path:')} ${report.targets.length === 1 ? pathLine(report.targets[0]!, options) : fleetPathLine(report, options)}`);
  out.push(countsLine(reportCounts(report)), formatVerdict(report, options));
  return out.join('\n');
}

function fleetLines(report: RunReport, options: TerminalOptions): string[] {
  const c = colors(options);
  const max = options.maxTargets ?? 5;
  const rows = report.targets.map((t) => ({ t, counts: countResults(t.results), causes: targetCauses(t) }));
  const problems = rows.filter((r) => r.counts.fail || r.counts.error || r.counts.warn);
  const healthy = rows.filter((r) => !(r.counts.fail || r.counts.error || r.counts.warn));
  problems.sort((a, b) => rank(a.counts) - rank(b.counts));
  // Targets with the same problems (same root causes, or the same checks not passing) share one entry.
  const groups = new Map<string, typeof problems>();
  for (const row of problems) {
    const key = row.causes.length ? row.causes.map((x) => x.result.checkId).join(',') : row.t.results.filter((r) => r.status !== 'pass' && r.status !== 'skip').map((r) => `${r.checkId}:${r.status}`).join(',');
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(row);
  }
  const out: string[] = [];
  let shown = 0;
  for (const members of groups.values()) {
    if (shown >= max) break;
    shown++;
    const { t, counts, causes } = members[0]!;
    const status: Status = counts.fail ? 'fail' : counts.error ? 'error' : 'warn';
    const what = causes[0] ? causeSentence(t, causes[0].result) : namedText(t.results.find((r) => r.status === status)?.message ?? '');
    const names = members.slice(0, 3).map((m) => oneLine(m.t.name)).join(', ') + (members.length > 3 ? `, … (${members.length} targets)` : '');
    out.push(`${paintStatus(c, status, glyph(status, options))} ${c.bold(c.cyan(names))}  ${what}`);
    for (const state of hopStates(t)) if (state.status !== 'pass' && state.status !== 'skip') out.push(...hopLines(state.hop.label, state.status, state.rootCause, state.results, options, '    '));
  }
  const rest = [...groups.values()].slice(shown).reduce((n, g) => n + g.length, 0);
  if (rest) out.push(c.dim(`  … and ${plural(rest, 'more target')} with other problems (report.html lists them all)`));
  if (healthy.length) {
    const names = healthy.slice(0, 3).map((r) => oneLine(r.t.name)).join(', ');
    const more = healthy.length > 3 ? `, … (${healthy.length - 3} more)` : '';
    out.push(`${paintStatus(c, 'pass', glyph('pass', options))} ${plural(healthy.length, 'healthy target')}: ${names}${more}`);
  }
  return out;
}

function rank(counts: ReturnType<typeof countResults>): number {
  return counts.fail ? 0 : counts.error ? 1 : 2;
}

/** Root causes across targets (one entry per check, its targets named), each with its fix; then what could not be evaluated. */
function causeLines(report: RunReport, options: TerminalOptions): string[] {
  const c = colors(options);
  const fleet = report.targets.length > 1;
  const byCheck = new Map<string, { result: CheckResult; target: TargetReport; targets: string[]; symptoms: number }>();
  for (const t of report.targets) {
    for (const cause of targetCauses(t)) {
      const entry = byCheck.get(cause.result.checkId);
      if (entry) {
        entry.targets.push(t.name);
        entry.symptoms += cause.symptoms.length;
      } else byCheck.set(cause.result.checkId, { result: cause.result, target: t, targets: [t.name], symptoms: cause.symptoms.length });
    }
  }
  const out: string[] = [];
  if (byCheck.size) {
    out.push(c.bold('Root causes, fix these first:'));
    let n = 0;
    for (const { result, target, targets, symptoms } of byCheck.values()) {
      n++;
      const step = stepLabel(result.docStep);
      const on = fleet ? ` ${c.cyan(`[${targets.length <= 3 ? targets.map(oneLine).join(', ') : `${targets.length} targets`}]`)}` : '';
      out.push(`${paintStatus(c, 'fail', `${n}.`)} ${causeSentence(target, result)}${on}`);
      out.push(c.dim(`   ${result.checkId} · ${result.title}${symptoms ? ` · explains ${plural(symptoms, 'check')}` : ''}${step ? ` · ${step}: ${setupStepUrl(result.docStep)}` : ''}`));
      out.push(...fixLines(result, options, '   '));
    }
    out.push('');
  }
  const errors = rootCauses(report, 'error');
  if (errors.length) {
    out.push(c.bold('Could not evaluate:'));
    for (const g of errors) {
      const first = g.items[0]!.result;
      const on = fleet ? ` ${c.cyan(`[${g.items.length <= 3 ? g.items.map((i) => oneLine(i.target)).join(', ') : `${g.items.length} targets`}]`)}` : '';
      out.push(`  ${paintStatus(c, 'error', glyph('error', options))} ${c.bold(g.checkId)}  ${namedText(first.message)}${on}`);
      out.push(...fixLines(first, options, '    '));
    }
    out.push('');
  }
  return out;
}

/** A fix to paste: its summary, then each step with its tenant and one command per line. */
export function fixLines(result: CheckResult, options: TerminalOptions, indent: string): string[] {
  const fix = fixOf(result);
  if (!fix) return [];
  const c = colors(options);
  const shell = options.shell ?? (process.platform === 'win32' ? 'powershell' : 'bash');
  const out = [`${indent}${c.bold('Fix:')} ${oneLine(fix.summary)}`];
  for (const step of fix.steps) {
    const where = tenantLabel(step.tenant);
    out.push(`${indent}  ${where ? c.dim(`(${where}) `) : ''}${oneLine(step.text)}`);
    // Commands are printed whole: a fix is never cut.
    if (step.commands) out.push(`${indent}    ${c.cyan(oneLine(step.commands[shell]))}`);
  }
  return out;
}


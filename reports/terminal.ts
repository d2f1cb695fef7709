// The terminal view: a line per check result (✓ ! ✗, - for skip, ? for error), and the closing
// summary: the verdict, root causes first with their fixes, then `N passed, N failed, …`.
// Pure functions returning strings; colour through picocolors, off for NO_COLOR or a pipe.
import pc from 'picocolors';
import type { CheckResult, RunReport, Status } from '../src/engine/types.js';
import {
  STATUS_GLYPH,
  countResults,
  countsLine,
  evidenceLines,
  groupByCheck,
  oneLine,
  plural,
  reportCounts,
  rootCauses,
  stepLabel,
  verdict,
  type ResultGroup,
} from './model.js';

export interface TerminalOptions {
  /** Colour on or off; decide it with `shouldColor`. Default: off. */
  color?: boolean;
  /** Evidence, timings and fixes under each line. */
  verbose?: boolean;
  /** The verdict line only. */
  quiet?: boolean;
  /** Prefix each line with its target (a fleet); default: when the report has several targets. */
  showTarget?: boolean;
  /** Results listed per group in the summary before "and N more". Default 5. */
  maxPerGroup?: number;
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

function colors(options: TerminalOptions): Colors {
  return pc.createColors(options.color === true);
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

/** One result: `✗ consumer.zone-linked  message`; verbose adds timing, evidence and the fix. */
export function formatResultLine(result: CheckResult, options: TerminalOptions & { target?: string } = {}): string {
  const c = colors(options);
  const glyph = paintStatus(c, result.status, STATUS_GLYPH[result.status]);
  const target = options.target !== undefined ? `${c.cyan(oneLine(options.target))} ` : '';
  const id = result.status === 'skip' ? c.dim(result.checkId) : c.bold(result.checkId);
  const message = result.status === 'skip' ? c.dim(oneLine(result.message)) : oneLine(result.message);
  const lines = [`${glyph} ${target}${id}  ${message}`];
  if (options.verbose) {
    lines[0] += c.dim(`  (${formatMs(result.durationMs)})`);
    for (const line of evidenceLines(result.evidence, { maxValueChars: 400 })) lines.push(c.dim(`    ${line}`));
    if (result.remediation && result.status !== 'pass') lines.push(`    ${c.bold('fix:')} ${oneLine(result.remediation)}`);
  }
  return lines.join('\n');
}

/** Every result, grouped by target, then the summary. `--quiet`: the verdict only. */
export function formatTerminalReport(report: RunReport, options: TerminalOptions = {}): string {
  if (options.quiet) return formatVerdict(report, options);
  const c = colors(options);
  const fleet = options.showTarget ?? report.targets.length > 1;
  const blocks: string[] = [];
  for (const target of report.targets) {
    const counts = countResults(target.results);
    const header = fleet ? [`${c.bold(c.cyan(oneLine(target.name)))} ${c.dim(`workspace ${target.workspaceId} · ${countsLine(counts)}`)}`] : [];
    blocks.push([...header, ...target.results.map((r) => formatResultLine(r, { ...options, target: undefined }))].join('\n'));
  }
  blocks.push(formatSummary(report, options));
  return blocks.join('\n\n');
}

/** The verdict line, coloured by outcome. */
export function formatVerdict(report: RunReport, options: TerminalOptions = {}): string {
  const c = colors(options);
  const v = verdict(report);
  const glyph = v.status === 'pass' ? '✓' : v.status === 'fail' ? '✗' : '?';
  return paintStatus(c, v.status, c.bold(`${glyph} ${v.headline}`));
}

/**
 * The closing summary: root causes first (fail results; blocked checks are skips, so each is a
 * cause) with their fixes; what could not be evaluated; warnings; the plain counts line; the verdict.
 */
export function formatSummary(report: RunReport, options: TerminalOptions = {}): string {
  if (options.quiet) return formatVerdict(report, options);
  const c = colors(options);
  const fleet = options.showTarget ?? report.targets.length > 1;
  const max = options.maxPerGroup ?? 5;
  const out: string[] = [];
  const section = (title: string, groups: ResultGroup[], withFix: boolean) => {
    if (groups.length === 0) return;
    out.push(c.bold(title));
    for (const g of groups) {
      const step = stepLabel(g.docStep);
      out.push(`  ${paintStatus(c, g.status, STATUS_GLYPH[g.status])} ${c.bold(g.checkId)}  ${g.title} ${c.dim(`(${[g.severity, step].filter(Boolean).join(', ')})`)}`);
      for (const item of g.items.slice(0, max)) {
        const where = fleet ? `${c.cyan(oneLine(item.target))}: ` : '';
        const blocks = item.blocks.length ? c.dim(` (blocks ${plural(item.blocks.length, 'check')})`) : '';
        out.push(`    ${where}${oneLine(item.result.message)}${blocks}`);
        for (const symptom of item.symptoms) out.push(c.dim(`      explains ${symptom.checkId}: ${oneLine(symptom.message)}`));
      }
      if (g.items.length > max) out.push(c.dim(`    … and ${g.items.length - max} more targets`));
      if (withFix) for (const fix of g.remediations.slice(0, 3)) out.push(`    ${c.bold('fix:')} ${oneLine(fix)}`);
    }
    out.push('');
  };
  section('Root causes, fix these first:', rootCauses(report), true);
  section('Could not evaluate:', rootCauses(report, 'error'), true);
  section('Warnings:', groupByCheck(report, 'warn'), options.verbose === true);
  out.push(countsLine(reportCounts(report)), formatVerdict(report, options));
  return out.join('\n');
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

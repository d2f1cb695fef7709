// `xtenant-doctor diff <before.json> <after.json> [--json] [--format md]`: what changed between two
// snapshots. Exit 1 when a check regressed, 0 otherwise, 2 when a file cannot be read as a report.
import type { CommandModule } from 'yargs';
import { EXIT } from '../../engine/status.js';
import { diffReports, hasRegression, isEmptyDiff, type CheckChange, type FactChange, type ReportDiff } from '../../snapshot/diff.js';
import { describeFactChanges } from '../../snapshot/diff-words.js';
import { namesForIds } from '../../azure/resourceId.js';
import { oneLine } from '../../text/sanitize.js';
import { declared } from '../args.js';

export interface DiffArgs {
  before: string;
  after: string;
  json?: boolean;
  format?: string;
  verbose?: boolean;
}

export interface Output {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processOutput: Output = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

/** The command's work, testable without a process: returns the exit code. */
export async function runDiffCommand(args: DiffArgs, out: Output = processOutput): Promise<number> {
  // The recording loader (tar, the report schema) loads with the command, not with the CLI.
  const { loadReport, ReportFileError } = await import('../../snapshot/load.js');
  let before, after;
  try {
    [before, after] = await Promise.all([loadReport(args.before), loadReport(args.after)]);
  } catch (error) {
    if (error instanceof ReportFileError) {
      out.stderr(`xtenant-doctor diff: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  const diff = diffReports(before.report, after.report);
  const workspaceIds = Object.fromEntries([...before.report.targets, ...after.report.targets].map((t) => [t.name, t.workspaceId]));
  const names = { before: args.before, after: args.after, workspaceIds, verbose: args.verbose === true };
  if (args.json) out.stdout(`${JSON.stringify(diff, null, 2)}\n`);
  else if (args.format === 'md') out.stdout(formatDiffMarkdown(diff, names));
  else out.stdout(formatDiffText(diff, names));
  return hasRegression(diff) ? EXIT.gateFailed : EXIT.ok;
}

const command: CommandModule<object, DiffArgs> = {
  command: 'diff <before> <after>',
  describe: 'Compare two reports (or bundles): status changes and the fact changes behind them; exit 1 on a regression',
  builder: (y) =>
    declared<DiffArgs>()(
      y
        .positional('before', { type: 'string', demandOption: true, description: 'The earlier report.json (or bundle.tar.gz)' })
        .positional('after', { type: 'string', demandOption: true, description: 'The later report.json (or bundle.tar.gz)' })
        .option('json', { type: 'boolean', description: 'Print the diff as JSON' })
        .option('format', { type: 'string', choices: ['text', 'md'], default: 'text', description: 'text (terminal) or md (a CI step summary)' })
        .option('verbose', { alias: 'v', type: 'boolean', description: 'Also list every fact change with its full path' })
        .example('$0 diff before/report.json after/report.json', 'what a network change did'),
    ),
  handler: async (argv) => {
    process.exitCode = await runDiffCommand(argv);
  },
};
export default command;

type Names = { before: string; after: string; workspaceIds?: Record<string, string>; verbose?: boolean };

const HEADINGS: Record<CheckChange['kind'], string> = { regression: 'REGRESSION', fix: 'FIXED', changed: 'CHANGED', added: 'NEW CHECK', removed: 'REMOVED CHECK' };

/** A target's changes: what changed in words, then the checks (like changes of blocked checks on one line). */
function targetView(diff: ReportDiff, target: string, names: Names) {
  const checks = diff.checks.filter((c) => c.target === target);
  const facts = [...checks.flatMap((c) => c.factChanges), ...diff.otherFactChanges.filter((c) => c.target === target)];
  const changed = describeFactChanges(facts, names.workspaceIds?.[target]);
  // Checks whose status changed the same way for the same reason (six checks now blocked by one) share a line.
  const rows: Array<{ kind: CheckChange['kind']; ids: string[]; status: string; message: string; factLines: string[] }> = [];
  for (const change of sortChanges(checks)) {
    const status = statusText(change);
    const blocked = change.after?.blockedBy ?? (change.after?.status === 'skip' ? change.after.skipReason : undefined);
    const same = blocked ? rows.find((r) => r.kind === change.kind && r.status === status && r.message === '') : undefined;
    if (same) same.ids.push(change.checkId);
    else rows.push({ kind: change.kind, ids: [change.checkId], status, message: blocked ? '' : namesForIds(oneLine(change.after?.message ?? change.before?.message ?? '')), factLines: describeFactChanges(change.factChanges, names.workspaceIds?.[target]) });
  }
  return { checks, changed, rows };
}

export function formatDiffText(diff: ReportDiff, names: Names): string {
  const lines = [`diff ${names.before} (${diff.before.startedAt}) → ${names.after} (${diff.after.startedAt})`];
  if (isEmptyDiff(diff)) return `${lines[0]}\nno changes: every check has the same status and no fact that matters changed\n`;
  lines.push(summaryLine(diff), '');
  for (const name of diff.targets.added) lines.push(`target added: ${name}`);
  for (const name of diff.targets.removed) lines.push(`target removed: ${name}`);
  const targets = [...new Set([...diff.checks.map((c) => c.target), ...diff.otherFactChanges.map((c) => c.target)])];
  for (const target of targets) {
    const view = targetView(diff, target, names);
    lines.push(`target ${target}`);
    if (view.changed.length) {
      lines.push('  what changed:');
      for (const line of view.changed) lines.push(`    ${line}`);
    }
    if (view.rows.length) {
      lines.push('  checks:');
      for (const row of view.rows) {
        const ids = row.ids.length > 1 ? `${row.ids.length} checks (${row.ids.join(', ')})` : row.ids[0];
        lines.push(`    ${HEADINGS[row.kind].padEnd(13)} ${ids}  ${row.status}${row.message ? `: ${row.message}` : ''}`);
      }
    }
    if (names.verbose) {
      lines.push('  every fact change:');
      for (const change of view.checks) for (const fact of change.factChanges) lines.push(`    [${change.checkId}] ${factLine(fact)}`);
      for (const change of diff.otherFactChanges.filter((c) => c.target === target)) lines.push(`    ${factLine(change)}${change.usedBy.length ? `  (read by ${change.usedBy.join(', ')})` : ''}`);
    }
    lines.push('');
  }
  if (!names.verbose && (diff.checks.some((c) => c.factChanges.length) || diff.otherFactChanges.length)) lines.push('(--verbose lists every fact change with its full path)');
  return `${lines.join('\n').trimEnd()}\n`;
}

export function formatDiffMarkdown(diff: ReportDiff, names: Names): string {
  const lines = [`## xtenant-doctor diff`, '', `\`${md(names.before)}\` (${diff.before.startedAt}) → \`${md(names.after)}\` (${diff.after.startedAt})`, ''];
  if (isEmptyDiff(diff)) return `${lines.join('\n')}No changes: every check has the same status and no fact that matters changed.\n`;
  lines.push(`**${summaryLine(diff)}**`, '');
  for (const name of diff.targets.added) lines.push(`- target added: \`${md(name)}\``);
  for (const name of diff.targets.removed) lines.push(`- target removed: \`${md(name)}\``);
  if (diff.targets.added.length || diff.targets.removed.length) lines.push('');
  const targets = [...new Set([...diff.checks.map((c) => c.target), ...diff.otherFactChanges.map((c) => c.target)])];
  for (const target of targets) {
    const view = targetView(diff, target, names);
    lines.push(`### ${md(target)}`, '');
    if (view.changed.length) lines.push('What changed:', '', ...view.changed.map((l) => `- ${md(l)}`), '');
    if (view.rows.length) {
      lines.push('| check | change | status | finding |', '|---|---|---|---|');
      for (const row of view.rows) {
        lines.push(`| ${row.ids.map((id) => `\`${id}\``).join(', ')} | ${HEADINGS[row.kind].toLowerCase()} | ${md(row.status)} | ${md(row.message)} |`);
      }
      lines.push('');
    }
    if (names.verbose) {
      lines.push('<details><summary>Every fact change</summary>', '');
      for (const change of view.checks) for (const fact of change.factChanges) lines.push(`- \`${change.checkId}\`: ${md(factLine(fact))}`);
      for (const change of diff.otherFactChanges.filter((c) => c.target === target)) lines.push(`- ${md(factLine(change))}`);
      lines.push('', '</details>', '');
    }
  }
  return `${lines.join('\n')}`;
}

function summaryLine(diff: ReportDiff): string {
  const c = diff.counts;
  const parts = [plural(c.regressions, 'regression'), plural(c.fixes, 'fix', 'fixes'), `${c.changed} other status change${c.changed === 1 ? '' : 's'}`];
  if (c.added) parts.push(plural(c.added, 'new check'));
  if (c.removed) parts.push(plural(c.removed, 'removed check'));
  return parts.join(', ');
}

function statusText(change: CheckChange): string {
  const show = (v: CheckChange['before']) => (v ? `${v.status}${v.blockedBy ? ` (blocked by ${v.blockedBy})` : v.skipReason ? ` (${v.skipReason})` : ''}` : '—');
  return `${show(change.before)} → ${show(change.after)}`;
}

export function factLine(change: FactChange): string {
  if (change.change === 'added') return `${change.path}: added ${value(change.after)}`;
  if (change.change === 'removed') return `${change.path}: removed (was ${value(change.before)})`;
  return `${change.path}: ${value(change.before)} → ${value(change.after)}`;
}

function value(v: unknown): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

function sortChanges(changes: CheckChange[]): CheckChange[] {
  const order: CheckChange['kind'][] = ['regression', 'fix', 'changed', 'added', 'removed'];
  return [...changes].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) (groups.get(key(item)) ?? groups.set(key(item), []).get(key(item))!).push(item);
  return groups;
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Recorded text in Markdown: cleaned, and no Markdown or HTML syntax (links, images, emphasis, tags) of its own. */
function md(text: string): string {
  return oneLine(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[|\\`*_[\]()!~#]/g, (c) => `\\${c}`);
}

// report.md: a summary for a CI step (GitHub's $GITHUB_STEP_SUMMARY, an Azure Pipelines summary).
// It leads with the headline in words and a section per root cause with its fix as fenced commands
// (bash and PowerShell, whole: a fix is never cut), then what could not be evaluated, warnings, and
// the targets, failing first; passes and healthy targets are folded in <details>. It stays under a
// byte budget (GitHub refuses a step summary over 1 MiB) by folding: tables lose rows, whole root
// causes move to "more in report.html", never half a fix.
import type { CheckResult, RunReport, TargetReport } from '../src/engine/types.js';
import { resourceLinks, setupStepUrl } from './links.js';
import { STATUS_GLYPH, cleanText, countResults, countsLine, fixOf, formatSeconds, groupByCheck, plural, reportCounts, rootCauses, stepLabel, tenantLabel, truncate, verdict, worstStatus } from './model.js';
import { fleetPathLine, hopStates, pathLine } from './path.js';
import { causeSentence, headline, namedText, targetCauses } from './words.js';

export interface MarkdownOptions {
  /** Upper bound of the document in UTF-8 bytes. Default 1,000,000 (GitHub's step summary limit is 1 MiB). */
  maxBytes?: number;
  /** Where the full report is, named in the fold notes. Default `report.html` and `report.json`. */
  fullReport?: string;
}

export const DEFAULT_MAX_BYTES = 1_000_000;
const NOTE_ROOM = 1024;

interface Table {
  title: string;
  intro?: string;
  header: string[];
  rows: string[][];
  /** Folded in <details> with this summary. */
  folded?: string;
}

export function renderMarkdown(report: RunReport, options: MarkdownOptions = {}): string {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const full = options.fullReport ?? '`report.html` (or `report.json`)';
  const v = verdict(report);
  const h = headline(report);
  const counts = reportCounts(report);
  // An interrupted run is never ✅: what did not finish is not proven.
  const glyph = report.interrupted ? '⚠️' : h.status === 'pass' ? '✅' : h.status === 'fail' ? '❌' : '⚠️';
  const path = report.targets.length === 1 ? pathLine(report.targets[0]!) : fleetPathLine(report);
  const head = [
    `## ${glyph} xtenant-doctor: ${inline(h.text)}`,
    '',
    `${inline(h.detail)} · **${countsLine(counts)}** · ${inline(v.headline)} · ${report.mode} run started ${inline(report.startedAt)} · ${formatSeconds(report.durationMs)} · ${inline(`${report.tool.name} ${report.tool.version}`)}`,
    '',
    `**Path:** ${inline(path)}`,
    '',
  ];
  const budget = maxBytes - NOTE_ROOM;
  const out: string[] = [...head];
  let used = bytes(out.join('\n'));
  let folded = false;

  // Root causes first, each whole or not at all.
  const causes = causeGroups(report);
  let shownCauses = 0;
  for (const [n, group] of causes.entries()) {
    const section = causeSection(report, group, n + 1);
    const size = bytes(section) + 1;
    if (used + size > budget) break;
    out.push(section);
    used += size;
    shownCauses++;
  }
  if (shownCauses < causes.length) {
    out.push(`_${plural(causes.length - shownCauses, 'more root cause')} not shown to stay under ${Math.floor(maxBytes / 1024)} KiB; see ${full}._`, '');
    folded = true;
  }

  const issueRows = (status: 'error') =>
    rootCauses(report, status).flatMap((g) =>
      g.items.map((item) => {
        const fix = fixOf(item.result);
        return [cell(item.target), code(g.checkId), cell(truncate(namedText(item.result.message), 300)), cell(fix ? fix.summary : ''), stepCell(g.docStep)];
      }),
    );
  const targets = [...report.targets].map((t, i) => ({ t, i, c: countResults(t.results) }));
  const rank = (c: ReturnType<typeof countResults>) => (c.fail ? 0 : c.error ? 1 : c.warn ? 2 : 3);
  targets.sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i);
  const targetRow = ({ t, c }: (typeof targets)[number]) => {
    const worst = worstStatus(c);
    return [cell(t.name), code(t.workspaceId), `${STATUS_GLYPH[worst]} ${worst}`, cell(brokenHops(t)), String(c.pass), String(c.fail), String(c.warn), String(c.skip), String(c.error)];
  };
  const targetHeader = ['Target', 'Workspace', 'Result', 'Broken hops', 'Passed', 'Failed', 'Warned', 'Skipped', 'Errors'];
  const healthy = targets.filter((x) => rank(x.c) === 3);
  const tables: Table[] = [
    { title: 'Could not evaluate', intro: 'The tool could not learn the answer for these checks.', header: ['Target', 'Check', 'Reason', 'Fix', 'Setup step'], rows: issueRows('error') },
    {
      title: 'Warnings',
      header: ['Target', 'Check', 'Finding'],
      rows: groupByCheck(report, 'warn').flatMap((g) => g.items.map((i) => [cell(i.target), code(g.checkId), cell(truncate(namedText(i.result.message), 300))])),
    },
    { title: 'Targets', intro: report.targets.length > 1 ? 'Targets with a problem first.' : undefined, header: targetHeader, rows: targets.filter((x) => rank(x.c) < 3).map(targetRow) },
    { title: 'Healthy targets', header: targetHeader, rows: healthy.map(targetRow), folded: `${plural(healthy.length, 'healthy target')}` },
    {
      title: 'Passed checks',
      header: ['Target', 'Check', 'Finding'],
      rows: report.targets.flatMap((t) => t.results.filter((r) => r.status === 'pass').map((r) => [cell(t.name), code(r.checkId), cell(truncate(namedText(r.message), 200))])),
      folded: `${plural(counts.pass, 'passed check')}`,
    },
  ];
  if (report.targets.length > 1 && healthy.length === report.targets.length) tables[2]!.rows = [];

  for (const table of tables) {
    if (table.rows.length === 0) continue;
    const start = [
      ...(table.folded ? ['<details>', `<summary>${cleanText(table.folded)}</summary>`, ''] : [`### ${table.title}`, '']),
      ...(table.intro ? [table.intro, ''] : []),
      row(table.header),
      row(table.header.map(() => '---')),
    ];
    const end = table.folded ? ['', '</details>', ''] : [''];
    const startBytes = bytes(start.join('\n')) + bytes(end.join('\n')) + 2;
    const firstRow = table.rows[0] ? bytes(row(table.rows[0])) + 1 : 0;
    if (used + startBytes + firstRow > budget) {
      out.push(`_${table.title}: ${plural(table.rows.length, 'row')} not shown to keep this summary small; see ${full}._`, '');
      folded = true;
      continue;
    }
    out.push(...start);
    used += startBytes;
    let shown = 0;
    for (const r of table.rows) {
      const line = row(r);
      const size = bytes(line) + 1;
      if (used + size > budget) break;
      out.push(line);
      used += size;
      shown++;
    }
    if (shown < table.rows.length) {
      out.push('', `_… and ${table.rows.length - shown} more rows, folded to keep this summary under ${Math.floor(maxBytes / 1024)} KiB; see ${full}._`);
      folded = true;
    }
    out.push(...end);
    used = bytes(out.join('\n'));
  }
  out.push(folded ? `_The full report, with evidence for every check: ${full}._` : `_Evidence for every check: ${full}._`, '');
  return out.join('\n');
}

interface CauseGroup {
  target: TargetReport;
  result: CheckResult;
  targets: string[];
  symptoms: Array<{ target: string; result: CheckResult }>;
}

function causeGroups(report: RunReport): CauseGroup[] {
  const groups = new Map<string, CauseGroup>();
  for (const t of report.targets) {
    for (const cause of targetCauses(t)) {
      let g = groups.get(cause.result.checkId);
      if (!g) groups.set(cause.result.checkId, (g = { target: t, result: cause.result, targets: [], symptoms: [] }));
      g.targets.push(t.name);
      g.symptoms.push(...cause.symptoms.map((s) => ({ target: t.name, result: s })));
    }
  }
  return [...groups.values()];
}

/** One root cause: the sentence, where, the fix with its commands in fences, its symptoms folded. */
function causeSection(report: RunReport, g: CauseGroup, n: number): string {
  const r = g.result;
  const fleet = report.targets.length > 1;
  const step = stepLabel(r.docStep);
  const lines = [`### ${n}. ${inline(causeSentence(g.target, r))}`, ''];
  const meta = [code(r.checkId), inline(r.title), step ? `[${step}](${setupStepUrl(r.docStep)})` : '', r.severity];
  if (fleet) meta.push(`on ${plural(g.targets.length, 'target')} of ${report.targets.length}: ${g.targets.slice(0, 10).map(inline).join(', ')}${g.targets.length > 10 ? ', …' : ''}`);
  lines.push(meta.filter(Boolean).join(' · '), '');
  const portal = resourceLinks(report, g.target, r).flatMap((l) => (l.url ? [`[${inline(l.name)}](<${l.url}> "${cleanText(l.id).replace(/["\\]/g, '\\$&')}")`] : []));
  if (portal.length) lines.push(`In the Azure portal: ${portal.join(' · ')}`, '');
  const fix = fixOf(r);
  if (fix) {
    lines.push(`**Fix:** ${inline(fix.summary)}`, '');
    fix.steps.forEach((stepItem, i) => {
      const where = tenantLabel(stepItem.tenant);
      lines.push(`${i + 1}. ${where ? `(${where}) ` : ''}${inline(stepItem.text)}`);
      if (stepItem.commands) {
        lines.push('', ...fence('bash', stepItem.commands.bash, '   '), '', ...fence('powershell', stepItem.commands.powershell, '   '));
      }
      lines.push('');
    });
  }
  if (g.symptoms.length) {
    lines.push('<details>', `<summary>${plural(g.symptoms.length, 'check')} explained by it</summary>`, '');
    // A skip's mark is "-", which Markdown would read as a nested list: an en dash instead.
    for (const s of g.symptoms.slice(0, 100)) lines.push(`- ${s.result.status === 'skip' ? '–' : STATUS_GLYPH[s.result.status]} ${fleet ? `${inline(s.target)}: ` : ''}${code(s.result.checkId)} ${inline(truncate(namedText(s.result.message), 200))}`);
    if (g.symptoms.length > 100) lines.push(`- … and ${g.symptoms.length - 100} more`);
    lines.push('', '</details>', '');
  }
  return lines.join('\n');
}

/** The hops a target has broken or unknown, by name. */
function brokenHops(t: TargetReport): string {
  return hopStates(t)
    .filter((s) => s.status === 'fail' || s.status === 'error')
    .map((s) => `${s.hop.label}${s.rootCause ? ' (root cause)' : ''}`)
    .join(', ');
}

/**
 * A fenced code block: the command as it is (no Markdown escaping inside a fence: backticks stay),
 * cleaned of controls; the fence is longer than any run of backticks in the command.
 */
export function fence(lang: string, command: string, indent = ''): string[] {
  const text = cleanText(command);
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(Math.max(3, longest + 1));
  return [`${indent}${ticks}${lang}`, ...text.split('\n').map((l) => `${indent}${l}`), `${indent}${ticks}`];
}

function stepCell(docStep: string): string {
  return docStep ? `[${cell(docStep)}](${setupStepUrl(docStep)})` : '';
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Text in running Markdown (a heading, a list item): one line, syntax and HTML neutralised. */
export function inline(text: string): string {
  return cell(text.replace(/\s+/g, ' ').trim());
}

/**
 * Text safe inside a table cell: no escapes or controls, Markdown and HTML syntax neutralised
 * (GitHub renders inline HTML), pipes escaped, newlines as <br>.
 */
export function cell(text: string): string {
  return cleanText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~#!])/g, '\\$1')
    .replace(/\t/g, ' ')
    .replace(/\n/g, '<br>');
}

/** A code span in a table cell: backslashes are literal there, so backticks are dropped, pipes escaped. */
export function code(text: string): string {
  return `\`${cleanText(text).replace(/[`\n]/g, ' ').replace(/\|/g, '\\|')}\``;
}

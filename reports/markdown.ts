// report.md: a summary for a CI step (GitHub's $GITHUB_STEP_SUMMARY, an Azure Pipelines summary):
// the verdict, the failures with their fixes, what could not be evaluated, warnings, and the counts
// per target. Kept under a byte budget (GitHub caps summaries near 64 KiB): rows that do not fit are
// counted and pointed at the full report instead.
import type { RunReport } from '../src/engine/types.js';
import { STATUS_GLYPH, cleanText, countResults, countsLine, plural, reportCounts, truncate, verdict, worstStatus, groupByCheck, rootCauses } from './model.js';

export interface MarkdownOptions {
  /** Upper bound of the document in UTF-8 bytes. Default 65,000 (under 64 KiB). */
  maxBytes?: number;
  /** Where the full report is, named in the cut notes. Default `report.html` and `report.json`. */
  fullReport?: string;
}

interface Table {
  title: string;
  intro?: string;
  header: string[];
  rows: string[][];
}

const NOTE_ROOM = 1024;

export function renderMarkdown(report: RunReport, options: MarkdownOptions = {}): string {
  const maxBytes = options.maxBytes ?? 65_000;
  const full = options.fullReport ?? '`report.html` (or `report.json`)';
  const v = verdict(report);
  const counts = reportCounts(report);
  const glyph = v.status === 'pass' ? '✅' : v.status === 'fail' ? '❌' : '⚠️';
  const seconds = (report.durationMs / 1000).toFixed(1);
  const head = [
    `## ${glyph} xtenant-doctor: ${cell(v.headline)}`,
    '',
    `**${countsLine(counts)}** · ${plural(report.targets.length, 'target')} · ${report.mode} run started ${cell(report.startedAt)} · ${seconds} s · ${cell(`${report.tool.name} ${report.tool.version}`)}`,
    '',
  ];

  const issueRows = (status: 'fail' | 'error') =>
    rootCauses(report, status).flatMap((g) =>
      g.items.map((item) => {
        const blocks = item.blocks.length ? ` (blocks ${plural(item.blocks.length, 'check')})` : '';
        const explains = item.symptoms.length ? `<br>explains ${item.symptoms.map((x) => `${code(x.checkId)}: ${cell(truncate(cleanText(x.message), 200))}`).join('; ')}` : '';
        return [cell(item.target), code(g.checkId), cell(truncate(cleanText(item.result.message), 300)) + blocks + explains, cell(truncate(cleanText(item.result.remediation), 400)), cell(g.docStep)];
      }),
    );
  const tables: Table[] = [
    { title: 'Failures and their fixes', intro: 'Root causes: checks blocked by these are skipped and the symptoms they explain are listed with them, so fix these first.', header: ['Target', 'Check', 'Finding', 'Fix', 'Setup step'], rows: issueRows('fail') },
    { title: 'Could not evaluate', intro: 'The tool could not learn the answer for these checks.', header: ['Target', 'Check', 'Reason', 'Fix', 'Setup step'], rows: issueRows('error') },
    {
      title: 'Warnings',
      header: ['Target', 'Check', 'Finding'],
      rows: groupByCheck(report, 'warn').flatMap((g) => g.items.map((i) => [cell(i.target), code(g.checkId), cell(truncate(cleanText(i.result.message), 300))])),
    },
    {
      title: 'Targets',
      header: ['Target', 'Workspace', 'Result', 'Passed', 'Failed', 'Warned', 'Skipped', 'Errors'],
      rows: report.targets.map((t) => {
        const c = countResults(t.results);
        const worst = worstStatus(c);
        return [cell(t.name), code(t.workspaceId), `${STATUS_GLYPH[worst]} ${worst}`, String(c.pass), String(c.fail), String(c.warn), String(c.skip), String(c.error)];
      }),
    },
  ];

  const budget = maxBytes - NOTE_ROOM;
  const out: string[] = [...head];
  let used = bytes(out.join('\n'));
  let cut = false;
  for (const table of tables) {
    if (table.rows.length === 0) continue;
    const start = [`### ${table.title}`, '', ...(table.intro ? [table.intro, ''] : []), row(table.header), row(table.header.map(() => '---'))];
    const startBytes = bytes(start.join('\n')) + 1;
    const firstRow = table.rows[0] ? bytes(row(table.rows[0])) + 1 : 0;
    if (used + startBytes + firstRow > budget) {
      out.push(`_${table.title}: ${plural(table.rows.length, 'row')} not shown to keep this summary small; see ${full}._`, '');
      cut = true;
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
      out.push('', `_… and ${table.rows.length - shown} more rows, cut to keep this summary under ${Math.floor(maxBytes / 1024)} KiB; see ${full}._`);
      cut = true;
    }
    out.push('');
    used = bytes(out.join('\n'));
  }
  out.push(cut ? `_The full report, with evidence for every check: ${full}._` : `_Evidence for every check: ${full}._`, '');
  return out.join('\n');
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
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

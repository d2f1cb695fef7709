// report.html: one self-contained page that works offline from file:// (a jump VM may have no
// internet). Rendered here as static HTML so it reads without JavaScript (<details> to expand);
// the data also travels as one escaped JSON island that the inline script uses for the filters,
// the search (kept in the URL hash) and, in big fleets, to draw passed checks on demand. The
// script writes data with textContent only. Content-Security-Policy forbids every request.
import type { CheckResult, RunReport, Status, TargetReport } from '../src/engine/types.js';
import { fleetHopViews, heatMap, hopList, pathSvg, targetHopViews, vantageHeatMap } from './html/path-svg.js';
import { CLIENT_SCRIPT } from './html/script.js';
import { STYLES } from './html/style.js';
import { resourceLinks, setupStepUrl } from './links.js';
import { hopOf } from './path.js';
import { causeSentence, headline, namedText, targetCauses } from './words.js';
import {
  ATTENTION_ORDER,
  STATUS_GLYPH,
  STATUS_LABEL,
  cleanText,
  countResults,
  countsLine,
  evidenceLines,
  evidenceText,
  fixOf,
  formatSeconds,
  groupByCheck,
  oneLine,
  plural,
  reportCounts,
  rootCauses,
  stepLabel,
  tenantLabel,
  verdict,
  worstStatus,
  type Counts,
  type ResultGroup,
} from './model.js';

export interface HtmlOptions {
  /**
   * Above this many results the page stops drawing passed checks in full (their evidence stays in
   * the data island and is drawn when a target is opened), so a fleet of 1000 targets stays small.
   */
  fullDetailLimit?: number;
  /** Longest evidence value kept in the page (characters); the rest is in report.json. */
  maxEvidenceChars?: number;
  /** Targets listed per root cause before "and N more". */
  maxTargetsPerCause?: number;
}

export const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/**
 * The data the page's script reads: the report without facts, check metadata once, and texts
 * (messages, fixes, evidence lines) once in `strings`, referred to by index: a fleet repeats most
 * of them, which keeps 1000 targets small.
 */
export interface IslandData {
  meta: {
    tool: string;
    startedAt: string;
    durationMs: number;
    mode: string;
    failOn: string;
    interrupted: boolean;
    summary: RunReport['summary'];
    verdict: string;
    lazyPasses: boolean;
    /** Statuses shown when the URL names none: a fleet hides passes. */
    defaultStatuses: Status[];
  };
  checks: Record<string, { title: string; side: string; severity: string; docStep: string }>;
  strings: string[];
  targets: Array<{
    name: string;
    workspaceId: string;
    results: Array<{
      id: string;
      status: Status;
      /** Index into strings. */
      message: number;
      durationMs: number;
      /** The fix, its texts and commands as indexes into strings. */
      fix?: { summary: number; steps: Array<{ text: number; where?: string; bash?: number; powershell?: number }> };
      /** Evidence lines, as indexes into strings. */
      evidence?: number[];
      skipReason?: string;
      blockedBy?: string;
      waiver?: string;
    }>;
  }>;
}

export function renderHtml(report: RunReport, options: HtmlOptions = {}): string {
  const maxEvidence = options.maxEvidenceChars ?? 2000;
  const total = report.targets.reduce((n, t) => n + t.results.length, 0);
  const lazyPasses = total > (options.fullDetailLimit ?? 3000);
  const island = islandData(report, lazyPasses, maxEvidence);
  const v = verdict(report);
  const h = headline(report);
  const counts = reportCounts(report);
  const fleet = report.targets.length;
  // Failing targets first; within a target the catalogue's order.
  const order = report.targets.map((t, i) => ({ t, i, worst: worstStatus(countResults(t.results)) }));
  order.sort((a, b) => ATTENTION_ORDER.indexOf(a.worst) - ATTENTION_ORDER.indexOf(b.worst) || a.i - b.i);
  const openTargets = fleet <= 20;
  const mark = h.status === 'pass' ? '✓' : h.status === 'fail' ? '✗' : '⚠';

  const body = [
    `<header class="top v-${h.status}">`,
    `<p class="brand">${esc(report.tool.name)} <span class="muted">${esc(report.tool.version)}</span></p>`,
    `<h1 class="verdict"><span class="glyph" aria-hidden="true">${mark}</span> ${esc(h.text)}</h1>`,
    `<p class="detail">${esc(h.detail)}</p>`,
    '</header>',
    '<main id="main">',
    pathSection(report),
    causesSection(report, options.maxTargetsPerCause ?? 8),
    '<section id="results" aria-labelledby="results-h">',
    `<h2 id="results-h">Every check <span class="muted">(${plural(fleet, 'target')}, ${plural(total, 'result')})</span></h2>`,
    tally(counts),
    filtersForm(report),
    lazyPasses
      ? `<p class="note">This fleet is large: passed checks are listed by name; open a target to see their details (needs JavaScript), or read <code>report.json</code>.</p>`
      : '',
    fleet > 1 ? '<p id="passes-hidden" class="note" hidden>Passed checks are hidden in a fleet: tick “passed” above to show them.</p>' : '',
    '<div id="targets">',
    ...order.map(({ t, i, worst }) => targetSection(report, t, i, worst, openTargets && (fleet === 1 || worst !== 'pass'), lazyPasses, maxEvidence)),
    '</div>',
    '<p id="no-match" class="note" hidden>No check matches these filters.</p>',
    '</section>',
    '</main>',
    `<footer><p>${esc(v.headline)} · ${esc(metaLine(report))}. ${esc(countsLine(counts))}. Generated by ${esc(`${report.tool.name} ${report.tool.version}`)} from the RunReport; <code>report.json</code> holds every fact.</p></footer>`,
  ];

  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${esc(`${report.tool.name}: ${h.text}`)}</title>`,
    '<link rel="icon" href="data:,">',
    `<style>${STYLES}</style>`,
    '</head>',
    `<body>`,
    ...body,
    `<script type="application/json" id="report-data">${jsonIsland(island)}</script>`,
    `<script>${CLIENT_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** A fleet opens on what needs attention: passes are hidden until asked for. */
function defaultStatuses(report: RunReport): Status[] {
  return report.targets.length > 1 ? ['fail', 'error', 'warn', 'skip'] : ['fail', 'error', 'warn', 'skip', 'pass'];
}

// ---- the path ------------------------------------------------------------------------------------

/** The picture of the path (one target's, or a fleet's worst per hop), its text, and a fleet's heat map. */
function pathSection(report: RunReport): string {
  const single = report.targets.length === 1 ? report.targets[0]! : undefined;
  const views = single ? targetHopViews(single) : fleetHopViews(report);
  const broken = views.filter((v) => v.status === 'fail' || v.status === 'error').map((v) => v.hop.label);
  const title = single ? `The private link path of ${oneLine(single.name)}` : `The private link path across ${report.targets.length} targets`;
  const desc = `From the jump VM in tenant 1 through the DNS zone and the private endpoint to the workspace in tenant 2, and the public path. ${
    broken.length ? `Broken or unknown: ${broken.join(', ')}.` : 'No hop is broken.'
  } The list below the picture says the same in words.`;
  const links = single
    ? (hop: { checks: readonly string[] }) =>
        single.results
          .map((r, k) => ({ r, k }))
          .filter(({ r }) => hop.checks.includes(r.checkId))
          .map(({ r, k }) => ({ href: `#c-0-${k}`, text: r.checkId, status: r.status }))
    : undefined;
  const index = new Map(report.targets.map((t, i) => [t, i]));
  return [
    '<section id="path" aria-labelledby="path-h">',
    '<h2 id="path-h" class="sr">The path</h2>',
    `<figure class="path-figure">${pathSvg(views, esc, { title, desc })}</figure>`,
    `<details class="path-text"><summary>The path in words</summary>${hopList(views, esc, links)}</details>`,
    report.targets.length > 1 ? `<details class="heat-map" open><summary>Targets × hops</summary>${heatMap(report, esc, index)}</details>` : '',
    report.vantagePoints?.length ? `<details class="heat-map" open><summary>Targets × vantage points</summary>${vantageHeatMap(report, esc, index)}</details>` : '',
    '</section>',
  ].join('\n');
}

// ---- data island --------------------------------------------------------------------------------

export function islandData(report: RunReport, lazyPasses: boolean, maxEvidence = 2000): IslandData {
  const checks: IslandData['checks'] = {};
  const strings: string[] = [];
  const seen = new Map<string, number>();
  const intern = (text: string): number => {
    let i = seen.get(text);
    if (i === undefined) {
      i = strings.push(text) - 1;
      seen.set(text, i);
    }
    return i;
  };
  for (const t of report.targets)
    for (const r of t.results) checks[r.checkId] ??= { title: cleanText(r.title), side: r.side, severity: r.severity, docStep: cleanText(r.docStep) };
  return {
    meta: {
      tool: `${report.tool.name} ${report.tool.version}`,
      startedAt: report.startedAt,
      durationMs: report.durationMs,
      mode: report.mode,
      failOn: report.failOn,
      interrupted: report.interrupted === true,
      summary: report.summary,
      verdict: verdict(report).headline,
      lazyPasses,
      defaultStatuses: defaultStatuses(report),
    },
    checks,
    strings,
    targets: report.targets.map((t) => ({
      name: cleanText(t.name),
      workspaceId: cleanText(t.workspaceId),
      results: t.results.map((r) => {
        const evidence = evidenceLines(r.evidence, { maxValueChars: maxEvidence });
        return {
          id: r.checkId,
          status: r.status,
          message: intern(namedText(r.message)),
          durationMs: r.durationMs,
          ...(r.fix
            ? {
                fix: {
                  summary: intern(cleanText(r.fix.summary)),
                  steps: r.fix.steps.map((s) => ({
                    text: intern(cleanText(s.text)),
                    ...(s.tenant ? { where: tenantLabel(s.tenant) } : {}),
                    ...(s.commands ? { bash: intern(cleanText(s.commands.bash)), powershell: intern(cleanText(s.commands.powershell)) } : {}),
                  })),
                },
              }
            : {}),
          ...(evidence.length ? { evidence: evidence.map(intern) } : {}),
          ...(r.skipReason ? { skipReason: r.skipReason } : {}),
          ...(r.blockedBy ? { blockedBy: r.blockedBy } : {}),
          ...(r.waiver ? { waiver: waiverText(r) } : {}),
        };
      }),
    })),
  };
}

/**
 * JSON safe inside a <script> element: `<`, `>` and `&` as \u escapes (no `</script>` or `<!--`
 * can appear), and U+2028/2029 escaped too. JSON.parse reads it back unchanged.
 */
export function jsonIsland(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

// ---- static markup ------------------------------------------------------------------------------

/** Text for HTML content and attribute values. */
export function esc(text: string): string {
  return cleanText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function metaLine(report: RunReport): string {
  const parts = [
    `${report.mode === 'replay' ? 'Replay' : 'Live run'} started ${report.startedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}`,
    formatSeconds(report.durationMs),
    plural(report.targets.length, 'target'),
    `--fail-on ${report.failOn}`,
    `exit code ${report.summary.exitCode}`,
  ];
  if (report.interrupted) parts.push('interrupted');
  return parts.join(' · ');
}

function tally(c: Counts): string {
  const items = (['pass', 'fail', 'warn', 'skip', 'error'] as const).map(
    (s) => `<li class="s-${s}"><span class="n">${c[s]}</span> <span class="l"><span aria-hidden="true">${STATUS_GLYPH[s]}</span> ${s === 'error' ? 'errors' : STATUS_LABEL[s]}</span></li>`,
  );
  return `<ul class="tally" aria-label="Counts">${items.join('')}</ul>`;
}

function causesSection(report: RunReport, maxTargets: number): string {
  const errors = rootCauses(report, 'error');
  const warns = groupByCheck(report, 'warn');
  const index = new Map(report.targets.map((t, i) => [t.name, i]));
  const causes = causeGroups(report);
  const fleet = report.targets.length > 1;
  const h = headline(report);
  const list = (groups: ResultGroup[], heading: string, intro: string, id: string) =>
    groups.length === 0
      ? ''
      : [
          `<h2 id="${id}">${esc(heading)}</h2>`,
          `<p class="muted">${esc(intro)}</p>`,
          '<ol class="causes">',
          ...groups.map((g) => issueCard(report, g, maxTargets, fleet, (name) => index.get(name) ?? 0)),
          '</ol>',
        ].join('\n');
  return [
    '<section id="causes" aria-labelledby="causes-h">',
    causes.length
      ? [
          `<h2 id="causes-h">${causes.length === 1 ? 'The root cause' : `${causes.length} root causes`}: fix ${causes.length === 1 ? 'it' : 'these'} first</h2>`,
          '<ol class="causes">',
          ...causes.map((c, i) => causeCard(report, c, i, maxTargets, (name) => index.get(name) ?? 0)),
          '</ol>',
        ].join('\n')
      : h.status === 'pass'
        ? '<h2 id="causes-h">Root causes</h2><p class="all-good">Nothing to fix: no check failed' + (warns.length ? '; the warnings below are worth a look.' : ', warned or errored.') + '</p>'
        : `<h2 id="causes-h">Root causes</h2><p class="not-evaluated">No root cause is known, but the path is not proven: ${esc(h.text)}.</p>`,
    list(errors, 'Could not evaluate', 'The tool could not learn the answer for these checks (exit code 3 when nothing failed).', 'errors-h'),
    list(warns, 'Warnings', 'Worth a look; they do not fail the gate unless --fail-on warn.', 'warnings-h'),
    '</section>',
  ].join('\n');
}

/** A root cause across targets: the same check on each target where it is a cause. */
interface CauseGroup {
  result: CheckResult;
  target: TargetReport;
  items: Array<{ target: TargetReport; result: CheckResult; symptoms: CheckResult[] }>;
}

function causeGroups(report: RunReport): CauseGroup[] {
  const groups = new Map<string, CauseGroup>();
  for (const t of report.targets) {
    for (const cause of targetCauses(t)) {
      let g = groups.get(cause.result.checkId);
      if (!g) groups.set(cause.result.checkId, (g = { result: cause.result, target: t, items: [] }));
      g.items.push({ target: t, result: cause.result, symptoms: cause.symptoms });
    }
  }
  return [...groups.values()];
}

function causeCard(report: RunReport, g: CauseGroup, n: number, maxTargets: number, targetIndex: (name: string) => number): string {
  const r = g.result;
  const fleet = report.targets.length > 1;
  const step = stepLabel(r.docStep);
  const hop = hopOf(r.checkId);
  const where = fleet
    ? `<p class="where">On ${plural(g.items.length, 'target')} of ${report.targets.length}: ${g.items
        .slice(0, maxTargets)
        .map((i) => `<a href="#t-${targetIndex(i.target.name)}">${esc(i.target.name)}</a>`)
        .join(', ')}${g.items.length > maxTargets ? ` and ${g.items.length - maxTargets} more` : ''}</p>`
    : '';
  const symptoms = g.items.flatMap((i) => i.symptoms.map((s) => ({ target: i.target.name, s })));
  return [
    `<li class="cause s-fail" id="cause-${n}">`,
    `<p class="cause-head"><span class="glyph" aria-hidden="true">✗</span> <span class="sentence"${idsHover(r.message)}>${esc(causeSentence(g.target, r))}</span></p>`,
    `<p class="cause-meta"><code title="${esc(r.title)}">${esc(r.checkId)}</code> · ${esc(r.title)}${hop ? ` · hop: <a href="#hop-${hop.id}">${esc(hop.label)}</a>` : ''}${
      step ? ` · <a href="${esc(setupStepUrl(r.docStep))}" rel="noreferrer">${esc(step)}</a>` : ''
    } · <span class="badge sev-${esc(r.severity)}">${esc(r.severity)}</span></p>`,
    where,
    resourceLinksHtml(report, g.target, r),
    fixBlock(r),
    symptoms.length
      ? `<details class="symptoms"><summary>${plural(symptoms.length, 'check')} explained by it</summary><ul>${symptoms
          .slice(0, 50)
          .map(({ target, s }) => `<li class="s-${s.status}"><span aria-hidden="true">${STATUS_GLYPH[s.status]}</span> ${fleet ? `${esc(target)}: ` : ''}<code>${esc(s.checkId)}</code> ${esc(namedText(s.message))}</li>`)
          .join('')}${symptoms.length > 50 ? `<li class="muted">… and ${symptoms.length - 50} more</li>` : ''}</ul></details>`
      : '',
    '</li>',
  ].join('\n');
}

/** A title attribute with the finding as written (its full ARM ids) when the page shows names in their place. */
function idsHover(message: string): string {
  return namedText(message) === oneLine(message) ? '' : ` title="${esc(oneLine(message))}"`;
}

/** Portal links to the resources a result names, each shown by its name with the full id on hover. */
function resourceLinksHtml(report: RunReport, target: TargetReport, r: CheckResult): string {
  const links = resourceLinks(report, target, r).map((l) =>
    l.url ? `<a href="${esc(l.url)}" title="${esc(l.id)}" rel="noreferrer">${esc(l.name)}</a>` : `<span title="${esc(l.id)}">${esc(l.name)}</span>`,
  );
  return links.length ? `<p class="resources">${links.some((l) => l.startsWith('<a')) ? 'In the Azure portal' : 'Resources'}: ${links.join(' · ')}</p>` : '';
}

/** The fix to paste: its summary, then each step with its tenant and its commands for both shells, whole. */
function fixBlock(r: CheckResult): string {
  const fix = fixOf(r);
  if (!fix) return '';
  const steps = fix.steps.map((step) => {
    const where = tenantLabel(step.tenant);
    const commands = step.commands
      ? `<div class="cmd"><div class="sh sh-bash"><p class="shell">bash</p><pre tabindex="0"><code>${esc(step.commands.bash)}</code></pre></div><div class="sh sh-powershell"><p class="shell">PowerShell</p><pre tabindex="0"><code>${esc(step.commands.powershell)}</code></pre></div></div>`
      : '';
    return `<li>${where ? `<span class="tenant">${esc(where)}</span> ` : ''}${esc(step.text)}${commands}</li>`;
  });
  return `<div class="fix"><p><strong>Fix</strong> ${esc(fix.summary)}</p>${steps.length ? `<ol class="steps">${steps.join('')}</ol>` : ''}</div>`;
}

function issueCard(report: RunReport, g: ResultGroup, maxTargets: number, fleet: boolean, targetIndex: (name: string) => number): string {
  const items = g.items.slice(0, maxTargets).map((item) => {
    const where = fleet ? `<a href="#t-${targetIndex(item.target)}">${esc(item.target)}</a>: ` : '';
    const blocks = item.blocks.length ? ` <span class="blocks">blocks ${esc(item.blocks.join(', '))}</span>` : '';
    return `<li>${where}${esc(namedText(item.result.message))}${blocks}</li>`;
  });
  if (g.items.length > maxTargets) items.push(`<li class="muted">… and ${g.items.length - maxTargets} more targets (see below)</li>`);
  const first = g.items[0]?.result;
  const firstTarget = report.targets[targetIndex(g.items[0]?.target ?? '')];
  const onTargets = fleet ? ` <span class="muted">on ${plural(g.items.length, 'target')}</span>` : '';
  return [
    `<li class="cause s-${g.status}">`,
    `<p class="cause-head"><span class="glyph" aria-hidden="true">${STATUS_GLYPH[g.status]}</span> <code>${esc(g.checkId)}</code> <span class="title">${esc(g.title)}</span>${onTargets} ${badges(g.severity, g.docStep)}</p>`,
    `<ul class="where">${items.join('')}</ul>`,
    first && firstTarget ? resourceLinksHtml(report, firstTarget, first) : '',
    first ? fixBlock(first) : '',
    '</li>',
  ].join('\n');
}

function badges(severity: string, docStep: string): string {
  const step = stepLabel(docStep);
  return `<span class="badges"><span class="badge sev-${esc(severity)}">${esc(severity)}</span>${step ? `<a class="badge step" href="${esc(setupStepUrl(docStep))}" rel="noreferrer">${esc(step)}</a>` : ''}</span>`;
}

function filtersForm(report: RunReport): string {
  const counts = reportCounts(report);
  const shown = defaultStatuses(report);
  const sides = [...new Set(report.targets.flatMap((t) => t.results.map((r) => r.side)))];
  const statusBoxes = (['fail', 'error', 'warn', 'skip', 'pass'] as const)
    .map((s) => `<label class="chip s-${s}"><input type="checkbox" name="status" value="${s}"${shown.includes(s) ? ' checked' : ''}> <span aria-hidden="true">${STATUS_GLYPH[s]}</span> ${s === 'error' ? 'errors' : STATUS_LABEL[s]} <span class="muted">${counts[s]}</span></label>`)
    .join('');
  const sideBoxes = sides.map((s) => `<label class="chip"><input type="checkbox" name="side" value="${esc(s)}" checked> ${esc(s)}</label>`).join('');
  const targetSelect =
    report.targets.length > 1
      ? `<label class="field">Target <select name="target"><option value="">all targets</option>${report.targets.map((t) => `<option value="${esc(t.name)}">${esc(t.name)}</option>`).join('')}</select></label>`
      : '';
  return [
    '<form id="filters" class="filters" hidden role="search" aria-label="Filter the checks">',
    `<fieldset><legend>Status</legend>${statusBoxes}</fieldset>`,
    `<fieldset><legend>Side</legend>${sideBoxes}</fieldset>`,
    '<div class="row">',
    '<label class="field grow">Search <input type="search" name="q" placeholder="check id, message, evidence, target…" autocomplete="off"></label>',
    targetSelect,
    '<button type="reset" class="reset">Clear filters</button>',
    '</div>',
    '<p id="shown" class="muted" role="status" aria-live="polite"></p>',
    '</form>',
  ].join('\n');
}

function targetSection(report: RunReport, t: TargetReport, index: number, worst: Status, open: boolean, lazyPasses: boolean, maxEvidence: number): string {
  const c = countResults(t.results);
  const pills = (['fail', 'error', 'warn', 'skip', 'pass'] as const)
    .filter((s) => c[s] > 0)
    .map((s) => `<span class="pill s-${s}">${c[s]} ${s === 'error' ? (c[s] === 1 ? 'error' : 'errors') : STATUS_LABEL[s]}</span>`)
    .join('');
  const rows: string[] = [];
  const passed: string[] = [];
  t.results.forEach((r, k) => {
    if (lazyPasses && r.status === 'pass') passed.push(`<code>${esc(r.checkId)}</code>`);
    // Portal links on every row of one target; in a fleet on the rows that need a look (the page stays small).
    else rows.push(checkRow(r, index, k, maxEvidence, r.status !== 'pass' || report.targets.length === 1 ? resourceLinksHtml(report, t, r) : '', !lazyPasses && (r.status === 'fail' || r.status === 'error')));
  });
  return [
    `<details class="target s-${worst}" id="t-${index}" data-t="${index}"${lazyPasses ? ' data-lazy=""' : ''}${open ? ' open' : ''}>`,
    `<summary><span class="glyph" aria-hidden="true">${STATUS_GLYPH[worst]}</span><span class="tname">${esc(t.name)}</span><span class="ws">workspace <code>${esc(t.workspaceId)}</code></span><span class="pills">${pills}</span></summary>`,
    `<ul class="checks">${rows.join('')}</ul>`,
    passed.length ? `<p class="passed"><span class="s-pass">✓ Passed:</span> ${passed.join(', ')}</p>` : '',
    '</details>',
  ].join('\n');
}

function checkRow(r: CheckResult, targetIndex: number, index: number, maxEvidence: number, resources: string, open: boolean): string {
  const evidence = evidenceText(r.evidence, { maxValueChars: maxEvidence });
  const status = r.status === 'skip' && r.skipReason ? `skipped (${r.skipReason})` : STATUS_LABEL[r.status];
  const facts = [
    ['Status', status],
    ['Severity', r.severity],
    ['Side', r.side],
    ...(r.docStep ? [['Setup step', r.docStep]] : []),
    ...(hopOf(r.checkId) ? [['Hop', hopOf(r.checkId)!.label]] : []),
    ['Time', `${Math.round(r.durationMs)} ms`],
    ...(r.blockedBy ? [['Blocked by', r.blockedBy]] : []),
    ...(r.waiver ? [['Waiver', waiverText(r)]] : []),
  ];
  return [
    `<li class="check s-${r.status}" data-c="${index}" id="c-${targetIndex}-${index}"><details${open ? ' open' : ''}>`,
    `<summary><span class="glyph" aria-hidden="true">${STATUS_GLYPH[r.status]}</span><span class="sr">${esc(status)}: </span><code class="id">${esc(r.checkId)}</code><span class="title">${esc(r.title)}</span><span class="msg" title="${esc(r.message)}">${esc(namedText(r.message))}</span></summary>`,
    '<div class="body">',
    `<dl class="facts">${facts
      .map(([k, v]) => `<div><dt>${esc(k!)}</dt><dd>${k === 'Setup step' ? `<a href="${esc(setupStepUrl(v!))}" rel="noreferrer">${esc(v!)}</a>` : esc(v!)}</dd></div>`)
      .join('')}</dl>`,
    evidence ? `<div class="evidence"><p class="label">Evidence</p><pre tabindex="0">${esc(evidence)}</pre></div>` : '',
    resources,
    r.status === 'pass' || r.status === 'skip' ? '' : fixBlock(r),
    '</div>',
    '</details></li>',
  ].join('');
}

function waiverText(r: CheckResult): string {
  const w = r.waiver!;
  return `${w.expired ? 'expired' : 'until'} ${w.expires}: ${w.reason}${w.originalStatus ? ` (was ${w.originalStatus})` : ''}`;
}

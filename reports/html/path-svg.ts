// The two-tenant path as an inline SVG (no script needed to see it), its text alternative, and the
// fleet's targets × hops heat map. Every hop element carries `data-hop` and `data-status`; the
// colours come from the page's CSS variables, so dark mode follows the system.
import type { RunReport, TargetReport } from '../../src/engine/types.js';
import { countResults, oneLine, plural } from '../model.js';
import { GROUP_LABEL, HOPS, combineStatus, dnsPathHops, hopStates, type Hop, type HopState, type HopStatus } from '../path.js';
import { namedText } from '../words.js';

/** Text for HTML content and attribute values (the caller's `esc`, passed in to keep one escaper). */
type Esc = (text: string) => string;

export const HOP_STATUS_WORD: Record<HopStatus, string> = { pass: 'proven', warn: 'warning', fail: 'broken', error: 'unknown', skip: 'not reached' };
const HOP_MARK: Record<HopStatus, string> = { pass: '✓', warn: '!', fail: '✗', error: '?', skip: '–' };

/** One hop as the picture shows it: its state and two short lines of detail. */
export interface HopView {
  hop: Hop;
  status: HopStatus;
  rootCause: boolean;
  /** Short detail lines (names, the problem), already one-line text. */
  lines: string[];
  /** The longer description for the hover title and the text alternative. */
  description: string;
}

/** One target's hops for the picture. */
export function targetHopViews(target: TargetReport): HopView[] {
  return hopStates(target).map((state) => ({ ...state, lines: hopDetail(target, state), description: hopDescription(state) }));
}

/** A fleet's hops: each hop's worst state across targets, with how many targets are broken there. */
export function fleetHopViews(report: RunReport): HopView[] {
  const per = report.targets.map((t) => hopStates(t));
  return HOPS.flatMap((hop) => {
    const states = per.flatMap((s) => s.filter((x) => x.hop.id === hop.id));
    if (!states.length) return [];
    const status = combineStatus(states.map((s) => s.status));
    const broken = states.filter((s) => s.status === 'fail').length;
    const unknown = states.filter((s) => s.status === 'error').length;
    const lines = [
      broken ? `broken on ${broken}/${report.targets.length}` : unknown ? `unknown on ${unknown}/${report.targets.length}` : `${HOP_STATUS_WORD[status]} on all`,
    ];
    const rootCause = states.some((s) => s.rootCause);
    return [{ hop, status, rootCause, lines, description: `${hop.label}: ${lines[0]} targets${rootCause ? '; a root cause is here' : ''}` }];
  });
}

function hopDetail(target: TargetReport, state: HopState): string[] {
  if (state.hop.id === 'dns-path') {
    const hops = dnsPathHops(target);
    if (hops.length) return [hops.map((h) => `${h.kind} ${h.name}${h.vnet ? ` in ${h.vnet}` : ''}`).join(' → ')];
  }
  const problem = state.results.find((r) => r.status === 'fail' || r.status === 'error' || r.status === 'warn');
  const answers = problem?.checkId.startsWith('local.dns-') ? answerText(problem.evidence.addresses) : undefined;
  if (answers) return [`gets ${answers}`];
  if (problem) return [namedText(problem.message)];
  if (state.status === 'skip') return [state.results.length ? 'not reached' : 'not checked'];
  return [resourceName(state) ?? `${plural(state.results.filter((r) => r.status === 'pass').length, 'check')} passed`];
}

/** `20.94.123.229 (public)` from a DNS check's classified addresses; `no address` for none. */
function answerText(addresses: unknown): string | undefined {
  if (!Array.isArray(addresses)) return undefined;
  if (!addresses.length) return 'no address';
  const one = (a: unknown) => {
    const o = (typeof a === 'object' && a !== null ? a : {}) as { address?: unknown; class?: unknown };
    if (typeof o.address !== 'string') return String(a);
    return typeof o.class === 'string' ? `${o.address} (${o.class})` : o.address;
  };
  return addresses.slice(0, 2).map(one).join(', ') + (addresses.length > 2 ? ', …' : '');
}

/** The name of the resource a hop is about, from its passing results' evidence. */
function resourceName(state: HopState): string | undefined {
  for (const r of state.results) {
    const e = r.evidence;
    if (typeof e.displayName === 'string' && typeof e.sku === 'string') return `${e.displayName} · ${e.sku}`;
    if (typeof e.displayName === 'string') return e.displayName;
    for (const value of Object.values(e)) if (typeof value === 'string' && value.startsWith('/subscriptions/')) return namedText(value);
  }
  return undefined;
}

function hopDescription(state: HopState): string {
  const problems = state.results.filter((r) => r.status !== 'pass' && r.status !== 'skip').map((r) => `${r.checkId}: ${namedText(r.message)}`);
  const checks = state.results.map((r) => `${r.checkId} ${r.status}`).join(', ');
  return `${state.hop.label}: ${HOP_STATUS_WORD[state.status]}${state.rootCause ? ' (root cause)' : ''}. ${problems.join('; ') || (checks ? `Checks: ${checks}.` : 'No check proves it in this run.')}`;
}

// ---- the picture ---------------------------------------------------------------------------------

const BOX_W = 172;
const BOX_H = 72;
const GAP = 24;
const LEFT = 22;
const ROW_H = BOX_H + 52;
const CHARS = 25;

/** Up to two lines of at most CHARS characters, broken between words, the rest cut with an ellipsis (SVG text does not wrap). */
export function wrapTwo(text: string): string[] {
  const words = oneLine(text).split(' ');
  const lines: string[] = [''];
  for (const word of words) {
    const line = lines[lines.length - 1]!;
    if (!line) lines[lines.length - 1] = word;
    else if (line.length + 1 + word.length <= CHARS) lines[lines.length - 1] = `${line} ${word}`;
    else if (lines.length < 2) lines.push(word);
    else {
      lines[1] = `${line} ${word}`;
      break;
    }
  }
  return lines.map((l) => (l.length > CHARS ? `${l.slice(0, CHARS - 1)}…` : l));
}

/**
 * The picture, drawn the way the traffic flows: tenant 1 left to right (the jump VM, its DNS path,
 * the zone, the records, the private endpoint), down across the tenant boundary to the approval,
 * and tenant 2 right to left (the approval, the private link service, the workspace, its capacity,
 * the inbound policy). The public path stands beside both. Each hop links to its checks (`#hop-<id>`).
 */
export function pathSvg(views: HopView[], esc: Esc, caption: { title: string; desc: string }): string {
  const tenant1 = views.filter((v) => v.hop.group === 'machine' || v.hop.group === 'tenant1');
  const tenant2 = views.filter((v) => v.hop.group === 'tenant2');
  const publicPath = views.filter((v) => v.hop.group === 'public');
  const columns = Math.max(tenant1.length, tenant2.length, 1);
  const mainWidth = LEFT * 2 + columns * BOX_W + (columns - 1) * GAP;
  const width = mainWidth + (publicPath.length ? BOX_W + LEFT * 2 + 12 : 0);
  const rows = [tenant1, tenant2].filter((r) => r.length).length || 1;
  const height = rows * ROW_H + 8;
  const x = (i: number) => LEFT + i * (BOX_W + GAP);
  const parts: string[] = [
    `<svg class="path" viewBox="0 0 ${width} ${height}" width="100%" role="group" aria-labelledby="path-title path-desc" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="path-title">${esc(caption.title)}</title>`,
    `<desc id="path-desc">${esc(caption.desc)}</desc>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="arrow-head"/></marker></defs>',
  ];
  const frame = (fx: number, fy: number, fw: number, fh: number, label: string) =>
    parts.push(`<g class="frame"><rect x="${fx}" y="${fy}" width="${fw}" height="${fh}" rx="10"/><text x="${fx + 12}" y="${fy + 18}" class="frame-label">${esc(label.toUpperCase())}</text></g>`);
  let row = 0;
  if (tenant1.length) {
    frame(6, 4, mainWidth - 12, ROW_H - 10, GROUP_LABEL.tenant1);
    tenant1.forEach((view, i) => {
      if (i > 0) parts.push(arrowLine(x(i) - GAP + 2, x(i) - 3, 32 + BOX_H / 2, view.status));
      parts.push(hopBox(view, x(i), 32, esc));
    });
    row++;
  }
  if (tenant2.length) {
    const y0 = row * ROW_H + 4;
    frame(6, y0, mainWidth - 12, ROW_H - 10, GROUP_LABEL.tenant2);
    // Right to left, so the approval sits under the private endpoint.
    tenant2.forEach((view, i) => {
      const col = columns - 1 - i;
      if (i > 0) parts.push(arrowLine(x(col + 1) - 2, x(col) + BOX_W + 3, y0 + 28 + BOX_H / 2, view.status));
      parts.push(hopBox(view, x(col), y0 + 28, esc));
    });
    if (tenant1.length) {
      const cx = x(columns - 1) + BOX_W / 2;
      parts.push(`<line x1="${cx}" y1="${32 + BOX_H + 2}" x2="${cx}" y2="${y0 + 28 - 3}" class="link cross" marker-end="url(#arrow)"/>`);
    }
  }
  if (publicPath.length) {
    const fx = mainWidth + 6;
    frame(fx, 4, BOX_W + LEFT * 2, height - 12, GROUP_LABEL.public);
    publicPath.forEach((view, i) => parts.push(hopBox(view, fx + LEFT, (height - BOX_H) / 2 + 6 + i * (BOX_H + 10), esc)));
  }
  parts.push('</svg>');
  return parts.join('');
}

function arrowLine(x1: number, x2: number, y: number, status: HopStatus): string {
  return `<line x1="${x1}" y1="${y}" x2="${x2}" y2="${y}" class="link s-${status}" marker-end="url(#arrow)"/>`;
}

function hopBox(view: HopView, x: number, y: number, esc: Esc): string {
  const lines = wrapTwo(view.lines.join(' '));
  // The link's name is its <title> (the whole description); the drawn mark is decoration.
  return [
    `<a href="#hop-${view.hop.id}" class="hop-link"><title>${esc(view.description)}</title>`,
    `<g class="hop s-${view.status}${view.rootCause ? ' root' : ''}" data-hop="${view.hop.id}" data-status="${view.status}"${view.rootCause ? ' data-root-cause="true"' : ''}>`,
    `<rect x="${x}" y="${y}" width="${BOX_W}" height="${BOX_H}" rx="8"/>`,
    `<text x="${x + 10}" y="${y + 20}" class="hop-label"><tspan aria-hidden="true">${HOP_MARK[view.status]} </tspan>${esc(view.hop.label)}</text>`,
    ...lines.map((line, k) => `<text x="${x + 10}" y="${y + 36 + k * 14}" class="hop-detail">${esc(line)}</text>`),
    view.rootCause ? `<text x="${x + BOX_W - 8}" y="${y + BOX_H - 6}" text-anchor="end" class="hop-root">ROOT CAUSE</text>` : '',
    '</g></a>',
  ].join('');
}

/**
 * The text alternative and the link targets of the picture: each hop with its state and its checks
 * (links to the check rows of `targetIndex`, when one target is shown).
 */
export function hopList(views: HopView[], esc: Esc, checkLinks?: (hop: Hop) => Array<{ href: string; text: string; status: string }>): string {
  const items = views.map((view) => {
    const links = checkLinks?.(view.hop) ?? [];
    const checks = links.length ? ` <span class="hop-checks">${links.map((l) => `<a href="${esc(l.href)}" class="s-${esc(l.status)}">${esc(l.text)}</a>`).join(' ')}</span>` : '';
    return `<li id="hop-${view.hop.id}" class="s-${view.status}" data-hop="${view.hop.id}" data-status="${view.status}"><span class="mark" aria-hidden="true">${HOP_MARK[view.status]}</span> <strong>${esc(view.hop.label)}</strong> <span class="muted">(${esc(GROUP_LABEL[view.hop.group])})</span>: ${esc(HOP_STATUS_WORD[view.status])}${view.rootCause ? ' <strong class="root-tag">root cause</strong>' : ''} · ${esc(view.lines.join(' '))}${checks}</li>`;
  });
  return `<ol class="hop-list">${items.join('')}</ol>`;
}

/**
 * Targets × hops, failing targets first: a cause shared by every target (one zone) shows as one
 * broken column. Rows link to their targets.
 */
export function heatMap(report: RunReport, esc: Esc, targetIndex: Map<TargetReport, number>): string {
  const rows = report.targets.map((t) => ({ t, states: hopStates(t), counts: countResults(t.results) }));
  const order = (c: ReturnType<typeof countResults>) => (c.fail ? 0 : c.error ? 1 : c.warn ? 2 : 3);
  rows.sort((a, b) => order(a.counts) - order(b.counts) || (targetIndex.get(a.t) ?? 0) - (targetIndex.get(b.t) ?? 0));
  const hops = HOPS.filter((hop) => rows.some((r) => r.states.some((s) => s.hop.id === hop.id)));
  const head = `<tr><th scope="col">Target</th>${hops.map((h) => `<th scope="col" data-hop="${h.id}"><span>${esc(h.label)}</span></th>`).join('')}</tr>`;
  const body = rows.map(({ t, states }) => {
    const cells = hops.map((hop) => {
      const s = states.find((x) => x.hop.id === hop.id);
      const status: HopStatus = s?.status ?? 'skip';
      const title = `${oneLine(t.name)} · ${hop.label}: ${HOP_STATUS_WORD[status]}${s?.rootCause ? ' (root cause)' : ''}`;
      return `<td class="s-${status}${s?.rootCause ? ' root' : ''}" data-hop="${hop.id}" data-status="${status}" title="${esc(title)}"><span aria-hidden="true">${HOP_MARK[status]}</span><span class="sr">${esc(HOP_STATUS_WORD[status])}${s?.rootCause ? ', root cause' : ''}</span></td>`;
    });
    return `<tr><th scope="row"><a href="#t-${targetIndex.get(t) ?? 0}">${esc(t.name)}</a></th>${cells.join('')}</tr>`;
  });
  return `<div class="heat-wrap" tabindex="0" role="region" aria-label="Targets by hop"><table class="heat"><caption class="sr">Each target's hops: broken, unknown, warning, proven or not reached; failing targets first</caption><thead>${head}</thead><tbody>${body.join('')}</tbody></table></div>`;
}

/**
 * A merged estate report: targets × vantage points, each cell the worst of the local and public
 * checks seen from that vantage point, so "private from spoke A, public from spoke B" is one row
 * with one red cell. Failing targets first.
 */
export function vantageHeatMap(report: RunReport, esc: Esc, targetIndex: Map<TargetReport, number>): string {
  const points = report.vantagePoints ?? [];
  const worst = (results: TargetReport['results']): HopStatus => {
    const c = countResults(results);
    return c.fail ? 'fail' : c.error ? 'error' : c.warn ? 'warn' : c.pass ? 'pass' : 'skip';
  };
  const rows = report.targets.map((t) => ({ t, cells: points.map((v) => worst(t.results.filter((r) => r.vantage === v.id))) }));
  const rank = (cells: HopStatus[]) => (cells.includes('fail') ? 0 : cells.includes('error') ? 1 : cells.includes('warn') ? 2 : 3);
  rows.sort((a, b) => rank(a.cells) - rank(b.cells) || (targetIndex.get(a.t) ?? 0) - (targetIndex.get(b.t) ?? 0));
  const head = `<tr><th scope="col">Target</th>${points.map((v) => `<th scope="col" data-vantage="${esc(v.id)}" title="${esc(v.host)}${v.vnetId ? ` · ${esc(v.vnetId)}` : ''}"><span>${esc(v.id)}</span></th>`).join('')}</tr>`;
  const body = rows.map(({ t, cells }) => {
    const tds = cells.map((status, i) => {
      const title = `${oneLine(t.name)} from ${points[i]!.id}: ${HOP_STATUS_WORD[status]}`;
      return `<td class="s-${status}" data-vantage="${esc(points[i]!.id)}" data-status="${status}" title="${esc(title)}"><span aria-hidden="true">${HOP_MARK[status]}</span><span class="sr">${esc(HOP_STATUS_WORD[status])}</span></td>`;
    });
    return `<tr><th scope="row"><a href="#t-${targetIndex.get(t) ?? 0}">${esc(t.name)}</a></th>${tds.join('')}</tr>`;
  });
  return `<div class="heat-wrap" tabindex="0" role="region" aria-label="Targets by vantage point"><table class="heat"><caption class="sr">What each vantage point saw of each target (its local and public checks): broken, unknown, warning, proven or not run; failing targets first</caption><thead>${head}</thead><tbody>${body.join('')}</tbody></table></div>`;
}

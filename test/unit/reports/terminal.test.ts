import { describe, expect, it } from 'vitest';
import { createLiveRenderer, isCI } from '../../../reports/live.js';
import { formatResultLine, formatSummary, formatTerminalReport, formatVerdict, shouldColor, shouldUseAscii } from '../../../reports/terminal.js';
import type { EngineEvent } from '../../../src/engine/run.js';
import { computeSummary } from '../../../src/engine/status.js';
import type { RunReport } from '../../../src/engine/types.js';
import { healthyReport, healthyTarget, makeReport } from '../../helpers/sample-report.js';

const ESC = '\u001b';
const result = (report = makeReport(), target = 0, id = 'consumer.zone-linked') => report.targets[target]!.results.find((r) => r.checkId === id)!;

describe('terminal view', () => {
  it('prints one line per result with a mark per status, no colour by default', () => {
    const report = makeReport();
    expect(formatResultLine(result(report))).toBe('✗ consumer.zone-linked  the zone privatelink.fabric.microsoft.com is not linked to vnet-jump');
    expect(formatResultLine(result(report, 0, 'provider.workspace-found'))).toMatch(/^✓ provider.workspace-found  /);
    expect(formatResultLine(result(report, 0, 'consumer.zone-records'))).toMatch(/^! consumer.zone-records  /);
    expect(formatResultLine(result(report, 0, 'local.tls'))).toMatch(/^- local.tls  blocked by consumer.zone-linked/);
    expect(formatResultLine(result(report, 1, 'provider.pls-found'), { target: 'prod-2' })).toMatch(/^\? prod-2 provider.pls-found  could not read/);
  });

  it('never lets escapes from evidence reach the terminal', () => {
    const line = formatResultLine(result(makeReport(), 0, 'consumer.zone-records'), { verbose: true });
    expect(line).not.toContain(ESC);
    expect(line).not.toContain('\u0007');
    expect(line).toContain('café Zürich 東京');
  });

  it('colours only when asked', () => {
    expect(formatResultLine(result(), { color: true })).toContain(`${ESC}[31m✗`);
    expect(shouldColor({ isTTY: true }, {})).toBe(true);
    expect(shouldColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(shouldColor({ isTTY: false }, {})).toBe(false);
    expect(shouldColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(shouldColor({ isTTY: true }, { NO_COLOR: '1' }, true)).toBe(true);
  });

  it('verbose adds timing, and evidence only for a result that did not pass', () => {
    const text = formatResultLine(result(), { verbose: true });
    expect(text.split('\n')[0]).toMatch(/\(\d+ ms\)$/);
    expect(text).toContain('\n    vnetId: /subscriptions/1111/');
    const passed = formatResultLine(result(makeReport(), 0, 'provider.workspace-found'), { verbose: true });
    expect(passed.split('\n')).toHaveLength(1);
  });

  it('says resource names, not full ARM ids, in a result line', () => {
    const report = makeReport();
    const r = { ...result(report), message: 'the zone has no link to /subscriptions/1111/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-hub-weu' };
    expect(formatResultLine(r)).toBe('✗ consumer.zone-linked  the zone has no link to vnet-hub-weu');
  });

  it('one target: the headline, a line per hop grouped by tenant, details only under problems, causes with fixes, the path', () => {
    const report = { ...makeReport(), targets: [makeReport().targets[0]!] };
    const lines = formatSummary(report).split('\n');
    expect(lines[0]).toMatch(/^✗ /);
    const groups = lines.filter((l) => /^(Tenant 2 \(provider\)|Tenant 1 \(consumer\)|This VM|Public path)$/.test(l));
    expect(groups).toEqual(['Tenant 2 (provider)', 'Tenant 1 (consumer)', 'This VM', 'Public path']);
    expect(lines).toContain('  ✗ Private DNS zone (root cause)');
    expect(lines).toContain('      ✗ consumer.zone-linked  the zone privatelink.fabric.microsoft.com is not linked to vnet-jump');
    expect(lines).toContain('  ✓ Private link service  2 checks');
    // A passing hop shows no result lines under it.
    expect(lines.some((l) => l.includes('✓ provider.pls-found'))).toBe(false);
    const causes = lines.indexOf('Root causes, fix these first:');
    expect(causes).toBeGreaterThan(lines.indexOf('Public path'));
    expect(lines.slice(causes).some((l) => l.trim().startsWith('Fix: Link the zone to vnet-jump'))).toBe(true);
    expect(lines.at(-3)).toMatch(/^Path: Jump VM not reached → DNS path not reached → Private DNS zone FAIL \(root cause\) → A records warn → /);
    expect(lines.at(-2)).toBe('13 passed, 2 failed, 1 warned, 7 skipped, 0 errors');
    expect(lines.at(-1)).toBe('✗ FAILED: 2 root causes (--fail-on fail, exit 1)');
  });

  it('a healthy target says so in words and ends with the path and the verdict', () => {
    const lines = formatSummary(healthyReport(1)).split('\n');
    expect(lines[0]).toBe('✓ The jump VM reaches the workspace through the private link');
    expect(lines.at(-1)).toBe('✓ PASSED: every evaluated check passed');
    expect(lines.at(-3)).toMatch(/^Path: Jump VM ok → DNS path ok → .* ⇒ Approval ok → .* \| Public path ok$/);
  });

  it('a fleet of 200 with one fault: one line per target with a problem, the healthy ones in one line, under 40 lines', () => {
    const targets = Array.from({ length: 200 }, (_, i) => healthyTarget(i + 1, `sales-${i + 1}`));
    const broken = makeReport().targets[0]!;
    targets[136] = { ...broken, name: 'sales-137' };
    const report: RunReport = { ...makeReport(), targets, summary: computeSummary(targets.flatMap((t) => t.results), 'fail') };
    const text = formatSummary(report);
    const lines = text.split('\n');
    expect(lines.length).toBeLessThan(40);
    expect(lines[1]).toMatch(/^199\/200 targets healthy · 2 root causes/);
    expect(lines.find((l) => l.startsWith('✗ sales-137  '))).toBeDefined();
    expect(lines).toContain('✓ 199 healthy targets: sales-1, sales-2, sales-3, … (196 more)');
    expect(text).toMatch(/Path: .*Private DNS zone FAIL on 1\/200/);
    // No passing check is listed one by one.
    expect(lines.filter((l) => /✓ (provider|consumer|local|public)\./.test(l))).toEqual([]);
  });

  it('verbose adds evidence under problems only', () => {
    const report = { ...makeReport(), targets: [makeReport().targets[0]!] };
    const plain = formatSummary(report);
    const verbose = formatSummary(report, { verbose: true });
    expect(plain).not.toContain('vnetId:');
    expect(verbose).toContain('vnetId: /subscriptions/1111/');
    expect(verbose).not.toContain('resourceId: /subscriptions/0000');
  });

  it('ASCII marks and arrows when asked, and on the Windows console host', () => {
    const report = { ...makeReport(), targets: [makeReport().targets[0]!] };
    const text = formatSummary(report, { ascii: true });
    expect(text).not.toMatch(/[✓✗→⇒]/);
    expect(text).toContain('  x Private DNS zone (root cause)');
    expect(text.split('\n').at(-1)).toBe('x FAILED: 2 root causes (--fail-on fail, exit 1)');
    expect(shouldUseAscii({}, 'win32')).toBe(true);
    expect(shouldUseAscii({ WT_SESSION: 'x' }, 'win32')).toBe(false);
    expect(shouldUseAscii({ TERM_PROGRAM: 'vscode' }, 'win32')).toBe(false);
    expect(shouldUseAscii({}, 'linux')).toBe(false);
    expect(shouldUseAscii({}, 'linux', true)).toBe(true);
    expect(shouldUseAscii({}, 'win32', false)).toBe(false);
  });

  it('quiet prints the verdict only', () => {
    expect(formatTerminalReport(makeReport(), { quiet: true })).toBe('✗ FAILED: 2 root causes on 1 of 4 targets (--fail-on fail, exit 1)');
  });

  it('an interrupted healthy run is not marked as passed', () => {
    const report = { ...healthyReport(1), interrupted: true };
    expect(formatVerdict(report)).toMatch(/^! PASSED: .*interrupted/);
    expect(formatSummary(report).split('\n')[0]).toMatch(/^! The run was interrupted/);
  });
});

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 100, write: (s: string) => chunks.push(s) }, text: () => chunks.join('') };
}

function replay(report = makeReport()): EngineEvent[] {
  const events: EngineEvent[] = [];
  for (const t of report.targets) for (const r of t.results) events.push({ type: 'check-start', target: t.name, checkId: r.checkId }, { type: 'check-end', target: t.name, result: r });
  return events;
}

describe('live renderer', () => {
  it('when not a TTY prints no line per result, only the grouped view at the end', () => {
    const out = capture(false);
    const live = createLiveRenderer({ stream: out.stream, env: {}, targets: 4 });
    const report = makeReport();
    for (const e of replay(report)) live.onEvent(e);
    live.finish(report);
    expect(live.interactive).toBe(false);
    const text = out.text();
    expect(text).not.toContain(ESC);
    expect(text.split('\n').filter((l) => /^[✓!✗?-] .*(provider|consumer|local|public)\.[a-z0-9-]+  /.test(l))).toHaveLength(0);
    expect(text).toContain('prod-weu "east" <1>');
    expect(text.trimEnd().split('\n').at(-1)).toBe('✗ FAILED: 2 root causes on 1 of 4 targets (--fail-on fail, exit 1)');
  });

  it('is plain when CI is set, even on a TTY', () => {
    expect(isCI({ CI: 'true' })).toBe(true);
    expect(isCI({ CI: 'false' })).toBe(false);
    const out = capture(true);
    const live = createLiveRenderer({ stream: out.stream, env: { CI: 'true', NO_COLOR: '1' }, tickMs: 0 });
    expect(live.interactive).toBe(false);
    for (const e of replay()) live.onEvent(e);
    expect(out.text()).not.toContain('\r');
  });

  it('on a TTY shows the running checks on a status line, then the grouped view', () => {
    const out = capture(true);
    const live = createLiveRenderer({ stream: out.stream, env: {}, color: false, tickMs: 0, totalChecks: 2 });
    live.onEvent({ type: 'check-start', target: 'a', checkId: 'consumer.pe-found' });
    live.onEvent({ type: 'check-start', target: 'a', checkId: 'consumer.zone-found' });
    expect(out.chunks.at(-1)).toMatch(/^\r\u001b\[2K⠋ 0\/2 running 2: consumer.pe-found, consumer.zone-found$/);
    const report = healthyReport(1);
    live.onEvent({ type: 'check-end', target: 'a', result: report.targets[0]!.results[8]! });
    expect(out.chunks.at(-1)).toBe('\r\u001b[2K⠋ 1/2 running 1: consumer.zone-found');
    live.onEvent({ type: 'check-end', target: 'a', result: report.targets[0]!.results[12]! });
    live.finish(report);
    expect(out.text().endsWith('✓ PASSED: every evaluated check passed\n')).toBe(true);
  });

  it('an ASCII spinner on the Windows console host', () => {
    const out = capture(true);
    const live = createLiveRenderer({ stream: out.stream, env: {}, color: false, tickMs: 0, totalChecks: 1, platform: 'win32' });
    live.onEvent({ type: 'check-start', target: 'a', checkId: 'consumer.pe-found' });
    expect(out.chunks.at(-1)).toMatch(/^\r\u001b\[2K\| 0\/1 running 1: consumer.pe-found$/);
    live.stop();
  });

  it('quiet prints nothing but the verdict', () => {
    const out = capture(true);
    const live = createLiveRenderer({ stream: out.stream, env: {}, quiet: true, color: false });
    const report = makeReport();
    for (const e of replay(report)) live.onEvent(e);
    live.finish(report);
    expect(out.text()).toBe('✗ FAILED: 2 root causes on 1 of 4 targets (--fail-on fail, exit 1)\n');
  });
});

describe('live renderer, verbose', () => {
  it('logs each result as it lands, with evidence only under those that did not pass, then the grouped view', () => {
    const out = capture(false);
    const live = createLiveRenderer({ stream: out.stream, env: {}, targets: 4, verbose: true });
    const report = makeReport();
    for (const e of replay(report)) live.onEvent(e);
    live.finish(report);
    const text = out.text();
    expect(text.split('\n').filter((l) => /^[✓!✗?-] .*(provider|consumer|local|public)\.[a-z0-9-]+  /.test(l))).toHaveLength(92);
    expect(text).toContain('✗ prod-weu "east" <1> consumer.zone-linked  the zone');
    expect(text).toContain('    vnetId: /subscriptions/1111/');
    expect(text).not.toContain('    resourceId: /subscriptions/0000');
    expect(text.trimEnd().split('\n').at(-1)).toBe('✗ FAILED: 2 root causes on 1 of 4 targets (--fail-on fail, exit 1)');
  });
});

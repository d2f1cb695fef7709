import { describe, expect, it } from 'vitest';
import { createLiveRenderer, isCI } from '../../../reports/live.js';
import { formatResultLine, formatSummary, formatTerminalReport, shouldColor } from '../../../reports/terminal.js';
import type { EngineEvent } from '../../../src/engine/run.js';
import { healthyReport, makeReport } from '../../helpers/sample-report.js';

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

  it('verbose adds timing, evidence and the fix', () => {
    const text = formatResultLine(result(), { verbose: true });
    expect(text.split('\n')[0]).toMatch(/\(\d+ ms\)$/);
    expect(text).toContain('\n    vnetId: /subscriptions/1111/');
    expect(text).toContain('\n    fix: Link the zone to vnet-jump');
  });

  it('summary: root causes first with fixes, then errors, the counts line and the verdict', () => {
    const text = formatSummary(makeReport());
    const lines = text.split('\n');
    expect(lines[0]).toBe('Root causes, fix these first:');
    expect(text.indexOf('consumer.zone-linked')).toBeLessThan(text.indexOf('Could not evaluate:'));
    expect(text).toContain('(blocks 7 checks)');
    expect(text).toContain('fix: Link the zone to vnet-jump');
    expect(text).toContain('fix: Grant the Reader role');
    expect(lines.at(-2)).toBe('76 passed, 2 failed, 1 warned, 11 skipped, 2 errors');
    expect(lines.at(-1)).toBe('✗ FAILED: 2 root causes on 1 of 4 targets (--fail-on fail, exit 1)');
    expect(formatSummary(healthyReport(1)).split('\n')).toEqual(['23 passed, 0 failed, 0 warned, 0 skipped, 0 errors', '✓ PASSED: every evaluated check passed']);
  });

  it('quiet prints the verdict only', () => {
    expect(formatTerminalReport(makeReport(), { quiet: true })).toBe('✗ FAILED: 2 root causes on 1 of 4 targets (--fail-on fail, exit 1)');
  });

  it('a full report lists every result under its target', () => {
    const report = makeReport();
    const text = formatTerminalReport(report);
    expect(text.split('\n').filter((l) => /^[✓!✗?-] .*(provider|consumer|local|public)\.[a-z0-9-]+  /.test(l))).toHaveLength(report.targets.length * 23);
    expect(text).toContain('prod-2 workspace 1a2b3c4f-aaaa-4bbb-8ccc-000000000002 · 21 passed, 0 failed, 0 warned, 0 skipped, 2 errors');
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
  it('writes plain lines when not a TTY', () => {
    const out = capture(false);
    const live = createLiveRenderer({ stream: out.stream, env: {}, targets: 4 });
    const report = makeReport();
    for (const e of replay(report)) live.onEvent(e);
    live.finish(report);
    expect(live.interactive).toBe(false);
    const text = out.text();
    expect(text).not.toContain(ESC);
    expect(text.split('\n').filter((l) => /^[✓!✗?-] .*(provider|consumer|local|public)\.[a-z0-9-]+  /.test(l))).toHaveLength(92);
    expect(text).toContain('✗ prod-weu "east" <1> consumer.zone-linked  the zone');
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

  it('on a TTY shows the running checks on a status line above which results land', () => {
    const out = capture(true);
    const live = createLiveRenderer({ stream: out.stream, env: {}, color: false, tickMs: 0, totalChecks: 2 });
    live.onEvent({ type: 'check-start', target: 'a', checkId: 'consumer.pe-found' });
    live.onEvent({ type: 'check-start', target: 'a', checkId: 'consumer.zone-found' });
    expect(out.chunks.at(-1)).toMatch(/^\r\u001b\[2K⠋ 0\/2 running 2: consumer.pe-found, consumer.zone-found$/);
    const report = healthyReport(1);
    live.onEvent({ type: 'check-end', target: 'a', result: report.targets[0]!.results[8]! });
    expect(out.chunks.slice(-3)).toEqual(['\r\u001b[2K', '✓ consumer.pe-found  the private endpoint exists\n', '\r\u001b[2K⠋ 1/2 running 1: consumer.zone-found']);
    live.onEvent({ type: 'check-end', target: 'a', result: report.targets[0]!.results[12]! });
    live.finish(report);
    expect(out.text().endsWith('✓ PASSED: every evaluated check passed\n')).toBe(true);
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

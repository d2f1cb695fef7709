import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../reports/html.js';
import { renderMarkdown } from '../../../reports/markdown.js';
import { cleanText, countsLine, evidenceLines, formatMs, formatSeconds, groupByCheck, oneLine, rootCauses, truncate, uncheckedSides, verdict } from '../../../reports/model.js';
import { formatSummary } from '../../../reports/terminal.js';
import type { RunReport, TargetReport } from '../../../src/engine/types.js';
import { computeSummary } from '../../../src/engine/status.js';
import { healthyReport, makeReport } from '../../helpers/sample-report.js';

describe('model', () => {
  it('renders evidence as readable nested lines', () => {
    expect(
      evidenceLines({ expected: 'Approved', found: null, ips: ['10.0.0.4', '10.0.0.5'], records: [{ name: 'api', ips: ['10.0.0.4'] }, { name: 'x', ttl: 10 }], nested: { a: 1, b: { c: true } }, empty: [], text: 'two\nlines' }),
    ).toEqual([
      'expected: Approved',
      'found: null',
      'ips: [10.0.0.4, 10.0.0.5]',
      'records:',
      '  - name: api',
      '    ips: [10.0.0.4]',
      '  - name: x',
      '    ttl: 10',
      'nested:',
      '  a: 1',
      '  b:',
      '    c: true',
      'empty: []',
      'text: two',
      '  lines',
    ]);
  });

  it('cuts long values with a pointer', () => {
    const [line] = evidenceLines({ long: 'y'.repeat(50) }, { maxValueChars: 10 });
    expect(line).toBe('long: yyyyyyyyyy… [40 more characters cut; see report.json]');
    expect(truncate('😀😀', 1)).toBe('… [2 more characters cut]');
  });

  it('removes ANSI escapes and control characters, keeps text', () => {
    expect(cleanText('\u001b[31mred\u001b[0m\u0007 a\r\nb\u0000 \u001b]0;t\u0007ok é\ud800')).toBe('red a\nb ok é');
    expect(oneLine(' a \n\t b ')).toBe('a b');
  });

  it('groups root causes across targets with what they block', () => {
    const report = makeReport();
    const causes = rootCauses(report);
    expect(causes.map((g) => g.checkId)).toEqual(['consumer.zone-linked', 'provider.tenant-setting']);
    expect(causes[0]!.items[0]!.blocks).toHaveLength(7);
    expect(groupByCheck(report, 'error').map((g) => [g.checkId, g.items.length])).toEqual([
      ['provider.workspace-found', 1],
      ['provider.pls-found', 1],
    ]);
  });

  it('gives the verdict and the counts line', () => {
    const report = makeReport();
    expect(verdict(report)).toMatchObject({ status: 'fail', exitCode: 1 });
    expect(verdict(report).headline).toBe('FAILED: 2 root causes on 1 of 4 targets (--fail-on fail, exit 1)');
    expect(verdict(healthyReport()).headline).toBe('PASSED: every evaluated check passed');
    const errorsOnly = makeReport();
    for (const t of errorsOnly.targets) t.results = t.results.filter((r) => r.status !== 'fail');
    errorsOnly.summary = computeSummary(errorsOnly.targets.flatMap((t) => t.results), 'fail');
    expect(verdict(errorsOnly)).toMatchObject({ status: 'error', exitCode: 3 });
    expect(countsLine({ pass: 1, fail: 2, warn: 3, skip: 4, error: 5 })).toBe('1 passed, 2 failed, 3 warned, 4 skipped, 5 errors');
  });
});

describe('causality in the views', () => {
  /** One target where the zone is not linked and the public DNS answer is its symptom. */
  function zoneUnlinked(): RunReport {
    const report = healthyReport(1);
    const target = report.targets[0]!;
    const at = (id: string) => target.results.findIndex((r) => r.checkId === id);
    target.results[at('consumer.zone-linked')] = { ...target.results[at('consumer.zone-linked')]!, status: 'fail', message: 'the zone has no link to vnet-jump' };
    target.results[at('local.dns-private')] = { ...target.results[at('local.dns-private')]!, status: 'fail', message: 'resolves to public 20.0.0.1', explainedBy: ['consumer.zone-linked'] };
    target.rootCauses = [{ checkId: 'consumer.zone-linked', status: 'fail', explains: ['local.dns-private'] }];
    report.summary = computeSummary(target.results, 'fail');
    return report;
  }

  it('one root cause with its symptom under it; the headline counts one', () => {
    const report = zoneUnlinked();
    const causes = rootCauses(report);
    expect(causes.map((g) => g.checkId)).toEqual(['consumer.zone-linked']);
    expect(causes[0]!.items[0]!.symptoms.map((s) => s.checkId)).toEqual(['local.dns-private']);
    expect(verdict(report).headline).toBe('FAILED: 1 root cause (--fail-on fail, exit 1)');
    // Every view lists one root cause, with its symptom folded under it (never as a cause of its own).
    const terminal = formatSummary(report, { color: false });
    expect(terminal).toMatch(/^1\. The jump VM does not resolve the workspace to a private IP: the zone has no link to vnet-jump$/m);
    expect(terminal).not.toMatch(/^2\. /m);
    expect(terminal).toMatch(/consumer\.zone-linked · .* · explains 1 check/);
    expect(terminal).toContain('✗ local.dns-private  resolves to public 20.0.0.1 (explained by consumer.zone-linked)');
    const md = renderMarkdown(report);
    expect(md).not.toMatch(/^### 2\. /m);
    expect(md).toContain('<summary>1 check explained by it</summary>\n\n- ✗ `local.dns-private` resolves to public 20.0.0.1');
    expect(renderHtml(report)).toContain(
      '<details class="symptoms"><summary>1 check explained by it</summary><ul><li class="s-fail"><span aria-hidden="true">✗</span> <code>local.dns-private</code> resolves to public 20.0.0.1</li></ul></details>',
    );
  });

  it('a report written before rootCauses existed is read from its results', () => {
    const report = zoneUnlinked();
    delete (report.targets[0] as Partial<TargetReport>).rootCauses;
    expect(rootCauses(report)[0]!.items[0]!.symptoms.map((s) => s.checkId)).toEqual(['local.dns-private']);
  });

  it('a side without a credential is named in the verdict of every format', () => {
    const report = healthyReport(1);
    const target = report.targets[0]!;
    for (const r of target.results) if (r.side === 'consumer') Object.assign(r, { status: 'skip', skipReason: 'no-access', message: 'no credential for the consumer side' });
    report.summary = computeSummary(target.results, 'fail');
    const headline = 'PASSED, tenant 1 not checked: no credential (every evaluated check passed)';
    expect(verdict(report).headline).toBe(headline);
    expect(formatSummary(report, { color: false })).toContain(headline);
    expect(renderMarkdown(report)).toContain(headline);
    expect(renderHtml(report)).toContain(headline);
    expect(uncheckedSides(healthyReport(1))).toEqual([]);
  });
});

describe('durations', () => {
  it('a run in seconds with one decimal, a check in ms under a second; the HTML and Markdown reports say the run alike', () => {
    expect([formatSeconds(400), formatSeconds(12_345)]).toEqual(['0.4 s', '12.3 s']);
    expect([formatMs(849.6), formatMs(1000), formatMs(61_000)]).toEqual(['850 ms', '1.0 s', '61.0 s']);
    const report = { ...makeReport(), durationMs: 12_345 };
    expect(renderHtml(report)).toContain('12.3 s');
    expect(renderMarkdown(report)).toContain(' · 12.3 s · ');
  });
});

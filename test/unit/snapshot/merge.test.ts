import { describe, expect, it } from 'vitest';
import type { CheckResult, RunReport } from '../../../src/engine/types.js';
import { MergeError, mergeReports, vantageConflicts } from '../../../src/snapshot/merge.js';
import { makeReport } from '../../helpers/sample-report.js';

const tool = { name: 'xtenant-doctor', version: '9.9.9' };

/** A copy of a report as seen from another vantage point, with some results changed. */
function from(report: RunReport, id: string, change: (r: CheckResult) => Partial<CheckResult> = () => ({})): RunReport {
  const copy = structuredClone(report);
  copy.vantage = { id, host: `host-${id}`, vnetId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-${id}`, startedAt: copy.startedAt };
  for (const t of copy.targets) t.results = t.results.map((r) => ({ ...r, ...change(r) }));
  return copy;
}

describe('mergeReports', () => {
  const base = makeReport();

  it('keeps agreeing control-plane results once and local results once per vantage point', () => {
    const a = from(base, 'spoke-a');
    const b = from(base, 'spoke-b');
    const merged = mergeReports([{ file: 'a.json', report: a }, { file: 'b.json', report: b }], { tool });
    expect(merged.mode).toBe('merged');
    expect(merged.vantagePoints?.map((v) => v.id)).toEqual(['spoke-a', 'spoke-b']);
    const target = merged.targets[0]!;
    const original = base.targets[0]!;
    const controlPlane = original.results.filter((r) => r.side === 'provider' || r.side === 'consumer');
    const observed = original.results.filter((r) => r.side === 'local' || r.side === 'public');
    expect(target.results.length).toBe(controlPlane.length + 2 * observed.length);
    expect(target.results.filter((r) => r.side === 'local').every((r) => r.vantage === 'spoke-a' || r.vantage === 'spoke-b')).toBe(true);
    expect(target.results.filter((r) => r.side === 'provider').every((r) => r.vantage === undefined)).toBe(true);
    // Facts of the two runs stay apart, and each result still finds its own.
    for (const r of target.results) for (const key of r.facts) expect(merged.facts[key]).toBeDefined();
    expect(Object.keys(merged.facts).length).toBe(2 * Object.keys(base.facts).length);
    expect(merged.summary.exitCode).toBe(base.summary.exitCode);
  });

  it('shows a local check that differs between vantage points side by side', () => {
    const a = from(base, 'spoke-a', (r) => (r.checkId === 'local.dns-private' ? { status: 'pass', message: 'resolves privately' } : {}));
    const b = from(base, 'spoke-b', (r) => (r.checkId === 'local.dns-private' ? { status: 'fail', message: 'resolves publicly' } : {}));
    const merged = mergeReports([{ file: 'a.json', report: a }, { file: 'b.json', report: b }], { tool });
    const conflicts = vantageConflicts(merged).filter((c) => c.checkId === 'local.dns-private' && c.target === base.targets[0]!.name);
    expect(conflicts).toEqual([
      {
        target: base.targets[0]!.name,
        checkId: 'local.dns-private',
        title: expect.any(String),
        observations: [
          { vantage: 'spoke-a', status: 'pass', message: 'from spoke-a: resolves privately' },
          { vantage: 'spoke-b', status: 'fail', message: 'from spoke-b: resolves publicly' },
        ],
      },
    ]);
  });

  it('keeps a control-plane result per vantage point when the runs disagree', () => {
    const a = from(base, 'spoke-a', (r) => (r.checkId === 'consumer.zone-linked' ? { status: 'pass', message: 'linked' } : {}));
    const b = from(base, 'spoke-b', (r) => (r.checkId === 'consumer.zone-linked' ? { status: 'fail', message: 'not linked' } : {}));
    const merged = mergeReports([{ file: 'a.json', report: a }, { file: 'b.json', report: b }], { tool });
    const zone = merged.targets[0]!.results.filter((r) => r.checkId === 'consumer.zone-linked');
    expect(zone.map((r) => [r.vantage, r.status])).toEqual([
      ['spoke-a', 'pass'],
      ['spoke-b', 'fail'],
    ]);
  });

  it('names two runs from the same host apart, and refuses a merged report or a renamed workspace', () => {
    const merged = mergeReports([{ file: 'a.json', report: from(base, 'vm') }, { file: 'b.json', report: from(base, 'vm') }], { tool });
    expect(merged.vantagePoints?.map((v) => v.id)).toEqual(['vm', 'vm#2']);
    expect(() => mergeReports([{ file: 'm.json', report: merged }], { tool })).toThrow(MergeError);
    const renamed = from(base, 'b');
    renamed.targets[0]!.name = 'other-name';
    expect(() => mergeReports([{ file: 'a.json', report: from(base, 'a') }, { file: 'b.json', report: renamed }], { tool })).toThrow(/named "other-name" here/);
    expect(() => mergeReports([], { tool })).toThrow(MergeError);
  });
});

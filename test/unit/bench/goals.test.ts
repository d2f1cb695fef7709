// The bench's verdict (bench/goals.mjs): each goal read from the scenario lines, met or not.
import { describe, expect, it } from 'vitest';
import { falseResults, judgeGoals } from '../../../bench/goals.mjs';

const target = (name: string, statuses: string[], rootCauses: unknown[] = []) => ({ name, rootCauses, results: statuses.map((status) => ({ status })) });

describe('falseResults', () => {
  const report = {
    targets: [target('lab-1', ['pass', 'skip']), target('lab-2', ['fail', 'skip'], [{ checkId: 'x' }]), target('lab-3', ['pass', 'warn'])],
  };

  it('names a target outside the faults that does not pass cleanly, and a broken one without a root cause', () => {
    expect(falseResults(report, ['record-missing@2'])).toEqual(['lab-3']);
    expect(falseResults(report, ['record-missing@1'])).toEqual(['lab-1', 'lab-2', 'lab-3']);
  });

  it('finds none when the broken target has its root cause and the others pass', () => {
    expect(falseResults({ targets: report.targets.slice(0, 2) }, ['record-missing@2'])).toEqual([]);
  });

  it('expects nothing of the targets when a fault breaks the whole lab', () => {
    expect(falseResults(report, ['zone-unlinked'])).toEqual([]);
  });
});

const lines = (over: { cpu200?: number; firstRequest?: number; falseAt1000?: string[] } = {}) => [
  { scenario: 'single-target', 'client-secret': { depth: [3, 4] }, 'access-token': { depth: [1] } },
  { scenario: 'shared-zone', ratio: 1.01, controlPlaneRequests: { zone5: { total: 24 }, zone5000: { total: 24 } } },
  { scenario: 'fleet', targets: 1, cpuMsPerTarget: 403.3, wallMs: 386, peakRssMb: 135, falseResults: [] },
  { scenario: 'fleet', targets: 200, wallMs: 2253, peakRssMb: 181, cpuMsPerTarget: 11.3, cpuMsPerTargetBeyondFirst: over.cpu200 ?? 9.3, falseResults: [] },
  { scenario: 'fleet', targets: 1000, wallMs: 9843, peakRssMb: 265, cpuMsPerTarget: 8.6, cpuMsPerTargetBeyondFirst: 8.2, falseResults: over.falseAt1000 ?? [] },
  { scenario: 'cold-start', medianMs: { node: 28, runFirstRequest: over.firstRequest ?? 129, validateConfig: 67 }, ratio: { version: 1.07 } },
  { scenario: 'reports', totalMs: 1486, formats: { html: { mb: 7.85 } } },
  { scenario: 'recordings', cases: { a: { exit: 2, wallMs: 348, maxRssMb: 142 }, b: { exit: 2, wallMs: 211, maxRssMb: 88 } } },
];

describe('judgeGoals', () => {
  it('meets every goal on a run that meets them, with the machine’s pace beside the verdict', () => {
    const verdict = judgeGoals(lines());
    expect(verdict.machine).toEqual({ nodeMs: 28, oneTargetCpuMs: 403.3 });
    expect(verdict.goals.filter((g) => !g.met)).toEqual([]);
    expect(verdict.met).toBe(verdict.of);
    expect(verdict.of).toBe(16);
    expect(verdict.goals.find((g) => g.goal.startsWith('depth with client secrets'))?.measured).toBe('3 (seen: 3, 4)');
    expect(verdict.goals.find((g) => g.goal.startsWith('200 targets: CPU'))?.measured).toBe('9.3 ms (start included: 11.3 ms)');
  });

  it('says which goals a run misses, and by what figure', () => {
    const verdict = judgeGoals(lines({ cpu200: 12.5, firstRequest: 204, falseAt1000: ['lab-9'] }));
    expect(verdict.goals.filter((g) => !g.met).map((g) => [g.goal, g.measured])).toEqual([
      ['200 targets: CPU per target <= 10 ms (what a target adds to a run of one)', '12.5 ms (start included: 11.3 ms)'],
      ['1000 targets: no false result', 'lab-9'],
      ['`run`: first request <= 180 ms after start', '204 ms'],
    ]);
    expect(verdict.met).toBe(verdict.of - 3);
  });

  it('leaves out the goals of scenarios that did not run', () => {
    const verdict = judgeGoals(lines().filter((l) => l.scenario === 'cold-start'));
    expect(verdict.goals.map((g) => g.issue)).toEqual([19, 19, 19]);
    expect(verdict.machine).toEqual({ nodeMs: 28 });
  });
});

// Fleet progress in the live view: targets done of total, on the status line (TTY) and as an
// occasional plain line (CI, pipes), fed by the engine's target-end events.
import { describe, expect, it } from 'vitest';
import { createLiveRenderer, isProgressStep } from '../../../reports/live.js';
import type { EngineEvent } from '../../../src/engine/run.js';
import { healthyReport } from '../../helpers/sample-report.js';

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 120, write: (s: string) => chunks.push(s) }, text: () => chunks.join('') };
}

/** The events of a run of `report`, target after target, each closed by its target-end. */
function events(report = healthyReport(25)): EngineEvent[] {
  const out: EngineEvent[] = [];
  report.targets.forEach((t, i) => {
    for (const r of t.results) out.push({ type: 'check-start', target: t.name, checkId: r.checkId }, { type: 'check-end', target: t.name, result: r });
    out.push({ type: 'target-end', target: t.name, done: i + 1, total: report.targets.length, index: i, report: t });
  });
  return out;
}

describe('fleet progress', () => {
  it('steps: every target up to ten, then every tenth, always the last', () => {
    expect([1, 2, 3].filter((d) => isProgressStep(d, 3))).toEqual([1, 2, 3]);
    const steps = Array.from({ length: 200 }, (_, i) => i + 1).filter((d) => isProgressStep(d, 200));
    expect(steps).toEqual([20, 40, 60, 80, 100, 120, 140, 160, 180, 200]);
    expect(Array.from({ length: 25 }, (_, i) => i + 1).filter((d) => isProgressStep(d, 25))).toEqual([3, 5, 8, 10, 13, 15, 18, 20, 23, 25]);
  });

  it('plain output prints "targets N/M done" every tenth of the fleet, between the result lines', () => {
    const out = capture(false);
    const report = healthyReport(25);
    const live = createLiveRenderer({ stream: out.stream, env: {}, targets: 25 });
    for (const e of events(report)) live.onEvent(e);
    live.finish(report);
    const progress = out.text().split('\n').filter((l) => l.startsWith('targets '));
    expect(progress).toEqual([3, 5, 8, 10, 13, 15, 18, 20, 23, 25].map((n) => `targets ${n}/25 done`));
  });

  it('one target: no progress lines; quiet: none either', () => {
    const single = capture(false);
    const one = createLiveRenderer({ stream: single.stream, env: {}, targets: 1 });
    for (const e of events(healthyReport(1))) one.onEvent(e);
    expect(single.text()).not.toMatch(/^targets /m);
    const quiet = capture(false);
    const q = createLiveRenderer({ stream: quiet.stream, env: {}, targets: 25, quiet: true });
    for (const e of events()) q.onEvent(e);
    expect(quiet.text()).toBe('');
  });

  it('on a TTY the status line counts targets done of total', () => {
    const out = capture(true);
    const live = createLiveRenderer({ stream: out.stream, env: {}, color: false, tickMs: 0, targets: 3, totalChecks: 69 });
    const [first] = healthyReport(1).targets;
    live.onEvent({ type: 'target-end', target: 'prod-0', done: 1, total: 3, index: 0, report: first! });
    live.onEvent({ type: 'check-start', target: 'prod-1', checkId: 'consumer.pe-found' });
    expect(out.chunks.at(-1)).toMatch(/targets 1\/3 · checks 0\/69 running 1: consumer\.pe-found \[prod-1\]$/);
    expect(out.text()).not.toMatch(/targets 1\/3 done/);
    live.stop();
  });
});

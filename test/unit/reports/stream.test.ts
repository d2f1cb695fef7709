// report.json written as each target finishes (reports/stream.ts) is the same file, byte for byte,
// as the whole report rendered at the end: the same real engine run written both ways.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderJson, renderWrittenJson } from '../../../reports/json.js';
import { openTargetSpool, type TargetSpool } from '../../../reports/stream.js';
import { writeReports } from '../../../reports/write.js';
import { REPORT_FORMATS, FORMATS } from '../../../reports/formats.js';
import { testConfig } from '../../../src/config/defaults.js';
import { defineFact, withFacts } from '../../../src/engine/define.js';
import { runDiagnosis } from '../../../src/engine/run.js';
import type { RunReport } from '../../../src/engine/types.js';
import { clearRegisteredSecrets, registerSecret } from '../../../src/text/secrets.js';
import { NASTY } from '../../helpers/sample-report.js';

const SECRET = 'sEcReT-value-0123456789';

// Each target's fact answers after a delay of its own, so targets finish out of config order.
const facts = [
  defineFact({
    id: 'test.zone',
    version: 1,
    description: 'the zone',
    key: async ({ target }) => target.name,
    gather: async ({ target }) => {
      const n = Number(target.name.slice(1));
      await new Promise((done) => setTimeout(done, ((n * 7) % 11) * 2));
      return { linked: n % 5 !== 3, note: NASTY, echoed: n === 4 ? `header Authorization: Bearer abcdefghijklmnop, later ${SECRET}` : 'none' };
    },
  }),
  defineFact({ id: 'test.shared', version: 1, description: 'a fact every target shares', gather: async () => ({ subscriptions: ['s1', 's2'] }) }),
];
const { defineCheck } = withFacts(facts);
const check = (id: string, extra: Partial<Parameters<typeof defineCheck>[0]>) =>
  defineCheck({ id, title: `title of ${id}`, side: id.split('.')[0] as 'consumer', severity: 'high', needs: [], after: [], docStep: '7', explain: 'x', fix: { summary: `fix ${id}`, steps: [] }, run: () => ({ status: 'pass', message: 'ok' }), ...extra });
const checks = [
  check('consumer.zone-linked', {
    needs: ['test.zone', 'test.shared'],
    run: ({ facts: f }) => {
      const zone = f.value('test.zone');
      return zone.linked ? { status: 'pass', message: 'linked', evidence: { zone } } : { status: 'fail', message: `not linked ${NASTY}`, evidence: { zone, big: 'z'.repeat(5000) } };
    },
  }),
  check('local.dns-private', { after: ['consumer.zone-linked'] }),
  check('consumer.zone-records', { run: () => ({ status: 'warn', message: `stale record ]]> ${NASTY}`, evidence: { stale: ['10.9.9.9'] } }) }),
];

/** A fleet run, each target handed to `spool` as the engine finishes it (as the CLI does). */
async function fleetRun(spool?: TargetSpool): Promise<{ report: RunReport; order: number[] }> {
  const config = testConfig({ targets: Array.from({ length: 24 }, (_, i) => ({ name: `t${i + 1}`, workspaceId: `cfafbeb1-8037-4d0c-896e-a46fb27f${String(1000 + i)}` })) });
  const order: number[] = [];
  const report = await runDiagnosis({
    config: { ...config, concurrency: { ...config.concurrency, targets: 5 } },
    checks,
    facts,
    onEvent: (e) => {
      if (e.type !== 'target-end') return;
      order.push(e.index);
      spool?.add(e.index, e.report);
    },
    now: () => new Date('2025-06-01T10:00:00.123Z'),
  });
  return { report, order };
}

const read = (dir: string, format: (typeof REPORT_FORMATS)[number]) => readFileSync(join(dir, FORMATS[format].file), 'utf8');

describe('report.json streamed target by target', () => {
  afterEach(() => clearRegisteredSecrets());

  it('is byte-identical to the whole report written at the end, every format, targets finishing out of order', async () => {
    const base = mkdtempSync(join(tmpdir(), 'xtd-stream-'));
    const streamed = join(base, 'streamed');
    const whole = join(base, 'whole');
    const spool = await openTargetSpool(streamed);
    const { report, order } = await fleetRun(spool);
    // The run really finished its targets out of config order, so the spool had to put them back.
    expect(order).not.toEqual([...order].sort((a, b) => a - b));
    expect(readdirSync(base).some((name) => name.startsWith('.streamed.xtd-spool-'))).toBe(true);

    // Every target's text comes from the spool (else this would compare the whole renderer with itself).
    expect(report.targets.filter((t, i) => spool.text(i, t) === undefined)).toEqual([]);
    await writeReports(report, streamed, REPORT_FORMATS, { writtenTargets: spool });
    await spool.dispose();
    await writeReports(report, whole, REPORT_FORMATS);
    for (const format of REPORT_FORMATS) expect(read(streamed, format), format).toBe(read(whole, format));
    // The secret pattern in target 4's evidence is scrubbed in both; the text is otherwise the report.
    expect(read(streamed, 'json')).toContain('Bearer [redacted]');
    expect(read(streamed, 'json')).toBe(renderJson(JSON.parse(read(streamed, 'json')) as RunReport));
    // The spool is gone once disposed: nothing is left beside the reports.
    expect(readdirSync(base).sort()).toEqual(['streamed', 'whole']);
  });

  it('a secret registered after a target was written is still replaced in report.json', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'xtd-stream-')), 'out');
    const spool = await openTargetSpool(dir);
    const { report } = await fleetRun(spool);
    registerSecret(SECRET);
    await writeReports(report, dir, ['json'], { writtenTargets: spool });
    await spool.dispose();
    const text = readFileSync(join(dir, 'report.json'), 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).toContain('later [redacted]');
    expect(text).toBe(renderJson(JSON.parse(text) as RunReport));
  });

  it('a target replaced after it was written (a revised report) is rendered from the report, not the spool', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'xtd-stream-')), 'out');
    const spool = await openTargetSpool(dir);
    const { report } = await fleetRun(spool);
    const revised: RunReport = { ...report, interrupted: true, targets: report.targets.map((t, i) => (i === 2 ? { ...t, name: 'renamed' } : t)) };
    await writeReports(revised, dir, ['json'], { writtenTargets: spool });
    await spool.dispose();
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe([...renderWrittenJson(revised)].join(''));
  });

  it('a spool whose file is gone (a failed write, a cleaned temp folder) costs nothing but the saving', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'xtd-stream-')), 'out');
    const spool = await openTargetSpool(dir);
    const { report } = await fleetRun(spool);
    await spool.dispose();
    expect(readdirSync(dirname(dir))).toEqual([]);
    await writeReports(report, dir, ['json'], { writtenTargets: spool });
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe([...renderWrittenJson(report)].join(''));
  });
});

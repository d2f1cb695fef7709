// report.json written as each target finishes (reports/stream.ts) is the same file, byte for byte,
// as the whole report rendered at the end: the same real engine run written both ways.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderJson, renderWrittenJson } from '../../../reports/json.js';
import { openReportSpool, type ReportSpool } from '../../../reports/stream.js';
import { writeReports } from '../../../reports/write.js';
import { REPORT_FORMATS, FORMATS } from '../../../reports/formats.js';
import { testConfig } from '../../../src/config/defaults.js';
import { defineFact, withFacts } from '../../../src/engine/define.js';
import { runDiagnosis } from '../../../src/engine/run.js';
import type { RecordedFact, RunReport } from '../../../src/engine/types.js';
import { clearRegisteredSecrets, registerSecret } from '../../../src/text/secrets.js';
import { NASTY } from '../../helpers/sample-report.js';

const SECRET = 'sEcReT-value-0123456789';
let sharedGathers = 0;

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
  defineFact({
    id: 'test.shared',
    version: 1,
    description: 'a fact every target shares',
    key: async () => 'all',
    gather: async () => {
      sharedGathers++;
      return { subscriptions: ['s1', 's2'] };
    },
  }),
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

/** A fleet run, each target and its own facts handed to `spool` as the engine finishes it (as the CLI does). */
async function fleetRun(spool?: ReportSpool, window = 5): Promise<{ report: RunReport; order: number[] }> {
  const config = testConfig({ targets: Array.from({ length: 24 }, (_, i) => ({ name: `t${i + 1}`, workspaceId: `cfafbeb1-8037-4d0c-896e-a46fb27f${String(1000 + i)}` })) });
  const order: number[] = [];
  const report = await runDiagnosis({
    config: { ...config, concurrency: { ...config.concurrency, targets: window } },
    checks,
    facts,
    ...(spool ? { factSpill: spool } : {}),
    onEvent: (e) => {
      if (e.type !== 'target-end') return;
      order.push(e.index);
      spool?.addTarget(e.index, e.report);
    },
    now: () => new Date('2025-06-01T10:00:00.123Z'),
  });
  return { report, order };
}

/** A spool that also keeps, aside, every fact the run put in it (the objects themselves, not their text). */
function recording(spool: ReportSpool): { spool: ReportSpool; put: Map<string, RecordedFact> } {
  const put = new Map<string, RecordedFact>();
  return {
    put,
    spool: {
      ...spool,
      put: (key, fact) => {
        put.set(key, fact);
        return spool.put(key, fact);
      },
    },
  };
}

/** The report the run would hold without a spill: its facts and the ones it put aside, in the run's order. */
function whole(report: RunReport, put: Map<string, RecordedFact>): RunReport {
  const facts = { ...Object.fromEntries(put), ...report.facts };
  return { ...report, facts: Object.fromEntries(Object.entries(facts).sort(([a], [b]) => a.localeCompare(b))) };
}

const read = (dir: string, format: (typeof REPORT_FORMATS)[number]) => readFileSync(join(dir, FORMATS[format].file), 'utf8');

describe('report.json streamed target by target', () => {
  afterEach(() => clearRegisteredSecrets());

  it('is byte-identical to the whole report written at the end, every format, targets finishing out of order', async () => {
    const base = mkdtempSync(join(tmpdir(), 'xtd-stream-'));
    const streamed = join(base, 'streamed');
    const wholeDir = join(base, 'whole');
    const { spool, put } = recording(await openReportSpool(streamed));
    const { report, order } = await fleetRun(spool);
    // The facts each target alone used left the run's memory; the one they share stayed.
    expect(Object.keys(report.facts)).toEqual(['test.shared@all']);
    expect(put.size).toBe(24);
    // The run really finished its targets out of config order, so the spool had to put them back.
    expect(order).not.toEqual([...order].sort((a, b) => a - b));
    expect(readdirSync(base).some((name) => name.startsWith('.streamed.spool.xtd-'))).toBe(true);

    // Every target's text comes from the spool (else this would compare the whole renderer with itself).
    expect(report.targets.filter((t, i) => spool.targetText(i, t) === undefined)).toEqual([]);
    await writeReports(report, streamed, REPORT_FORMATS, { written: spool });
    await spool.dispose();
    await writeReports(whole(report, put), wholeDir, REPORT_FORMATS);
    for (const format of REPORT_FORMATS) expect(read(streamed, format), format).toBe(read(wholeDir, format));
    // The secret pattern in target 4's evidence is scrubbed in both; the text is otherwise the report.
    expect(read(streamed, 'json')).toContain('Bearer [redacted]');
    expect(read(streamed, 'json')).toBe(renderJson(JSON.parse(read(streamed, 'json')) as RunReport));
    // The spool is gone once disposed: nothing is left beside the reports.
    expect(readdirSync(base).sort()).toEqual(['streamed', 'whole']);
  });

  it('one target at a time: a shared fact put aside after the first target is read back for the next, never gathered again', async () => {
    const base = mkdtempSync(join(tmpdir(), 'xtd-stream-'));
    const { spool, put } = recording(await openReportSpool(join(base, 'streamed')));
    sharedGathers = 0;
    const { report } = await fleetRun(spool, 1);
    expect(sharedGathers).toBe(1);
    expect([...put.keys()].filter((key) => key.startsWith('test.shared@'))).toEqual(['test.shared@all']);
    await writeReports(report, join(base, 'streamed'), ['json'], { written: spool });
    await spool.dispose();
    await writeReports(whole(report, put), join(base, 'whole'), ['json']);
    expect(read(join(base, 'streamed'), 'json')).toBe(read(join(base, 'whole'), 'json'));
    expect(Object.keys((JSON.parse(read(join(base, 'streamed'), 'json')) as RunReport).facts)).toHaveLength(25);
  });

  it('a secret registered after a target was written is still replaced in report.json', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'xtd-stream-')), 'out');
    const spool = await openReportSpool(dir);
    const { report } = await fleetRun(spool);
    registerSecret(SECRET);
    await writeReports(report, dir, ['json'], { written: spool });
    await spool.dispose();
    const text = readFileSync(join(dir, 'report.json'), 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).toContain('later [redacted]');
    expect(text).toBe(renderJson(JSON.parse(text) as RunReport));
  });

  it('a target replaced after it was written (a revised report) is rendered from the report, not the spool', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'xtd-stream-')), 'out');
    const { spool, put } = recording(await openReportSpool(dir));
    const { report } = await fleetRun(spool);
    const revised: RunReport = { ...report, interrupted: true, targets: report.targets.map((t, i) => (i === 2 ? { ...t, name: 'renamed' } : t)) };
    await writeReports(revised, dir, ['json'], { written: spool });
    await spool.dispose();
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe([...renderWrittenJson(whole(revised, put))].join(''));
  });

  it('a target the spool did not take is rendered at the end; a fact it cannot give back fails the write, naming it', async () => {
    const base = mkdtempSync(join(tmpdir(), 'xtd-stream-'));
    const { spool, put } = recording(await openReportSpool(join(base, 'out')));
    const { report } = await fleetRun({ ...spool, addTarget: () => undefined });
    expect(report.targets.filter((t, i) => spool.targetText(i, t) !== undefined)).toEqual([]);
    await writeReports(report, join(base, 'out'), ['json'], { written: spool });
    expect(read(join(base, 'out'), 'json')).toBe([...renderWrittenJson(whole(report, put))].join(''));

    const factKeys = spool.factKeys;
    const lost = { ...spool, factKeys: () => [...factKeys()], factText: () => undefined };
    await expect(writeReports(report, join(base, 'lost'), ['json'], { written: lost })).rejects.toThrow(/report\.json.*test\.zone@t\d+.*could not be read back/);
    await spool.dispose();
    expect(readdirSync(base).sort()).toEqual(['lost', 'out']);
  });
});

// Lists never half-read (issue 13 item 4, issue 19 item 2), end to end with the built CLI against the
// lab: a target reads its five record sets by name, so in a shared zone of 5,000 records it makes
// exactly the requests it makes in a zone of its own (counted from the lab's request log, not timed)
// and no false "missing"; a fleet of 1000 targets in one shared zone gives no false result; a list
// that loops or never ends gives `error` naming the cut, never `fail`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabOptions } from '../../src/lab/server.js';
import { startLab, type Lab, type LabRequestLogEntry } from '../../src/lab/server.js';
import { describeRun, readReport, runGuardedCli, withStatus } from '../helpers/lab-cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xtd-lists-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const CONTROL_PLANE = new Set(['identity', 'arm', 'fabric']);

/** Runs the doctor once against a fresh lab; returns the report, the exit and the lab's control-plane requests. */
async function diagnose(name: string, options: LabOptions) {
  const lab: Lab = await startLab({ seed: 'lists', ...options });
  try {
    return await diagnoseLab(lab, name);
  } finally {
    await lab.stop();
  }
}

/** One run against a running lab; `only` keeps one target of the lab's config (by index). */
async function diagnoseLab(lab: Lab, name: string, only?: number) {
  const config = await lab.writeConfig(join(dir, name));
  if (only !== undefined) {
    const json = JSON.parse(readFileSync(config, 'utf8')) as { targets: unknown[] };
    json.targets = [json.targets[only]];
    writeFileSync(config, JSON.stringify(json));
  }
  const out = join(dir, name, 'out');
  const before = lab.requestLog().length;
  const result = await runGuardedCli(['run', '-c', config, '--out', out, '--format', 'json', '--quiet'], { env: lab.secretEnv() });
  const requests = lab.requestLog().slice(before).filter((e: LabRequestLogEntry) => CONTROL_PLANE.has(e.service) && !e.probe);
  return { result, report: readReport(out), requests };
}

const requestLines = (requests: LabRequestLogEntry[]) => requests.map((e) => `${e.service} ${e.method} ${e.path.toLowerCase()}`).sort();

describe('a single target in a shared zone', () => {
  it('in a zone of 5,000 records: no false fail, and exactly the requests of a zone of its own five', async () => {
    const [small, big] = await Promise.all([diagnose('zone-5', {}), diagnose('zone-5000', { zoneRecords: 5000 })]);
    for (const run of [small, big]) {
      expect(run.result.code, describeRun(run.result)).toBe(0);
      expect(withStatus(run.report.targets[0]!.results, 'fail')).toEqual([]);
      expect(withStatus(run.report.targets[0]!.results, 'error')).toEqual([]);
    }
    expect(requestLines(big.requests)).toEqual(requestLines(small.requests));
    const records = big.report.targets[0]!.results.find((r) => r.checkId === 'consumer.zone-records')!;
    expect(records).toMatchObject({ status: 'pass', evidence: { recordsRead: 'by-name', staleSearched: false } });
    // The five record sets by name, and one page of the zone's list (for stale records in a small zone).
    const zoneId = big.report.targets[0]!.results.find((r) => r.checkId === 'consumer.zone-records')!.evidence.zoneId as string;
    expect(big.requests.filter((e) => e.path.toLowerCase().startsWith(`${zoneId}/A/`.toLowerCase()))).toHaveLength(5);
    expect(big.requests.filter((e) => e.path.toLowerCase() === `${zoneId}/A`.toLowerCase())).toHaveLength(1);
  }, 120_000);

  it('a stale record is still found in a zone whose list fits one page', async () => {
    const run = await diagnose('stale', { faults: ['record-stale'] });
    const records = run.report.targets[0]!.results.find((r) => r.checkId === 'consumer.zone-records')!;
    expect(records).toMatchObject({ status: 'warn', evidence: { staleSearched: true } });
  }, 120_000);
});

describe('a fleet of 1000 targets in one shared zone', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ seed: 'lists', targets: 1000 });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('one target of that zone alone: reads its five record sets by name, no false result', async () => {
    const run = await diagnoseLab(lab, 'fleet-one', 499);
    expect(run.result.code, describeRun(run.result)).toBe(0);
    expect(run.report.summary).toMatchObject({ fail: 0, error: 0, warn: 0 });
    expect(run.report.targets[0]!.results.find((r) => r.checkId === 'consumer.zone-records')).toMatchObject({ status: 'pass', evidence: { recordsRead: 'by-name' } });
  }, 120_000);

  it('gives no false result: every target passes, the zone read once with the largest pages', async () => {
    const run = await diagnoseLab(lab, 'fleet-1000');
    expect(run.result.code, describeRun(run.result)).toBe(0);
    expect(run.report.targets).toHaveLength(1000);
    expect(run.report.summary).toMatchObject({ fail: 0, error: 0, warn: 0 });
    // 5000 record sets in pages of 1000: five pages, not 5000 GETs by name.
    const zoneId = run.report.targets[0]!.results.find((r) => r.checkId === 'consumer.zone-records')!.evidence.zoneId as string;
    expect(run.requests.filter((e) => e.path.toLowerCase() === `${zoneId}/A`.toLowerCase())).toHaveLength(5);
    expect(run.requests.filter((e) => e.path.toLowerCase().startsWith(`${zoneId}/A/`.toLowerCase()))).toHaveLength(0);
  }, 900_000);
});

describe('a list the lab loops or never ends', () => {
  for (const listChaos of ['loop', 'endless'] as const) {
    it(`${listChaos}: error naming the cut on the checks that read a list, never fail`, async () => {
      const run = await diagnose(`chaos-${listChaos}`, { listChaos });
      expect(run.result.code, describeRun(run.result)).toBe(3);
      const results = run.report.targets[0]!.results;
      expect(withStatus(results, 'fail')).toEqual([]);
      expect(withStatus(results, 'error')).toEqual(['consumer.zone-linked', 'provider.capacity-sku', 'provider.tenant-setting']);
      for (const id of ['consumer.zone-linked', 'provider.capacity-sku', 'provider.tenant-setting']) {
        expect(results.find((r) => r.checkId === id)!.message, id).toMatch(listChaos === 'loop' ? /not read to its end: its next-page link repeats/ : /not read to its end: stopped at the page cap/);
      }
      // The record sets are read by name: the zone's endless list decides nothing.
      expect(results.find((r) => r.checkId === 'consumer.zone-records')).toMatchObject({ status: 'pass', evidence: { recordsRead: 'by-name', staleSearched: false } });
    }, 120_000);
  }

  it('a fleet whose group and zone lists loop falls back to reading each resource: no false result', async () => {
    const run = await diagnose('chaos-fleet', { targets: 3, listChaos: 'loop' });
    for (const target of run.report.targets) {
      expect(withStatus(target.results, 'fail'), target.name).toEqual([]);
      expect(withStatus(target.results, 'pass')).toEqual(expect.arrayContaining(['consumer.pe-found', 'provider.pls-found', 'consumer.zone-records']));
    }
  }, 120_000);
});

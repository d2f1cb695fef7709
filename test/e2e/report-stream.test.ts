// The built CLI on a lab fleet: report.json, written as the run went (each target as it finished,
// the facts only it used put aside), is a whole report: valid against its schema, every fact a
// result names is there, it reads back as the text the whole-report writer gives, and `replay`
// re-evaluates it to the same statuses, offline.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../reports/json.js';
import type { RunReport } from '../../src/engine/types.js';
import { runGuardedCli } from '../helpers/lab-cli.js';
import { expectValidReport } from '../helpers/report-schema.js';

describe('report.json of a fleet, written as the run went', () => {
  it('is whole, valid, the whole-report text, and replays to the same statuses', { timeout: 180_000 }, async () => {
    const parent = mkdtempSync(join(tmpdir(), 'xtd-stream-e2e-'));
    const out = join(parent, 'out');
    const run = await runGuardedCli(['demo', '--targets', '30', '--fault', 'record-missing@7', '--out', out, '--quiet', '--format', 'json,md']);
    expect(run.code, run.stderr).toBe(1);
    // The spool is gone: only the reports are left.
    expect(readdirSync(parent)).toEqual(['out']);
    const text = readFileSync(join(out, 'report.json'), 'utf8');
    const report = JSON.parse(text) as RunReport;
    expectValidReport(report);
    expect(text).toBe(renderJson(report));
    expect(report.targets.map((t) => t.name)).toHaveLength(30);
    const named = report.targets.flatMap((t) => [...Object.values(t.factRefs), ...t.results.flatMap((r) => r.facts)]);
    expect(named.filter((key) => !report.facts[key])).toEqual([]);
    // Far more facts than the run kept shared: the targets' own were put aside and read back.
    expect(Object.keys(report.facts).length).toBeGreaterThan(30 * 10);

    const replay = await runGuardedCli(['replay', join(out, 'report.json'), '--json']);
    expect(replay.code, replay.stderr).toBe(1);
    const replayed = JSON.parse(replay.stdout) as RunReport;
    const statuses = (r: RunReport) => r.targets.map((t) => t.results.map((x) => `${t.name} ${x.checkId} ${x.status}`));
    expect(statuses(replayed)).toEqual(statuses(report));
    expect(replayed.summary).toEqual(report.summary);
  });
});

// Issue 18, merge: two runs of the same lab fleet from two vantage points (one sees the zone
// unlinked from its VNet) join into one report that shows the difference per vantage point, valid
// against the schema, in every format.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/engine/types.js';
import type { CliResult } from '../helpers/cli.js';
import { describeRun, readReport, runGuardedCli } from '../helpers/lab-cli.js';
import { expectValidReport } from '../helpers/report-schema.js';
import { JUNIT_XSDS, requireTool, xmllintSchema } from '../helpers/tools.js';

const dir = mkdtempSync(join(tmpdir(), 'xtd-merge-'));
const at = (...p: string[]) => join(dir, ...p);
let merged: CliResult;
let report: RunReport;

beforeAll(async () => {
  const [a, b] = await Promise.all([
    runGuardedCli(['demo', '--targets', '2', '--vantage', 'spoke-a', '--quiet', '--out', at('a')]),
    runGuardedCli(['demo', '--targets', '2', '--fault', 'zone-unlinked', '--vantage', 'spoke-b', '--quiet', '--out', at('b')]),
  ]);
  expect(a.code, describeRun(a)).toBe(0);
  expect(b.code, describeRun(b)).toBe(1);
  merged = await runGuardedCli(['merge', at('a', 'report.json'), at('b', 'report.json'), '--out', at('merged')]);
  report = readReport(at('merged'));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('merge of two vantage points', () => {
  it('exits with the gate of the merged results and names the vantage points', () => {
    expect(merged.code, describeRun(merged)).toBe(1);
    expect(merged.stdout).toContain('merged 2 vantage points: spoke-a');
    expect(merged.stdout).toMatch(/Seen differently from different vantage points:[\s\S]*local\.dns-private[\s\S]*pass\s+from spoke-a[\s\S]*fail\s+from spoke-b/);
  });

  it('writes one report, valid against the schema, with each observation kept per vantage point', () => {
    expectValidReport(report);
    expect(report.mode).toBe('merged');
    expect(report.vantagePoints?.map((v) => v.id)).toEqual(['spoke-a', 'spoke-b']);
    const target = report.targets[0]!;
    const dns = target.results.filter((r) => r.checkId === 'local.dns-private');
    expect(dns.map((r) => [r.vantage, r.status])).toEqual([
      ['spoke-a', 'pass'],
      ['spoke-b', 'fail'],
    ]);
    // The control plane read the same from both for the provider side: kept once.
    expect(target.results.filter((r) => r.checkId === 'provider.workspace-found')).toHaveLength(1);
    // The zone link differs (the fault is the second VNet's view): kept per vantage point.
    expect(target.results.filter((r) => r.checkId === 'consumer.zone-linked').map((r) => r.status)).toEqual(['pass', 'fail']);
    expect(report.targets).toHaveLength(2);
  });

  it('writes every format, JUnit valid against both schemas with a test case per vantage point', () => {
    requireTool('xmllint', 'libxml2-utils');
    const junit = at('merged', 'report.junit.xml');
    for (const xsd of JUNIT_XSDS) expect(xmllintSchema(junit, xsd).ok).toBe(true);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('@ spoke-a]');
    expect(xml).toContain('@ spoke-b]');
    const html = readFileSync(at('merged', 'report.html'), 'utf8');
    // Targets × vantage points: each target's row is red from spoke-b only.
    expect(html).toContain('Targets × vantage points');
    for (const target of report.targets) {
      const name = target.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const row = new RegExp(`<tr><th scope="row"><a href="#t-\\d+">${name}</a></th>(.*?)</tr>`).exec(html.slice(html.indexOf('Targets × vantage points')))?.[1] ?? '';
      expect(row).toContain('data-vantage="spoke-a" data-status="pass"');
      expect(row).toContain('data-vantage="spoke-b" data-status="fail"');
    }
    expect(readFileSync(at('merged', 'report.md'), 'utf8')).toContain('spoke-b');
  });

  it('refuses a file that is not a report with exit 2, naming it', async () => {
    const run = await runGuardedCli(['merge', at('a', 'report.json'), at('nope.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nope.json');
  });
});

// A real engine run (checks and facts defined here, no network) through every writer: the JUnit is
// valid against both XSDs, and the JSON, JUnit, HTML and Markdown agree on every count.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLiveRenderer } from '../../reports/live.js';
import { countResults } from '../../reports/model.js';
import { writeReports } from '../../reports/write.js';
import { testConfig } from '../../src/config/defaults.js';
import { defineFact, withFacts } from '../../src/engine/define.js';
import { runDiagnosis } from '../../src/engine/run.js';
import { STATUSES, unavailable, type RunReport, type Status } from '../../src/engine/types.js';
import { NASTY } from '../helpers/sample-report.js';
import { JUNIT_XSDS, requireTool, xmllintSchema } from '../helpers/tools.js';

const facts = [
  defineFact({ id: 'test.zone', version: 1, description: 'the zone', gather: async ({ target }) => ({ linked: target.name !== 'broken', note: NASTY }) }),
  defineFact({ id: 'test.denied', version: 1, description: 'a forbidden read', gather: async () => unavailable('forbidden', 'AuthorizationFailed', { httpStatus: 403, neededRole: 'Reader', requestId: 'r-1' }) }),
];
const { defineCheck } = withFacts(facts);
const check = (id: string, extra: Partial<Parameters<typeof defineCheck>[0]>) =>
  defineCheck({ id, title: `title of ${id}`, side: id.split('.')[0] as 'consumer', severity: 'high', needs: [], after: [], docStep: '7', explain: 'x', fix: { summary: `fix ${id}`, steps: [] }, run: () => ({ status: 'pass', message: 'ok' }), ...extra });
const checks = [
  check('consumer.zone-linked', {
    needs: ['test.zone'],
    run: ({ facts: f }) => {
      const zone = f.value('test.zone');
      return zone.linked ? { status: 'pass', message: 'linked', evidence: { zone } } : { status: 'fail', message: `not linked ${NASTY}`, evidence: { zone, big: 'z'.repeat(9000) } };
    },
  }),
  check('local.dns-private', { after: ['consumer.zone-linked'] }),
  check('provider.workspace-found', { needs: ['test.denied'], run: ({ facts: f }) => (f.value('test.denied'), { status: 'pass', message: 'unreachable' }) }),
  check('consumer.zone-records', { run: () => ({ status: 'warn', message: `stale record ]]> ${NASTY}`, evidence: { stale: ['10.9.9.9'] } }) }),
  check('public.access-denied-probe', { applies: () => 'the public probe is off (probes.public)' }),
];

async function realRun(): Promise<{ report: RunReport; live: string }> {
  const config = testConfig({
    targets: [
      { name: 'healthy', workspaceId: 'cfafbeb1-8037-4d0c-896e-a46fb27ff227' },
      { name: 'broken', workspaceId: 'cfafbeb1-8037-4d0c-896e-a46fb27ff228' },
    ],
  });
  let live = '';
  // Verbose: the log of each result as it lands, then the grouped view.
  const renderer = createLiveRenderer({ stream: { isTTY: false, write: (s: string) => (live += s) }, env: {}, targets: 2, verbose: true });
  const report = await runDiagnosis({ config, checks, facts, onEvent: renderer.onEvent, now: () => new Date('2025-06-01T10:00:00.123Z') });
  renderer.finish(report);
  return { report, live };
}

function xpath(file: string, expr: string): number {
  requireTool('xmllint', 'libxml2-utils');
  const run = spawnSync('xmllint', ['--xpath', expr, file], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`xmllint --xpath ${expr}: ${run.stderr}`);
  return Number(run.stdout.trim());
}

describe('one real run, every report', () => {
  it('JUnit of a run whose evidence has ANSI codes, controls, ]]> and non-ASCII is valid against both XSDs', async () => {
    const { report } = await realRun();
    const dir = mkdtempSync(join(tmpdir(), 'xtd-run-'));
    const [file] = await writeReports(report, dir, ['junit']);
    for (const xsd of JUNIT_XSDS) {
      const { ok, output } = xmllintSchema(file!, xsd);
      expect(ok, output).toBe(true);
    }
    const xml = readFileSync(file!, 'utf8');
    expect(xml).toContain('café Zürich 東京 😀');
    expect(xml).not.toContain('\u001b');
  });

  it('JSON, JUnit, HTML, Markdown and the terminal agree on every count', async () => {
    const { report, live } = await realRun();
    const dir = mkdtempSync(join(tmpdir(), 'xtd-run-'));
    await writeReports(report, dir);
    const all = report.targets.flatMap((t) => t.results);
    const counts = countResults(all);
    expect(counts).toEqual({ pass: 2, warn: 2, fail: 1, skip: 3, error: 2 });

    // JSON: the summary matches the results.
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunReport;
    expect(json).toEqual(report);
    for (const s of STATUSES) expect(json.summary[s]).toBe(counts[s]);

    // JUnit, read by xmllint: totals, elements and the status properties.
    const xmlFile = join(dir, 'report.junit.xml');
    expect(xpath(xmlFile, 'count(//testcase)')).toBe(all.length);
    expect(xpath(xmlFile, 'sum(//testsuite/@tests)')).toBe(all.length);
    expect(xpath(xmlFile, 'count(//testcase/failure)')).toBe(counts.fail);
    expect(xpath(xmlFile, 'sum(//testsuite/@failures)')).toBe(counts.fail);
    expect(xpath(xmlFile, 'count(//testcase/error)')).toBe(counts.error);
    expect(xpath(xmlFile, 'sum(//testsuite/@errors)')).toBe(counts.error);
    expect(xpath(xmlFile, 'count(//testcase/skipped)')).toBe(counts.skip + counts.warn);
    expect(xpath(xmlFile, 'sum(//testsuite/@skipped)')).toBe(counts.skip + counts.warn);
    expect(xpath(xmlFile, 'count(//testcase/skipped[starts-with(@message, "warning: ")])')).toBe(counts.warn);
    for (const s of STATUSES) expect(xpath(xmlFile, `sum(//property[@name="count.${s}"]/@value)`)).toBe(counts[s]);

    // HTML: the tally, the rows, the per-target pills and the island.
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    for (const s of STATUSES) {
      expect(html).toContain(`<li class="s-${s}"><span class="n">${counts[s]}</span>`);
      expect(html.match(new RegExp(`<li class="check s-${s}"`, 'g'))?.length ?? 0).toBe(counts[s]);
    }
    for (const t of report.targets) {
      const c = countResults(t.results);
      const section = html.slice(html.indexOf(`<span class="tname">${t.name}</span>`));
      for (const s of ['pass', 'fail', 'warn', 'skip'] as Status[]) if (c[s]) expect(section).toMatch(new RegExp(`<span class="pill s-${s}">${c[s]} `));
    }
    const island = JSON.parse(html.match(/<script type="application\/json" id="report-data">([^<]*)<\/script>/)![1]!);
    expect(island.meta.summary).toEqual(report.summary);

    // Markdown: the counts line and the per-target table.
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    const line = `${counts.pass} passed, ${counts.fail} failed, ${counts.warn} warned, ${counts.skip} skipped, ${counts.error} errors`;
    expect(md).toContain(`**${line}**`);
    for (const t of report.targets) {
      const c = countResults(t.results);
      expect(md).toMatch(new RegExp(`\\| ${t.name} \\| \`[0-9a-f-]+\` \\| [^|]+ \\|[^|]*\\| ${c.pass} \\| ${c.fail} \\| ${c.warn} \\| ${c.skip} \\| ${c.error} \\|`));
    }
    // The root cause's section names the check and how many targets fail it.
    expect(md).toMatch(new RegExp(`^\`consumer\\.zone-linked\` · .* · on ${counts.fail} targets? of 2: broken$`, 'm'));

    // The terminal: a line per result as it landed, and the same closing line.
    expect(live).toContain(`\n${line}\n`);
    expect(live.split('\n').filter((l) => /^[✓!✗?-] (healthy|broken) [a-z]+\.[a-z0-9-]+  /.test(l))).toHaveLength(all.length);
    expect(live).not.toContain('\u001b');
  });
});

// Ctrl-C and SIGTERM in the middle of a run of the built CLI: the gathers stop, the reports are
// written with what was learned (interrupted, unfinished checks skip/interrupted), every file whole
// and valid, exit 130/143. Reports and bundles appear only by rename, never half-written.
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPORT_FORMATS } from '../../reports/formats.js';
import { writeReports } from '../../reports/write.js';
import type { RunReport } from '../../src/engine/types.js';
import { writeBundle } from '../../src/snapshot/bundle.js';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import { expectValidReport } from '../helpers/report-schema.js';
import { healthyReport } from '../helpers/sample-report.js';
import { JUNIT_XSDS, xmllintSchema } from '../helpers/tools.js';

interface Interrupted {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `demo` slowly (300 ms per API answer) and sends `signal` once the first check result is printed. */
function demoInterruptedBy(signal: NodeJS.Signals, out: string): Promise<Interrupted> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'demo', '--latency', '300', '--out', out, '--verbose'], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      // The first finished check: the run is under way, the slow ARM/Fabric reads are not done.
      if (!sent && /^[✓✗!?-] \S+\.\S+ /mu.test(stdout)) {
        sent = true;
        child.kill(signal);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, sig) => resolve({ code, signal: sig, stdout, stderr }));
  });
}

async function expectPartialReports(out: string): Promise<RunReport> {
  const files = (await readdir(out)).sort();
  // All four reports, no temporary file left behind.
  expect(files).toEqual(['report.html', 'report.json', 'report.junit.xml', 'report.md']);
  const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as RunReport;
  expectValidReport(report);
  expect(report.interrupted).toBe(true);
  const results = report.targets.flatMap((t) => t.results);
  const interrupted = results.filter((r) => r.status === 'skip' && r.skipReason === 'interrupted');
  const finished = results.filter((r) => r.skipReason !== 'interrupted');
  expect(interrupted.length, 'some checks were cut short').toBeGreaterThan(0);
  expect(finished.length, 'some checks had finished').toBeGreaterThan(0);
  for (const xsd of JUNIT_XSDS) {
    const { ok, output } = xmllintSchema(join(out, 'report.junit.xml'), xsd);
    expect(ok, `${xsd}:\n${output}`).toBe(true);
  }
  const junit = await readFile(join(out, 'report.junit.xml'), 'utf8');
  expect(junit).toContain('interrupted');
  expect(await readFile(join(out, 'report.html'), 'utf8')).toMatch(/<\/html>\s*$/);
  expect(await readFile(join(out, 'report.md'), 'utf8')).toMatch(/interrupted/i);
  return report;
}

describe('interruption', () => {
  it('SIGINT mid-run: complete-but-partial, valid reports, exit 130', { timeout: 60_000 }, async () => {
    const out = await mkdtemp(join(tmpdir(), 'xtd-sigint-'));
    const result = await demoInterruptedBy('SIGINT', out);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.code, result.stderr).toBe(130);
    await expectPartialReports(out);
    expect(result.stdout).toContain(join(out, 'report.json'));
  });

  it('SIGTERM mid-run: the same, exit 143', { timeout: 60_000 }, async () => {
    const out = await mkdtemp(join(tmpdir(), 'xtd-sigterm-'));
    const result = await demoInterruptedBy('SIGTERM', out);
    expect(result.code, result.stderr).toBe(143);
    await expectPartialReports(out);
  });
});

/** Every file event in `dir` while `work` runs: a file written in place shows `change` events under its final name. */
async function eventsDuring(dir: string, work: () => Promise<unknown>): Promise<Array<[string, string]>> {
  const events: Array<[string, string]> = [];
  const watcher = watch(dir, (type, name) => events.push([type, String(name)]));
  try {
    await work();
    await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    watcher.close();
  }
  return events;
}

describe('atomic writes', () => {
  it('the report set appears in place only by the rename of a complete folder', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'xtd-atomic-'));
    const dir = join(parent, 'out');
    await writeReports(healthyReport(2), dir, ['json']);
    const events = await eventsDuring(parent, () => writeReports(healthyReport(1), dir, REPORT_FORMATS));
    // The folder is written under a temporary name beside --out, then renamed to it.
    expect(events.some(([type, n]) => n === 'out' && type === 'rename')).toBe(true);
    expect(events.some(([type, n]) => n.startsWith('.out.xtd-') && type === 'rename')).toBe(true);
    expect(events.filter(([type, n]) => n === 'out' && type === 'change')).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual(['report.html', 'report.json', 'report.junit.xml', 'report.md']);
    expect(await readdir(parent)).toEqual(['out']);
  });

  it('a bundle appears under its final name only by rename', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xtd-atomic-bundle-'));
    const file = join(dir, 'support.tar.gz');
    const events = await eventsDuring(dir, () => writeBundle({ report: healthyReport(1), outFile: file }));
    expect(events.filter(([type, n]) => n === 'support.tar.gz' && type === 'change')).toEqual([]);
    expect(events.some(([type, n]) => n === 'support.tar.gz' && type === 'rename')).toBe(true);
    expect(events.some(([type, n]) => n.startsWith('support.tar.gz.') && n.endsWith('.tmp') && type === 'change')).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['support.tar.gz']);
  });

  it('an existing report is replaced whole: a reader sees the old file or the new one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xtd-atomic-replace-'));
    await writeFile(join(dir, 'report.json'), 'old');
    const report = healthyReport(1);
    const events = await eventsDuring(dir, () => writeReports(report, dir, ['json']));
    expect(events.filter(([type, n]) => n === 'report.json' && type === 'change')).toEqual([]);
    expect(JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(report)));
  });
});

describe('an unwritable output place', () => {
  // Tests run as root, so permissions stop nothing: a path under a regular file, and /proc, do.
  it('is refused before the run with exit 2 and a message naming the path', { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xtd-unwritable-'));
    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    const report = join(dir, 'report.json');
    await writeReports(healthyReport(1), dir, ['json']);
    const cases: Array<[string[], string]> = [
      [['demo', '--out', join(file, 'out')], join(file, 'out')],
      [['demo', '--out', '/proc/xtd-out'], '/proc/xtd-out'],
      [['bundle', '--from', report, '--out', join(file, 'b.tar.gz')], file],
      [['bundle', '--from', report, '--out', '/proc/xtd.tar.gz'], '/proc'],
      [['replay', report, '--out', join(file, 'out')], join(file, 'out')],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args)));
    results.forEach((r, i) => {
      const [args, place] = cases[i]!;
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(place);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      // Refused before the run: no check result was printed.
      expect(r.stdout).not.toMatch(/^[✓✗] /mu);
    });
  });
});

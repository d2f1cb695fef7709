// Writing survives interruption and races: the set is renamed into place whole (two runs into one
// --out never leave a mixed set), a rename blocked as antivirus does on Windows is retried, a signal
// during writing finishes the set marked interrupted, and outputs are private (0600 / 0700).
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMATS, REPORT_FORMATS, type ReportFormat } from '../../reports/formats.js';
import { retryRename, writeReports } from '../../reports/write.js';
import type { RunReport } from '../../src/engine/types.js';
import { writeBundle } from '../../src/snapshot/bundle.js';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import { expectValidReport } from '../helpers/report-schema.js';
import { healthyReport } from '../helpers/sample-report.js';

/** A report whose every format names run `k` (its target names). */
function runReport(k: number): RunReport {
  const report = healthyReport(2);
  report.targets = report.targets.map((t, i) => ({ ...t, name: `run${k}-target${i}` }));
  return report;
}

/** Which runs each report file names: one run for a consistent set. */
async function runsIn(dir: string, formats: readonly ReportFormat[] = REPORT_FORMATS): Promise<Set<string>> {
  const runs = new Set<string>();
  for (const format of formats) {
    const text = await readFile(join(dir, FORMATS[format].file), 'utf8');
    for (const match of text.matchAll(/run(\d+)-target/g)) runs.add(match[1]!);
  }
  return runs;
}

const posix = process.platform !== 'win32';

describe('writing the report set', () => {
  it('eight runs writing into one --out at once leave one run\'s complete set', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'xtd-race-')), 'out');
    await Promise.all(Array.from({ length: 8 }, (_, k) => writeReports(runReport(k), dir)));
    expect((await readdir(dir)).sort()).toEqual(['report.html', 'report.json', 'report.junit.xml', 'report.md']);
    expect([...(await runsIn(dir))]).toHaveLength(1);
    // Nothing left beside it.
    expect(await readdir(join(dir, '..'))).toEqual(['out']);
  });

  it('two CLI processes replaying into one --out at once leave one run\'s complete set', { timeout: 120_000 }, async () => {
    const parent = await mkdtemp(join(tmpdir(), 'xtd-race-cli-'));
    const inputs = await Promise.all(
      [1, 2].map(async (k) => {
        const file = join(parent, `recorded-${k}.json`);
        await writeFile(file, JSON.stringify(runReport(k)));
        return file;
      }),
    );
    const out = join(parent, 'out');
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(inputs.map((file) => runCli(['replay', file, '--out', out])));
      for (const r of results) expect(r.code, r.stderr).not.toBe(2);
      expect((await readdir(out)).sort()).toEqual(['report.html', 'report.json', 'report.junit.xml', 'report.md']);
      expect([...(await runsIn(out))]).toHaveLength(1);
    }
  });

  it('with files of the user\'s own in --out, concurrent runs still leave one run\'s set (under the lock) and keep those files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xtd-race-shared-'));
    await writeFile(join(dir, 'notes.txt'), 'mine');
    await Promise.all(Array.from({ length: 6 }, (_, k) => writeReports(runReport(k), dir)));
    expect((await readdir(dir)).sort()).toEqual(['notes.txt', 'report.html', 'report.json', 'report.junit.xml', 'report.md']);
    expect([...(await runsIn(dir))]).toHaveLength(1);
  });

  it('a new run replaces the whole earlier set: no format left over from another run', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'xtd-stale-')), 'out');
    await writeReports(runReport(1), dir);
    await writeReports(runReport(2), dir, ['json', 'md']);
    expect((await readdir(dir)).sort()).toEqual(['report.json', 'report.md']);
    expect([...(await runsIn(dir, ['json', 'md']))]).toEqual(['2']);
  });

  it.runIf(posix)('creates files 0600 and folders 0700', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'xtd-modes-'));
    const dir = join(parent, 'a', 'b');
    await writeReports(runReport(1), dir);
    for (const d of [join(parent, 'a'), dir]) expect(((await stat(d)).mode & 0o777).toString(8), d).toBe('700');
    for (const name of await readdir(dir)) expect(((await stat(join(dir, name))).mode & 0o777).toString(8), name).toBe('600');
    const bundle = join(parent, 'support.tar.gz');
    await writeBundle({ report: runReport(1), outFile: bundle });
    expect(((await stat(bundle)).mode & 0o777).toString(8)).toBe('600');
  });

  it('a rename refused for a moment (EPERM, EBUSY: antivirus on Windows) is retried; a lasting one names the file', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'xtd-av-')), 'out');
    let refusals = 0;
    const flaky = (async (from: string, to: string) => {
      if (refusals < 4) {
        refusals++;
        throw Object.assign(new Error(`EBUSY: resource busy or locked, rename '${from}'`), { code: refusals % 2 ? 'EBUSY' : 'EPERM' });
      }
      return rename(from, to);
    }) as typeof rename;
    await writeReports(runReport(3), dir, REPORT_FORMATS, { rename: flaky });
    expect(refusals).toBe(4);
    expect([...(await runsIn(dir))]).toEqual(['3']);

    const stuck = (async () => {
      throw Object.assign(new Error('EPERM: operation not permitted'), { code: 'EPERM' });
    }) as typeof rename;
    let calls = 0;
    const counted = (async (...args: Parameters<typeof rename>) => {
      calls++;
      return stuck(...args);
    }) as typeof rename;
    await expect(retryRename('a', 'b', counted)).rejects.toThrow('EPERM');
    expect(calls).toBe(8);
    // Other errors are not retried.
    calls = 0;
    const missing = (async () => {
      calls++;
      throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    }) as typeof rename;
    await expect(retryRename('a', 'b', missing)).rejects.toThrow('ENOENT');
    expect(calls).toBe(1);
  });

  it('a report revised while writing (a signal arrived) is written again before the set is put in place', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'xtd-revise-')), 'out');
    let asked = 0;
    await writeReports(runReport(1), dir, REPORT_FORMATS, {
      revise: (current) => {
        asked++;
        return current.interrupted ? undefined : { ...current, interrupted: true };
      },
    });
    expect(asked).toBe(2);
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
    expect(report.interrupted).toBe(true);
    expect(await readFile(join(dir, 'report.md'), 'utf8')).toMatch(/interrupted/i);
  });

  it('SIGINT while the reports are being written: the set is finished, marked interrupted, exit 130', { timeout: 120_000 }, async () => {
    const parent = await mkdtemp(join(tmpdir(), 'xtd-sigint-write-'));
    const out = join(parent, 'out');
    await mkdir(out);
    const result = await new Promise<{ code: number | null; stderr: string; sent: boolean }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'demo', '--targets', '40', '--out', out, '--quiet'], {
        cwd: ROOT,
        env: { ...process.env, NO_COLOR: '1', CI: 'true' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let sent = false;
      // The staging folder appears beside --out when writing starts: the run itself is over.
      const watcher = watch(parent, (_type, name) => {
        if (!sent && String(name).startsWith(`.${basename(out)}.xtd-`)) {
          sent = true;
          child.kill('SIGINT');
        }
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        watcher.close();
        resolve({ code, stderr, sent });
      });
    });
    expect(result.sent, 'the signal was sent during writing').toBe(true);
    expect(result.code, result.stderr).toBe(130);
    expect((await readdir(out)).sort()).toEqual(['report.html', 'report.json', 'report.junit.xml', 'report.md']);
    expect(await readdir(parent)).toEqual(['out']);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as RunReport;
    expectValidReport(report);
    expect(report.interrupted).toBe(true);
    // Every check had finished: the signal came after the run, and nothing was lost.
    expect(report.targets.flatMap((t) => t.results).filter((r) => r.skipReason === 'interrupted')).toEqual([]);
    expect(report.targets).toHaveLength(40);
    expect(await readFile(join(out, 'report.md'), 'utf8')).toMatch(/interrupted/i);
  });
});


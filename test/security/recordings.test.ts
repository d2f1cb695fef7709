// Recordings (report.json, support bundles) are untrusted input: sizes are capped, the report is
// validated against the published schema and the recorded config like a config, and a bad recording
// is exit 2 naming the file and the place, never an internal error. Through the built CLI, whose
// peak memory is measured in the child (bench/rss-probe.mjs); time is the bench's, not asserted.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/engine/types.js';
import { loadReport, readBundleBytes, ReportFileError } from '../../src/snapshot/load.js';
import { peakRssMiB, runCli, withRssProbe } from '../helpers/cli.js';
import { makeReport } from '../helpers/sample-report.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xtd-recordings-'));
});

/**
 * Generous: the CLI alone peaks near 100 MiB; a bomb unpacked to its 1.5 GB (or to the 256 MB cap
 * and parsed) would be far above it.
 */
const BOUNDED_MIB = 300;

/** The built CLI with its peak RSS (MiB) measured in the child. */
async function runMeasured(args: string[]): Promise<Awaited<ReturnType<typeof runCli>> & { peakMiB: number }> {
  const r = await runCli(args, { env: { NODE_OPTIONS: withRssProbe() } });
  return { ...r, peakMiB: peakRssMiB(r.stderr) };
}

async function reportFile(name: string, report: unknown): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, typeof report === 'string' ? report : JSON.stringify(report));
  return file;
}

/** A tar entry (ustar header + data, padded), enough for the bundle reader. */
function tarEntry(name: string, data: Buffer, size = data.length): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return Buffer.concat([header, data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

/**
 * A gzip bomb of `members` concatenated gzip members (valid gzip: gunzip reads them all), each 4 MiB
 * of zeros in about 4 KB: 1.5 MB of file unpacks to about 1.5 GB. Its report.json's header claims
 * `claimed` bytes (by default honestly none: the zeros after it are the tar's end, read on and on).
 */
function gzipBomb(members: number, claimed = 0): Buffer {
  const member = gzipSync(Buffer.alloc(4 * 1024 * 1024), { level: 9 });
  const head = gzipSync(tarEntry('bundle/report.json', Buffer.alloc(0), claimed));
  return Buffer.concat([head, ...Array.from({ length: members }, () => member)]);
}

describe('recordings are untrusted input', () => {
  it('a 1.5 MB gzip bomb given to replay, diff and bundle --from is exit 2 naming the file and the limit, in bounded memory', { timeout: 60_000 }, async () => {
    const bomb = gzipBomb(370);
    expect(bomb.length).toBeGreaterThan(1_400_000);
    const file = await reportFile('bomb.tar.gz', '');
    await writeFile(file, bomb);
    for (const args of [['replay', file], ['diff', file, file], ['bundle', '--from', file, '--out', join(dir, 'b.tar.gz')]]) {
      const r = await runMeasured(args);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(`${file}: unpacks to more than`);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.peakMiB, `${args[0]} peak RSS`).toBeGreaterThan(10);
      expect(r.peakMiB, `${args[0]} peak RSS`).toBeLessThan(BOUNDED_MIB);
    }
  });

  it('unpacking stops at the cap, and an oversized entry is refused by its header before its data', async () => {
    const bomb = gzipBomb(8);
    await expect(readBundleBytes('b.tgz', bomb, { unpackedBytes: 1024 * 1024, entryBytes: 1024 * 1024 })).rejects.toThrow(/unpacks to more than 1048576 bytes/);
    const big = gzipSync(Buffer.concat([tarEntry('bundle/report.json', Buffer.alloc(4096, 0x20)), Buffer.alloc(1024)]));
    await expect(readBundleBytes('b.tgz', big, { unpackedBytes: 1024 * 1024, entryBytes: 1000 })).rejects.toThrow(/report\.json is 4096 bytes, over the 1000-byte limit/);
    // A header that claims a gigabyte: refused at the header, however much would follow.
    await expect(readBundleBytes('b.tgz', gzipBomb(8, 1024 ** 3))).rejects.toThrow(/report\.json is 1073741824 bytes, over the \d+-byte limit/);
    await expect(readBundleBytes('b.tgz', Buffer.from([0x1f, 0x8b, 1, 2, 3]))).rejects.toThrow(/^b\.tgz: not a valid gzip file/);
  });

  it('a report file over the size limit is refused before it is read', async () => {
    const file = await reportFile('big.json', JSON.stringify(makeReport()));
    await expect(loadReport(file, { fileBytes: 100, unpackedBytes: 1, entryBytes: 1 })).rejects.toThrow(/over the 100-byte limit for a recording/);
  });

  it('a report that breaks the published schema is refused naming the place (ajv), also by bundle --from', async () => {
    const report = makeReport() as unknown as Record<string, unknown>;
    const broken = structuredClone(report) as { summary: Record<string, unknown>; targets: Array<{ results: Array<Record<string, unknown>> }> };
    broken.targets[1]!.results[2]!.severity = 'apocalyptic';
    const file = await reportFile('bad-severity.json', broken);
    await expect(loadReport(file)).rejects.toThrow(ReportFileError);
    await expect(loadReport(file)).rejects.toThrow(/targets\[1\]\.results\[2\]\.severity must be equal to one of the allowed values/);
    const noSummary = structuredClone(report);
    delete noSummary.summary;
    const file2 = await reportFile('no-summary.json', noSummary);
    for (const f of [file, file2]) {
      const r = await runCli(['bundle', '--from', f, '--out', join(dir, 'out.tar.gz')]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`xtenant-doctor bundle: ${f}: not an xtenant-doctor report: `);
      expect(r.stderr).not.toMatch(/internal error/);
    }
  });

  it('a recorded concurrency of 0 is exit 2 naming it, not a stalled replay, in bounded memory', { timeout: 30_000 }, async () => {
    const report = makeReport() as RunReport;
    report.environment = { ...report.environment, config: { concurrency: { arm: 0, fabric: 8 } } };
    const file = await reportFile('zero-concurrency.json', report);
    const r = await runMeasured(['replay', file]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${file}: the recorded config is not valid: environment.config.concurrency.arm: `);
    expect(r.peakMiB).toBeLessThan(BOUNDED_MIB);
  });

  // The matcher is linear (src/text/glob.ts), so such a glob could not spin anyway; a recording
  // whose globs have more `*` than any real selection needs is refused as not a config we wrote.
  it('a recorded waiver glob of many stars is exit 2 naming the place, in bounded memory', { timeout: 30_000 }, async () => {
    const report = makeReport() as RunReport;
    const name = 'a'.repeat(40);
    report.targets = [{ ...report.targets[0]!, name }];
    report.environment = {
      ...report.environment,
      config: { checks: { skip: [], only: [], waivers: [{ check: '*', target: `${'*a'.repeat(25)}*b`, reason: 'r', expires: '2099-01-01' }] } },
    };
    const file = await reportFile('glob.json', report);
    const r = await runMeasured(['replay', file, '--json']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${file}: the recorded config is not valid: environment.config.checks.waivers[0].target: expected a check id, target name or side with at most 8 \`*\` wildcards`);
    expect(r.peakMiB).toBeLessThan(BOUNDED_MIB);
  });
});

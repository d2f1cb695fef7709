import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFormats } from '../../../reports/formats.js';
import { ReportWriteError, writeAtomic, writeReports } from '../../../reports/write.js';
import { makeReport } from '../../helpers/sample-report.js';

describe('writeReports', () => {
  it('creates the directory and writes every format; report.json is the RunReport exactly', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'xtd-write-')), 'nested', 'out');
    const report = makeReport();
    const paths = await writeReports(report, dir);
    expect(paths.map((p) => p.slice(dir.length + 1))).toEqual(['report.json', 'report.junit.xml', 'report.html', 'report.md']);
    const json = readFileSync(join(dir, 'report.json'), 'utf8');
    expect(json).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(JSON.parse(json)).toEqual(report);
    // No temporary file is left behind.
    expect(readdirSync(dir).sort()).toEqual(['report.html', 'report.json', 'report.junit.xml', 'report.md']);
  });

  it('writes only the formats asked for and replaces an old report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xtd-write-'));
    writeFileSync(join(dir, 'report.md'), 'old');
    await writeReports(makeReport(), dir, ['md']);
    expect(readdirSync(dir)).toEqual(['report.md']);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(/^## ❌ xtenant-doctor/);
  });

  it('names the directory when it cannot be created or written', async () => {
    const base = mkdtempSync(join(tmpdir(), 'xtd-write-'));
    const file = join(base, 'a-file');
    writeFileSync(file, 'x');
    const error = await writeReports(makeReport(), join(file, 'out'), ['json']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReportWriteError);
    expect(error).toMatchObject({
      message: `cannot create the report directory ${join(file, 'out')}: a file is in the way of the directory; choose another --out`,
      code: 'ENOTDIR',
    });
    // A directory where the file should go: the rename fails (even for root) and nothing is left.
    const blocked = join(base, 'blocked');
    mkdirSync(join(blocked, 'report.json'), { recursive: true });
    await expect(writeReports(makeReport(), blocked, ['json'])).rejects.toThrow(`cannot write the report ${join(blocked, 'report.json')}: `);
    expect(readdirSync(blocked)).toEqual(['report.json']);
  });

  it('parses --format lists', () => {
    expect(parseFormats('json,junit')).toEqual(['json', 'junit']);
    expect(parseFormats(['html', 'markdown', 'md'])).toEqual(['html', 'md']);
    expect(parseFormats('all')).toEqual(['json', 'junit', 'html', 'md']);
    expect(() => parseFormats('json,pdf')).toThrow('--format: unknown report format "pdf" (expected json, junit, html, md)');
  });

  it('writeAtomic: text and bytes in any mix and size come out as their concatenation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xtd-write-'));
    const bytes = (text: string) => new TextEncoder().encode(text);
    // Pieces around the 64 KB batch and the 256 KB buffer, multi-byte characters across a batch's end.
    const big = 'é'.repeat(200_000);
    const pieces: Array<string | Uint8Array> = ['{', 'x'.repeat(65_535), '€', bytes('ü'.repeat(40_000)), big, bytes(big), '', bytes(''), bytes('}\n')];
    await writeAtomic(join(dir, 'mixed.json'), pieces);
    const expected = pieces.map((p) => (typeof p === 'string' ? p : new TextDecoder().decode(p))).join('');
    expect(readFileSync(join(dir, 'mixed.json'), 'utf8')).toBe(expected);
    expect(readdirSync(dir)).toEqual(['mixed.json']);
  });
});

// Light commands load no Azure SDK and no report writer: their start-up is what an engineer on the
// jump VM waits for. The built CLI runs with a preload that records every module file it loads;
// the source maps of those files say which packages they hold.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';

function sourcesLoadedBy(args: string[]): string[] {
  const file = join(mkdtempSync(join(tmpdir(), 'xtd-loads-')), 'loaded.txt');
  const run = spawnSync(process.execPath, ['--import', join(ROOT, 'test/helpers/record-loads.mjs'), BIN, ...args], {
    env: { ...process.env, XTD_LOADED_FILE: file, NO_COLOR: '1' },
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  const urls = readFileSync(file, 'utf8').split('\n').filter((u) => u.startsWith('file:'));
  return urls.flatMap((url) => {
    const path = fileURLToPath(url);
    const map = `${path}.map`;
    return existsSync(map) ? (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources : [path];
  });
}

describe('start-up', () => {
  it.each([
    [['--version']],
    [['fqdn', 'cfafbeb1-8037-4d0c-896e-a46fb27ff227']],
    [['fqdn', 'cfafbeb1-8037-4d0c-896e-a46fb27ff227', '--json']],
    [['checks']],
    [['checks', '--json']],
    [['explain', 'consumer.zone-linked']],
    [['--help']],
  ])('%j loads no Azure SDK, no report writer and no lab', (args) => {
    const sources = sourcesLoadedBy(args);
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((s) => s.includes('@azure/'))).toEqual([]);
    expect(sources.filter((s) => /(^|\/)reports\/(html|junit|markdown|write)\.ts$/.test(s))).toEqual([]);
    expect(sources.filter((s) => /(^|\/)src\/lab\//.test(s))).toEqual([]);
  });

  it('a run does load the Azure SDK (the test can tell)', () => {
    const sources = sourcesLoadedBy(['run', '--workspace', 'cfafbeb1-8037-4d0c-896e-a46fb27ff227', '--checks', 'provider.*', '--format', 'json', '--out', mkdtempSync(join(tmpdir(), 'xtd-out-')), '--quiet']);
    expect(sources.some((s) => s.includes('@azure/'))).toBe(true);
  });
});

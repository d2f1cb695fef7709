// Light commands load no Azure SDK and no report writer: their start-up is what an engineer on the
// jump VM waits for. The built CLI runs with a preload that records every module file it loads;
// the source maps of those files say which packages they hold.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { healthyReport } from '../helpers/sample-report.js';

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

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
/** A valid config naming one target (no placeholder ids), for validate-config. */
function configFile(extra: Record<string, unknown> = {}): string {
  const file = join(tmp('xtd-config-'), 'xtenant-doctor.json');
  writeFileSync(file, JSON.stringify({ targets: [{ name: 'sales', workspaceId: 'cfafbeb1-8037-4d0c-896e-a46fb27ff227' }], ...extra }));
  return file;
}
const fromPackage = (name: string) => (s: string) => s.includes(`node_modules/${name}/`);
/** ajv's schema compiler (the standalone validator needs only ajv's runtime helpers). */
const ajvCompiler = (s: string) => /node_modules\/ajv\/dist\/(core|ajv|compile\/)/.test(s);

describe('start-up', () => {
  it.each([
    [['--version']],
    [['fqdn', 'cfafbeb1-8037-4d0c-896e-a46fb27ff227']],
    [['fqdn', 'cfafbeb1-8037-4d0c-896e-a46fb27ff227', '--json']],
    [['checks']],
    [['checks', '--json']],
    [['explain', 'consumer.zone-linked']],
    [['--help']],
    [['validate-config', configFile()]],
    [['init', join(tmp('xtd-init-'), 'xtenant-doctor.json')]],
  ])('%j loads no Azure SDK, no report writer, no lab, no tar and no schema compiler', (args) => {
    const sources = sourcesLoadedBy(args);
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((s) => s.includes('@azure/'))).toEqual([]);
    expect(sources.filter((s) => /(^|\/)reports\/(html|junit|markdown|write)\.ts$/.test(s))).toEqual([]);
    expect(sources.filter((s) => /(^|\/)src\/lab\//.test(s))).toEqual([]);
    expect(sources.filter(fromPackage('tar'))).toEqual([]);
    expect(sources.filter(ajvCompiler)).toEqual([]);
    expect(sources.filter((s) => s.endsWith('src/net/system-store.ts')), 'no trust store read ahead').toEqual([]);
  });

  it('a run reads the system trust store ahead, on a worker thread, from the launcher (the test can tell)', () => {
    const sources = sourcesLoadedBy(['run', '-c', configFile(), '--checks', 'local.tcp-*', '--format', 'json', '--out', tmp('xtd-out-'), '--quiet', '--no-exit-code']);
    expect(sources.some((s) => s.endsWith('src/net/system-store.ts'))).toBe(true);
  });

  it('validate-config checks the config against the schema compiled at build time (the test can tell it ran)', () => {
    const sources = sourcesLoadedBy(['validate-config', configFile()]);
    expect(sources.some((s) => s.endsWith('src/config/schema-validator.generated.ts'))).toBe(true);
  });

  it('validate-config with plugins still checks each against the whole catalogue, facts included', () => {
    const config = configFile({ plugins: [join(ROOT, 'test/fixtures/plugins/broken.mjs')] });
    const run = spawnSync(process.execPath, [BIN, 'validate-config', config], { env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('needs unknown fact no.such.fact');
  });

  it('a run compiles no schema at start: the config is checked by the build-time validator', () => {
    const sources = sourcesLoadedBy(['run', '-c', configFile(), '--checks', 'provider.*', '--format', 'json', '--out', tmp('xtd-out-'), '--quiet']);
    expect(sources.some((s) => s.endsWith('src/config/schema-validator.generated.ts'))).toBe(true);
    expect(sources.filter(ajvCompiler)).toEqual([]);
    expect(sources.filter(fromPackage('tar'))).toEqual([]);
  });

  it('bundle and replay do load tar (the test can tell)', () => {
    const dir = tmp('xtd-bundle-');
    const report = join(dir, 'report.json');
    writeFileSync(report, JSON.stringify(healthyReport(1)));
    expect(sourcesLoadedBy(['bundle', '--from', report, '--out', join(dir, 'b.tar.gz')]).some(fromPackage('tar'))).toBe(true);
    expect(sourcesLoadedBy(['replay', join(dir, 'b.tar.gz'), '--json']).some(fromPackage('tar'))).toBe(true);
  });

  it('a plain run parses its options without yargs; run --help does load yargs (the test can tell)', () => {
    const out = tmp('xtd-out-');
    expect(sourcesLoadedBy(['run', '-c', configFile(), '--checks', 'local.tcp-*', '--format', 'json', '--out', out, '--quiet', '--no-exit-code']).filter(fromPackage('yargs'))).toEqual([]);
    expect(sourcesLoadedBy(['run', '--help']).some(fromPackage('yargs'))).toBe(true);
  });

  it('undici loads with its first user (a Fabric read), not with the gatherers (the test can tell)', () => {
    const run = (checks: string) => sourcesLoadedBy(['run', '-c', configFile(), '--checks', checks, '--format', 'json', '--out', tmp('xtd-out-'), '--quiet', '--no-exit-code']);
    expect(run('local.tcp-*').filter(fromPackage('undici'))).toEqual([]);
    expect(sourcesLoadedBy(['demo', '--checks', 'provider.workspace-found', '--format', 'json', '--out', tmp('xtd-out-'), '--quiet', '--no-exit-code']).some(fromPackage('undici'))).toBe(true);
  });

  it('a run does load the Azure SDK (the test can tell)', () => {
    const sources = sourcesLoadedBy(['run', '--workspace', 'cfafbeb1-8037-4d0c-896e-a46fb27ff227', '--checks', 'provider.*', '--format', 'json', '--out', mkdtempSync(join(tmpdir(), 'xtd-out-')), '--quiet']);
    expect(sources.some((s) => s.includes('@azure/'))).toBe(true);
  });
});

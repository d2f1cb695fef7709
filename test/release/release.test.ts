// Issue 17, the release artefacts (`npm run release`, which `npm test` runs once before vitest):
// the Linux single executable runs the CLI from an empty folder with no node_modules and no file
// beside it (demo, fqdn, lab + run -c, replay, init); the Windows one is a PE executable with the
// blob injected; the tarball installs with --offline into an empty prefix and runs the demo; every
// artefact has a checksum that matches. Every child runs with the no-egress guard loaded.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const RELEASE = join(ROOT, 'dist', 'release');
const LINUX = join(RELEASE, `xtenant-doctor-${pkg.version}-linux-x64`);
const WINDOWS = join(RELEASE, `xtenant-doctor-${pkg.version}-win-x64.exe`);
const TARBALL = join(RELEASE, `xtenant-doctor-${pkg.version}.tgz`);
// --require, not --import: the single executable ignores --import in NODE_OPTIONS.
const GUARD = join(ROOT, 'test', 'setup', 'no-egress.ts');
const ID = 'cfafbeb1-8037-4d0c-896e-a46fb27ff227';

/** The environment of a jump VM: no npm, no node_modules on any path, the egress guard loaded. */
function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { NODE_PATH: _path, npm_config_prefix: _prefix, ...rest } = process.env;
  return { ...rest, NO_COLOR: '1', CI: 'true', NODE_OPTIONS: `--require ${GUARD}`, ...extra };
}

function run(file: string, args: string[], cwd: string, extra: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(file, args, { cwd, env: env(extra), encoding: 'utf8', timeout: 120_000 });
}

function said(r: SpawnSyncReturns<string>): string {
  return `exit ${r.status}\n--- stdout\n${r.stdout?.slice(-3000)}\n--- stderr\n${r.stderr?.slice(-3000)}`;
}

describe('npm run release', () => {
  it('built the tarball, the two executables and a checksum for each', () => {
    expect(existsSync(RELEASE), 'dist/release is missing: run `npm run release`').toBe(true);
    const sums = readFileSync(join(RELEASE, 'SHA256SUMS'), 'utf8');
    for (const file of [TARBALL, LINUX, WINDOWS]) {
      const line = `${createHash('sha256').update(readFileSync(file)).digest('hex')}  ${basename(file)}\n`;
      expect(readFileSync(`${file}.sha256`, 'utf8')).toBe(line);
      expect(sums).toContain(line);
    }
    // `sha256sum -c` is what the README tells a Linux user to run.
    const check = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: RELEASE, encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });
});

describe('the Linux single executable, alone in an empty folder', () => {
  let dir: string;
  let exe: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xtd-sea-'));
    exe = join(dir, 'xtenant-doctor');
    copyFileSync(LINUX, exe);
  });

  it('runs behind the no-egress guard like every test child', () => {
    const r = run(exe, ['resolve', ID, '--server', '192.0.2.1'], dir);
    expect(r.stdout + r.stderr).toContain('test egress guard');
  });

  it('is the pinned Node with the CLI inside: --version, fqdn', () => {
    const version = run(exe, ['--version'], dir);
    expect(version.stdout.trim(), said(version)).toBe(pkg.version);
    const fqdn = run(exe, ['fqdn', ID, '--json'], dir);
    expect(JSON.parse(fqdn.stdout).fqdns.api, said(fqdn)).toBe('cfafbeb180374d0c896ea46fb27ff227.zcf.w.api.fabric.microsoft.com');
  });

  it('runs the demo (the lab in-process) and replays its report, offline', () => {
    const demo = run(exe, ['demo', '--out', 'demo'], dir);
    expect(demo.status, said(demo)).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'demo', 'report.json'), 'utf8'));
    expect(report.summary).toMatchObject({ fail: 0, error: 0, exitCode: 0 });
    expect(report.tool.version).toBe(pkg.version);
    for (const file of ['report.html', 'report.junit.xml', 'report.md']) expect(existsSync(join(dir, 'demo', file)), file).toBe(true);
    const replay = run(exe, ['replay', join('demo', 'report.json'), '--out', 'replay'], dir);
    expect(replay.status, said(replay)).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'replay', 'report.json'), 'utf8')).summary.pass).toBe(report.summary.pass);
  });

  it('shows a fault from the demo as the run from a checkout does', () => {
    const demo = run(exe, ['demo', '--fault', 'zone-unlinked', '--out', 'fault'], dir);
    expect(demo.status, said(demo)).toBe(1);
    const results = JSON.parse(readFileSync(join(dir, 'fault', 'report.json'), 'utf8')).targets[0].results as Array<{ checkId: string; status: string }>;
    expect(results.filter((r) => r.status === 'fail').map((r) => r.checkId)).toContain('consumer.zone-linked');
  });

  it('runs the demo on an enterprise topology, with the same statuses as the CLI of the checkout', () => {
    const statuses = (out: string) =>
      (JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).targets[0].results as Array<{ checkId: string; status: string }>).map((r) => `${r.checkId}=${r.status}`).sort();
    const fromExe = run(exe, ['demo', '--topology', 'hub-resolver', '--out', 'topology'], dir);
    const checkout = mkdtempSync(join(tmpdir(), 'xtd-checkout-'));
    const fromCheckout = run(process.execPath, [BIN, 'demo', '--topology', 'hub-resolver', '--out', checkout], ROOT);
    expect(fromExe.status, said(fromExe)).toBe(fromCheckout.status);
    expect(statuses(join(dir, 'topology'))).toEqual(statuses(checkout));
  });

  it('serves the lab, and `run -c` against it passes; Ctrl-C stops the lab and removes its folder', async () => {
    const lab = spawn(exe, ['lab'], { cwd: dir, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const config = await new Promise<string>((resolve, reject) => {
      lab.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const match = /config: (\S+\.json)/.exec(out);
        if (match) resolve(match[1]!);
      });
      lab.on('exit', (code) => reject(new Error(`lab exited ${code}: ${out}`)));
    });
    try {
      const result = run(exe, ['run', '-c', config, '--out', 'run'], dir);
      expect(result.status, said(result)).toBe(0);
      expect(JSON.parse(readFileSync(join(dir, 'run', 'report.json'), 'utf8')).summary.fail).toBe(0);
    } finally {
      const exited = new Promise<number | null>((resolve) => lab.on('exit', resolve));
      lab.kill('SIGINT');
      expect(await exited).toBe(0);
    }
    expect(existsSync(dirname(config))).toBe(false);
  });

  it('writes a starter config whose $schema is a copy it carries, and validates it', () => {
    const init = run(exe, ['init', 'x.json'], dir);
    expect(init.status, said(init)).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'x.json'), 'utf8')).$schema).toBe('./xtenant-doctor.schema.json');
    expect(readFileSync(join(dir, 'xtenant-doctor.schema.json'), 'utf8')).toBe(readFileSync(join(ROOT, 'schema', 'config.schema.json'), 'utf8'));
    // Validated in full from inside the executable: only init's placeholders are left to fill in.
    const valid = run(exe, ['validate-config', 'x.json'], dir);
    expect(valid.status, said(valid)).toBe(2);
    expect(valid.stderr).toContain('$.targets[0].workspaceId: still the placeholder');
  });

  it('needs no file outside it: the folder holds only what the commands wrote', () => {
    expect(readdirSync(dir).sort()).toEqual(['demo', 'fault', 'replay', 'run', 'topology', 'x.json', 'xtenant-doctor', 'xtenant-doctor.schema.json']);
  });
});

describe('the Windows single executable', () => {
  const bytes = existsSync(WINDOWS) ? readFileSync(WINDOWS) : Buffer.alloc(0);

  it('is a PE executable for x64', () => {
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('MZ');
    const pe = bytes.readUInt32LE(0x3c);
    expect(bytes.subarray(pe, pe + 4).toString('latin1')).toBe('PE\0\0');
    expect(bytes.readUInt16LE(pe + 4)).toBe(0x8664); // IMAGE_FILE_MACHINE_AMD64
  });

  it('has the blob injected: the SEA fuse flipped, the NODE_SEA_BLOB resource holding the CLI', () => {
    const fuse = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
    expect(bytes.includes(`${fuse}:1`)).toBe(true);
    expect(bytes.includes(`${fuse}:0`)).toBe(false);
    // PE resource names are UTF-16; postject names the resource in upper case.
    expect(bytes.includes(Buffer.from('NODE_SEA_BLOB', 'utf16le'))).toBe(true);
    // The CLI and its assets, as in the Linux executable (the blob is not compressed).
    for (const marker of ['RequestDeniedByInboundPolicy', 'privatelink.fabric.microsoft.com', '"$id"']) expect(bytes.includes(marker), marker).toBe(true);
  });
});

describe('the tarball', () => {
  let prefix: string;
  beforeAll(() => {
    prefix = mkdtempSync(join(tmpdir(), 'xtd-prefix-'));
  });

  it('a plugin written against the package runs with it installed from the tarball, and nothing else', () => {
    const home = mkdtempSync(join(tmpdir(), 'xtd-plugin-home-'));
    const install = spawnSync('npm', ['install', TARBALL, '--offline', '--registry', 'http://127.0.0.1:9', '--no-audit', '--no-fund', '--no-package-lock'], {
      cwd: home,
      encoding: 'utf8',
      env: { ...process.env, npm_config_cache: join(home, 'empty-cache') },
    });
    expect(install.status, said(install)).toBe(0);
    expect(readdirSync(join(home, 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual(['xtenant-doctor']);
    copyFileSync(join(ROOT, 'test', 'fixtures', 'plugins', 'proxy-bypass.mjs'), join(home, 'proxy-bypass.mjs'));
    const script = `import { diagnose, testConfig } from 'xtenant-doctor';
const config = testConfig({ targets: [{ name: 'w', workspaceId: '${ID}' }], plugins: [process.argv[1]], checks: { only: ['local.proxy-bypass', 'local.after-proxy'], skip: [], waivers: [] } });
const report = await diagnose(config);
console.log(report.targets[0].results.map((r) => r.checkId + '=' + r.status).join(' '));`;
    const ran = run(process.execPath, ['--input-type=module', '-e', script, join(home, 'proxy-bypass.mjs')], home, { XTD_TEST_HTTPS_PROXY: 'http://proxy:3128' });
    expect(ran.stdout.trim(), said(ran)).toBe('local.proxy-bypass=fail local.after-proxy=skip');
  });

  it('lists no dependencies: the bundle inside holds them', () => {
    const list = spawnSync('tar', ['-xzOf', TARBALL, 'package/package.json'], { encoding: 'utf8' });
    const shipped = JSON.parse(list.stdout) as Record<string, unknown>;
    expect(shipped.dependencies).toBeUndefined();
    expect(shipped.scripts).toBeUndefined();
    expect(shipped.engines).toEqual({ node: '>=22.19.0' });
  });

  it('installs with --offline into an empty prefix (a registry that cannot answer) and runs the demo', () => {
    const install = spawnSync('npm', ['install', '-g', TARBALL, '--offline', '--prefix', prefix, '--registry', 'http://127.0.0.1:9', '--no-audit', '--no-fund'], {
      cwd: prefix,
      encoding: 'utf8',
      env: { ...process.env, npm_config_cache: join(prefix, 'empty-cache') },
    });
    expect(install.status, said(install)).toBe(0);
    const bin = join(prefix, 'bin', 'xtenant-doctor');
    const demo = run(process.execPath, [bin, 'demo', '--out', join(prefix, 'demo')], prefix);
    expect(demo.status, said(demo)).toBe(0);
    expect(readdirSync(join(prefix, 'lib', 'node_modules'))).toEqual(['xtenant-doctor']);
    expect(existsSync(join(prefix, 'lib', 'node_modules', 'xtenant-doctor', 'node_modules'))).toBe(false);
  });
});

// Issue 17, the Node gate: on a Node below the floor, every command prints one line naming the
// floor, the running version and the way out, and exits 2, before anything is loaded. The old Node
// is this machine's system Node (the test Node is the pinned one npm puts first on PATH).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from '../helpers/cli.js';

const FLOOR = '22.19';

function below(version: string, floor: string): boolean {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  const [fMajor, fMinor] = floor.split('.').map(Number) as [number, number];
  return major < fMajor || (major === fMajor && minor < fMinor);
}

/** A Node older than the floor on this machine: PATH without npm's node_modules/.bin, then the usual places. */
function oldNode(): { path: string; version: string } | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d && !d.includes('node_modules'));
  for (const file of [...dirs.map((d) => join(d, 'node')), '/usr/bin/node', '/usr/local/bin/node']) {
    if (!existsSync(file)) continue;
    const run = spawnSync(file, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    const version = run.stdout?.trim();
    if (run.status === 0 && version && below(version, FLOOR)) return { path: file, version };
  }
  return undefined;
}

describe('the Node gate', () => {
  it('package.json engines is the floor the gate enforces, the highest floor of the runtime dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(`>=${FLOOR}.0`);
    expect(JSON.parse(readFileSync(join(ROOT, 'node_modules/undici/package.json'), 'utf8')).engines.node).toBe(`>=${FLOOR}.0`);
  });

  const old = oldNode();
  it('this machine has a Node below the floor to test with (the system Node)', () => {
    expect(old, 'no Node below 22.19 found on PATH or in /usr/bin, /usr/local/bin').toBeDefined();
  });

  const commands = [
    [],
    ['--version'],
    ['--help'],
    ['run', '--workspace', 'cfafbeb1-8037-4d0c-896e-a46fb27ff227'],
    ['demo'],
    ['lab'],
    ['fqdn', 'cfafbeb1-8037-4d0c-896e-a46fb27ff227'],
    ['resolve', 'cfafbeb1-8037-4d0c-896e-a46fb27ff227'],
    ['checks'],
    ['explain', 'consumer.zone-linked'],
    ['diff', 'a.json', 'b.json'],
    ['replay', 'report.json'],
    ['bundle', '--from', 'report.json', '--out', 'b.tar.gz'],
    ['validate-config', 'x.json'],
    ['init'],
    ['discover', '--write', 'x.json'],
    ['merge', 'a.json', 'b.json', '--out', 'estate'],
  ];
  it.runIf(old).each(commands.map((c) => [c.join(' ') || '(no arguments)', c]))('%s: one line, exit 2', (_name, args) => {
    const run = spawnSync(old!.path, [BIN, ...(args as string[])], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(run.stderr).toBe(`xtenant-doctor needs Node.js ${FLOOR} or later; this is ${old!.version}. Use the single executable, or install Node 22+\n`);
    expect(run.stdout).toBe('');
    expect(run.status).toBe(2);
  });

  it('every command of --help is in the list above', async () => {
    const help = (await runCli(['--help'])).stdout;
    const listed = [...help.matchAll(/^ {2}xtenant-doctor (\S+)/gm)].map((m) => m[1]);
    expect(listed.length).toBeGreaterThan(5);
    for (const name of listed) expect(commands.some((c) => c[0] === name), name).toBe(true);
  });

  it('the supported Node passes the gate', async () => {
    const run = await runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  });
});

// The built CLI's light commands, as a user types them.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const ID = 'cfafbeb1-8037-4d0c-896e-a46fb27ff227';
const API = 'cfafbeb180374d0c896ea46fb27ff227.zcf.w.api.fabric.microsoft.com';

describe('fqdn', () => {
  it('prints the contract JSON for the issue example', async () => {
    const r = await runCli(['fqdn', 'CFAFBEB1-8037-4D0C-896E-A46FB27FF227', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      workspaceId: ID,
      fqdns: {
        api: API,
        compute: 'cfafbeb180374d0c896ea46fb27ff227.zcf.c.fabric.microsoft.com',
        onelake: 'cfafbeb180374d0c896ea46fb27ff227.zcf.onelake.fabric.microsoft.com',
        dfs: 'cfafbeb180374d0c896ea46fb27ff227.zcf.dfs.fabric.microsoft.com',
        blob: 'cfafbeb180374d0c896ea46fb27ff227.zcf.blob.fabric.microsoft.com',
      },
      zone: 'privatelink.fabric.microsoft.com',
      records: {
        api: 'cfafbeb180374d0c896ea46fb27ff227.zcf.w.api',
        compute: 'cfafbeb180374d0c896ea46fb27ff227.zcf.c',
        onelake: 'cfafbeb180374d0c896ea46fb27ff227.zcf.onelake',
        dfs: 'cfafbeb180374d0c896ea46fb27ff227.zcf.dfs',
        blob: 'cfafbeb180374d0c896ea46fb27ff227.zcf.blob',
      },
    });
  });

  it('gives the same answer for every accepted form', async () => {
    const forms = [ID, ID.replace(/-/g, ''), `{${ID.toUpperCase()}}`, ` ${ID} `, `https://app.fabric.microsoft.com/groups/${ID}/list`];
    const outputs = await Promise.all(forms.map((f) => runCli(['fqdn', f, '--json'])));
    for (const r of outputs) expect(JSON.parse(r.stdout).fqdns.api).toBe(API);
  });

  it('prints a readable table', async () => {
    const r = await runCli(['fqdn', ID]);
    expect(r.stdout).toContain(API);
    expect(r.stdout).toContain('cfafbeb180374d0c896ea46fb27ff227.zcf.w.api');
  });

  it('refuses a bad id with exit 2, the input quoted, the accepted forms, and no stack trace', async () => {
    const r = await runCli(['fqdn', 'cfafbeb1-8037-4d0c-896e']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"cfafbeb1-8037-4d0c-896e"');
    expect(r.stderr).toContain('Accepted forms');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });
});

describe('usage', () => {
  it('--version and --help', async () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8'));
    expect((await runCli(['--version'])).stdout.trim()).toBe(pkg.version);
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('run --workspace');
  });

  it('an unknown command or flag exits 2 with a message', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown argument|Did you mean/);
    const flag = await runCli(['fqdn', ID, '--jsno']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('jsno');
  });

  it('arguments after `--` that no command takes exit 2 instead of being ignored', async () => {
    const r = await runCli(['checks', '--', '--zz-aaa']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unexpected argument: "--zz-aaa"');
    expect(r.stdout).toBe('');
  });

  it('explain of an unknown check exits 2', async () => {
    const r = await runCli(['explain', 'consumer.nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no check "consumer.nope"');
  });

  it('run with no config and no --workspace says what to do', async () => {
    const r = await runCli(['run'], { cwd: mkdtempSync(join(tmpdir(), 'xtd-empty-')) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--workspace');
  });
});

describe('config commands', () => {
  it("init writes a starter config with $schema; validate-config refuses it until init's placeholders are replaced", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xtd-init-'));
    const init = await runCli(['init'], { cwd: dir });
    expect(init.code).toBe(0);
    const written = JSON.parse(readFileSync(join(dir, 'xtenant-doctor.json'), 'utf8'));
    expect(written.$schema).toMatch(/schema\/config\.schema\.json$/);
    expect(JSON.parse(readFileSync(join(dir, written.$schema), 'utf8')).title).toContain('xtenant-doctor');
    const again = await runCli(['init'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--force');
    const placeholders = await runCli(['validate-config', 'xtenant-doctor.json'], { cwd: dir });
    expect(placeholders.code).toBe(2);
    expect(placeholders.stderr).toContain('$.targets[0].workspaceId: still the placeholder `init` writes');
    const filled = JSON.stringify(written).replace(/0{8}-0{4}-0{4}-0{4}-0{11}(\d)/g, (_m, d: string) => `1a2b3c4d-5e6f-4a1b-8c2d-00000000000${d}`);
    writeFileSync(join(dir, 'xtenant-doctor.json'), filled);
    const valid = await runCli(['validate-config', 'xtenant-doctor.json'], { cwd: dir });
    expect(valid.stdout, valid.stderr).toContain('valid');
    expect(valid.code).toBe(0);
  });

  it('validate-config reports several mistakes at once with their JSON paths; exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xtd-bad-'));
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        targets: [{ name: 'a', workspaceId: 'oops', colour: 1 }],
        dns: { retries: -1 },
        credentials: { consumer: { type: 'client-secret', clientId: 'c' } },
      }),
    );
    const r = await runCli(['validate-config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('$.targets[0].colour: unknown key "colour"');
    expect(r.stderr).toContain('$.targets[0].workspaceId: not a workspace id: "oops"');
    expect(r.stderr).toContain('$.dns.retries');
    expect(r.stderr).toContain('$.credentials.consumer: needs exactly one of "secretEnv", "secretFile"');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('validate-config accepts settings without targets (what discover and run --workspace read), and checks them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xtd-settings-'));
    const good = join(dir, 'settings.json');
    writeFileSync(good, JSON.stringify({ credentials: { consumer: { type: 'cli' } }, dns: { retries: 1 } }));
    const ok = await runCli(['validate-config', good]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('no targets (settings for `discover` and `run --workspace`)');
    const bad = join(dir, 'bad-settings.json');
    writeFileSync(bad, JSON.stringify({ credentials: { consumer: { type: 'client-secret', clientId: 'c' } }, dns: { retries: -1 } }));
    const r = await runCli(['validate-config', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('$.credentials.consumer: needs exactly one of "secretEnv", "secretFile"');
    expect(r.stderr).toContain('$.dns.retries');
    expect(r.stderr).not.toContain('$.targets');
  });

  it('validate-config names the line and column of broken JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xtd-json-'));
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{\n  "targets": [,]\n}\n');
    const r = await runCli(['validate-config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid JSON: value expected at line 2, column 15 \(offset 16\)/);
  });
});

// The flags that name a credential, a tenant or a cloud without a config: `--consumer-credential
// TYPE[,FIELD=VALUE...]` is the config's credentials.consumer on one line, checked by the same schema;
// a bad value is a usage error (exit 2) naming the flag and the field, never echoing what may be a
// secret. Nothing here is contacted: every refusal happens before discovery.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/cli/errors.js';
import { configFromArgs, settingsFromFlags } from '../../../src/cli/run-config.js';
import type { RunArgs } from '../../../src/cli/run-options.js';

const WS = 'cfafbeb1-8037-4d0c-896e-a46fb27ff227';
const T1 = '11111111-2222-4333-8444-555555555555';
const dir = mkdtempSync(join(tmpdir(), 'xtd-credential-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const args = (extra: Partial<RunArgs>): RunArgs => ({ failOn: 'fail', exitCode: true, ...extra });
const refusal = (extra: Partial<RunArgs>): string => {
  try {
    settingsFromFlags(args(extra));
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('the flags were accepted');
};

describe('--consumer-credential / --provider-credential', () => {
  it('map onto the config credential: the type, then its fields by their config names', () => {
    const settings = settingsFromFlags(
      args({ consumerCredential: 'client-secret,clientId=app-1,secretEnv=TENANT1_SECRET', providerCredential: 'access-token, armTokenFile=t2.arm , fabricTokenFile=t2.fabric', consumerTenant: T1.toUpperCase() }),
    );
    expect(settings.credentials).toEqual({
      consumer: { type: 'client-secret', clientId: 'app-1', secretEnv: 'TENANT1_SECRET' },
      provider: { type: 'access-token', armTokenFile: 't2.arm', fabricTokenFile: 't2.fabric' },
    });
    expect(settings.tenants).toEqual({ consumer: T1 });
    expect(settingsFromFlags(args({ consumerCredential: 'cli' })).credentials.consumer).toEqual({ type: 'cli' });
    expect(settingsFromFlags(args({ providerCredential: 'managed-identity,clientId=mi-1' })).credentials.provider).toEqual({ type: 'managed-identity', clientId: 'mi-1' });
  });

  it('refuse an unknown type, naming the flag and the types there are', () => {
    expect(refusal({ consumerCredential: 'azure-cli' })).toMatch(/^--consumer-credential azure-cli: type: expected one of "none", "default", "cli", .*found string "azure-cli"$/);
    expect(refusal({ providerCredential: '' })).toMatch(/^--provider-credential: name a credential type/);
  });

  it('refuse fields the type does not have, and missing ones, by the config field name', () => {
    expect(refusal({ consumerCredential: 'cli,clientId=x' })).toContain('--consumer-credential cli: clientId: unknown key "clientId"');
    expect(refusal({ providerCredential: 'client-secret,clientId=x' })).toBe('--provider-credential client-secret: needs exactly one of "secretEnv", "secretFile"');
    expect(refusal({ consumerCredential: 'client-secret,clientId=x,secretEnv=A,secretEnv=B' })).toBe('--consumer-credential client-secret: secretEnv is given twice');
  });

  it('never echo what may be a secret: a bare value, or a value where a variable name belongs', () => {
    const secret = 'Xy7~Q2abcdefGHIJKLmnopq.rs8';
    const bare = refusal({ consumerCredential: `client-secret,clientId=x,${secret}` });
    expect(bare).toContain('part 3 is not FIELD=VALUE (not shown: it may be a secret)');
    expect(bare).not.toContain(secret);
    const asName = refusal({ consumerCredential: `client-secret,clientId=x,secretEnv=${secret}` });
    expect(asName).toContain('--consumer-credential client-secret: secretEnv:');
    expect(asName).not.toContain(secret);
  });
});

describe('--consumer-tenant / --provider-tenant / --cloud', () => {
  it('refuse a tenant that is not a GUID, naming the flag', () => {
    expect(refusal({ consumerTenant: 'contoso.onmicrosoft.com' })).toBe('--consumer-tenant: expected a tenant id, a GUID like 00000000-0000-0000-0000-000000000000, found string "contoso.onmicrosoft.com"');
    expect(refusal({ providerTenant: '1234' })).toMatch(/^--provider-tenant: expected a tenant id/);
  });

  it('refuse a cloud the config does not name', () => {
    expect(refusal({ cloud: 'mars' })).toMatch(/^--cloud: /);
    expect(settingsFromFlags(args({ cloud: 'usgov' })).cloud).toBe('usgov');
  });
});

describe('configFromArgs with the flags', () => {
  it('--workspace alone: one target, no credential, the local checks only', async () => {
    const config = await configFromArgs(args({ workspace: WS }));
    expect(config.targets).toEqual([{ name: 'workspace', workspaceId: WS }]);
    expect(config.credentials).toEqual({ consumer: { type: 'none' }, provider: { type: 'none' } });
  });

  it('--cloud applies without a config', async () => {
    const config = await configFromArgs(args({ workspace: WS, cloud: 'china' }));
    expect(config.cloud.armEndpoint).toBe('https://management.chinacloudapi.cn');
  });

  it('an app credential without its tenant is refused before discovery, naming the flag to add', async () => {
    const said: string[] = [];
    await expect(configFromArgs(args({ workspace: WS, consumerCredential: 'client-secret,clientId=app,secretEnv=PATH' }), (l) => said.push(l))).rejects.toThrow(
      '--consumer-credential client-secret signs in to a named tenant: add --consumer-tenant <tenant 1 id>',
    );
    expect(said).toEqual([]);
  });

  it('a secret file that cannot be read is refused by the flag, before discovery', async () => {
    await expect(configFromArgs(args({ workspace: WS, consumerTenant: T1, consumerCredential: `client-secret,clientId=app,secretFile=${join(dir, 'absent')}` }))).rejects.toThrow(
      `--consumer-credential client-secret: secretFile: ${join(dir, 'absent')}: the file does not exist`,
    );
  });

  it('over a config with targets: the credential flag replaces the file\'s, a tenant flag is refused', async () => {
    const file = join(dir, 'fleet.json');
    writeFileSync(file, JSON.stringify({ targets: [{ name: 'sales', workspaceId: WS, consumer: { tenantId: T1 } }], credentials: { consumer: { type: 'cli' }, provider: { type: 'none' } } }));
    const config = await configFromArgs(args({ config: file, consumerCredential: 'managed-identity' }));
    expect(config.credentials.consumer).toEqual({ type: 'managed-identity' });
    await expect(configFromArgs(args({ config: file, consumerTenant: T1 }))).rejects.toThrow(/^--consumer-tenant: .*fleet\.json has targets, which name their own tenants/);
  });

  it('a config without targets and without --workspace is still refused by the schema', async () => {
    const file = join(dir, 'settings.json');
    writeFileSync(file, JSON.stringify({ credentials: { consumer: { type: 'cli' } } }));
    await expect(configFromArgs(args({ config: file }))).rejects.toThrow(/\$: missing required key "targets" \(a config without targets serves `discover`, and `run --workspace <id>`/);
  });
});

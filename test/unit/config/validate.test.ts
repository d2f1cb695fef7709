// validate-config catches what run would: one test per mistake, each with its JSON path; warnings
// apart from errors; a value where a variable name belongs is never echoed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../checks/index.js';
import { ConfigError, resolveConfig } from '../../../src/config/load.js';
import { validateConfig, type ConfigFinding } from '../../../src/config/validate.js';

const WS = 'cfafbeb1-8037-4d0c-896e-a46fb27ff227';
const T1 = '3b7e0c1a-5f2d-4e8b-9a61-0c2d4e6f8a11';
const T2 = '9d4f2a6c-1b3e-4c5d-8e7f-a0b1c2d3e4f5';
const S1 = 'a1b2c3d4-1111-4222-8333-444455556666';
const S2 = 'e5f6a7b8-9999-4aaa-8bbb-ccccddddeeee';
const PLS = `/subscriptions/${S2}/resourceGroups/rg-fabric/providers/Microsoft.Fabric/privateLinkServicesForFabric/pls-sales`;
const PE = `/subscriptions/${S1}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-fabric`;
const VNET = `/subscriptions/${S1}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-jump`;
const ZONE = `/subscriptions/${S1}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.fabric.microsoft.com`;
const dir = mkdtempSync(join(tmpdir(), 'xtd-validate-'));
const SECRET_FILE = join(dir, 'secret.txt');
writeFileSync(SECRET_FILE, 'a-secret');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Raw = Record<string, unknown> & { targets: Array<Record<string, any>>; credentials?: Record<string, unknown> };

/** A config with nothing wrong; each test changes one thing. */
function good(): Raw {
  return {
    targets: [
      {
        name: 'sales',
        workspaceId: WS,
        provider: { tenantId: T2, subscriptionId: S2, privateLinkServiceId: PLS },
        consumer: { tenantId: T1, subscriptionId: S1, privateEndpointId: PE, vnetId: VNET, privateDnsZoneId: ZONE },
      },
    ],
    credentials: {
      provider: { type: 'client-secret', clientId: 'b9c8d7e6-0000-4000-8000-000000000001', secretFile: SECRET_FILE },
      consumer: { type: 'managed-identity' },
    },
  };
}

function findings(raw: Raw): ConfigFinding[] {
  return validateConfig(resolveConfig(raw, 'test.json'), { raw, checkIds: CATALOGUE.map((c) => c.id) });
}
const errors = (raw: Raw) => findings(raw).filter((f) => f.level === 'error');
const warnings = (raw: Raw) => findings(raw).filter((f) => f.level === 'warning');

describe('validateConfig', () => {
  it('a correct config has no finding', () => {
    expect(findings(good())).toEqual([]);
  });

  it('a private link service id pasted into privateEndpointId', () => {
    const raw = good();
    raw.targets[0]!.consumer.privateEndpointId = PLS;
    expect(errors(raw)).toEqual([
      expect.objectContaining({ path: '$.targets[0].consumer.privateEndpointId', message: expect.stringMatching(/this is the private link service's id \(tenant 2\); privateEndpointId is the private endpoint in tenant 1/) }),
      // …and the subscription no longer agrees either
      expect.objectContaining({ path: '$.targets[0].consumer.subscriptionId' }),
    ]);
  });

  it('a subnet id as vnetId names the VNet it belongs to', () => {
    const raw = good();
    raw.targets[0]!.consumer.vnetId = `${VNET}/subnets/snet-vm`;
    expect(errors(raw)).toEqual([{ path: '$.targets[0].consumer.vnetId', level: 'error', message: `this is a subnet id; the VNet is ${VNET}; expected the jump VM's VNet id` }]);
  });

  it('Microsoft.Network/privateLinkServices instead of the Fabric type', () => {
    const raw = good();
    raw.targets[0]!.provider.privateLinkServiceId = PLS.replace('Microsoft.Fabric/privateLinkServicesForFabric', 'Microsoft.Network/privateLinkServices');
    expect(errors(raw)).toEqual([
      expect.objectContaining({ path: '$.targets[0].provider.privateLinkServiceId', message: expect.stringContaining('a classic private link service); a workspace private link is a Microsoft.Fabric/privateLinkServicesForFabric resource') }),
    ]);
  });

  it('an id that disagrees with its subscriptionId', () => {
    const raw = good();
    raw.targets[0]!.provider.subscriptionId = S1;
    expect(errors(raw)).toEqual([{ path: '$.targets[0].provider.subscriptionId', level: 'error', message: `${S1} disagrees with provider.privateLinkServiceId, which is in subscription ${S2}` }]);
  });

  it('the same tenant on both sides is a warning, not an error', () => {
    const raw = good();
    raw.targets[0]!.consumer.tenantId = T2;
    expect(errors(raw)).toEqual([]);
    expect(warnings(raw)).toEqual([expect.objectContaining({ path: '$.targets[0].consumer.tenantId', message: expect.stringContaining('the same tenant as provider.tenantId') })]);
  });

  it('swapped tenants (another target has them the other way round; subscriptions crossed) are warnings', () => {
    const raw = good();
    raw.targets.push({ ...structuredClone(raw.targets[0]!), name: 'other', provider: { ...raw.targets[0]!.provider, tenantId: T1 }, consumer: { ...raw.targets[0]!.consumer, tenantId: T2 } });
    expect(warnings(raw).map((w) => w.path)).toEqual(['$.targets[1].provider.tenantId']);
    const crossed = good();
    crossed.targets[0]!.provider = { tenantId: T2, subscriptionId: S1, privateLinkServiceId: PLS };
    crossed.targets[0]!.consumer = { ...crossed.targets[0]!.consumer, subscriptionId: S2 };
    expect(warnings(crossed)).toEqual([expect.objectContaining({ path: '$.targets[0].provider.subscriptionId', message: expect.stringContaining('look swapped') })]);
  });

  it("init's all-zero placeholders", () => {
    const raw = good();
    raw.targets[0]!.workspaceId = '00000000-0000-0000-0000-000000000000';
    raw.targets[0]!.provider.tenantId = '00000000-0000-0000-0000-000000000002';
    raw.targets[0]!.consumer.vnetId = VNET.replace(S1, '00000000-0000-0000-0000-000000000000');
    expect(errors(raw).map((e) => e.path)).toEqual(['$.targets[0].workspaceId', '$.targets[0].provider.tenantId', '$.targets[0].consumer.vnetId']);
    expect(errors(raw)[0]!.message).toContain('placeholder `init` writes');
  });

  it('a missing credential for a side the targets name is an error; "type": "none" says it on purpose (a warning)', () => {
    const raw = good();
    delete (raw.credentials as Record<string, unknown>).consumer;
    expect(errors(raw)).toEqual([expect.objectContaining({ path: '$.credentials.consumer', message: expect.stringContaining('nothing says how to sign in to tenant 1') })]);
    (raw.credentials as Record<string, unknown>).consumer = { type: 'none' };
    expect(errors(raw)).toEqual([]);
    expect(warnings(raw)).toEqual([expect.objectContaining({ path: '$.credentials.consumer', message: '"type": "none": tenant 1 will not be checked' })]);
  });

  it("a secret file that does not exist is an error about that side's sign-in", () => {
    const raw = good();
    (raw.credentials as any).provider.secretFile = join(dir, 'nope.txt');
    expect(errors(raw)).toEqual([{ path: '$.credentials.provider.secretFile', level: 'error', signIn: 'provider', message: `${join(dir, 'nope.txt')}: the file does not exist` }]);
  });

  it('a token file that is a directory, and a CA file that does not exist', () => {
    const raw = good();
    raw.credentials!.consumer = { type: 'access-token', armTokenFile: dir };
    raw.tls = { caFile: join(dir, 'ca.pem') };
    expect(errors(raw)).toEqual([
      { path: '$.credentials.consumer.armTokenFile', level: 'error', signIn: 'consumer', message: `${dir}: not a file` },
      { path: '$.tls.caFile', level: 'error', message: `${join(dir, 'ca.pem')}: the file does not exist` },
    ]);
  });

  it('a waiver naming an unknown check', () => {
    const raw = good();
    raw.checks = { waivers: [{ check: 'consumer.zone-linkd', reason: 'typo', expires: '2099-01-01' }] };
    expect(errors(raw)).toEqual([{ path: '$.checks.waivers[0].check', level: 'error', message: 'no check matches "consumer.zone-linkd"' }]);
  });

  it('a secret pasted into secretEnv is refused without being echoed', () => {
    const raw = good();
    const secret = 'Xy7~Q8s.Pw2-vErYsEcReT_value';
    raw.credentials!.provider = { type: 'client-secret', clientId: 'b9c8d7e6-0000-4000-8000-000000000001', secretEnv: secret };
    let thrown: unknown;
    try {
      resolveConfig(raw, 'test.json');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const text = (thrown as ConfigError).message;
    expect(text).toContain('$.credentials.provider.secretEnv');
    expect(text).toContain('not shown: it may be the secret itself');
    expect(text).not.toContain(secret);
  });

  it('an unset secretEnv is a warning (it may be set where run runs)', () => {
    const raw = good();
    raw.credentials!.provider = { type: 'client-secret', clientId: 'b9c8d7e6-0000-4000-8000-000000000001', secretEnv: 'XTD_TEST_NEVER_SET_VARIABLE' };
    expect(errors(raw)).toEqual([]);
    expect(warnings(raw)).toEqual([expect.objectContaining({ path: '$.credentials.provider.secretEnv' })]);
  });
});

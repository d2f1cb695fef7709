import { describe, expect, it } from 'vitest';
import { buildTargets, discoveredConfig, searchConfigData, TENANT_CARRIER_WORKSPACE, type Found } from '../../../src/discover/build.js';
import { resolveConfig } from '../../../src/config/load.js';
import { workspaceIdFromFqdn } from '../../../src/fabric/workspace.js';

const WS1 = 'cfafbeb1-8037-4d0c-896e-a46fb27ff227';
const WS2 = '0a1b2c3d-0000-4000-8000-000000000002';
const label = (ws: string) => ws.replace(/-/g, '');
const api = (ws: string) => `${label(ws)}.z${label(ws).slice(0, 2)}.w.api.fabric.microsoft.com`;
const T1 = '11111111-1111-1111-1111-111111111111';
const T2 = '22222222-2222-2222-2222-222222222222';
const S1 = 'bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb';
const S2 = 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa';
const HUB = 'cccccccc-cccc-cccc-cccc-cccccccccccc';
const pls = (name: string) => `/subscriptions/${S2}/resourceGroups/rg-fabric/providers/Microsoft.Fabric/privateLinkServicesForFabric/${name}`;
const pe = (name: string, sub = S1) => `/subscriptions/${sub}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/${name}`;
const vnet = (name: string, sub = S1) => `/subscriptions/${sub}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/${name}`;
const zone = (sub: string) => `/subscriptions/${sub}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.fabric.microsoft.com`;

function world(): Found {
  return {
    consumerTenantId: T1,
    providerTenantId: T2,
    endpoints: [
      // A zone group names the central zone (policy-created, another subscription).
      { id: pe('pe-sales'), subnetId: `${vnet('vnet-spoke')}/subnets/pe`, privateLinkServiceId: pls('pls-sales'), fqdns: [api(WS1), 'other.example.com'], zoneIds: [zone(HUB)] },
      // No zone group, no name in its DNS config: the workspace comes from tenant 2; the zone from the VNet link.
      { id: pe('pe-hr'), subnetId: `${vnet('vnet-hub')}/subnets/pe`, privateLinkServiceId: pls('pls-hr'), fqdns: [], zoneIds: [] },
    ],
    services: [
      { id: pls('pls-sales'), workspaceId: WS1, tenantId: T2, privateEndpointIds: [pe('pe-sales'), pe('pe-other', '99999999-9999-9999-9999-999999999999')] },
      { id: pls('pls-hr'), workspaceId: WS2, tenantId: T2, privateEndpointIds: [pe('pe-hr')] },
    ],
    zonesByVnet: { [vnet('vnet-hub').toLowerCase()]: [zone(S1)] },
    workspaceNames: { [WS1]: 'Sales Analytics (EU)', [WS2]: 'HR' },
  };
}

describe('discover: buildTargets', () => {
  it('reads the workspace id from an endpoint FQDN', () => {
    expect(workspaceIdFromFqdn(api(WS1))).toBe(WS1);
    expect(workspaceIdFromFqdn(`${label(WS1)}.zcf.dfs.fabric.microsoft.com`)).toBe(WS1);
    expect(workspaceIdFromFqdn(`${label(WS1)}.z00.w.api.fabric.microsoft.com`)).toBeUndefined();
    expect(workspaceIdFromFqdn('abc.cosmos.com')).toBeUndefined();
  });

  it('builds one target per endpoint with every id filled, named after the workspace', () => {
    const targets = buildTargets(world());
    expect(targets.map((t) => t.name)).toEqual(['hr', 'sales-analytics-eu-pe-other', 'sales-analytics-eu-pe-sales']);
    const sales = targets.find((t) => t.name === 'sales-analytics-eu-pe-sales')!;
    expect(sales).toMatchObject({
      workspaceId: WS1,
      provider: { tenantId: T2, subscriptionId: S2, privateLinkServiceId: pls('pls-sales') },
      consumer: { tenantId: T1, subscriptionId: S1, privateEndpointId: pe('pe-sales'), vnetId: vnet('vnet-spoke'), privateDnsZoneId: zone(HUB) },
      notes: [],
    });
    const hr = targets.find((t) => t.name === 'hr')!;
    expect(hr.consumer).toMatchObject({ vnetId: vnet('vnet-hub'), privateDnsZoneId: zone(S1) });
  });

  it('flags an endpoint tenant 2 lists but tenant 1 cannot see', () => {
    const other = buildTargets(world()).find((t) => t.name === 'sales-analytics-eu-pe-other')!;
    expect(other.consumer).toEqual({ subscriptionId: '99999999-9999-9999-9999-999999999999', privateEndpointId: pe('pe-other', '99999999-9999-9999-9999-999999999999') });
    expect(other.notes.join(' ')).toMatch(/not visible with the tenant-1 credential/);
  });

  it('uses the jump VM\'s VNet when known, and narrows to --workspace', () => {
    const found = { ...world(), vmVnetId: vnet('vnet-jump') };
    const targets = buildTargets(found, { workspaces: [WS2] });
    expect(targets).toHaveLength(1);
    expect(targets[0]!.consumer?.vnetId).toBe(vnet('vnet-jump'));
  });

  it('writes a config validate-config accepts, byte-identical however the input is ordered', () => {
    const carried = { credentials: { consumer: { type: 'cli' }, provider: { type: 'cli' } }, dns: { azureVm: true }, targets: [{ ignored: true }] };
    const a = discoveredConfig(buildTargets(world()), carried, './schema.json');
    const shuffled = world();
    shuffled.endpoints.reverse();
    shuffled.services.reverse();
    const b = discoveredConfig(buildTargets(shuffled), carried, './schema.json');
    expect(b).toBe(a);
    const parsed = JSON.parse(a) as Record<string, unknown>;
    expect(Object.keys(parsed)[0]).toBe('$schema');
    expect(() => resolveConfig(parsed, 'discovered.json')).not.toThrow();
    expect(a).not.toContain('notes');
  });
});

describe('searchConfigData: a config ready to search with (discover, run --workspace without targets)', () => {
  const settings = { $schema: './schema.json', credentials: { consumer: { type: 'cli' } }, dns: { azureVm: true } };

  it('replaces the targets by one stand-in carrying the tenants: those given first, else the first the targets name', () => {
    const fleet = { ...settings, targets: [{ name: 'a', workspaceId: WS1 }, { name: 'b', workspaceId: WS2, consumer: { tenantId: T1 }, provider: { tenantId: T2 } }] };
    expect(searchConfigData(fleet).targets).toEqual([{ name: 'discover', workspaceId: TENANT_CARRIER_WORKSPACE, consumer: { tenantId: T1 }, provider: { tenantId: T2 } }]);
    const given = searchConfigData(fleet, { consumer: T2 });
    expect(given.targets).toEqual([{ name: 'discover', workspaceId: TENANT_CARRIER_WORKSPACE, consumer: { tenantId: T2 }, provider: { tenantId: T2 } }]);
  });

  it('keeps the settings, drops $schema, and resolves as a config even without targets or tenants', () => {
    const data = searchConfigData(settings);
    expect(data.targets).toEqual([{ name: 'discover', workspaceId: TENANT_CARRIER_WORKSPACE }]);
    const config = resolveConfig(data, 'creds.json');
    expect(config.credentials.consumer).toEqual({ type: 'cli' });
    expect(config.dns.azureVm).toBe(true);
  });
});

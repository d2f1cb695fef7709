// The lab's ARM and identity authority over real HTTPS: shapes against the official examples, the
// SDKs and @azure/identity working unchanged against it, tenant checks, paging, api-versions,
// latency, request counts and the read-only rule.
import { ClientSecretCredential } from '@azure/identity';
import { NetworkManagementClient } from '@azure/arm-network';
import { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startLab, type Lab } from '../../src/lab/server.js';
import { call, closeAgent, reference, shapeDiff } from './lab-helpers.js';

const NET = '2026-01-01';
const DNS = '2024-06-01';
const FABRIC = '2024-06-01';

/** Every listed path (or prefix ending in `*`) is allowed; anything else must match. */
function expectShape(labBody: unknown, ref: string, allowMissing: string[], allowExtra: string[]): void {
  const diff = shapeDiff(labBody, reference(ref));
  const allowed = (list: string[]) => (key: string) => list.some((p) => (p.endsWith('*') ? key.startsWith(p.slice(0, -1)) : key === p));
  expect(diff.missing.filter((k) => !allowed(allowMissing)(k)), `${ref}: keys of the example the lab lacks`).toEqual([]);
  expect(diff.extra.filter((k) => !allowed(allowExtra)(k)), `${ref}: keys the lab adds`).toEqual([]);
}

describe('lab ARM (healthy)', () => {
  let lab: Lab;
  let env: Record<string, string>;
  beforeAll(async () => {
    lab = await startLab({ seed: 'arm-tests', pageSize: 2 });
    env = lab.secretEnv();
  });
  afterAll(async () => {
    await closeAgent(lab);
    await lab.stop();
  });

  test('responses have the shapes of the official examples', async () => {
    const t = lab.state.targets[0]!;
    const pe = lab.state.endpoints[0]!;
    const zone = lab.state.zones[0]!;
    const consumer = env.XTD_LAB_CONSUMER_ARM_TOKEN;
    const provider = env.XTD_LAB_PROVIDER_ARM_TOKEN;
    const get = async (p: string, token: string | undefined) => {
      const reply = await call(lab, 'GET', p, token);
      expect(reply.status, p).toBe(200);
      return reply.body;
    };
    // Fields real ARM returns that the examples leave out (etag, resourceGuid...) are allowed extras.
    expectShape(await get(`${t.privateEndpointId}?api-version=${NET}`, consumer), 'arm-network/PrivateEndpointGetForManualApproval.json', [], [
      'etag', 'properties.isIPv6Enabled', 'properties.resourceGuid', 'properties.manualPrivateLinkServiceConnections[].etag',
      'properties.manualPrivateLinkServiceConnections[].name', 'properties.manualPrivateLinkServiceConnections[].type',
      'properties.manualPrivateLinkServiceConnections[].properties.provisioningState',
    ]);
    const nic = `/subscriptions/${pe.subscriptionId}/resourceGroups/${pe.resourceGroup}/providers/Microsoft.Network/networkInterfaces/${pe.nicName}`;
    // A private endpoint's NIC has no VM, NSG, public IP or DSCP; it has privateLinkConnectionProperties.
    expectShape(await get(`${nic}?api-version=${NET}`, consumer), 'arm-network/NetworkInterfaceGet.json', [
      'properties.dnsSettings.internalDomainNameSuffix', 'properties.dscpConfiguration*', 'properties.ipConfigurations[].properties.privateIPAddressPrefixLength',
      'properties.ipConfigurations[].properties.publicIPAddress*', 'properties.networkSecurityGroup*', 'properties.primary', 'properties.virtualMachine*',
    ], [
      'etag', 'properties.auxiliaryMode', 'properties.auxiliarySku', 'properties.hostedWorkloads', 'properties.ipConfigurations[].etag',
      'properties.ipConfigurations[].type', 'properties.ipConfigurations[].properties.privateLinkConnectionProperties*', 'properties.nicType',
      'properties.privateEndpoint*', 'properties.resourceGuid', 'properties.tapConfigurations',
    ]);
    expectShape(await get(`${t.vnetId}?api-version=${NET}`, consumer), 'arm-network/VirtualNetworkGet.json', ['properties.defaultPublicNatGateway*', 'properties.subnets[].properties.ipConfigurations*'], [
      'etag', 'properties.enableDdosProtection', 'properties.resourceGuid', 'properties.subnets[].etag', 'properties.subnets[].type',
      'properties.subnets[].properties.delegations', 'properties.subnets[].properties.privateEndpoint*', 'properties.subnets[].properties.privateLinkServiceNetworkPolicies',
      'properties.virtualNetworkPeerings[]*',
      // The example leaves dhcpOptions out; ARM returns it, with [] for Azure-provided DNS.
      'properties.dhcpOptions*',
    ]);
    expectShape(await get(`${zone.id}?api-version=${DNS}`, consumer), 'arm-privatedns/PrivateZoneGet.json', ['tags.key1'], []);
    expectShape(await get(`${zone.id}/A/${zone.aRecords[0]!.name}?api-version=${DNS}`, consumer), 'arm-privatedns/RecordSetAGet.json', ['properties.metadata.key1'], []);
    expectShape(await get(`${zone.id}/virtualNetworkLinks/${zone.links[0]!.name}?api-version=${DNS}`, consumer), 'arm-privatedns/VirtualNetworkLinkGet.json', ['tags.key1'], ['properties.resolutionPolicy']);
    // The spec names workspaceObjectId; deployments carry workspaceId (REFERENCE §2): the lab's default.
    expectShape(await get(`${t.privateLinkServiceId}?api-version=${FABRIC}`, provider), 'arm-fabric/PrivateLinkServicesForFabric_Get.json', ['properties.workspaceObjectId', 'tags.tag1', 'tags.tag2'], ['properties.workspaceId']);
    expectShape(await get(`${t.privateLinkServiceId}/privateEndpointConnections?api-version=${FABRIC}`, provider), 'arm-fabric/PrivateEndpointConnections_List.json', [], []);
    const connection = lab.state.privateLinkServices[0]!.connections[0]!;
    expectShape(await get(`${t.privateLinkServiceId}/privateEndpointConnections/${connection.name}?api-version=${FABRIC}`, provider), 'arm-fabric/PrivateEndpointConnections_Get.json', [], []);
    expectShape(await get(`${t.privateLinkServiceId}/privateLinkResources/workspace?api-version=${FABRIC}`, provider), 'arm-fabric/PrivateLinkResources_Get.json', [], []);
  });

  test('the healthy endpoint is a cross-tenant manual connection, Approved on both sides, with the five members', async () => {
    const t = lab.state.targets[0]!;
    const pe = (await call(lab, 'GET', `${t.privateEndpointId}?api-version=${NET}`, env.XTD_LAB_CONSUMER_ARM_TOKEN)).body;
    const manual = pe.properties.manualPrivateLinkServiceConnections[0].properties;
    expect(manual.privateLinkServiceId).toBe(t.privateLinkServiceId);
    expect(manual.groupIds).toEqual(['workspace']);
    expect(manual.privateLinkServiceConnectionState.status).toBe('Approved');
    expect(pe.properties.privateLinkServiceConnections).toEqual([]);
    expect(pe.properties.ipConfigurations.map((c: any) => c.properties.memberName).sort()).toEqual(['workspace-api', 'workspace-blob', 'workspace-compute', 'workspace-dfs', 'workspace-ols']);
    expect(pe.properties.customDnsConfigs).toHaveLength(5);
    for (const c of pe.properties.customDnsConfigs) expect(c.ipAddresses[0]).toMatch(/^10\./);
    const pls = (await call(lab, 'GET', `${t.privateLinkServiceId}?api-version=${FABRIC}`, env.XTD_LAB_PROVIDER_ARM_TOKEN)).body;
    expect(pls.properties.tenantId).toBe(lab.state.provider.tenantId);
    expect(pls.properties.workspaceId).toBe(t.workspaceId);
    expect(pls.properties.privateEndpointConnections[0].properties.privateEndpoint.id).toBe(t.privateEndpointId);
    expect(pls.properties.privateEndpointConnections[0].properties.privateLinkServiceConnectionState.status).toBe('Approved');
  });

  test('paths match case-insensitively', async () => {
    const t = lab.state.targets[0]!;
    const reply = await call(lab, 'GET', `${t.privateEndpointId.toUpperCase()}?api-version=${NET}`, env.XTD_LAB_CONSUMER_ARM_TOKEN);
    expect(reply.status).toBe(200);
    expect(reply.body.id).toBe(t.privateEndpointId);
  });

  test('tenant checks: each tenant\'s token is refused on the other tenant\'s subscription', async () => {
    const t = lab.state.targets[0]!;
    const cross1 = await call(lab, 'GET', `${t.privateLinkServiceId}?api-version=${FABRIC}`, env.XTD_LAB_CONSUMER_ARM_TOKEN);
    expect(cross1.status).toBe(401);
    expect(cross1.body.error.code).toBe('InvalidAuthenticationTokenTenant');
    expect(cross1.body.error.message).toContain(lab.state.provider.tenantId);
    const cross2 = await call(lab, 'GET', `${t.privateEndpointId}?api-version=${NET}`, env.XTD_LAB_PROVIDER_ARM_TOKEN);
    expect(cross2.status).toBe(401);
    expect(cross2.body.error.code).toBe('InvalidAuthenticationTokenTenant');
    const none = await call(lab, 'GET', `${t.privateEndpointId}?api-version=${NET}`);
    expect([none.status, none.body.error.code]).toEqual([401, 'AuthenticationFailed']);
    const fabricToken = await call(lab, 'GET', `${t.privateEndpointId}?api-version=${NET}`, env.XTD_LAB_PROVIDER_FABRIC_TOKEN);
    expect([fabricToken.status, fabricToken.body.error.code]).toEqual([401, 'InvalidAuthenticationToken']);
    const bogus = await call(lab, 'GET', `${t.privateEndpointId}?api-version=${NET}`, 'not-a-lab-token');
    expect(bogus.status).toBe(401);
  });

  test('api-version is checked against the versions the SDKs send', async () => {
    const t = lab.state.targets[0]!;
    const wrong = await call(lab, 'GET', `${t.privateEndpointId}?api-version=2019-01-01`, env.XTD_LAB_CONSUMER_ARM_TOKEN);
    expect([wrong.status, wrong.body.error.code]).toEqual([400, 'InvalidApiVersionParameter']);
    const missing = await call(lab, 'GET', t.privateEndpointId, env.XTD_LAB_CONSUMER_ARM_TOKEN);
    expect([missing.status, missing.body.error.code]).toEqual([400, 'MissingApiVersionParameter']);
    const dnsWithNetVersion = await call(lab, 'GET', `${lab.state.zones[0]!.id}?api-version=${NET}`, env.XTD_LAB_CONSUMER_ARM_TOKEN);
    expect(dnsWithNetVersion.status).toBe(400);
  });

  test('lists page with nextLink pointing back at the lab', async () => {
    const zone = lab.state.zones[0]!;
    const first = await call(lab, 'GET', `${zone.id}/A?api-version=${DNS}`, env.XTD_LAB_CONSUMER_ARM_TOKEN);
    expect(first.body.value).toHaveLength(2);
    expect(first.body.nextLink.startsWith(lab.addresses.apiBase)).toBe(true);
    const names: string[] = [];
    let next: string | undefined = `${zone.id}/A?api-version=${DNS}`;
    while (next) {
      const page = await call(lab, 'GET', next, env.XTD_LAB_CONSUMER_ARM_TOKEN);
      names.push(...page.body.value.map((r: any) => r.name));
      next = page.body.nextLink;
    }
    expect(names.sort()).toEqual(zone.aRecords.map((r) => r.name).sort());
  });

  test('$top asks for a larger page, up to the largest the lab honours', async () => {
    const zone = lab.state.zones[0]!;
    const page = await call(lab, 'GET', `${zone.id}/A?api-version=${DNS}&$top=1000`, env.XTD_LAB_CONSUMER_ARM_TOKEN);
    expect(page.body.value).toHaveLength(zone.aRecords.length);
    expect(page.body.nextLink).toBeUndefined();
  });

  test('an A record set is read by name; a name the zone does not hold is 404', async () => {
    const zone = lab.state.zones[0]!;
    const record = zone.aRecords[0]!;
    const found = await call(lab, 'GET', `${zone.id}/A/${record.name}?api-version=${DNS}`, env.XTD_LAB_CONSUMER_ARM_TOKEN);
    expect(found.status).toBe(200);
    // The example's metadata holds a sample tag; the lab's records carry none.
    expectShape(found.body, 'arm-privatedns/RecordSetAGet.json', ['properties.metadata.key1'], []);
    expect(found.body.properties.aRecords).toEqual(record.ips.map((ipv4Address) => ({ ipv4Address })));
    const missing = await call(lab, 'GET', `${zone.id}/A/${record.name}-nope?api-version=${DNS}`, env.XTD_LAB_CONSUMER_ARM_TOKEN);
    expect(missing.status).toBe(404);
  });

  test('the real SDKs and @azure/identity work against the lab unchanged (client secret through the lab authority)', async () => {
    const cfg = lab.configJson();
    const t = cfg.targets[0]!;
    const tlsOptions = { ca: lab.caPem };
    const credential = new ClientSecretCredential(t.consumer.tenantId, (cfg.credentials.consumer as { clientId: string }).clientId, env.XTD_LAB_CONSUMER_CLIENT_SECRET!, {
      authorityHost: cfg.cloud.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions,
    } as never);
    const options = { endpoint: cfg.cloud.armEndpoint, credentials: { scopes: [cfg.cloud.armScope] }, tlsOptions } as never;
    const network = new NetworkManagementClient(credential, t.consumer.subscriptionId, options);
    const privateDns = new PrivateDnsManagementClient(credential, t.consumer.subscriptionId, options);
    const peParts = t.consumer.privateEndpointId.split('/');
    const pe = await network.privateEndpoints.get(peParts[4]!, peParts[8]!);
    expect(pe.manualPrivateLinkServiceConnections?.[0]?.privateLinkServiceConnectionState?.status).toBe('Approved');
    const zoneParts = t.consumer.privateDnsZoneId!.split('/');
    const records: string[] = [];
    for await (const r of privateDns.recordSets.listByType(zoneParts[4]!, zoneParts[8]!, 'A')) records.push(r.name!);
    expect(records).toHaveLength(5); // three pages of two
    const all: string[] = [];
    for await (const r of privateDns.recordSets.list(zoneParts[4]!, zoneParts[8]!)) all.push(r.name!);
    expect(all).toContain('@');
    const links = [];
    for await (const l of privateDns.virtualNetworkLinks.list(zoneParts[4]!, zoneParts[8]!)) links.push(l);
    expect(links[0]?.virtualNetwork?.id).toBe(t.consumer.vnetId);
    const vnetParts = t.consumer.vnetId.split('/');
    const vnet = await network.virtualNetworks.get(vnetParts[4]!, vnetParts[8]!);
    expect(vnet.virtualNetworkPeerings?.[0]?.peeringState).toBe('Connected');
    const log = lab.requestLog();
    expect(log.some((e) => e.service === 'identity' && e.method === 'POST')).toBe(true);
  });

  test('the identity authority refuses a wrong secret and an unknown scope', async () => {
    const tenant = lab.state.consumer;
    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    const wrongSecret = await call(lab, 'POST', `/${tenant.tenantId}/oauth2/v2.0/token`, undefined, form({ grant_type: 'client_credentials', client_id: tenant.clientId, client_secret: 'nope', scope: lab.addresses.scopes.arm }));
    expect([wrongSecret.status, wrongSecret.body.error]).toEqual([401, 'invalid_client']);
    const wrongScope = await call(lab, 'POST', `/${tenant.tenantId}/oauth2/v2.0/token`, undefined, form({ grant_type: 'client_credentials', client_id: tenant.clientId, client_secret: tenant.clientSecret, scope: 'https://management.azure.com/.default' }));
    expect([wrongScope.status, wrongScope.body.error]).toEqual([400, 'invalid_scope']);
    // A token for tenant 1 from the token endpoint is refused on tenant 2, as the static one is.
    const ok = await call(lab, 'POST', `/${tenant.tenantId}/oauth2/v2.0/token`, undefined, form({ grant_type: 'client_credentials', client_id: tenant.clientId, client_secret: tenant.clientSecret, scope: lab.addresses.scopes.arm }));
    expect(ok.status).toBe(200);
    const cross = await call(lab, 'GET', `${lab.state.targets[0]!.privateLinkServiceId}?api-version=${FABRIC}`, ok.body.access_token);
    expect(cross.body.error.code).toBe('InvalidAuthenticationTokenTenant');
    const openid = await call(lab, 'GET', `/${tenant.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(openid.body.token_endpoint).toBe(`${lab.addresses.apiBase}/${tenant.tenantId}/oauth2/v2.0/token`);
  });

  test('only GET is served: writes are refused with 405 and counted; the log never holds a token', async () => {
    const t = lab.state.targets[0]!;
    const before = lab.requestCounts().byMethod;
    for (const method of ['PUT', 'DELETE', 'PATCH', 'POST']) {
      const reply = await call(lab, method, `${t.privateEndpointId}?api-version=${NET}`, env.XTD_LAB_CONSUMER_ARM_TOKEN, method === 'GET' ? undefined : '{}');
      expect(reply.status, method).toBe(405);
    }
    const fabricWrite = await call(lab, 'POST', `/v1/workspaces/${t.workspaceId}/networking/communicationPolicy`, env.XTD_LAB_PROVIDER_FABRIC_TOKEN, '{}');
    expect(fabricWrite.status).toBe(405);
    const after = lab.requestCounts().byMethod;
    for (const method of ['PUT', 'DELETE', 'PATCH']) expect(after[method]).toBe((before[method] ?? 0) + 1);
    expect(after.POST).toBe((before.POST ?? 0) + 2);
    const serialised = JSON.stringify(lab.requestLog());
    for (const secret of Object.values(env)) expect(serialised).not.toContain(secret);
    expect(lab.requestLog().filter((e) => e.status === 405).every((e) => e.method !== 'GET')).toBe(true);
  });

  test('request counts group by service, method and path', async () => {
    const counts = lab.requestCounts();
    expect(counts.total).toBe(lab.requestLog().length);
    expect(counts.byService.arm).toBeGreaterThan(0);
    const row = counts.byPath.find((r) => r.service === 'arm' && r.path === `${lab.state.zones[0]!.id}/A`);
    expect(row?.count).toBeGreaterThanOrEqual(3);
  });
});

describe('lab ARM faults and options', () => {
  test('provider-forbidden: tenant 2 answers 403 AuthorizationFailed naming the action; tenant 1 is unaffected', async () => {
    const lab = await startLab({ faults: ['provider-forbidden'] });
    try {
      const env = lab.secretEnv();
      const t = lab.state.targets[0]!;
      const pls = await call(lab, 'GET', `${t.privateLinkServiceId}?api-version=${FABRIC}`, env.XTD_LAB_PROVIDER_ARM_TOKEN);
      expect([pls.status, pls.body.error.code]).toEqual([403, 'AuthorizationFailed']);
      expect(pls.body.error.message).toContain('Microsoft.Fabric/privateLinkServicesForFabric/read');
      const pe = await call(lab, 'GET', `${t.privateEndpointId}?api-version=${NET}`, env.XTD_LAB_CONSUMER_ARM_TOKEN);
      expect(pe.status).toBe(200);
    } finally {
      await closeAgent(lab);
      await lab.stop();
    }
  });

  test('arm-throttled: the first two requests for each resource get 429 with Retry-After: 1', async () => {
    const lab = await startLab({ faults: ['arm-throttled'] });
    try {
      const env = lab.secretEnv();
      const t = lab.state.targets[0]!;
      const url = `${t.privateEndpointId}?api-version=${NET}`;
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        const reply = await call(lab, 'GET', url, env.XTD_LAB_CONSUMER_ARM_TOKEN);
        statuses.push(reply.status);
        if (reply.status === 429) expect(reply.headers['retry-after']).toBe('1');
      }
      expect(statuses).toEqual([429, 429, 200]);
      const other = await call(lab, 'GET', `${t.vnetId}?api-version=${NET}`, env.XTD_LAB_CONSUMER_ARM_TOKEN);
      expect(other.status).toBe(429);
    } finally {
      await closeAgent(lab);
      await lab.stop();
    }
  });

  test('pe-missing and zone-missing answer 404 as ARM does', async () => {
    const lab = await startLab({ faults: ['pe-missing', 'zone-missing'] });
    try {
      const env = lab.secretEnv();
      const t = lab.state.targets[0]!;
      const pe = await call(lab, 'GET', `${t.privateEndpointId}?api-version=${NET}`, env.XTD_LAB_CONSUMER_ARM_TOKEN);
      expect([pe.status, pe.body.error.code]).toEqual([404, 'ResourceNotFound']);
      const zone = await call(lab, 'GET', `${t.privateDnsZoneId}?api-version=${DNS}`, env.XTD_LAB_CONSUMER_ARM_TOKEN);
      expect([zone.status, zone.body.error.code]).toEqual([404, 'ResourceNotFound']);
      const zones = await call(lab, 'GET', `/subscriptions/${lab.state.consumer.subscriptionId}/providers/Microsoft.Network/privateDnsZones?api-version=${DNS}`, env.XTD_LAB_CONSUMER_ARM_TOKEN);
      expect(zones.body.value).toEqual([]);
      const unknownRg = await call(lab, 'GET', `/subscriptions/${lab.state.consumer.subscriptionId}/resourceGroups/nope/providers/Microsoft.Network/privateEndpoints/x?api-version=${NET}`, env.XTD_LAB_CONSUMER_ARM_TOKEN);
      expect(unknownRg.body.error.code).toBe('ResourceGroupNotFound');
    } finally {
      await closeAgent(lab);
      await lab.stop();
    }
  });

  test('--latency delays every ARM, Fabric and token response by at least that much', async () => {
    const lab = await startLab({ latencyMs: 150 });
    try {
      const env = lab.secretEnv();
      const t = lab.state.targets[0]!;
      for (const [p, token] of [
        [`${t.privateEndpointId}?api-version=${NET}`, env.XTD_LAB_CONSUMER_ARM_TOKEN],
        [`/v1/workspaces/${t.workspaceId}`, env.XTD_LAB_PROVIDER_FABRIC_TOKEN],
        [`/${lab.state.consumer.tenantId}/v2.0/.well-known/openid-configuration`, undefined],
      ] as const) {
        const started = performance.now();
        const reply = await call(lab, 'GET', p, token);
        expect(reply.status).toBe(200);
        expect(performance.now() - started).toBeGreaterThanOrEqual(145);
      }
    } finally {
      await closeAgent(lab);
      await lab.stop();
    }
  });

  test('a shared zone of thousands (zoneRecords): other workspaces fill it, the targets keep their records and addresses', async () => {
    const small = await startLab({ seed: 'shared-zone' });
    const big = await startLab({ seed: 'shared-zone', zoneRecords: 5000 });
    try {
      expect(big.state.zones[0]!.aRecords).toHaveLength(5000);
      expect(big.state.zones[0]!.aRecords.slice(0, 5)).toEqual(small.state.zones[0]!.aRecords);
      // Nobody serves another workspace's address: no connect-to rule for it.
      const addresses = (lab: Lab) => lab.configJson().network.connectTo.map((rule) => rule.split(':').slice(0, 2).join(':'));
      expect(addresses(big)).toEqual(addresses(small));
    } finally {
      await Promise.all([small.stop(), big.stop()]);
    }
  });

  test('list chaos: a looping nextLink names its own page again; an endless list never ends', async () => {
    for (const listChaos of ['loop', 'endless'] as const) {
      const chaotic = await startLab({ seed: 'list-chaos', listChaos });
      try {
        const token = chaotic.secretEnv().XTD_LAB_CONSUMER_ARM_TOKEN;
        const first = await call(chaotic, 'GET', `${chaotic.state.zones[0]!.id}/virtualNetworkLinks?api-version=${DNS}`, token);
        expect(first.body.nextLink, listChaos).toBeDefined();
        const second = await call(chaotic, 'GET', first.body.nextLink, token);
        if (listChaos === 'loop') expect(second.body.nextLink).toBe(first.body.nextLink);
        else expect(second.body.nextLink).not.toBe(first.body.nextLink);
      } finally {
        await closeAgent(chaotic);
        await chaotic.stop();
      }
    }
  });

  test('bad options are refused with a clear message', async () => {
    await expect(startLab({ latencyMs: -1 })).rejects.toThrow(/latency/);
    await expect(startLab({ zoneRecords: -5 })).rejects.toThrow(/zone records/);
    await expect(startLab({ listChaos: 'forever' as never })).rejects.toThrow(/list chaos: expected one of loop, endless/);
    await expect(startLab({ targets: 0 })).rejects.toThrow(/targets/);
    await expect(startLab({ faults: ['no-such-fault'] })).rejects.toThrow(/unknown fault "no-such-fault"[\s\S]*zone-unlinked/);
  });
});

// Every gatherer over HTTP (nock) against the official response shapes, through the real engine,
// the real Azure SDK clients, undici, the guard and the retry policy.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../checks/index.js';
import { testConfig } from '../../../src/config/defaults.js';
import type { CredentialConfig, ResolvedConfig } from '../../../src/config/types.js';
import { runDiagnosis } from '../../../src/engine/run.js';
import { createServices } from '../../../src/engine/services.js';
import type { RunReport, Target, Unavailable } from '../../../src/engine/types.js';
import { ALL_FACTS } from '../../../src/gather/index.js';
import type { FabricPrivateLinkServiceJson } from '../../../src/gather/arm/shapes.js';
import { healthyRoutes, reset, serve, serveDelayed, ARM, FABRIC, type Overrides } from '../../fixtures/azure-mock.js';
import * as fx from '../../fixtures/control.js';
import { fixText } from '../../helpers/fix-text.js';

const TOKENS = {
  consumerArm: 'consumer-arm-token-t1',
  providerArm: 'provider-arm-token-t2',
  providerFabric: 'provider-fabric-token-t2',
};

const CONSUMER: CredentialConfig = { type: 'access-token', armTokenEnv: 'XTD_T1_ARM' };
const PROVIDER: CredentialConfig = { type: 'access-token', armTokenEnv: 'XTD_T2_ARM', fabricTokenEnv: 'XTD_T2_FABRIC' };

beforeEach(() => {
  process.env.XTD_T1_ARM = TOKENS.consumerArm;
  process.env.XTD_T2_ARM = TOKENS.providerArm;
  process.env.XTD_T2_FABRIC = TOKENS.providerFabric;
});
afterEach(() => reset());

function config(overrides: Partial<ResolvedConfig> = {}, targets: Target[] = [fx.target()]): ResolvedConfig {
  return testConfig({ targets, credentials: { provider: PROVIDER, consumer: CONSUMER }, timeouts: { requestMs: 2000, factMs: 20000 }, ...overrides });
}

async function run(cfg: ResolvedConfig, services = createServices(cfg, new AbortController().signal)) {
  // The control plane alone: the local and public checks would probe DNS and the network.
  const checks = CATALOGUE.filter((c) => c.side === 'provider' || c.side === 'consumer');
  const report = await runDiagnosis({ config: cfg, checks, facts: ALL_FACTS, services });
  return { report, services, byId: Object.fromEntries(report.targets[0]!.results.map((r) => [r.checkId, r])) };
}

function fact(report: RunReport, id: string) {
  return report.facts[report.targets[0]!.factRefs[id]!]!.result;
}

/** The recorded fact's value (the wire JSON), or a test failure naming why there is none. */
function factValue(report: RunReport, id: string): Record<string, any> {
  const result = fact(report, id);
  if (!result.ok) throw new Error(`${id} is unavailable: ${result.unavailable.message}`);
  return result.value as Record<string, any>;
}

/** Why the recorded fact is unavailable, or a test failure when it has a value. */
function factUnavailable(report: RunReport, id: string): Unavailable {
  const result = fact(report, id);
  if (result.ok) throw new Error(`${id} has a value; expected it unavailable`);
  return result.unavailable;
}

describe('a healthy setup, both sides', () => {
  it('passes every check; each tenant only ever gets its own token', async () => {
    const seen = serve();
    const { report, byId, services } = await run(config());
    for (const [id, r] of Object.entries(byId)) expect(`${id}: ${r.status} ${r.message}`).toMatch(new RegExp(`^${id.replace('.', '\\.')}: pass`));
    expect(seen.length).toBeGreaterThanOrEqual(11);
    for (const s of seen) {
      if (s.host === 'api.fabric.microsoft.com') expect(s.auth).toBe(`Bearer ${TOKENS.providerFabric}`);
      else if (s.path.includes(`/subscriptions/${fx.SUB_2}`)) expect(s.auth).toBe(`Bearer ${TOKENS.providerArm}`);
      else expect(s.auth).toBe(`Bearer ${TOKENS.consumerArm}`);
    }
    // The private link service (tenant 2) was read, and only with tenant 2's token.
    expect(seen.filter((s) => s.path === fx.PLS_ID.toLowerCase()).map((s) => s.auth)).toEqual([`Bearer ${TOKENS.providerArm}`]);
    // The communication policy is read on the Fabric API host, never a workspace FQDN.
    expect(seen.find((s) => s.path.endsWith('/communicationpolicy'))?.host).toBe('api.fabric.microsoft.com');
    // The request log: method, host, path, status, request id; GET only.
    expect(services.requestLog.every((e) => e.method === 'GET')).toBe(true);
    expect(services.requestLog.find((e) => e.path === fx.PE_ID)).toMatchObject({ host: 'management.azure.com', status: 200, requestId: 'rid-ok' });
    // Facts are the wire JSON (with `properties`), as in the official example.
    expect(factValue(report, 'consumer.privateEndpoint').properties.manualPrivateLinkServiceConnections).toHaveLength(1);
  });

  it('shares reads across a fleet: one zone, one capacities list, one tenant-settings read', async () => {
    const seen = serve();
    const second = fx.target({ name: 'ws2' });
    await run(config({}, [fx.target(), second]));
    const count = (path: string) => seen.filter((s) => s.path === path.toLowerCase()).length;
    expect(count('/v1/capacities')).toBe(1);
    expect(count('/v1/admin/tenantsettings')).toBe(1);
    expect(count(`${fx.ZONE_ID}/A`)).toBe(1);
    expect(count(`${fx.ZONE_ID}/virtualNetworkLinks`)).toBe(1);
  });

  it("a private link service found in its group's list without its connections: its connections read once, no GET of its own", async () => {
    // Two targets, two services in one resource group: each is found in the group's one list.
    const plsId2 = fx.PLS_ID.replace(/privateLinkService1$/, 'privateLinkService2');
    const bare = (id: string) => {
      const pls = fx.privateLinkService();
      delete pls.properties.privateEndpointConnections;
      return { ...pls, id };
    };
    const connections = fx.privateLinkService().properties.privateEndpointConnections;
    const routes = {
      ...healthyRoutes(),
      [fx.PLS_ID.replace(/\/privateLinkService1$/, '').toLowerCase()]: { value: [bare(fx.PLS_ID), bare(plsId2)] },
      [`${fx.PLS_ID}/privateEndpointConnections`.toLowerCase()]: { value: connections },
      [`${plsId2}/privateEndpointConnections`.toLowerCase()]: { value: connections },
    };
    const seen = serve(routes);
    const second = fx.target({ name: 'ws2', provider: { tenantId: fx.TENANT_2, privateLinkServiceId: plsId2 } });
    const { report } = await run(config({}, [fx.target(), second]));
    const count = (path: string) => seen.filter((s) => s.path === path.toLowerCase()).length;
    expect(count(fx.PLS_ID.replace(/\/privateLinkService1$/, ''))).toBe(1);
    expect(count(fx.PLS_ID)).toBe(0);
    expect(count(`${fx.PLS_ID}/privateEndpointConnections`)).toBe(1);
    expect(count(`${plsId2}/privateEndpointConnections`)).toBe(1);
    const services = Object.values(report.facts).filter((f) => f.id === 'provider.privateLinkService');
    expect(services.map((f) => (f.result.ok ? ((f.result.value as FabricPrivateLinkServiceJson).properties?.privateEndpointConnections?.length ?? -1) : -1))).toEqual([connections.length, connections.length]);
  });
});

describe('one side only', () => {
  it('consumer credential only: consumer results, provider skip (no-access), nothing sent to tenant 2', async () => {
    const seen = serve();
    const { byId } = await run(config({ credentials: { consumer: CONSUMER, provider: { type: 'none' } } }));
    for (const [id, r] of Object.entries(byId)) {
      if (id.startsWith('consumer.')) expect(r.status, id).toBe('pass');
      else expect([id, r.status, r.skipReason]).toEqual([id, 'skip', 'no-access']);
    }
    expect(seen.some((s) => s.host === 'api.fabric.microsoft.com' || s.path.includes(fx.SUB_2))).toBe(false);
  });

  it('provider credential only: provider results, consumer skip (no-access), nothing sent to tenant 1', async () => {
    const seen = serve();
    const { byId } = await run(config({ credentials: { provider: PROVIDER, consumer: { type: 'none' } } }));
    for (const [id, r] of Object.entries(byId)) {
      if (id.startsWith('provider.')) expect(r.status, id).toBe('pass');
      else expect([id, r.status, r.skipReason]).toEqual([id, 'skip', 'no-access']);
    }
    expect(seen.some((s) => s.path.includes(fx.SUB_1))).toBe(false);
  });
});

describe('faults become facts', () => {
  const PE = fx.PE_ID;
  async function peFact(overrides: Overrides, extra: Partial<ResolvedConfig> = {}) {
    serve(undefined, overrides);
    const { report, byId, services } = await run(config(extra));
    return { result: fact(report, 'consumer.privateEndpoint'), byId, services, report };
  }

  it('401 → forbidden with tenant, principal and the service\'s own message; never a missing role', async () => {
    // A JWT-shaped token so the principal is known; its signature part is never parsed or shown.
    const claims = Buffer.from(JSON.stringify({ upn: 'ops@tenant1.example', oid: 'o-1', tid: fx.TENANT_1 })).toString('base64url');
    process.env.XTD_T1_ARM = `eyJhbGciOiJub25lIn0.${claims}.sig`;
    const { result, byId, report } = await peFact({ [PE]: [[401, { error: { code: 'InvalidAuthenticationTokenTenant', message: 'wrong tenant' } }]] });
    expect(result).toMatchObject({ ok: false, unavailable: { kind: 'forbidden', httpStatus: 401, code: 'InvalidAuthenticationTokenTenant', requestId: 'rid-0' } });
    const u = factUnavailable(report, 'consumer.privateEndpoint');
    expect(u.message).toContain(fx.TENANT_1);
    expect(u.message).toContain('ops@tenant1.example');
    expect(u.message).toContain('(HTTP 401 InvalidAuthenticationTokenTenant: wrong tenant)');
    expect(u.neededRole).toBeUndefined();
    expect(byId['consumer.pe-found']!.status).toBe('error');
    expect(fixText(byId['consumer.pe-found']!.fix)).not.toContain('Reader');
    expect(byId['consumer.pe-found']!.fix?.summary).toMatch(/^The service refused the token \(HTTP 401; its message says why\)/);
  });

  it('403 → forbidden naming the role', async () => {
    const { result } = await peFact({ [PE]: [[403, { error: { code: 'AuthorizationFailed', message: 'no' } }]] });
    expect(result).toMatchObject({ ok: false, unavailable: { kind: 'forbidden', httpStatus: 403, code: 'AuthorizationFailed' } });
  });

  it('404 → not-found, and pe-found fails', async () => {
    const { result, byId } = await peFact({ [PE]: [[404, { error: { code: 'ResourceNotFound', message: 'gone' } }]] });
    expect(result).toMatchObject({ ok: false, unavailable: { kind: 'not-found', httpStatus: 404, requestId: 'rid-0' } });
    expect(byId['consumer.pe-found']!.status).toBe('fail');
    expect(byId['consumer.pe-target']!.skipReason).toBe('blocked');
  });

  it('429 with Retry-After is retried and then succeeds', async () => {
    const { result, services } = await peFact({ [PE]: [[429, { error: { code: 'TooManyRequests' } }, { 'retry-after': '1' }], [200, fx.privateEndpoint()]] });
    expect(result.ok).toBe(true);
    expect(services.requestLog.filter((e) => e.path === PE).map((e) => e.status)).toEqual([429, 200]);
  });

  it('429 on every try → throttled after a bounded number of attempts', async () => {
    const { result, services } = await peFact({ [PE]: [[429, {}, { 'retry-after': '0' }]] });
    expect(result).toMatchObject({ ok: false, unavailable: { kind: 'throttled', httpStatus: 429 } });
    expect(services.requestLog.filter((e) => e.path === PE)).toHaveLength(3);
  });

  it('503 once on Fabric is retried (undici path)', async () => {
    const path = `/v1/workspaces/${fx.WORKSPACE_ID}`;
    serve(undefined, { [path]: [[503, { errorCode: 'ServiceUnavailable' }, { 'retry-after': '0' }], [200, fx.workspace()]] });
    const { byId, services } = await run(config());
    expect(byId['provider.workspace-found']!.status).toBe('pass');
    expect(services.requestLog.filter((e) => e.path === path).map((e) => e.status)).toEqual([503, 200]);
  });

  it('500 is transient: retried, then error with the status and the last request id', async () => {
    const { result, services } = await peFact({ [PE]: [[500, { error: { code: 'InternalServerError', message: 'boom' } }, { 'retry-after': '0' }]] });
    expect(result).toMatchObject({ ok: false, unavailable: { kind: 'error', httpStatus: 500, requestId: 'rid-2' } });
    expect(services.requestLog.filter((e) => e.path === PE).map((e) => e.status)).toEqual([500, 500, 500]);
  });

  for (const status of [408, 500, 502, 504]) {
    it(`${status} once is retried and the read succeeds`, async () => {
      const { result, services } = await peFact({ [PE]: [[status, { error: { code: 'Transient', message: 'again' } }, { 'retry-after': '0' }], [200, fx.privateEndpoint()]] });
      expect(result.ok).toBe(true);
      expect(services.requestLog.filter((e) => e.path === PE).map((e) => e.status)).toEqual([status, 200]);
    });
  }

  it('a request that does not answer in time → timeout', async () => {
    serveDelayed(ARM, PE, 3000, fx.privateEndpoint());
    serve();
    const { report, services } = await run(config({ timeouts: { requestMs: 100, factMs: 20000 } }));
    expect(fact(report, 'consumer.privateEndpoint')).toMatchObject({ ok: false, unavailable: { kind: 'timeout' } });
    expect(services.requestLog.find((e) => e.path === PE)?.error).toBe('RequestTimeoutError');
  });

  it('malformed JSON → invalid-response (ARM SDK and Fabric)', async () => {
    const policy = `/v1/workspaces/${fx.WORKSPACE_ID}/networking/communicationPolicy`;
    serve(undefined, { [PE]: [[200, '{"id": "/subscriptions/', { 'content-type': 'application/json' }]], [policy]: [[200, '{not json']] });
    const { report } = await run(config());
    expect(fact(report, 'consumer.privateEndpoint')).toMatchObject({ ok: false, unavailable: { kind: 'invalid-response' } });
    expect(fact(report, 'provider.communicationPolicy')).toMatchObject({ ok: false, unavailable: { kind: 'invalid-response' } });
  });

  it('a missing field → invalid-response naming it', async () => {
    const pe = fx.privateEndpoint();
    delete pe.properties;
    const policy = `/v1/workspaces/${fx.WORKSPACE_ID}/networking/communicationPolicy`;
    serve(undefined, { [PE]: [[200, pe]], [policy]: [[200, { outbound: {} }]] });
    const { report } = await run(config());
    const a = factUnavailable(report, 'consumer.privateEndpoint');
    expect(a).toMatchObject({ kind: 'invalid-response', details: { missingField: 'properties' } });
    expect(a.message).toContain('`properties`');
    expect(factUnavailable(report, 'provider.communicationPolicy')).toMatchObject({ kind: 'invalid-response', details: { missingField: 'inbound.publicAccessRules.defaultAction' } });
  });

  it('provider forbidden everywhere: provider checks error naming the role (what depends on them blocked), tenant-setting skip', async () => {
    const forbidden: [number, unknown][] = [[403, { errorCode: 'InsufficientPrivileges', message: 'no', requestId: 'fab-rid' }]];
    serve(undefined, {
      [fx.PLS_ID]: [[403, { error: { code: 'AuthorizationFailed', message: 'no' } }]],
      [`/v1/workspaces/${fx.WORKSPACE_ID}`]: forbidden,
      '/v1/capacities': forbidden,
      [`/v1/workspaces/${fx.WORKSPACE_ID}/networking/communicationPolicy`]: forbidden,
      '/v1/admin/tenantsettings': forbidden,
    });
    const { byId, report } = await run(config());
    expect(byId['provider.tenant-setting']).toMatchObject({ status: 'skip', skipReason: 'no-access' });
    expect(byId['provider.public-access-denied']).toMatchObject({ status: 'skip', skipReason: 'blocked', blockedBy: 'provider.workspace-found' });
    for (const id of ['provider.workspace-found', 'provider.pls-found']) {
      expect(byId[id]!.status, id).toBe('error');
      expect(byId[id]!.fix!.summary, id).toMatch(/^The identity the doctor uses for this side needs (the Viewer role|Reader) .*: grant it, then run again\.$/);
      expect(fixText(byId[id]!.fix), id).not.toMatch(/\bthe the\b| role role\b/);
    }
    expect(factUnavailable(report, 'provider.workspace')).toMatchObject({ kind: 'forbidden', code: 'InsufficientPrivileges', requestId: 'fab-rid' });
    expect(report.summary.fail).toBe(0);
  });

  it('pls-missing: the service 404s and the endpoint is Disconnected', async () => {
    const routes = (await import('../../fixtures/azure-mock.js')).healthyRoutes();
    delete routes[fx.PLS_ID.toLowerCase()];
    routes[fx.PE_ID.toLowerCase()] = fx.privateEndpoint('Disconnected');
    serve(routes);
    const { byId } = await run(config());
    expect(byId['provider.pls-found']!.status).toBe('fail');
    expect(byId['consumer.pe-approved']!.status).toBe('fail');
    expect(byId['consumer.pe-approved']!.message).toContain('Disconnected');
    expect(byId['provider.connection-approved']!.skipReason).toBe('blocked');
  });
});

describe('derived and discovered', () => {
  const bare = () => fx.target({ provider: { tenantId: fx.TENANT_2 }, consumer: { tenantId: fx.TENANT_1, privateEndpointId: fx.PE_ID } });

  it('derives the private link service from the endpoint and the VNet from its subnet; finds the zone in the subscription', async () => {
    const routes = (await import('../../fixtures/azure-mock.js')).healthyRoutes();
    routes[`/subscriptions/${fx.SUB_1}/providers/microsoft.network/privatednszones`] = { value: [fx.zone(), fx.example('arm-privatedns/PrivateZoneListInSubscription.json').value[0]] };
    const seen = serve(routes);
    const { byId, report } = await run(config({}, [bare()]));
    expect(byId['provider.pls-found']!.status).toBe('pass');
    expect(byId['consumer.zone-found']!.evidence).toMatchObject({ source: 'discovered', zoneId: fx.ZONE_ID });
    expect(byId['consumer.pe-in-vnet']).toMatchObject({ status: 'skip', skipReason: 'not-applicable' });
    expect(byId['consumer.zone-linked']!.status).toBe('pass');
    expect(fact(report, 'consumer.vnetId')).toMatchObject({ ok: true, value: { vnetId: fx.VNET_ID, source: 'endpoint-subnet' } });
    expect(seen.find((s) => s.path === fx.PLS_ID.toLowerCase())?.auth).toBe(`Bearer ${TOKENS.providerArm}`);
  });

  it('several zones linked to the VNet → ambiguous with the candidates, not a guess', async () => {
    const other = { ...fx.zone(), id: fx.ZONE_ID.replace('/rg1/', '/rg9/') };
    const routes = (await import('../../fixtures/azure-mock.js')).healthyRoutes();
    routes[`/subscriptions/${fx.SUB_1}/providers/microsoft.network/privatednszones`] = { value: [fx.zone(), other] };
    routes[`${other.id}/virtualNetworkLinks`.toLowerCase()] = { value: fx.vnetLinks() };
    serve(routes);
    const { byId, report } = await run(config({}, [bare()]));
    expect(fact(report, 'consumer.privateDnsZone')).toMatchObject({ ok: false, unavailable: { kind: 'ambiguous', details: { candidates: [fx.ZONE_ID, other.id] } } });
    expect(byId['consumer.zone-found']!.status).toBe('error');
  });

  it('no zone of that name → zone-found fails', async () => {
    const routes = (await import('../../fixtures/azure-mock.js')).healthyRoutes();
    // The official example, as one page: without its nextLink.
    const { nextLink: _nextLink, ...onePage } = fx.example('arm-privatedns/PrivateZoneListInSubscription.json');
    routes[`/subscriptions/${fx.SUB_1}/providers/microsoft.network/privatednszones`] = onePage;
    serve(routes);
    const { byId } = await run(config({}, [bare()]));
    expect(byId['consumer.zone-found']!.status).toBe('fail');
  });

});

describe("the endpoint's IPs: one reading (consumer.endpointIps)", () => {
  it("reads the NIC only when the endpoint's own JSON leaves a workspace FQDN without an IP", async () => {
    const NIC = `/subscriptions/${fx.SUB_1}/resourceGroups/rg1/providers/Microsoft.Network/networkInterfaces/testPe.nic`;
    const pe = fx.privateEndpoint();
    pe.properties.customDnsConfigs = [];
    pe.properties.ipConfigurations = [];
    pe.properties.networkInterfaces = [{ id: NIC }];
    const nic = fx.example('arm-network/NetworkInterfaceGet.json');
    nic.id = NIC;
    const template = nic.properties.ipConfigurations[0];
    nic.properties.ipConfigurations = Object.entries(fx.IPS).map(([kind, ip]) => ({
      ...structuredClone(template),
      properties: { ...structuredClone(template.properties), privateIPAddress: ip, privateLinkConnectionProperties: { groupId: 'workspace', requiredMemberName: kind, fqdns: [fx.NAMES.fqdns[kind as keyof typeof fx.NAMES.fqdns]] } },
    }));
    const routes = { ...(await import('../../fixtures/azure-mock.js')).healthyRoutes(), [fx.PE_ID.toLowerCase()]: pe, [NIC.toLowerCase()]: nic };
    const seen = serve(routes);
    const { byId, report } = await run(config());
    expect(byId['consumer.zone-records']!.status).toBe('pass');
    expect(factValue(report, 'consumer.endpointIps')).toMatchObject({ nicsRead: [NIC], sources: { [fx.NAMES.fqdns.api]: 'nic' } });
    expect(seen.filter((s) => s.path === NIC.toLowerCase())).toHaveLength(1);
    reset();
    // The endpoint names every FQDN itself: its NIC decides nothing and is not read.
    const healthy = serve({ ...routes, [fx.PE_ID.toLowerCase()]: { ...fx.privateEndpoint(), properties: { ...fx.privateEndpoint().properties, networkInterfaces: [{ id: NIC }] } } });
    await run(config());
    expect(healthy.filter((s) => s.path === NIC.toLowerCase())).toHaveLength(0);
  });
});

describe('lists are judged only when read to their end', () => {
  const LINKS = `${fx.ZONE_ID}/virtualNetworkLinks`.toLowerCase();
  const routesWith = async (patch: Record<string, unknown>) => ({ ...(await import('../../fixtures/azure-mock.js')).healthyRoutes(), ...patch });

  it('follows nextLink on the ARM host; refuses one pointing elsewhere', async () => {
    const page1 = { value: [], nextLink: `${ARM}${fx.ZONE_ID}/virtualNetworkLinks/page2?api-version=2024-06-01&$skipToken=x` };
    serve(await routesWith({ [LINKS]: page1, [`${LINKS}/page2`]: { value: fx.vnetLinks() } }));
    const { byId, services } = await run(config());
    expect(byId['consumer.zone-linked']!.status).toBe('pass');
    expect(services.requestLog.filter((e) => e.path.toLowerCase().startsWith(LINKS)).map((e) => e.path.slice(fx.ZONE_ID.length))).toEqual(['/virtualNetworkLinks', '/virtualNetworkLinks/page2']);
    reset();
    serve(await routesWith({ [LINKS]: { ...page1, nextLink: 'https://evil.example/next' } }));
    const { report } = await run(config());
    expect(fact(report, 'consumer.privateDnsZone.vnetLinks')).toMatchObject({ ok: false, unavailable: { kind: 'invalid-response', details: { missingField: 'nextLink' } } });
  });

  it('a nextLink that repeats → error naming the loop, never a fail for a link "missing" from the half list', async () => {
    const loop = { value: [], nextLink: `${ARM}${fx.ZONE_ID}/virtualNetworkLinks/page2?api-version=2024-06-01` };
    serve(await routesWith({ [LINKS]: loop, [`${LINKS}/page2`]: loop }));
    const { byId, report } = await run(config());
    expect(fact(report, 'consumer.privateDnsZone.vnetLinks')).toMatchObject({ ok: false, unavailable: { kind: 'error', code: 'ListTruncated', details: { truncation: { reason: 'repeated-link', pages: 2 } } } });
    expect(byId['consumer.zone-linked']).toMatchObject({ status: 'error', message: expect.stringMatching(/not read to its end: its next-page link repeats/) });
  });

  it('tenant settings are paged (continuationUri): a setting on page 2 is found', async () => {
    const settings = fx.tenantSettings();
    const page2 = `${FABRIC}/v1/admin/tenantsettings?continuationToken=p2`;
    serve(undefined, { '/v1/admin/tenantsettings': [[200, { value: settings.value.slice(0, 2), continuationToken: 'p2', continuationUri: page2 }], [200, { value: settings.value.slice(2) }]] });
    const { byId, services } = await run(config());
    expect(byId['provider.tenant-setting']!.status).toBe('pass');
    expect(services.requestLog.filter((e) => e.path === '/v1/admin/tenantsettings')).toHaveLength(2);
  });

  it("a target's five record sets are read by name: a 404 is a missing record; the zone's list is asked for one small page", async () => {
    const api = `${fx.ZONE_ID}/A/${fx.NAMES.records.api}`;
    // A zone of thousands: its list does not end on the first page, so stale records are not looked for.
    const bigZone = { value: [], nextLink: `${ARM}${fx.ZONE_ID}/A?api-version=2024-06-01&$skipToken=more` };
    const seen = serve(await routesWith({ [`${fx.ZONE_ID}/A`.toLowerCase()]: bigZone }), { [api]: [[404, { error: { code: 'NotFound', message: 'The resource record does not exist' } }]] });
    const { byId, services } = await run(config());
    const records = byId['consumer.zone-records']!;
    expect(records).toMatchObject({ status: 'fail', evidence: { recordsRead: 'by-name', staleSearched: false } });
    expect(records.evidence.missing).toEqual([{ fqdn: fx.NAMES.fqdns.api, record: fx.NAMES.records.api, expectedIps: ['192.168.0.4'] }]);
    const zoneReads = services.requestLog.filter((e) => e.path.toLowerCase().startsWith(`${fx.ZONE_ID}/A`.toLowerCase()));
    expect(zoneReads).toHaveLength(6);
    expect(seen.filter((s) => s.path === `${fx.ZONE_ID}/A`.toLowerCase())).toHaveLength(1);
  });

  it('a configured zone whose links answer is not read itself', async () => {
    const seen = serve();
    const { byId } = await run(config());
    expect(byId['consumer.zone-found']).toMatchObject({ status: 'pass' });
    expect(seen.filter((s) => s.path === fx.ZONE_ID.toLowerCase())).toEqual([]);
  });

  it('healthy in a zone whose list does not end on one page: pass, saying stale records were not looked for', async () => {
    const bigZone = { value: [], nextLink: `${ARM}${fx.ZONE_ID}/A?api-version=2024-06-01&$skipToken=more` };
    serve(await routesWith({ [`${fx.ZONE_ID}/A`.toLowerCase()]: bigZone }));
    const { byId } = await run(config());
    expect(byId['consumer.zone-records']).toMatchObject({ status: 'pass', message: expect.stringMatching(/stale records under other names not looked for/) });
  });
});

describe('sovereign cloud', () => {
  it('uses the configured ARM and Fabric endpoints and scopes', async () => {
    const cloud = {
      name: 'usgov' as const,
      armEndpoint: 'https://management.usgovcloudapi.net',
      armScope: 'https://management.usgovcloudapi.net/.default',
      fabricEndpoint: 'https://api.fabric.microsoft.us',
      fabricScope: 'https://api.fabric.microsoft.us/.default',
      authorityHost: 'https://login.microsoftonline.us',
    };
    const seen = serve(undefined, {}, { arm: cloud.armEndpoint, fabric: cloud.fabricEndpoint });
    const { byId } = await run(config({ cloud }));
    expect(Object.values(byId).every((r) => r.status === 'pass')).toBe(true);
    expect(new Set(seen.map((s) => s.host))).toEqual(new Set(['management.usgovcloudapi.net', 'api.fabric.microsoft.us']));
  });
});

describe('no secret in any output', () => {
  it('a planted token never reaches the report or the request log', async () => {
    const planted = 'PLANTED-SECRET-9f8e7d6c5b4a';
    process.env.XTD_T1_ARM = JSON.stringify({ accessToken: `${planted}-arm`, expiresOn: '2099-01-01 00:00:00.000000', tenant: fx.TENANT_1 });
    process.env.XTD_T2_ARM = `${planted}-arm2`;
    process.env.XTD_T2_FABRIC = `${planted}-fabric`;
    serve(undefined, {
      [fx.PE_ID]: [[403, { error: { code: 'AuthorizationFailed', message: 'no' } }]],
      '/v1/capacities': [[500, { errorCode: 'x' }]],
    });
    const logs: string[] = [];
    const original = { log: console.log, error: console.error, warn: console.warn };
    console.log = console.error = console.warn = (...args: unknown[]) => void logs.push(args.map(String).join(' '));
    try {
      const { report, services } = await run(config());
      const out = JSON.stringify(report) + JSON.stringify(services.requestLog) + logs.join('\n');
      expect(out).not.toContain(planted);
      expect(report.summary.error).toBeGreaterThan(0);
    } finally {
      Object.assign(console, original);
    }
  });
});

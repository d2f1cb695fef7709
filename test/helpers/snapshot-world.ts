// A small world of test-only facts and checks, shaped like the real ones (ARM ids, record sets, DNS
// answers, the communication policy), so snapshots can be tested before the real gatherers land.
// The facts read a mutable `world`; faults are edits of it.
import { testConfig } from '../../src/config/defaults.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import { defineFact, withFacts, type CheckDef, type FactDef } from '../../src/engine/define.js';
import { runDiagnosis } from '../../src/engine/run.js';
import { unavailable, type RunReport, type Target } from '../../src/engine/types.js';
import { workspaceNames } from '../../src/fabric/workspace.js';

export const WORKSPACE_ID = 'cfafbeb1-8037-4d0c-896e-a46fb27ff227';
export const CONSUMER_TENANT = '11111111-2222-4333-8444-555555555555';
export const PROVIDER_TENANT = '99999999-8888-4777-8666-555555555555';
export const CONSUMER_SUB = 'a1b2c3d4-0000-4000-8000-00000000c0de';
export const PROVIDER_SUB = 'b2c3d4e5-0000-4000-8000-00000000beef';
export const PE_IP = '10.1.2.4';
export const OTHER_IP = '10.1.2.99';
export const PUBLIC_IP = '20.42.7.13';
export const PE_ID = `/subscriptions/${CONSUMER_SUB}/resourceGroups/rg-contoso-consumer/providers/Microsoft.Network/privateEndpoints/pe-contoso-fabric`;
export const VNET_ID = `/subscriptions/${CONSUMER_SUB}/resourceGroups/rg-contoso-network/providers/Microsoft.Network/virtualNetworks/vnet-contoso-hub`;
export const ZONE_ID = `/subscriptions/${CONSUMER_SUB}/resourceGroups/rg-contoso-dns/providers/Microsoft.Network/privateDnsZones/privatelink.fabric.microsoft.com`;
export const PLS_ID = `/subscriptions/${PROVIDER_SUB}/resourceGroups/rg-fabrikam-provider/providers/Microsoft.Fabric/privateLinkServicesForFabric/pls-fabrikam-finance`;
export const UPN = 'alice.admin@fabrikam.example';
export const DNS_SERVER_HOST = 'dns1.corp.contoso.net';
export const WORKSPACE_NAME = 'Fabrikam Finance Prod';
export const TARGET_NAME = 'prod-finance';

const names = workspaceNames(WORKSPACE_ID);

export interface World {
  recordIp: string;
  endpointIp: string;
  dnsAnswer: string[];
  connection: 'Approved' | 'Pending' | 'Rejected';
  defaultAction: 'Allow' | 'Deny';
  endpointMissing: boolean;
  zoneLinked: boolean;
}

export function healthyWorld(): World {
  return { recordIp: PE_IP, endpointIp: PE_IP, dnsAnswer: [PE_IP], connection: 'Approved', defaultAction: 'Deny', endpointMissing: false, zoneLinked: true };
}

export function worldFacts(world: World): FactDef[] {
  return worldFactDefs(world);
}

/** The world's facts with their types, for the checks to read them typed (withFacts). */
function worldFactDefs(world: World) {
  return [
    defineFact({
      id: 'consumer.privateEndpoint',
      version: 2,
      description: 'the private endpoint',
      key: (ctx) => ctx.target.consumer?.privateEndpointId ?? ctx.target.name,
      async gather(ctx) {
        if (world.endpointMissing) unavailable('not-found', `private endpoint ${PE_ID} not found`, { httpStatus: 404, code: 'ResourceNotFound', requestId: '0f0e0d0c-1111-4222-8333-444455556666' });
        return {
          id: ctx.target.consumer!.privateEndpointId,
          name: 'pe-contoso-fabric',
          etag: `W/"${Math.random()}"`,
          properties: {
            provisioningState: 'Succeeded',
            subnet: { id: `${VNET_ID}/subnets/snet-endpoints` },
            manualPrivateLinkServiceConnections: [
              {
                name: 'conn-to-fabrikam',
                properties: { privateLinkServiceId: PLS_ID, groupIds: ['workspace'], privateLinkServiceConnectionState: { status: world.connection, description: `requested by ${UPN}` } },
              },
            ],
            customDnsConfigs: [{ fqdn: names.fqdns.api, ipAddresses: [world.endpointIp] }],
            ipConfigurations: [{ name: 'ipc-api', properties: { groupId: 'workspace', memberName: 'workspace-api', privateIPAddress: world.endpointIp } }],
          },
        };
      },
    }),
    defineFact({
      id: 'consumer.recordSets',
      version: 1,
      description: 'the A records of the zone',
      key: () => ZONE_ID,
      async gather() {
        return [
          { id: `${ZONE_ID}/A/${names.records.api}`, name: names.records.api, etag: crypto.randomUUID(), properties: { ttl: 10, fqdn: `${names.records.api}.privatelink.fabric.microsoft.com.`, aRecords: [{ ipv4Address: world.recordIp }] } },
        ];
      },
    }),
    defineFact({
      id: 'consumer.zoneLinks',
      version: 1,
      description: 'the zone links',
      key: () => `${ZONE_ID}/virtualNetworkLinks`,
      async gather() {
        return world.zoneLinked ? [{ id: `${ZONE_ID}/virtualNetworkLinks/link-contoso-hub`, name: 'link-contoso-hub', properties: { virtualNetwork: { id: VNET_ID }, virtualNetworkLinkState: 'Completed' } }] : [];
      },
    }),
    defineFact({
      id: 'local.dnsLookup',
      version: 1,
      description: 'the system resolver',
      async gather() {
        return { name: names.fqdns.api, addresses: world.dnsAnswer, server: DNS_SERVER_HOST, servers: [`${DNS_SERVER_HOST}:53`, '10.0.0.53'], elapsedMs: Math.random() * 10 };
      },
    }),
    defineFact({
      id: 'provider.workspace',
      version: 1,
      description: 'the workspace',
      side: 'provider',
      async gather(ctx) {
        return { id: ctx.target.workspaceId, displayName: WORKSPACE_NAME, capacityId: '0f1e2d3c-4b5a-4697-8877-665544332211', createdBy: UPN };
      },
    }),
    defineFact({
      id: 'provider.communicationPolicy',
      version: 1,
      description: 'the communication policy',
      side: 'provider',
      async gather() {
        return { inbound: { publicAccessRules: { defaultAction: world.defaultAction } } };
      },
    }),
  ];
}

/** Checks of the same kind as the real catalogue: each a pure function of the facts. */
export function worldChecks(): CheckDef[] {
  const base = { explain: 'test check', fix: { summary: 'fix it', steps: [] }, docStep: '1' };
  const { defineCheck } = withFacts(worldFactDefs(healthyWorld()));
  return [
    defineCheck({
      ...base, id: 'provider.workspace-found', title: 'workspace found', side: 'provider', severity: 'critical', needs: ['provider.workspace'], after: [],
      run: ({ facts, target }) => {
        const ws = facts.value('provider.workspace');
        return ws.id === target.workspaceId ? { status: 'pass', message: `workspace ${ws.displayName} found`, evidence: { id: ws.id, displayName: ws.displayName } } : { status: 'fail', message: 'other workspace' };
      },
    }),
    defineCheck({
      ...base, id: 'provider.public-access-denied', title: 'public access denied', side: 'provider', severity: 'high', needs: ['provider.communicationPolicy'], after: ['workspace-found'],
      run: ({ facts }) => {
        const action = facts.value('provider.communicationPolicy').inbound.publicAccessRules.defaultAction;
        return action === 'Deny' ? { status: 'pass', message: 'public access is denied' } : { status: 'fail', message: `defaultAction is ${action}`, evidence: { expected: 'Deny', found: action } };
      },
    }),
    defineCheck({
      ...base, id: 'consumer.pe-found', title: 'endpoint found', side: 'consumer', severity: 'critical', needs: ['consumer.privateEndpoint'], after: [],
      run: ({ facts }) => {
        const pe = facts.get('consumer.privateEndpoint');
        if (!pe.ok && pe.unavailable.kind === 'not-found') return { status: 'fail', message: pe.unavailable.message };
        return { status: 'pass', message: `found ${facts.value('consumer.privateEndpoint').id}` };
      },
    }),
    defineCheck({
      ...base, id: 'consumer.pe-target', title: 'endpoint targets the service', side: 'consumer', severity: 'critical', needs: ['consumer.privateEndpoint'], after: ['pe-found'],
      run: ({ facts, target }) => {
        const conn = facts.value('consumer.privateEndpoint').properties.manualPrivateLinkServiceConnections[0]!.properties;
        const ok = conn.privateLinkServiceId.toLowerCase() === target.provider?.privateLinkServiceId?.toLowerCase() && conn.groupIds.includes('workspace');
        return ok ? { status: 'pass', message: 'targets the service' } : { status: 'fail', message: `targets ${conn.privateLinkServiceId}`, evidence: { expected: target.provider?.privateLinkServiceId } };
      },
    }),
    defineCheck({
      ...base, id: 'consumer.pe-approved', title: 'connection approved', side: 'consumer', severity: 'critical', needs: ['consumer.privateEndpoint'], after: ['pe-found'],
      run: ({ facts }) => {
        const status = facts.value('consumer.privateEndpoint').properties.manualPrivateLinkServiceConnections[0]!.properties.privateLinkServiceConnectionState.status;
        return status === 'Approved' ? { status: 'pass', message: 'Approved' } : { status: 'fail', message: `connection is ${status}` };
      },
    }),
    defineCheck({
      ...base, id: 'consumer.zone-linked', title: 'zone linked', side: 'consumer', severity: 'critical', needs: ['consumer.zoneLinks'], after: [],
      run: ({ facts, target }) => {
        const links = facts.value('consumer.zoneLinks');
        return links.some((l) => l.properties.virtualNetwork.id.toLowerCase() === target.consumer?.vnetId?.toLowerCase())
          ? { status: 'pass', message: 'linked' }
          : { status: 'fail', message: `no link to ${target.consumer?.vnetId}` };
      },
    }),
    defineCheck({
      ...base, id: 'consumer.zone-records', title: 'records match', side: 'consumer', severity: 'critical', needs: ['consumer.privateEndpoint', 'consumer.recordSets'], after: ['pe-found'],
      run: ({ facts, target }) => {
        const expected = workspaceNames(target.workspaceId);
        const config = facts.value('consumer.privateEndpoint').properties.customDnsConfigs.find((c) => c.fqdn === expected.fqdns.api);
        const record = facts.value('consumer.recordSets').find((r) => r.name === expected.records.api);
        if (!config || !record) return { status: 'fail', message: 'no record for the API name' };
        const found = record.properties.aRecords.map((a) => a.ipv4Address);
        return found.join() === (config.ipAddresses ?? []).join()
          ? { status: 'pass', message: `${expected.records.api} → ${found.join()}` }
          : { status: 'fail', message: `${expected.records.api} points to ${found.join()}, the endpoint has ${(config.ipAddresses ?? []).join()}`, evidence: { expected: config.ipAddresses, found } };
      },
    }),
    defineCheck({
      ...base, id: 'local.dns-private', title: 'DNS private', side: 'local', severity: 'critical', needs: ['local.dnsLookup'], after: [],
      run: ({ facts }) => {
        const answer = facts.value('local.dnsLookup').addresses;
        const isPrivate = (ip: string) => /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.)/.test(ip);
        return answer.every(isPrivate) ? { status: 'pass', message: `private: ${answer.join()}` } : { status: 'fail', message: `public answer ${answer.join()}` };
      },
    }),
    defineCheck({
      ...base, id: 'local.dns-endpoint-ip', title: 'DNS gives the endpoint IP', side: 'local', severity: 'critical', needs: ['local.dnsLookup', 'consumer.privateEndpoint'], after: ['dns-private', 'consumer.pe-found'],
      run: ({ facts }) => {
        const answer = facts.value('local.dnsLookup').addresses;
        const ip = facts.value('consumer.privateEndpoint').properties.customDnsConfigs[0]!.ipAddresses[0];
        return answer.includes(ip!) ? { status: 'pass', message: `${ip}` } : { status: 'fail', message: `DNS answers ${answer.join()}, endpoint is ${ip}` };
      },
    }),
  ];
}

export function worldTarget(): Target {
  return {
    name: TARGET_NAME,
    workspaceId: WORKSPACE_ID,
    provider: { tenantId: PROVIDER_TENANT, subscriptionId: PROVIDER_SUB, privateLinkServiceId: PLS_ID },
    consumer: { tenantId: CONSUMER_TENANT, subscriptionId: CONSUMER_SUB, privateEndpointId: PE_ID, vnetId: VNET_ID, privateDnsZoneId: ZONE_ID },
  };
}

export function worldConfig(): ResolvedConfig {
  return testConfig({
    targets: [worldTarget()],
    credentials: { provider: { type: 'cli' }, consumer: { type: 'client-secret', clientId: '3c3c3c3c-0000-4000-8000-000000000001', secretEnv: 'XTD_SECRET' } },
    dns: { servers: [`${DNS_SERVER_HOST}:53`, '10.0.0.53'] },
  });
}

/** What the lead's collectEnvironment records, with the targets in full so a replay can rebuild them. */
export function worldEnvironment(config: ResolvedConfig): Record<string, unknown> {
  return {
    os: { platform: 'linux', release: '6.8.0', arch: 'x64', hostname: 'jumpvm-contoso-01' },
    node: process.version,
    tool: { name: 'xtenant-doctor', version: '0.1.0' },
    resolvers: { system: ['10.0.0.53'], configured: config.dns.servers, public: [], azureVm: false },
    config: {
      source: 'xtenant-doctor.json',
      targets: config.targets,
      credentials: { provider: config.credentials.provider.type, consumer: config.credentials.consumer.type },
      cloud: config.cloud,
      dns: config.dns,
      probes: config.probes,
      network: config.network,
      tls: { caFile: 'none', ca: 'none' },
      checks: config.checks,
      plugins: [],
      concurrency: config.concurrency,
      timeouts: config.timeouts,
    },
  };
}

export async function liveRun(world: World, config = worldConfig()): Promise<RunReport> {
  return runDiagnosis({ config, checks: worldChecks(), facts: worldFacts(world), environment: worldEnvironment(config), tool: { name: 'xtenant-doctor', version: '0.1.0' } });
}

export function statuses(report: RunReport): Record<string, string> {
  return Object.fromEntries(report.targets.flatMap((t) => t.results.map((r) => [`${t.name}/${r.checkId}`, `${r.status}${r.skipReason ? `:${r.skipReason}` : ''}`])));
}

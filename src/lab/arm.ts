// The lab's Azure Resource Manager: the routes the doctor reads, for both tenants, rendered from the
// lab state in the shapes of reference/arm-network, arm-privatedns and arm-fabric. Paths match
// case-insensitively (the SDK sends `/aLL`), the api-version must be the one the SDKs send, lists
// page with nextLink, and tokens are checked against the subscription's tenant as ARM does.
import type { HttpAnswer, TokenInfo, TokenStore } from './identity.js';
import { Random } from './random.js';
import { nextSkip, type ListChaos } from './lists.js';
import {
  type LabEndpoint,
  type LabPrivateLinkService,
  type LabState,
  type LabTenant,
  type LabVnet,
  type LabZone,
  sameId,
  tenantOfSubscription,
} from './state.js';

/** The api-versions the SDKs installed here send (node_modules/@azure/arm-network, arm-privatedns). */
export const API_VERSIONS = {
  network: '2026-01-01',
  privateDns: '2024-06-01',
  fabric: '2024-06-01',
  /** Subscriptions and providers: ARM accepts many; these are common ones. */
  resources: ['2016-06-01', '2020-01-01', '2021-01-01', '2021-04-01', '2022-09-01', '2022-12-01', '2024-03-01', '2024-11-01', '2025-03-01'],
} as const;

export interface ArmContext {
  state: LabState;
  tokens: TokenStore;
  /** https://127.0.0.1:PORT: nextLinks point here. */
  baseUrl: string;
  /** Items per page when the request names no `$top` (the services' default page). */
  pageSize: number;
  /** The largest `$top` honoured. */
  maxPageSize: number;
  /** Lists that never end (tests: the doctor must not judge them). */
  listChaos?: ListChaos;
  /** Requests seen per resource, for the arm-throttled fault. */
  throttleCounts: Map<string, number>;
}

type Params = Record<string, string>;
type Result = { item: unknown } | { list: unknown[] } | { notFound: HttpAnswer };

interface Route {
  pattern: RegExp;
  names: string[];
  api: 'network' | 'privateDns' | 'fabric' | 'resources';
  handle(ctx: ArmContext & { query: URLSearchParams }, p: Params): Result;
}

function armError(status: number, code: string, message: string, headers: Record<string, string> = {}): HttpAnswer {
  return { status, body: { error: { code, message } }, headers };
}

function stableGuid(text: string): string {
  return new Random(text).guid();
}

function etag(id: string): string {
  return `W/"${stableGuid(`etag:${id}`)}"`;
}

const RG = '/subscriptions/{sub}/resourceGroups/{rg}/providers';

function notFound(type: string, name: string, rg: string): Result {
  return {
    notFound: armError(404, 'ResourceNotFound', `The Resource '${type}/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`),
  };
}

// ---------- Renderers (state → the JSON ARM returns) ----------

function nicId(pe: LabEndpoint): string {
  return `/subscriptions/${pe.subscriptionId}/resourceGroups/${pe.resourceGroup}/providers/Microsoft.Network/networkInterfaces/${pe.nicName}`;
}

const KIND_MEMBERS: Record<string, string> = { api: 'workspace-api', compute: 'workspace-compute', onelake: 'workspace-ols', dfs: 'workspace-dfs', blob: 'workspace-blob' };

export function renderPrivateEndpoint(pe: LabEndpoint): unknown {
  const connectionId = `${pe.id}/manualPrivateLinkServiceConnections/${pe.connection.name}`;
  const kinds = Object.keys(pe.ips) as Array<keyof LabEndpoint['ips']>;
  return {
    name: pe.name,
    id: pe.id,
    etag: etag(pe.id),
    type: 'Microsoft.Network/privateEndpoints',
    location: pe.location,
    properties: {
      provisioningState: pe.provisioningState,
      resourceGuid: stableGuid(`guid:${pe.id}`),
      privateLinkServiceConnections: [],
      manualPrivateLinkServiceConnections: [
        {
          name: pe.connection.name,
          id: connectionId,
          etag: etag(connectionId),
          type: 'Microsoft.Network/privateEndpoints/manualPrivateLinkServiceConnections',
          properties: {
            provisioningState: 'Succeeded',
            privateLinkServiceId: pe.connection.privateLinkServiceId,
            groupIds: [...pe.connection.groupIds],
            requestMessage: pe.connection.requestMessage,
            privateLinkServiceConnectionState: { ...pe.connection.state },
          },
        },
      ],
      customNetworkInterfaceName: '',
      subnet: { id: pe.subnetId },
      ipConfigurations: kinds.map((kind) => ({
        name: `ipconfig-${KIND_MEMBERS[kind]}`,
        properties: { groupId: pe.connection.groupIds[0] ?? '', memberName: KIND_MEMBERS[kind], privateIPAddress: pe.ips[kind] },
      })),
      networkInterfaces: [{ id: nicId(pe) }],
      customDnsConfigs: kinds.map((kind) => ({ fqdn: pe.fqdns[kind], ipAddresses: [pe.ips[kind]] })),
      applicationSecurityGroups: [],
      isIPv6Enabled: false,
    },
  };
}

function renderNic(state: LabState, pe: LabEndpoint): unknown {
  const id = nicId(pe);
  const kinds = Object.keys(pe.ips) as Array<keyof LabEndpoint['ips']>;
  return {
    name: pe.nicName,
    id,
    etag: etag(id),
    type: 'Microsoft.Network/networkInterfaces',
    location: pe.location,
    properties: {
      provisioningState: 'Succeeded',
      resourceGuid: stableGuid(`guid:${id}`),
      ipConfigurations: kinds.map((kind, k) => {
        const name = `privateEndpointIpConfig.${stableGuid(`${id}:${kind}`)}`;
        return {
          name,
          id: `${id}/ipConfigurations/${name}`,
          etag: etag(`${id}/${name}`),
          type: 'Microsoft.Network/networkInterfaces/ipConfigurations',
          properties: {
            provisioningState: 'Succeeded',
            privateIPAddress: pe.ips[kind],
            privateIPAllocationMethod: 'Dynamic',
            subnet: { id: pe.subnetId },
            primary: k === 0,
            privateIPAddressVersion: 'IPv4',
            privateLinkConnectionProperties: { groupId: pe.connection.groupIds[0] ?? '', requiredMemberName: KIND_MEMBERS[kind], fqdns: [pe.fqdns[kind]] },
          },
        };
      }),
      dnsSettings: { dnsServers: [], appliedDnsServers: [] },
      macAddress: '',
      vnetEncryptionSupported: false,
      enableIPForwarding: false,
      disableTcpStateTracking: false,
      enableAcceleratedNetworking: false,
      privateEndpoint: { id: pe.id },
      hostedWorkloads: [],
      tapConfigurations: [],
      nicType: 'Standard',
      auxiliaryMode: 'None',
      auxiliarySku: 'None',
    },
  };
}

function renderSubnet(state: LabState, vnet: LabVnet, subnet: LabVnet['subnets'][number]): unknown {
  const endpoints = state.endpoints.filter((pe) => sameId(pe.subnetId, subnet.id));
  return {
    name: subnet.name,
    id: subnet.id,
    etag: etag(subnet.id),
    type: 'Microsoft.Network/virtualNetworks/subnets',
    properties: {
      provisioningState: 'Succeeded',
      addressPrefix: subnet.addressPrefix,
      ...(endpoints.length ? { privateEndpoints: endpoints.map((pe) => ({ id: pe.id })) } : {}),
      delegations: [],
      privateEndpointNetworkPolicies: 'Disabled',
      privateLinkServiceNetworkPolicies: 'Enabled',
    },
  };
}

function renderPeering(vnet: LabVnet, peering: LabVnet['peerings'][number]): unknown {
  const id = `${vnet.id}/virtualNetworkPeerings/${peering.name}`;
  return {
    name: peering.name,
    id,
    etag: etag(id),
    type: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
    properties: {
      provisioningState: 'Succeeded',
      resourceGuid: stableGuid(`guid:${id}`),
      peeringState: peering.peeringState,
      peeringSyncLevel: 'FullyInSync',
      remoteVirtualNetwork: { id: peering.remoteVnetId },
      allowVirtualNetworkAccess: true,
      allowForwardedTraffic: true,
      allowGatewayTransit: false,
      useRemoteGateways: false,
      doNotVerifyRemoteGateways: false,
      remoteAddressSpace: { addressPrefixes: [peering.remoteAddressPrefix] },
      remoteVirtualNetworkAddressSpace: { addressPrefixes: [peering.remoteAddressPrefix] },
    },
  };
}

function renderVnet(state: LabState, vnet: LabVnet): unknown {
  return {
    name: vnet.name,
    id: vnet.id,
    etag: etag(vnet.id),
    type: 'Microsoft.Network/virtualNetworks',
    location: state.location,
    properties: {
      provisioningState: 'Succeeded',
      resourceGuid: stableGuid(`guid:${vnet.id}`),
      addressSpace: { addressPrefixes: [vnet.addressPrefix] },
      ...(vnet.dnsServers.length ? { dhcpOptions: { dnsServers: [...vnet.dnsServers] } } : {}),
      subnets: vnet.subnets.map((s) => renderSubnet(state, vnet, s)),
      virtualNetworkPeerings: vnet.peerings.map((p) => renderPeering(vnet, p)),
      enableDdosProtection: false,
    },
  };
}

function renderZone(zone: LabZone): unknown {
  return {
    id: zone.id,
    name: zone.name,
    type: 'Microsoft.Network/privateDnsZones',
    etag: stableGuid(`etag:${zone.id}:${zone.aRecords.length}:${zone.links.length}`),
    location: 'global',
    tags: {},
    properties: {
      maxNumberOfRecordSets: 25000,
      maxNumberOfVirtualNetworkLinks: 1000,
      maxNumberOfVirtualNetworkLinksWithRegistration: 100,
      numberOfRecordSets: zone.aRecords.length + 1,
      numberOfVirtualNetworkLinks: zone.links.length,
      numberOfVirtualNetworkLinksWithRegistration: 0,
      provisioningState: 'Succeeded',
    },
  };
}

function renderARecord(zone: LabZone, record: LabZone['aRecords'][number]): unknown {
  const id = `${zone.id}/A/${record.name}`;
  return {
    id,
    name: record.name,
    type: 'Microsoft.Network/privateDnsZones/A',
    etag: stableGuid(`etag:${id}:${record.ips.join(',')}`),
    properties: { metadata: {}, ttl: record.ttl, fqdn: `${record.name}.${zone.name}.`, isAutoRegistered: false, aRecords: record.ips.map((ipv4Address) => ({ ipv4Address })) },
  };
}

function renderSoa(zone: LabZone): unknown {
  const id = `${zone.id}/SOA/@`;
  return {
    id,
    name: '@',
    type: 'Microsoft.Network/privateDnsZones/SOA',
    etag: stableGuid(`etag:${id}`),
    properties: {
      ttl: 3600,
      fqdn: `${zone.name}.`,
      isAutoRegistered: false,
      soaRecord: { email: 'azureprivatedns-host.microsoft.com', expireTime: 2419200, host: 'azureprivatedns.net', minimumTtl: 10, refreshTime: 3600, retryTime: 300, serialNumber: 1 },
    },
  };
}

function renderLink(zone: LabZone, link: LabZone['links'][number]): unknown {
  const id = `${zone.id}/virtualNetworkLinks/${link.name}`;
  return {
    id,
    name: link.name,
    type: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks',
    etag: stableGuid(`etag:${id}`),
    location: 'global',
    tags: {},
    properties: {
      virtualNetwork: { id: link.vnetId },
      registrationEnabled: false,
      resolutionPolicy: link.resolutionPolicy,
      virtualNetworkLinkState: link.virtualNetworkLinkState,
      provisioningState: link.provisioningState,
    },
  };
}

function renderConnection(pls: LabPrivateLinkService, connection: LabPrivateLinkService['connections'][number], inline: boolean): unknown {
  return {
    properties: {
      privateEndpoint: { id: connection.privateEndpointId },
      privateLinkServiceConnectionState: { ...connection.state },
      // The service's inline list omits provisioningState; the connection GET and list carry it (as the examples do).
      ...(inline ? {} : { provisioningState: 'Succeeded' }),
    },
    name: connection.name,
    id: `${pls.id}/privateEndpointConnections/${connection.name}`,
    type: 'Microsoft.Fabric/privateLinkServicesForFabric/privateEndpointConnections',
  };
}

export function renderPrivateLinkService(state: LabState, pls: LabPrivateLinkService): unknown {
  const key = state.plsWorkspaceKey;
  return {
    properties: {
      tenantId: pls.tenantId,
      ...(key === 'workspaceId' || key === 'both' ? { workspaceId: pls.workspaceId } : {}),
      ...(key === 'workspaceObjectId' || key === 'both' ? { workspaceObjectId: pls.workspaceId } : {}),
      privateEndpointConnections: pls.connections.map((c) => renderConnection(pls, c, true)),
      provisioningState: pls.provisioningState,
    },
    name: pls.name,
    tags: {},
    location: 'global',
    id: pls.id,
    type: 'Microsoft.Fabric/privateLinkServicesForFabric',
  };
}

function renderPrivateLinkResource(pls: LabPrivateLinkService): unknown {
  return {
    properties: {
      groupId: 'workspace',
      requiredMembers: ['workspace-api', 'workspace-ols', 'workspace-blob', 'workspace-dfs', 'workspace-compute'],
      requiredZoneNames: ['fabric.microsoft.com'],
    },
    name: 'workspace',
    id: `${pls.id}/privateLinkResources/workspace`,
    type: 'Microsoft.Fabric/privateLinkServicesForFabric/privateLinkResources',
  };
}

// ---------- Routes ----------

function route(template: string, api: Route['api'], handle: Route['handle']): Route {
  const names: string[] = [];
  const source = template
    .split(/(\{[a-z]+\})/i)
    .map((part) => {
      const m = /^\{([a-z]+)\}$/i.exec(part);
      if (m) {
        names.push(m[1]!);
        return '([^/]+)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return { pattern: new RegExp(`^${source}/?$`, 'i'), names, api, handle };
}

function inRg<T extends { resourceGroup: string; subscriptionId: string }>(items: T[], p: Params): T[] {
  return items.filter((i) => sameId(i.subscriptionId, p.sub) && sameId(i.resourceGroup, p.rg));
}

function inSub<T extends { subscriptionId: string }>(items: T[], p: Params): T[] {
  return items.filter((i) => sameId(i.subscriptionId, p.sub));
}

function findVnet(state: LabState, p: Params): LabVnet | undefined {
  return inRg(state.vnets, p).find((v) => sameId(v.name, p.vnet));
}

function findZone(state: LabState, p: Params): LabZone | undefined {
  return inRg(state.zones, p).find((z) => sameId(z.name, p.zone));
}

function findPls(state: LabState, p: Params): LabPrivateLinkService | undefined {
  return inRg(state.privateLinkServices, p).find((s) => sameId(s.name, p.pls));
}

function findPe(state: LabState, p: Params): LabEndpoint | undefined {
  return inRg(state.endpoints, p).find((e) => sameId(e.name, p.pe));
}

const NET = `${RG}/Microsoft.Network`;
const FAB = `${RG}/Microsoft.Fabric/privateLinkServicesForFabric`;

const ROUTES: Route[] = [
  // Microsoft.Network (arm-network)
  route(`${NET}/privateEndpoints`, 'network', (c, p) => ({ list: inRg(c.state.endpoints, p).map(renderPrivateEndpoint) })),
  route('/subscriptions/{sub}/providers/Microsoft.Network/privateEndpoints', 'network', (c, p) => ({ list: inSub(c.state.endpoints, p).map(renderPrivateEndpoint) })),
  route(`${NET}/privateEndpoints/{pe}`, 'network', (c, p) => {
    const pe = findPe(c.state, p);
    return pe ? { item: renderPrivateEndpoint(pe) } : notFound('Microsoft.Network/privateEndpoints', p.pe!, p.rg!);
  }),
  // Zone groups: the lab's endpoints are cross-tenant with hand-made records, so they have none.
  route(`${NET}/privateEndpoints/{pe}/privateDnsZoneGroups`, 'network', (c, p) =>
    findPe(c.state, p) ? { list: [] } : notFound('Microsoft.Network/privateEndpoints', p.pe!, p.rg!),
  ),
  route(`${NET}/privateEndpoints/{pe}/privateDnsZoneGroups/{group}`, 'network', (c, p) =>
    findPe(c.state, p) ? notFound('Microsoft.Network/privateEndpoints/privateDnsZoneGroups', `${p.pe}/${p.group}`, p.rg!) : notFound('Microsoft.Network/privateEndpoints', p.pe!, p.rg!),
  ),
  route(`${NET}/networkInterfaces/{nic}`, 'network', (c, p) => {
    const pe = inRg(c.state.endpoints, p).find((e) => sameId(e.nicName, p.nic));
    return pe ? { item: renderNic(c.state, pe) } : notFound('Microsoft.Network/networkInterfaces', p.nic!, p.rg!);
  }),
  route(`${NET}/virtualNetworks`, 'network', (c, p) => ({ list: inRg(c.state.vnets, p).map((v) => renderVnet(c.state, v)) })),
  route('/subscriptions/{sub}/providers/Microsoft.Network/virtualNetworks', 'network', (c, p) => ({ list: inSub(c.state.vnets, p).map((v) => renderVnet(c.state, v)) })),
  route(`${NET}/virtualNetworks/{vnet}`, 'network', (c, p) => {
    const vnet = findVnet(c.state, p);
    return vnet ? { item: renderVnet(c.state, vnet) } : notFound('Microsoft.Network/virtualNetworks', p.vnet!, p.rg!);
  }),
  route(`${NET}/virtualNetworks/{vnet}/subnets`, 'network', (c, p) => {
    const vnet = findVnet(c.state, p);
    return vnet ? { list: vnet.subnets.map((s) => renderSubnet(c.state, vnet, s)) } : notFound('Microsoft.Network/virtualNetworks', p.vnet!, p.rg!);
  }),
  route(`${NET}/virtualNetworks/{vnet}/subnets/{subnet}`, 'network', (c, p) => {
    const vnet = findVnet(c.state, p);
    const subnet = vnet?.subnets.find((s) => sameId(s.name, p.subnet));
    return vnet && subnet ? { item: renderSubnet(c.state, vnet, subnet) } : notFound('Microsoft.Network/virtualNetworks/subnets', `${p.vnet}/${p.subnet}`, p.rg!);
  }),
  route(`${NET}/virtualNetworks/{vnet}/virtualNetworkPeerings`, 'network', (c, p) => {
    const vnet = findVnet(c.state, p);
    return vnet ? { list: vnet.peerings.map((x) => renderPeering(vnet, x)) } : notFound('Microsoft.Network/virtualNetworks', p.vnet!, p.rg!);
  }),
  route(`${NET}/virtualNetworks/{vnet}/virtualNetworkPeerings/{peering}`, 'network', (c, p) => {
    const vnet = findVnet(c.state, p);
    const peering = vnet?.peerings.find((x) => sameId(x.name, p.peering));
    return vnet && peering ? { item: renderPeering(vnet, peering) } : notFound('Microsoft.Network/virtualNetworks/virtualNetworkPeerings', `${p.vnet}/${p.peering}`, p.rg!);
  }),

  // Microsoft.Network/privateDnsZones (arm-privatedns)
  route('/subscriptions/{sub}/providers/Microsoft.Network/privateDnsZones', 'privateDns', (c, p) => ({ list: inSub(c.state.zones, p).map(renderZone) })),
  route(`${NET}/privateDnsZones`, 'privateDns', (c, p) => ({ list: inRg(c.state.zones, p).map(renderZone) })),
  route(`${NET}/privateDnsZones/{zone}`, 'privateDns', (c, p) => {
    const zone = findZone(c.state, p);
    return zone ? { item: renderZone(zone) } : notFound('Microsoft.Network/privateDnsZones', p.zone!, p.rg!);
  }),
  route(`${NET}/privateDnsZones/{zone}/virtualNetworkLinks`, 'privateDns', (c, p) => {
    const zone = findZone(c.state, p);
    return zone ? { list: zone.links.map((l) => renderLink(zone, l)) } : notFound('Microsoft.Network/privateDnsZones', p.zone!, p.rg!);
  }),
  route(`${NET}/privateDnsZones/{zone}/virtualNetworkLinks/{link}`, 'privateDns', (c, p) => {
    const zone = findZone(c.state, p);
    const link = zone?.links.find((l) => sameId(l.name, p.link));
    return zone && link ? { item: renderLink(zone, link) } : notFound('Microsoft.Network/privateDnsZones/virtualNetworkLinks', `${p.zone}/${p.link}`, p.rg!);
  }),
  route(`${NET}/privateDnsZones/{zone}/{type}`, 'privateDns', (c, p) => {
    const zone = findZone(c.state, p);
    if (!zone) return notFound('Microsoft.Network/privateDnsZones', p.zone!, p.rg!);
    const type = p.type!.toUpperCase();
    const suffix = c.query.get('$recordsetnamesuffix')?.toLowerCase();
    const records = suffix ? zone.aRecords.filter((r) => r.name.endsWith(suffix)) : zone.aRecords;
    if (type === 'ALL') return { list: [...(suffix ? [] : [renderSoa(zone)]), ...records.map((r) => renderARecord(zone, r))] };
    if (type === 'A') return { list: records.map((r) => renderARecord(zone, r)) };
    if (type === 'SOA') return { list: [renderSoa(zone)] };
    if (['AAAA', 'CNAME', 'MX', 'PTR', 'SRV', 'TXT'].includes(type)) return { list: [] };
    return { notFound: armError(400, 'BadRequest', `The record type '${p.type}' is not supported.`) };
  }),
  route(`${NET}/privateDnsZones/{zone}/{type}/{name}`, 'privateDns', (c, p) => {
    const zone = findZone(c.state, p);
    if (!zone) return notFound('Microsoft.Network/privateDnsZones', p.zone!, p.rg!);
    const type = p.type!.toUpperCase();
    if (type === 'SOA' && p.name === '@') return { item: renderSoa(zone) };
    const record = type === 'A' ? zone.aRecords.find((r) => r.name === p.name!.toLowerCase()) : undefined;
    if (record) return { item: renderARecord(zone, record) };
    return { notFound: armError(404, 'NotFound', `The resource record '${p.name}' does not exist in resource group '${p.rg}' of subscription '${p.sub}'.`) };
  }),

  // Microsoft.Fabric/privateLinkServicesForFabric (arm-fabric; a plain ARM GET)
  route('/subscriptions/{sub}/providers/Microsoft.Fabric/privateLinkServicesForFabric', 'fabric', (c, p) => ({
    list: inSub(c.state.privateLinkServices, p).map((s) => renderPrivateLinkService(c.state, s)),
  })),
  route(FAB, 'fabric', (c, p) => ({ list: inRg(c.state.privateLinkServices, p).map((s) => renderPrivateLinkService(c.state, s)) })),
  route(`${FAB}/{pls}`, 'fabric', (c, p) => {
    const pls = findPls(c.state, p);
    return pls ? { item: renderPrivateLinkService(c.state, pls) } : notFound('Microsoft.Fabric/privateLinkServicesForFabric', p.pls!, p.rg!);
  }),
  route(`${FAB}/{pls}/privateEndpointConnections`, 'fabric', (c, p) => {
    const pls = findPls(c.state, p);
    return pls ? { list: pls.connections.map((x) => renderConnection(pls, x, false)) } : notFound('Microsoft.Fabric/privateLinkServicesForFabric', p.pls!, p.rg!);
  }),
  route(`${FAB}/{pls}/privateEndpointConnections/{conn}`, 'fabric', (c, p) => {
    const pls = findPls(c.state, p);
    const connection = pls?.connections.find((x) => sameId(x.name, p.conn));
    if (!pls) return notFound('Microsoft.Fabric/privateLinkServicesForFabric', p.pls!, p.rg!);
    return connection ? { item: renderConnection(pls, connection, false) } : notFound('Microsoft.Fabric/privateLinkServicesForFabric/privateEndpointConnections', `${p.pls}/${p.conn}`, p.rg!);
  }),
  route(`${FAB}/{pls}/privateLinkResources`, 'fabric', (c, p) => {
    const pls = findPls(c.state, p);
    return pls ? { list: [renderPrivateLinkResource(pls)] } : notFound('Microsoft.Fabric/privateLinkServicesForFabric', p.pls!, p.rg!);
  }),
  route(`${FAB}/{pls}/privateLinkResources/{res}`, 'fabric', (c, p) => {
    const pls = findPls(c.state, p);
    if (!pls) return notFound('Microsoft.Fabric/privateLinkServicesForFabric', p.pls!, p.rg!);
    return sameId(p.res, 'workspace') ? { item: renderPrivateLinkResource(pls) } : notFound('Microsoft.Fabric/privateLinkServicesForFabric/privateLinkResources', `${p.pls}/${p.res}`, p.rg!);
  }),

  // Subscription and resource provider registration (both tenants register Microsoft.Fabric).
  route('/subscriptions/{sub}', 'resources', (c, p) => {
    const tenant = tenantOfSubscription(c.state, p.sub!)!;
    return {
      item: {
        id: `/subscriptions/${tenant.subscriptionId}`,
        authorizationSource: 'RoleBased',
        managedByTenants: [],
        subscriptionId: tenant.subscriptionId,
        tenantId: tenant.tenantId,
        displayName: tenant === c.state.provider ? 'Fabric (tenant 2)' : 'Network (tenant 1)',
        state: 'Enabled',
        subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'EnterpriseAgreement_2014-09-01', spendingLimit: 'Off' },
      },
    };
  }),
  route('/subscriptions/{sub}/providers/{namespace}', 'resources', (c, p) => {
    const ns = ['Microsoft.Network', 'Microsoft.Fabric'].find((n) => sameId(n, p.namespace));
    if (!ns) return { notFound: armError(404, 'InvalidResourceNamespace', `The resource namespace '${p.namespace}' is invalid.`) };
    const types = ns === 'Microsoft.Fabric' ? ['capacities', 'privateLinkServicesForFabric', 'operations'] : ['privateEndpoints', 'virtualNetworks', 'networkInterfaces', 'privateDnsZones'];
    return {
      item: {
        id: `/subscriptions/${p.sub}/providers/${ns}`,
        namespace: ns,
        registrationState: 'Registered',
        registrationPolicy: 'RegistrationRequired',
        resourceTypes: types.map((resourceType) => ({ resourceType, locations: ['global', 'West Europe'], apiVersions: [ns === 'Microsoft.Fabric' ? API_VERSIONS.fabric : API_VERSIONS.network] })),
      },
    };
  }),
];

function allowedVersions(api: Route['api']): readonly string[] {
  return api === 'resources' ? API_VERSIONS.resources : [API_VERSIONS[api]];
}

/** Which read action a path stands for (for AuthorizationFailed messages). */
function readAction(path: string): string {
  const idx = path.toLowerCase().lastIndexOf('/providers/');
  if (idx < 0) return 'Microsoft.Resources/subscriptions/read';
  const parts = path.slice(idx + '/providers/'.length).split('/');
  const types = [parts[0], ...parts.slice(1).filter((_, i) => i % 2 === 0)];
  return `${types.join('/')}/read`;
}

function page(ctx: ArmContext, path: string, query: URLSearchParams, apiVersion: string, items: unknown[]): HttpAnswer {
  const skip = Math.max(0, Number(query.get('$skipToken') ?? '0') || 0);
  const top = Number(query.get('$top') ?? '0');
  const size = top > 0 ? Math.min(top, ctx.maxPageSize) : ctx.pageSize;
  const value = items.slice(skip, skip + size);
  const body: Record<string, unknown> = { value };
  const next = nextSkip(ctx.listChaos, skip, size, items.length);
  if (next !== undefined) {
    const params = new URLSearchParams({ 'api-version': apiVersion, $skipToken: String(next) });
    if (top > 0) params.set('$top', String(top));
    body.nextLink = `${ctx.baseUrl}${path}?${params.toString()}`;
  }
  return { status: 200, body };
}

export interface ArmOutcome extends HttpAnswer {
  /** Which tenant's subscription the path named, for the request log. */
  side?: 'consumer' | 'provider';
}

/** Answers one ARM request (the caller has already refused non-GET methods). */
export function armRequest(ctx: ArmContext, path: string, query: URLSearchParams, authorization: string | undefined): ArmOutcome {
  const { state } = ctx;
  const subMatch = /^\/subscriptions\/([^/]+)/i.exec(path);
  const matched = ROUTES.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m);
  // Authentication comes first, as at the real front door.
  const token = ctx.tokens.lookup(authorization);
  if (token.status === 'missing') {
    return armError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.", { 'www-authenticate': 'Bearer authorization_uri="https://login.lab.invalid/common", error="invalid_token", error_description="The authentication failed because of missing \'Authorization\' header."' });
  }
  if (token.status !== 'ok') {
    return armError(401, token.status === 'expired' ? 'ExpiredAuthenticationToken' : 'InvalidAuthenticationToken', token.status === 'expired' ? 'The access token expiry UTC time is earlier than current UTC time.' : 'The access token is invalid.');
  }
  const info: TokenInfo = token.info;
  if (info.audience !== 'arm') {
    return armError(401, 'InvalidAuthenticationToken', 'The access token has been obtained for wrong audience or resource. It should exactly match the ARM scope configured for this cloud.');
  }
  if (!subMatch) return armError(404, 'InvalidResourceType', `No ARM route for '${path}'.`);
  const tenant: LabTenant | undefined = tenantOfSubscription(state, decodeURIComponent(subMatch[1]!));
  if (!tenant) return armError(404, 'SubscriptionNotFound', `The subscription '${decodeURIComponent(subMatch[1]!)}' could not be found.`);
  const side = tenant === state.provider ? 'provider' : 'consumer';
  if (!sameId(info.tenantId, tenant.tenantId)) {
    return {
      ...armError(401, 'InvalidAuthenticationTokenTenant', `The access token is from the wrong issuer 'https://sts.windows.net/${info.tenantId}/'. It must match the tenant 'https://sts.windows.net/${tenant.tenantId}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${tenant.tenantId}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.`, {
        'www-authenticate': `Bearer authorization_uri="https://login.windows.net/${tenant.tenantId}", error="invalid_token", error_description="The access token is from the wrong issuer."`,
      }),
      side,
    };
  }
  if (!matched) return { ...armError(404, 'InvalidResourceType', `The resource type for '${path}' could not be found (the lab serves the routes the doctor reads).`), side };
  const { r, m } = matched;
  const apiVersion = query.get('api-version');
  const allowed = allowedVersions(r.api);
  if (!apiVersion) return { ...armError(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests."), side };
  if (!allowed.includes(apiVersion)) {
    return { ...armError(400, 'InvalidApiVersionParameter', `The api-version '${apiVersion}' is invalid. The supported versions are '${allowed.join(',')}'.`), side };
  }
  const throttleKey = `${path.toLowerCase()}?${query.get('$skipToken') ?? ''}`;
  if (state.service.armThrottled) {
    const seen = ctx.throttleCounts.get(throttleKey) ?? 0;
    ctx.throttleCounts.set(throttleKey, seen + 1);
    if (seen < 2) {
      return {
        ...armError(429, 'SubscriptionRequestsThrottled', `Number of 'read' requests for subscription '${tenant.subscriptionId}' actor '${info.objectId}' exceeded. Please try again after '1' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling for additional information.`, {
          'retry-after': '1',
          'x-ms-ratelimit-remaining-subscription-reads': '0',
        }),
        side,
      };
    }
  }
  if (side === 'provider' && state.service.providerForbidden) {
    return {
      ...armError(403, 'AuthorizationFailed', `The client '${info.clientId}' with object id '${info.objectId}' does not have authorization to perform action '${readAction(path)}' over scope '${path}' or the scope is invalid. If access was recently granted, please refresh your credentials.`),
      side,
    };
  }
  const params: Params = {};
  r.names.forEach((name, i) => {
    params[name] = decodeURIComponent(m![i + 1]!);
  });
  if (params.rg && !tenant.resourceGroups.some((g) => sameId(g, params.rg))) {
    return { ...armError(404, 'ResourceGroupNotFound', `Resource group '${params.rg}' could not be found.`), side };
  }
  const result = r.handle({ ...ctx, query }, params);
  const headers = { 'x-ms-ratelimit-remaining-subscription-reads': '249' };
  if ('notFound' in result) return { ...result.notFound, side };
  if ('list' in result) {
    const answer = page(ctx, path, query, apiVersion, result.list);
    return { ...answer, headers, side };
  }
  return { status: 200, body: result.item, headers, side };
}

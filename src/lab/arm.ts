// The lab's Azure Resource Manager: the routes the doctor reads, for both tenants, rendered from the
// lab state in the shapes of test/fixtures/reference/arm-network, arm-privatedns and arm-fabric. Paths match
// case-insensitively (the SDK sends `/aLL`), the api-version must be the one the SDKs send, lists
// page with nextLink, and tokens are checked against the subscription's tenant as ARM does.
import type { HttpAnswer, TokenInfo, TokenStore } from './identity.js';
import { Random } from './random.js';
import { nextSkip, type ListChaos } from './lists.js';
import {
  type LabDnsResolver,
  type LabEndpoint,
  type LabFirewall,
  type LabFirewallPolicy,
  type LabNic,
  type LabPrivateLinkService,
  type LabRouteTable,
  type LabRuleset,
  type LabVm,
  type LabState,
  type LabTenant,
  type LabVnet,
  type LabZone,
  endpointById,
  recordNamed,
  resourceGroupsOf,
  sameId,
  subscriptionsOf,
  tenantOfSubscription,
  vnetById,
  vnetIdOfSubnet,
} from './state.js';
import type { ARecordSetJson, AsSent, FabricPrivateLinkServiceJson, NetworkInterfaceJson, PeeringJson, PlsConnection, PrivateDnsZoneGroupJson, PrivateDnsZoneJson, PrivateEndpointJson, SubnetJson, VirtualNetworkJson, VirtualNetworkLinkJson } from '../gather/arm/shapes.js';
import { escapeRegex } from '../text/regex.js';

/** The api-versions the SDKs installed here send (node_modules/@azure/arm-network, arm-privatedns). */
export const API_VERSIONS = {
  network: '2026-01-01',
  privateDns: '2024-06-01',
  fabric: '2024-06-01',
  /** Microsoft.Network/dnsResolvers and dnsForwardingRulesets: the stable REST version, and the one @azure/arm-dnsresolver 1.1.0 sends. */
  dnsResolver: ['2025-05-01', '2022-07-01'],
  /** Microsoft.Compute/virtualMachines: stable versions ARM accepts (the doctor reads only networkProfile). */
  compute: ['2023-03-01', '2023-07-01', '2023-09-01', '2024-03-01', '2024-07-01', '2024-11-01', '2025-04-01'],
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
/** A list may give its items unrendered with `render`: only the page's slice is rendered (a zone of thousands). */
type Result = { item: unknown } | { list: unknown[]; render?: (item: never) => unknown } | { notFound: HttpAnswer };

interface Route {
  pattern: RegExp;
  names: string[];
  api: 'network' | 'privateDns' | 'fabric' | 'dnsResolver' | 'compute' | 'resources';
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

export function renderPrivateEndpoint(pe: LabEndpoint): AsSent<PrivateEndpointJson> {
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

function renderNic(state: LabState, pe: LabEndpoint): AsSent<NetworkInterfaceJson> {
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

function renderSubnet(state: LabState, vnet: LabVnet, subnet: LabVnet['subnets'][number]): AsSent<SubnetJson> {
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
      ...(subnet.routeTableId ? { routeTable: { id: subnet.routeTableId } } : {}),
      delegations: [],
      privateEndpointNetworkPolicies: 'Disabled',
      privateLinkServiceNetworkPolicies: 'Enabled',
    },
  };
}

function renderPeering(vnet: LabVnet, peering: LabVnet['peerings'][number]): AsSent<PeeringJson> {
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

function renderVnet(state: LabState, vnet: LabVnet): AsSent<VirtualNetworkJson> {
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
      // Always present, as ARM returns it: an empty list means Azure-provided DNS.
      dhcpOptions: { dnsServers: [...vnet.dnsServers] },
      subnets: vnet.subnets.map((s) => renderSubnet(state, vnet, s)),
      virtualNetworkPeerings: vnet.peerings.map((p) => renderPeering(vnet, p)),
      enableDdosProtection: false,
    },
  };
}

function renderZone(zone: LabZone): AsSent<PrivateDnsZoneJson> {
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

function renderARecord(zone: LabZone, record: LabZone['aRecords'][number]): AsSent<ARecordSetJson> {
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

function renderLink(zone: LabZone, link: LabZone['links'][number]): AsSent<VirtualNetworkLinkJson> {
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

function renderConnection(pls: LabPrivateLinkService, connection: LabPrivateLinkService['connections'][number], inline: boolean): AsSent<PlsConnection> {
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

export function renderPrivateLinkService(state: LabState, pls: LabPrivateLinkService): AsSent<FabricPrivateLinkServiceJson> {
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

/** The shape of NetworkInterfaceGet.json for a VM's NIC (the jump VM's, a DNS forwarder's). */
function renderVmNic(state: LabState, nic: LabNic): AsSent<NetworkInterfaceJson> {
  const ipConfigId = `${nic.id}/ipConfigurations/ipconfig1`;
  // appliedDnsServers: what the VM uses: the NIC's own servers, else its VNet's (empty: Azure-provided).
  const vnetServers = vnetById(state, vnetIdOfSubnet(nic.subnetId))?.dnsServers ?? [];
  return {
    name: nic.name,
    id: nic.id,
    etag: etag(nic.id),
    type: 'Microsoft.Network/networkInterfaces',
    location: state.location,
    properties: {
      provisioningState: 'Succeeded',
      resourceGuid: stableGuid(`guid:${nic.id}`),
      ipConfigurations: [
        {
          name: 'ipconfig1',
          id: ipConfigId,
          etag: etag(ipConfigId),
          type: 'Microsoft.Network/networkInterfaces/ipConfigurations',
          properties: { provisioningState: 'Succeeded', privateIPAddress: nic.ip, privateIPAllocationMethod: 'Static', subnet: { id: nic.subnetId }, primary: true, privateIPAddressVersion: 'IPv4' },
        },
      ],
      dnsSettings: { dnsServers: [...nic.dnsServers], appliedDnsServers: nic.dnsServers.length ? [...nic.dnsServers] : [...vnetServers], internalDomainNameSuffix: 'lab.ax.internal.cloudapp.net' },
      macAddress: '00-0D-3A-00-00-01',
      vnetEncryptionSupported: false,
      enableIPForwarding: false,
      disableTcpStateTracking: false,
      enableAcceleratedNetworking: false,
      primary: true,
      virtualMachine: { id: nic.vmId },
      hostedWorkloads: [],
      tapConfigurations: [],
      nicType: 'Standard',
      auxiliaryMode: 'None',
      auxiliarySku: 'None',
    },
  };
}

/** Microsoft.Compute/virtualMachines GET, in the shape of VirtualMachine_Get.json (the doctor reads networkProfile). */
function renderVm(state: LabState, vm: LabVm): unknown {
  return {
    name: vm.name,
    id: vm.id,
    type: 'Microsoft.Compute/virtualMachines',
    location: state.location,
    tags: {},
    etag: '"1"',
    properties: {
      vmId: vm.vmGuid,
      hardwareProfile: { vmSize: 'Standard_B2s' },
      storageProfile: {
        imageReference: { publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2022-datacenter-azure-edition', version: 'latest' },
        osDisk: {
          osType: 'Windows',
          name: `${vm.name}-osdisk`,
          createOption: 'FromImage',
          caching: 'ReadWrite',
          managedDisk: { storageAccountType: 'Premium_LRS', id: `/subscriptions/${vm.subscriptionId}/resourceGroups/${vm.resourceGroup}/providers/Microsoft.Compute/disks/${vm.name}-osdisk` },
          diskSizeGB: 127,
        },
        dataDisks: [],
      },
      osProfile: { computerName: vm.name, adminUsername: 'azureadmin', windowsConfiguration: { provisionVMAgent: true, enableAutomaticUpdates: true }, secrets: [] },
      // The official example's NIC entries carry only the id; a VM with one NIC marks it primary.
      networkProfile: { networkInterfaces: [{ id: vm.nicId, properties: { primary: true } }] },
      provisioningState: 'Succeeded',
      timeCreated: '2026-01-12T09:30:00.0000000+00:00',
    },
  };
}

/** RouteTableGet.json. */
function renderRouteTable(state: LabState, table: LabRouteTable): unknown {
  const subnets = state.vnets.flatMap((v) => v.subnets).filter((sn) => sameId(sn.routeTableId, table.id));
  return {
    name: table.name,
    id: table.id,
    etag: etag(table.id),
    type: 'Microsoft.Network/routeTables',
    location: state.location,
    properties: {
      disableBgpRoutePropagation: false,
      provisioningState: 'Succeeded',
      resourceGuid: stableGuid(`guid:${table.id}`),
      routes: table.routes.map((r) => ({
        name: r.name,
        id: `${table.id}/routes/${r.name}`,
        etag: etag(`${table.id}/routes/${r.name}`),
        type: 'Microsoft.Network/routeTables/routes',
        properties: { addressPrefix: r.addressPrefix, nextHopType: r.nextHopType, ...(r.nextHopIpAddress ? { nextHopIpAddress: r.nextHopIpAddress } : {}), provisioningState: 'Succeeded' },
      })),
      ...(subnets.length ? { subnets: subnets.map((sn) => ({ id: sn.id })) } : {}),
    },
  };
}

/** AzureFirewallGet.json (a firewall managed by a firewall policy: no classic rule collections). */
function renderFirewall(state: LabState, firewall: LabFirewall): unknown {
  const ipConfigId = `${firewall.id}/ipConfigurations/azureFirewallIpConfiguration`;
  return {
    name: firewall.name,
    type: 'Microsoft.Network/azureFirewalls',
    etag: etag(firewall.id),
    id: firewall.id,
    location: state.location,
    properties: {
      additionalProperties: {},
      applicationRuleCollections: [],
      firewallPolicy: { id: firewall.policyId },
      ipConfigurations: [
        {
          name: 'azureFirewallIpConfiguration',
          etag: etag(ipConfigId),
          id: ipConfigId,
          properties: {
            privateIPAddress: firewall.ip,
            provisioningState: 'Succeeded',
            publicIPAddress: { id: `/subscriptions/${firewall.subscriptionId}/resourceGroups/${firewall.resourceGroup}/providers/Microsoft.Network/publicIPAddresses/pip-${firewall.name}` },
            subnet: { id: firewall.subnetId },
          },
        },
      ],
      ipGroups: [],
      natRuleCollections: [],
      networkRuleCollections: [],
      provisioningState: 'Succeeded',
      sku: { name: 'AZFW_VNet', tier: 'Standard' },
      threatIntelMode: 'Alert',
    },
    tags: {},
    zones: [],
  };
}

/** FirewallPolicyGet.json: `dnsSettings` decides whether the firewall proxies DNS. */
function renderFirewallPolicy(state: LabState, policy: LabFirewallPolicy): unknown {
  return {
    name: policy.name,
    type: 'Microsoft.Network/firewallPolicies',
    etag: etag(policy.id),
    id: policy.id,
    location: state.location,
    properties: {
      dnsSettings: { enableProxy: policy.dnsSettings.enableProxy, requireProxyForNetworkRules: policy.dnsSettings.requireProxyForNetworkRules, servers: [...policy.dnsSettings.servers] },
      firewalls: state.firewalls.filter((f) => sameId(f.policyId, policy.id)).map((f) => ({ id: f.id })),
      provisioningState: 'Succeeded',
      ruleCollectionGroups: [],
      sku: { tier: 'Standard' },
      threatIntelMode: 'Alert',
    },
    tags: {},
  };
}

const SYSTEM_DATA = { createdAt: '2026-01-12T09:30:00.0000000Z', createdByType: 'User', lastModifiedAt: '2026-01-12T09:30:00.0000000Z', lastModifiedByType: 'User' };

/** DnsResolver_Get.json. */
function renderResolver(state: LabState, resolver: LabDnsResolver): unknown {
  return {
    name: resolver.name,
    type: 'Microsoft.Network/dnsResolvers',
    etag: stableGuid(`etag:${resolver.id}`),
    id: resolver.id,
    location: state.location,
    properties: {
      dnsResolverState: resolver.provisioningState === 'Succeeded' ? 'Connected' : 'Disconnected',
      provisioningState: resolver.provisioningState,
      resourceGuid: stableGuid(`guid:${resolver.id}`),
      virtualNetwork: { id: resolver.vnetId },
    },
    systemData: SYSTEM_DATA,
    tags: {},
  };
}

/** InboundEndpoint_Get.json (with the id under its resolver, where ARM puts it). */
function renderInboundEndpoint(state: LabState, endpoint: LabDnsResolver['inboundEndpoints'][number]): unknown {
  return {
    name: endpoint.name,
    type: 'Microsoft.Network/dnsResolvers/inboundEndpoints',
    etag: stableGuid(`etag:${endpoint.id}:${endpoint.provisioningState}`),
    id: endpoint.id,
    location: state.location,
    properties: {
      ipConfigurations: [{ privateIpAddress: endpoint.ip, privateIpAllocationMethod: 'Static', subnet: { id: endpoint.subnetId } }],
      provisioningState: endpoint.provisioningState,
      resourceGuid: stableGuid(`guid:${endpoint.id}`),
    },
    systemData: SYSTEM_DATA,
    tags: {},
  };
}

function renderOutboundEndpoint(state: LabState, endpoint: LabDnsResolver['outboundEndpoints'][number]): unknown {
  return {
    name: endpoint.name,
    type: 'Microsoft.Network/dnsResolvers/outboundEndpoints',
    etag: stableGuid(`etag:${endpoint.id}`),
    id: endpoint.id,
    location: state.location,
    properties: { provisioningState: 'Succeeded', resourceGuid: stableGuid(`guid:${endpoint.id}`), subnet: { id: endpoint.subnetId } },
    systemData: SYSTEM_DATA,
    tags: {},
  };
}

/** DnsForwardingRuleset_Get.json. */
function renderRuleset(state: LabState, ruleset: LabRuleset): unknown {
  return {
    name: ruleset.name,
    type: 'Microsoft.Network/dnsForwardingRulesets',
    etag: stableGuid(`etag:${ruleset.id}`),
    id: ruleset.id,
    location: state.location,
    properties: {
      dnsResolverOutboundEndpoints: ruleset.outboundEndpointIds.map((id) => ({ id })),
      provisioningState: 'Succeeded',
      resourceGuid: stableGuid(`guid:${ruleset.id}`),
    },
    systemData: SYSTEM_DATA,
    tags: {},
  };
}

/** VirtualNetworkLink_List.json (a ruleset's links; spelled as ARM does, not as the example's quirks). */
function renderRulesetLink(ruleset: LabRuleset, link: LabRuleset['vnetLinks'][number]): unknown {
  const id = `${ruleset.id}/virtualNetworkLinks/${link.name}`;
  return {
    name: link.name,
    type: 'Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks',
    etag: stableGuid(`etag:${id}`),
    id,
    properties: { metadata: {}, provisioningState: 'Succeeded', virtualNetwork: { id: link.vnetId } },
    systemData: SYSTEM_DATA,
  };
}

/** ForwardingRule_List.json. */
function renderForwardingRule(ruleset: LabRuleset, rule: LabRuleset['rules'][number]): unknown {
  const id = `${ruleset.id}/forwardingRules/${rule.name}`;
  return {
    name: rule.name,
    type: 'Microsoft.Network/dnsForwardingRulesets/forwardingRules',
    etag: stableGuid(`etag:${id}:${rule.state}`),
    id,
    properties: { domainName: rule.domainName, forwardingRuleState: rule.state, metadata: {}, provisioningState: 'Succeeded', targetDnsServers: rule.targets.map((t) => ({ ...t })) },
    systemData: SYSTEM_DATA,
  };
}

/** PrivateEndpointDnsZoneGroupGet.json: the records the group wrote into its zone, wherever the zone lives. */
function renderZoneGroup(state: LabState, pe: LabEndpoint): AsSent<PrivateDnsZoneGroupJson> {
  const group = pe.zoneGroup!;
  const id = `${pe.id}/privateDnsZoneGroups/${group.name}`;
  const zone = state.zones.find((z) => sameId(z.id, group.zoneId));
  const kinds = Object.keys(pe.ips) as Array<keyof LabEndpoint['ips']>;
  return {
    name: group.name,
    id,
    etag: etag(id),
    type: 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups',
    properties: {
      provisioningState: 'Succeeded',
      privateDnsZoneConfigs: [
        {
          name: 'privatelink-fabric-microsoft-com',
          id: `${id}/privateDnsZoneConfigs/privatelink-fabric-microsoft-com`,
          properties: {
            privateDnsZoneId: group.zoneId,
            recordSets: kinds.flatMap((kind) => {
              const name = pe.fqdns[kind].toLowerCase().replace(/\.fabric\.microsoft\.com$/, '');
              const record = zone ? recordNamed(zone, name) : undefined;
              return record ? [{ recordType: 'A', recordSetName: name, fqdn: `${name}.${zone!.name}`, ttl: record.ttl, ipAddresses: [...record.ips], provisioningState: 'Succeeded' }] : [];
            }),
          },
        },
      ],
    },
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
      return escapeRegex(part);
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

type Owned = { name: string; resourceGroup: string; subscriptionId: string };

/** Every NIC of a scope: the endpoints' and the VMs'. */
function allNics(state: LabState, scope: <T extends Owned>(items: T[]) => T[]): unknown[] {
  const endpointNics = scope(state.endpoints.map((pe) => ({ ...pe, name: pe.nicName }))).map((pe) => renderNic(state, endpointById(state, pe.id)!));
  return [...endpointNics, ...scope(state.nics).map((nic) => renderVmNic(state, nic))];
}

/** GET one, list by resource group, list by subscription: the three routes ARM has for a top-level type. */
function collection<T extends Owned>(namespace: string, type: string, api: Route['api'], items: (state: LabState) => T[], render: (state: LabState, item: T) => unknown): Route[] {
  const base = `${RG}/${namespace}/${type}`;
  return [
    route(base, api, (c, p) => ({ list: inRg(items(c.state), p).map((i) => render(c.state, i)) })),
    route(`/subscriptions/{sub}/providers/${namespace}/${type}`, api, (c, p) => ({ list: inSub(items(c.state), p).map((i) => render(c.state, i)) })),
    route(`${base}/{name}`, api, (c, p) => {
      const item = inRg(items(c.state), p).find((i) => sameId(i.name, p.name));
      return item ? { item: render(c.state, item) } : notFound(`${namespace}/${type}`, p.name!, p.rg!);
    }),
  ];
}

/** List and GET of a DNS resolver or ruleset's child resources. */
function children<P extends Owned, C extends { name: string }>(
  parentType: 'dnsResolvers' | 'dnsForwardingRulesets',
  childType: string,
  parents: (state: LabState) => P[],
  childrenOf: (parent: P) => C[],
  render: (state: LabState, child: C, parent: P) => unknown,
): Route[] {
  const base = `${NET}/${parentType}/{parent}/${childType}`;
  const find = (state: LabState, p: Params) => inRg(parents(state), p).find((x) => sameId(x.name, p.parent));
  return [
    route(base, 'dnsResolver', (c, p) => {
      const parent = find(c.state, p);
      return parent ? { list: childrenOf(parent).map((x) => render(c.state, x, parent)) } : notFound(`Microsoft.Network/${parentType}`, p.parent!, p.rg!);
    }),
    route(`${base}/{name}`, 'dnsResolver', (c, p) => {
      const parent = find(c.state, p);
      const child = parent && childrenOf(parent).find((x) => sameId(x.name, p.name));
      if (!parent) return notFound(`Microsoft.Network/${parentType}`, p.parent!, p.rg!);
      return child ? { item: render(c.state, child, parent) } : notFound(`Microsoft.Network/${parentType}/${childType}`, `${p.parent}/${p.name}`, p.rg!);
    }),
  ];
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
  // Zone groups: hand-made records have none; central-zone's endpoints carry one naming the zone.
  route(`${NET}/privateEndpoints/{pe}/privateDnsZoneGroups`, 'network', (c, p) => {
    const pe = findPe(c.state, p);
    if (!pe) return notFound('Microsoft.Network/privateEndpoints', p.pe!, p.rg!);
    return { list: pe.zoneGroup ? [renderZoneGroup(c.state, pe)] : [] };
  }),
  route(`${NET}/privateEndpoints/{pe}/privateDnsZoneGroups/{group}`, 'network', (c, p) => {
    const pe = findPe(c.state, p);
    if (!pe) return notFound('Microsoft.Network/privateEndpoints', p.pe!, p.rg!);
    return pe.zoneGroup && sameId(pe.zoneGroup.name, p.group) ? { item: renderZoneGroup(c.state, pe) } : notFound('Microsoft.Network/privateEndpoints/privateDnsZoneGroups', `${p.pe}/${p.group}`, p.rg!);
  }),
  route(`${NET}/networkInterfaces`, 'network', (c, p) => ({ list: allNics(c.state, (x) => inRg(x, p)) })),
  route('/subscriptions/{sub}/providers/Microsoft.Network/networkInterfaces', 'network', (c, p) => ({ list: allNics(c.state, (x) => inSub(x, p)) })),
  route(`${NET}/networkInterfaces/{nic}`, 'network', (c, p) => {
    const pe = inRg(c.state.endpoints, p).find((e) => sameId(e.nicName, p.nic));
    if (pe) return { item: renderNic(c.state, pe) };
    const nic = inRg(c.state.nics, p).find((n) => sameId(n.name, p.nic));
    return nic ? { item: renderVmNic(c.state, nic) } : notFound('Microsoft.Network/networkInterfaces', p.nic!, p.rg!);
  }),
  ...collection('Microsoft.Compute', 'virtualMachines', 'compute', (s) => s.vms, renderVm),
  ...collection('Microsoft.Network', 'routeTables', 'network', (s) => s.routeTables, renderRouteTable),
  ...collection('Microsoft.Network', 'azureFirewalls', 'network', (s) => s.firewalls, renderFirewall),
  ...collection('Microsoft.Network', 'firewallPolicies', 'network', (s) => s.firewallPolicies, renderFirewallPolicy),
  ...collection('Microsoft.Network', 'dnsResolvers', 'dnsResolver', (s) => s.resolvers, renderResolver),
  ...children('dnsResolvers', 'inboundEndpoints', (s) => s.resolvers, (r) => r.inboundEndpoints, renderInboundEndpoint),
  ...children('dnsResolvers', 'outboundEndpoints', (s) => s.resolvers, (r) => r.outboundEndpoints, renderOutboundEndpoint),
  ...collection('Microsoft.Network', 'dnsForwardingRulesets', 'dnsResolver', (s) => s.rulesets, renderRuleset),
  ...children('dnsForwardingRulesets', 'forwardingRules', (s) => s.rulesets, (r) => r.rules, (_, rule, rs) => renderForwardingRule(rs, rule)),
  ...children('dnsForwardingRulesets', 'virtualNetworkLinks', (s) => s.rulesets, (r) => r.vnetLinks, (_, link, rs) => renderRulesetLink(rs, link)),
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
    if (type === 'A') return { list: records, render: (r: LabZone['aRecords'][number]) => renderARecord(zone, r) };
    if (type === 'SOA') return { list: [renderSoa(zone)] };
    if (['AAAA', 'CNAME', 'MX', 'PTR', 'SRV', 'TXT'].includes(type)) return { list: [] };
    return { notFound: armError(400, 'BadRequest', `The record type '${p.type}' is not supported.`) };
  }),
  route(`${NET}/privateDnsZones/{zone}/{type}/{name}`, 'privateDns', (c, p) => {
    const zone = findZone(c.state, p);
    if (!zone) return notFound('Microsoft.Network/privateDnsZones', p.zone!, p.rg!);
    const type = p.type!.toUpperCase();
    if (type === 'SOA' && p.name === '@') return { item: renderSoa(zone) };
    const record = type === 'A' ? recordNamed(zone, p.name!.toLowerCase()) : undefined;
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
    const other = tenant.otherSubscriptions.find((o) => sameId(o.subscriptionId, p.sub));
    const subscriptionId = other?.subscriptionId ?? tenant.subscriptionId;
    return {
      item: {
        id: `/subscriptions/${subscriptionId}`,
        authorizationSource: 'RoleBased',
        managedByTenants: [],
        subscriptionId,
        tenantId: tenant.tenantId,
        displayName: other?.displayName ?? (tenant === c.state.provider ? 'Fabric (tenant 2)' : 'Network (tenant 1)'),
        state: 'Enabled',
        subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'EnterpriseAgreement_2014-09-01', spendingLimit: 'Off' },
      },
    };
  }),
  route('/subscriptions/{sub}/providers/{namespace}', 'resources', (c, p) => {
    const ns = ['Microsoft.Network', 'Microsoft.Fabric', 'Microsoft.Compute'].find((n) => sameId(n, p.namespace));
    if (!ns) return { notFound: armError(404, 'InvalidResourceNamespace', `The resource namespace '${p.namespace}' is invalid.`) };
    const types =
      ns === 'Microsoft.Fabric'
        ? ['capacities', 'privateLinkServicesForFabric', 'operations']
        : ns === 'Microsoft.Compute'
          ? ['virtualMachines']
          : ['privateEndpoints', 'virtualNetworks', 'networkInterfaces', 'privateDnsZones', 'routeTables', 'azureFirewalls', 'firewallPolicies', 'dnsResolvers', 'dnsForwardingRulesets'];
    return {
      item: {
        id: `/subscriptions/${p.sub}/providers/${ns}`,
        namespace: ns,
        registrationState: 'Registered',
        registrationPolicy: 'RegistrationRequired',
        resourceTypes: types.map((resourceType) => ({ resourceType, locations: ['global', 'West Europe'], apiVersions: ns === 'Microsoft.Fabric' ? [API_VERSIONS.fabric] : ns === 'Microsoft.Compute' ? [...API_VERSIONS.compute] : [API_VERSIONS.network] })),
      },
    };
  }),
];

function allowedVersions(api: Route['api']): readonly string[] {
  const versions = API_VERSIONS[api];
  return typeof versions === 'string' ? [versions] : versions;
}

/** Which read action a path stands for (for AuthorizationFailed messages). */
function readAction(path: string): string {
  const idx = path.toLowerCase().lastIndexOf('/providers/');
  if (idx < 0) return 'Microsoft.Resources/subscriptions/read';
  const parts = path.slice(idx + '/providers/'.length).split('/');
  const types = [parts[0], ...parts.slice(1).filter((_, i) => i % 2 === 0)];
  return `${types.join('/')}/read`;
}

function page(ctx: ArmContext, path: string, query: URLSearchParams, apiVersion: string, items: unknown[], render?: (item: never) => unknown): HttpAnswer {
  const skip = Math.max(0, Number(query.get('$skipToken') ?? '0') || 0);
  const top = Number(query.get('$top') ?? '0');
  const size = top > 0 ? Math.min(top, ctx.maxPageSize) : ctx.pageSize;
  const slice = items.slice(skip, skip + size);
  const value = render ? slice.map((item) => render(item as never)) : slice;
  const body: Record<string, unknown> = { value };
  const next = nextSkip(ctx.listChaos, skip, size, items.length);
  if (next !== undefined) {
    const params = new URLSearchParams({ 'api-version': apiVersion, $skipToken: String(next) });
    if (top > 0) params.set('$top', String(top));
    body.nextLink = `${ctx.baseUrl}${path}?${params.toString()}`;
  }
  return { status: 200, body };
}

/** `GET /subscriptions`: the subscriptions of the caller's tenant (a denied one is still listed: a role there, no read). */
function listSubscriptions(ctx: ArmContext, info: TokenInfo, query: URLSearchParams): ArmOutcome {
  const apiVersion = query.get('api-version');
  if (!apiVersion || !API_VERSIONS.resources.includes(apiVersion as never)) {
    return armError(400, 'InvalidApiVersionParameter', `The api-version '${apiVersion ?? ''}' is invalid. The supported versions are '${API_VERSIONS.resources.join(',')}'.`);
  }
  const tenant = [ctx.state.consumer, ctx.state.provider].find((t) => sameId(t.tenantId, info.tenantId));
  const items = tenant
    ? subscriptionsOf(tenant).map((id) => ({
        id: `/subscriptions/${id}`,
        authorizationSource: 'RoleBased',
        managedByTenants: [],
        subscriptionId: id,
        tenantId: tenant.tenantId,
        displayName: tenant.otherSubscriptions.find((o) => sameId(o.subscriptionId, id))?.displayName ?? (tenant === ctx.state.provider ? 'Fabric (tenant 2)' : 'Network (tenant 1)'),
        state: 'Enabled',
        subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'EnterpriseAgreement_2014-09-01', spendingLimit: 'Off' },
      }))
    : [];
  return { ...page(ctx, '/subscriptions', query, apiVersion, items), side: tenant === ctx.state.provider ? 'provider' : 'consumer' };
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
  if (/^\/subscriptions\/?$/i.test(path)) return listSubscriptions(ctx, info, query);
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
  if (state.service.deniedSubscriptions.some((d) => sameId(d, subMatch[1]))) {
    return {
      ...armError(403, 'AuthorizationFailed', `The client '${info.clientId}' with object id '${info.objectId}' does not have authorization to perform action '${readAction(path)}' over scope '${path}' or the scope is invalid. If access was recently granted, please refresh your credentials.`),
      side,
    };
  }
  const params: Params = {};
  r.names.forEach((name, i) => {
    params[name] = decodeURIComponent(m![i + 1]!);
  });
  if (params.rg && !resourceGroupsOf(state, params.sub!).some((g) => sameId(g, params.rg))) {
    return { ...armError(404, 'ResourceGroupNotFound', `Resource group '${params.rg}' could not be found.`), side };
  }
  const result = r.handle({ ...ctx, query }, params);
  const headers = { 'x-ms-ratelimit-remaining-subscription-reads': '249' };
  if ('notFound' in result) return { ...result.notFound, side };
  if ('list' in result) {
    const answer = page(ctx, path, query, apiVersion, result.list, result.render);
    return { ...answer, headers, side };
  }
  return { status: 200, body: result.item, headers, side };
}

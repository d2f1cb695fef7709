// The lab's world as types: both tenants, the network, the zone, Fabric and the private link. Plain
// data only (state.ts builds it, topology.ts builds tenant 1's network), in a module of its own so
// that the builders import the shapes without importing each other.

import type { EndpointKind } from '../fabric/workspace.js';

export const TOPOLOGIES = ['flat', 'hub-forwarder', 'hub-resolver', 'hub-firewall-dns', 'spoke-ruleset', 'pe-spoke', 'central-zone'] as const;
export type TopologyName = (typeof TOPOLOGIES)[number];

export interface LabTenant {
  tenantId: string;
  subscriptionId: string;
  /** The resource group the side's main resources live in. */
  resourceGroup: string;
  /** Every resource group of the subscription (a zone-missing fault leaves its group behind). */
  resourceGroups: string[];
  /** The app registration the lab's authority knows for this tenant (client credentials). */
  clientId: string;
  clientSecret: string;
  principalObjectId: string;
  /** More subscriptions of the same tenant (central-zone: the connectivity subscription holding the zone). */
  otherSubscriptions: LabSubscription[];
}

export interface LabSubnet {
  name: string;
  id: string;
  addressPrefix: string;
  /** The route table associated with the subnet (pe-spoke: the VM subnet's routes to the hub firewall). */
  routeTableId?: string;
}

export interface LabPeering {
  name: string;
  remoteVnetId: string;
  remoteAddressPrefix: string;
  peeringState: 'Connected' | 'Disconnected' | 'Initiated';
}

export interface LabVnet {
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  addressPrefix: string;
  subnets: LabSubnet[];
  peerings: LabPeering[];
  /** dhcpOptions.dnsServers: empty means Azure-provided DNS (168.63.129.16). */
  dnsServers: string[];
}

export interface LabRoute {
  name: string;
  addressPrefix: string;
  nextHopType: 'VirtualAppliance' | 'VnetLocal' | 'Internet' | 'None' | 'VirtualNetworkGateway';
  nextHopIpAddress?: string;
}

export interface LabRouteTable {
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  routes: LabRoute[];
}

/** A VM's network interface (the jump VM's, a DNS forwarder's): one IPv4 configuration. */
export interface LabNic {
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  subnetId: string;
  ip: string;
  /** dnsSettings.dnsServers: empty means the VNet's setting applies. */
  dnsServers: string[];
  vmId: string;
}

export interface LabVm {
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  /** properties.vmId (and the instance metadata's compute.vmId). */
  vmGuid: string;
  nicId: string;
}

export interface LabInboundEndpoint {
  id: string;
  name: string;
  ip: string;
  subnetId: string;
  provisioningState: 'Succeeded' | 'Failed';
}

export interface LabDnsResolver {
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  vnetId: string;
  provisioningState: 'Succeeded' | 'Failed';
  inboundEndpoints: LabInboundEndpoint[];
  outboundEndpoints: Array<{ id: string; name: string; subnetId: string }>;
}

export interface LabFirewallPolicy {
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  dnsSettings: { enableProxy: boolean; servers: string[]; requireProxyForNetworkRules: boolean };
}

export interface LabFirewall {
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  ip: string;
  subnetId: string;
  policyId: string;
}

export interface LabForwardingRule {
  name: string;
  /** Dot-terminated, as ARM has it (`fabric.microsoft.com.`). */
  domainName: string;
  state: 'Enabled' | 'Disabled';
  targets: Array<{ ipAddress: string; port: number }>;
}

export interface LabRuleset {
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  outboundEndpointIds: string[];
  vnetLinks: Array<{ name: string; vnetId: string }>;
  rules: LabForwardingRule[];
}

/** A subscription of a tenant beside its main one (central-zone: the connectivity subscription). */
export interface LabSubscription {
  subscriptionId: string;
  displayName: string;
  resourceGroups: string[];
}

export interface LabZoneLink {
  name: string;
  vnetId: string;
  virtualNetworkLinkState: 'Completed' | 'InProgress';
  provisioningState: 'Succeeded' | 'Failed';
  resolutionPolicy: 'Default' | 'NxDomainRedirect';
}

export interface LabRecordSet {
  /** Relative to the zone, lower case. */
  name: string;
  ips: string[];
  ttl: number;
  /** Another workspace's record in a shared zone (StateOptions.zoneRecords): nothing in the lab serves its IP. */
  filler?: true;
}

export interface LabZone {
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  links: LabZoneLink[];
  aRecords: LabRecordSet[];
}

export interface LabCapacity {
  id: string;
  displayName: string;
  sku: string;
  region: string;
  state: 'Active' | 'Inactive';
}

export interface LabWorkspace {
  id: string;
  displayName: string;
  description: string;
  capacityId?: string;
  capacityAssignmentProgress: 'Completed' | 'InProgress' | 'Failed';
  capacityRegion: string;
  /** communicationPolicy.inbound.publicAccessRules.defaultAction */
  inboundDefaultAction: 'Allow' | 'Deny';
  policyEtag: string;
}

export interface LabConnectionState {
  status: 'Pending' | 'Approved' | 'Rejected' | 'Disconnected';
  description: string;
  actionsRequired: 'None' | 'Recreate';
}

export interface LabPlsConnection {
  name: string;
  privateEndpointId: string;
  state: LabConnectionState;
}

export interface LabPrivateLinkService {
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  tenantId: string;
  workspaceId: string;
  provisioningState: 'Succeeded' | 'Failed' | 'Provisioning';
  connections: LabPlsConnection[];
}

export interface LabEndpoint {
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  location: string;
  subnetId: string;
  nicName: string;
  provisioningState: 'Succeeded' | 'Failed';
  /** A cross-tenant connection: it sits in manualPrivateLinkServiceConnections. */
  connection: {
    name: string;
    privateLinkServiceId: string;
    groupIds: string[];
    requestMessage: string;
    state: LabConnectionState;
  };
  /** The endpoint's private IP for each of the five workspace FQDNs. */
  ips: Record<EndpointKind, string>;
  fqdns: Record<EndpointKind, string>;
  /** privateDnsZoneGroups: the zone its records are written to (central-zone), if any. */
  zoneGroup?: { name: string; zoneId: string };
}

/** What the doctor's config names: it stays even when a fault deletes the resources behind it. */
export interface LabTarget {
  index: number;
  name: string;
  workspaceId: string;
  privateLinkServiceId: string;
  privateEndpointId: string;
  /** The jump VM's VNet and the zone the config names (kept when a fault deletes the zone). */
  vnetId: string;
  /** Absent when the config names no zone (central-zone: the endpoint's zone group names it). */
  privateDnsZoneId?: string;
}

export interface LabTenantSetting {
  settingName: string;
  title: string;
  enabled: boolean;
  canSpecifySecurityGroups: boolean;
  tenantSettingGroup: string;
}

export interface LabState {
  seed: string;
  location: string;
  region: string;
  /** Tenant 1: the VNet, the jump VM, the private endpoint and the DNS zone. */
  consumer: LabTenant;
  /** Tenant 2: Fabric, the workspace and the private link service. */
  provider: LabTenant;
  /** Which tenant-1 network this is (topology.ts). */
  topology: TopologyName;
  vnets: LabVnet[];
  /** The jump VM's VNet. */
  vmVnetId: string;
  /** The hub VNet every topology has (flat: peered, unused). */
  hubVnetId: string;
  /** The jump VM (its resource id is what the instance metadata service gives). */
  jumpVmId: string;
  vms: LabVm[];
  nics: LabNic[];
  /** A DNS forwarder VM whose own configuration ARM cannot see: forwards to Azure DNS from its VNet, or not. */
  dnsForwarder: { ip: string; forwardsToAzure: boolean; vmId: string };
  resolvers: LabDnsResolver[];
  firewalls: LabFirewall[];
  firewallPolicies: LabFirewallPolicy[];
  rulesets: LabRuleset[];
  routeTables: LabRouteTable[];
  zones: LabZone[];
  capacities: LabCapacity[];
  workspaces: LabWorkspace[];
  tenantSettings: LabTenantSetting[];
  privateLinkServices: LabPrivateLinkService[];
  endpoints: LabEndpoint[];
  targets: LabTarget[];
  /** Fabric's public front end: what public DNS answers for every workspace name. */
  frontEnd: { name: string; ip: string };
  /** The VM's own resolver (hosts file, OS cache): FQDN (lower case) → the addresses it answers instead. */
  clientOverrides: Record<string, string[]>;
  /** Private data-path conditions per workspace id. */
  dataPath: { tcpBlocked: string[]; tlsIntercepted: string[] };
  service: {
    /** Tenant 2's ARM and Fabric answer 403 to the provider principal. */
    providerForbidden: boolean;
    /** ARM answers 429 (Retry-After: 1) to the first two requests for each resource. */
    armThrottled: boolean;
    /** Fabric answers 503 once per path. */
    fabricFlaky: boolean;
    /** The VNet's resolver (and the VM's) set TC on every UDP answer. */
    dnsTruncated: boolean;
    /** Azure Resource Graph is not there (as in a cloud without it): discover lists with ARM. */
    resourceGraphOff: boolean;
    /** Subscriptions whose resources the credential may not read: ARM answers 403, Resource Graph leaves them out. */
    deniedSubscriptions: string[];
    /**
     * How the provider app's sign-in goes wrong: `wrong-tenant` (registered in tenant 1, not in
     * tenant 2: AADSTS700016 from tenant 2), `secret-expired` (AADSTS7000222).
     */
    providerSignIn?: 'wrong-tenant' | 'secret-expired';
  };
  /** Private addresses the lab hands out that nothing listens on (old or wrong IPs). */
  deadAddresses: string[];
  /** Which key the private link service carries the workspace id under (see REFERENCE §2). */
  plsWorkspaceKey: 'workspaceId' | 'workspaceObjectId' | 'both';
}


// The lab's world: both tenants, the network, the private DNS zone, Fabric, and the private link
// between them, as plain data. One seed always gives the same healthy world. Faults (faults.ts)
// change this data; every server (ARM, Fabric, DNS, listeners) renders from it, so a fault shows
// everywhere the real one would.
import { ENDPOINT_KINDS, type EndpointKind, PRIVATELINK_ZONE, workspaceNames } from '../fabric/workspace.js';
import { Random } from './random.js';
import type { LabCapacity, LabConnectionState, LabDnsResolver, LabEndpoint, LabFirewall, LabFirewallPolicy, LabForwardingRule, LabInboundEndpoint, LabNic, LabPeering, LabPlsConnection, LabPrivateLinkService, LabRecordSet, LabRoute, LabRouteTable, LabRuleset, LabState, LabSubnet, LabSubscription, LabTarget, LabTenant, LabTenantSetting, LabVm, LabVnet, LabWorkspace, LabZone, LabZoneLink, TopologyName } from './model.js';
import { buildNetwork } from './topology.js';

// The shapes live in model.ts; importers of the lab's state find them here too.
export type * from './model.js';

export interface StateOptions {
  seed?: string | number;
  /** Number of workspaces/endpoints/records (a fleet). Default 1. */
  targets?: number;
  plsWorkspaceKey?: LabState['plsWorkspaceKey'];
  /**
   * Record sets in the shared zone in all: the targets' own, then other workspaces' up to this
   * number (one zone for the whole company, the landing-zone pattern). Default: the targets' own.
   */
  zoneRecords?: number;
  topology?: TopologyName;
  /**
   * Spread the fleet over this many subscriptions per tenant (default 1; for discover): target i's
   * endpoint lives in tenant 1's subscription (i-1) mod N (beyond the first, in a spoke VNet of its
   * own, peered with the jump VM's VNet and linked to the zone), its private link service in tenant
   * 2's subscription (i-1) mod N.
   */
  subscriptions?: number;
}

export const MAX_SUBSCRIPTIONS = 10;

export const MAX_TARGETS = 5000;
export const MAX_ZONE_RECORDS = 25_000;
const WORDS = ['sales', 'finance', 'supply', 'risk', 'marketing', 'research', 'ops', 'hr', 'claims', 'pricing'];

/** 10.a.b.c arithmetic inside a /16: the n-th address from the base. */
export function addressAt(base: string, n: number): string {
  const [a, b, c, d] = base.split('.').map(Number) as [number, number, number, number];
  const value = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d + n;
  return [(value >>> 24) & 255, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** Relative record name in privatelink.fabric.microsoft.com for a workspace FQDN. */
export function recordNameFor(fqdn: string): string {
  return fqdn.toLowerCase().replace(/\.fabric\.microsoft\.com\.?$/, '');
}

/** An index of one list by one kind of key: the first item of each key, and the list's length when built. */
interface KeyIndex<T> {
  length: number;
  byKey: Map<string, T>;
}
const keyIndexes = new WeakMap<object, Map<(item: never) => string, KeyIndex<unknown>>>();

/**
 * The first item of `list` whose key (`keyOf`, a function defined once) is `key`, as a scan would
 * find it, through an index rebuilt when the list's length changes: the lab pushes to its lists or
 * replaces them, and never changes an id or a name in place. Azure finds a resource or a record at
 * once; a scan per query and per request made the lab's CPU grow with the square of a fleet (a
 * zone of thousands of records, a workspace per target), on the cores the doctor it measures runs on.
 */
function firstByKey<T>(list: T[], keyOf: (item: T) => string, key: string): T | undefined {
  let kinds = keyIndexes.get(list);
  if (!kinds) keyIndexes.set(list, (kinds = new Map()));
  let index = kinds.get(keyOf) as KeyIndex<T> | undefined;
  if (!index || index.length !== list.length) {
    const byKey = new Map<string, T>();
    for (const item of list) {
      const k = keyOf(item);
      if (!byKey.has(k)) byKey.set(k, item);
    }
    kinds.set(keyOf, (index = { length: list.length, byKey }) as KeyIndex<unknown>);
  }
  return index.byKey.get(key);
}

const lowerId = (item: { id: string }) => item.id.toLowerCase();
const recordName = (record: LabRecordSet) => record.name;
const targetWorkspace = (target: LabTarget) => target.workspaceId.toLowerCase();
/** The workspace id as its FQDNs' first label holds it (no dashes). */
const workspaceLabel = (workspace: LabWorkspace) => workspace.id.replace(/-/g, '');

/** The item of `list` with this ARM id (compared as sameId does: case-insensitive, never empty). */
function byId<T extends { id: string }>(list: T[], id: string): T | undefined {
  return id ? firstByKey(list, lowerId, id.toLowerCase()) : undefined;
}

/** The zone's A record set named `name` (relative, lower case): the first of that name. */
export function recordNamed(zone: Pick<LabZone, 'aRecords'>, name: string): LabRecordSet | undefined {
  return firstByKey(zone.aRecords, recordName, name);
}

/** The workspace whose FQDNs' first label is `label` (32 hex digits). */
export function workspaceByLabel(state: LabState, label: string): LabWorkspace | undefined {
  return firstByKey(state.workspaces, workspaceLabel, label);
}

export function vnetIdOfSubnet(subnetId: string): string {
  return subnetId.replace(/\/subnets\/[^/]+$/i, '');
}

export function sameId(a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

export function createState(options: StateOptions = {}): LabState {
  const seed = String(options.seed ?? 'xtenant-doctor');
  const count = options.targets ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > MAX_TARGETS) {
    throw new Error(`lab targets: expected a whole number from 1 to ${MAX_TARGETS}, got ${String(options.targets)}`);
  }
  const rnd = new Random(seed);
  const location = 'westeurope';
  const region = 'West Europe';

  const tenant = (rgPrefix: string): LabTenant => {
    const resourceGroup = `${rgPrefix}-${rnd.hex(4)}`;
    return {
      tenantId: rnd.guid(),
      subscriptionId: rnd.guid(),
      resourceGroup,
      resourceGroups: [resourceGroup],
      clientId: rnd.guid(),
      clientSecret: `lab~${rnd.hex(32)}`,
      principalObjectId: rnd.guid(),
      otherSubscriptions: [],
    };
  };
  const consumer = tenant('rg-jumpbox-net');
  const provider = tenant('rg-fabric-link');
  const dnsResourceGroup = `rg-private-dns-${rnd.hex(4)}`;
  consumer.resourceGroups.push(dnsResourceGroup);

  const a = rnd.int(16, 240);
  const topology = options.topology ?? 'flat';
  const network = buildNetwork({ topology, seed, consumer, location, octet: a, dnsResourceGroup });
  if (network.connectivity) {
    // The zone lives in the connectivity subscription, not in the landing zone's.
    consumer.resourceGroups = consumer.resourceGroups.filter((g) => g !== dnsResourceGroup);
    consumer.otherSubscriptions.push(network.connectivity);
  }
  const { vnets, zone } = network;
  const peSubnet = network.endpointSubnet;
  const zoneId = zone.id;
  const spread = spreadSubscriptions(options.subscriptions ?? 1, { rnd, consumer, provider, vnets, zone, vmVnetId: network.vmVnetId, location, octet: a });

  const capacity = (displayName: string, sku: string, state: LabCapacity['state']): LabCapacity => ({ id: rnd.guid(), displayName, sku, region, state });
  const capacities = [capacity('fabric-prod-weu', 'F64', 'Active'), capacity('fabric-dev-weu', 'F2', 'Inactive'), capacity('premium-legacy', 'P1', 'Active')];
  const sharedCapacity = capacities[0]!;

  const workspaces: LabWorkspace[] = [];
  const privateLinkServices: LabPrivateLinkService[] = [];
  const endpoints: LabEndpoint[] = [];
  const targets: LabTarget[] = [];
  for (let index = 1; index <= count; index++) {
    const word = WORDS[(index - 1) % WORDS.length]!;
    const workspaceId = rnd.guid();
    workspaces.push({
      id: workspaceId,
      displayName: count === 1 ? `${word} analytics` : `${word} analytics ${index}`,
      description: 'Reached from tenant 1 through a workspace-level private link',
      capacityId: sharedCapacity.id,
      capacityAssignmentProgress: 'Completed',
      capacityRegion: region,
      inboundDefaultAction: 'Deny',
      policyEtag: rnd.guid(),
    });
    const home = spread.homeOf(index, { subscriptionId: consumer.subscriptionId, resourceGroup: consumer.resourceGroup, subnet: peSubnet }, { subscriptionId: provider.subscriptionId, resourceGroup: provider.resourceGroup });
    const plsName = `pls-${word}-${index}`;
    const plsId = `/subscriptions/${home.provider.subscriptionId}/resourceGroups/${home.provider.resourceGroup}/providers/Microsoft.Fabric/privateLinkServicesForFabric/${plsName}`;
    const peName = `pe-fabric-${word}-${index}`;
    const peId = `/subscriptions/${home.consumer.subscriptionId}/resourceGroups/${home.consumer.resourceGroup}/providers/Microsoft.Network/privateEndpoints/${peName}`;
    const names = workspaceNames(workspaceId);
    const ips = {} as Record<EndpointKind, string>;
    const peBase = home.consumer.subnet.addressPrefix.split('/')[0]!;
    ENDPOINT_KINDS.forEach((kind, k) => {
      ips[kind] = addressAt(peBase, 4 + (index - 1) * ENDPOINT_KINDS.length + k);
    });
    privateLinkServices.push({
      id: plsId,
      name: plsName,
      resourceGroup: home.provider.resourceGroup,
      subscriptionId: home.provider.subscriptionId,
      tenantId: provider.tenantId,
      workspaceId,
      provisioningState: 'Succeeded',
      connections: [{ name: `${peName}.${rnd.guid()}`, privateEndpointId: peId, state: { status: 'Approved', description: 'Approved by the workspace admin', actionsRequired: 'None' } }],
    });
    endpoints.push({
      id: peId,
      name: peName,
      resourceGroup: home.consumer.resourceGroup,
      subscriptionId: home.consumer.subscriptionId,
      location,
      subnetId: home.consumer.subnet.id,
      nicName: `${peName}.nic.${rnd.guid()}`,
      provisioningState: 'Succeeded',
      connection: {
        name: `${peName}-connection`,
        privateLinkServiceId: plsId,
        groupIds: ['workspace'],
        requestMessage: `Private access to ${word} analytics from tenant 1`,
        state: { status: 'Approved', description: 'Approved by the workspace admin', actionsRequired: 'None' },
      },
      ips,
      fqdns: { ...names.fqdns },
      ...(network.zoneGroupName ? { zoneGroup: { name: network.zoneGroupName, zoneId } } : {}),
    });
    for (const kind of ENDPOINT_KINDS) zone.aRecords.push({ name: names.records[kind], ips: [ips[kind]], ttl: 10 });
    targets.push({ index, name: count === 1 ? 'lab' : `lab-${index}`, workspaceId, privateLinkServiceId: plsId, privateEndpointId: peId, vnetId: network.vmVnetId, ...(network.configNamesZone ? { privateDnsZoneId: zoneId } : {}) });
  }
  addFillerRecords(zone, options.zoneRecords, seed);

  return {
    seed,
    location,
    region,
    consumer,
    provider,
    topology,
    vnets,
    vmVnetId: network.vmVnetId,
    hubVnetId: network.hubVnetId,
    jumpVmId: network.jumpVmId,
    vms: network.vms,
    nics: network.nics,
    dnsForwarder: network.dnsForwarder,
    resolvers: network.resolvers,
    firewalls: network.firewalls,
    firewallPolicies: network.firewallPolicies,
    rulesets: network.rulesets,
    routeTables: network.routeTables,
    zones: [zone],
    capacities,
    workspaces,
    tenantSettings: [
      { settingName: 'WorkspaceBlockInboundAccess', title: 'Configure workspace-level inbound network rules', enabled: true, canSpecifySecurityGroups: false, tenantSettingGroup: 'AdvancedNetworking' },
      { settingName: 'AdminApisIncludeDetailedMetadata', title: 'Enhance admin APIs responses with detailed metadata', enabled: true, canSpecifySecurityGroups: true, tenantSettingGroup: 'AdminApiSettings' },
      { settingName: 'BlockPublicInternetAccess', title: 'Block Public Internet Access', enabled: false, canSpecifySecurityGroups: false, tenantSettingGroup: 'AdvancedNetworking' },
    ],
    privateLinkServices,
    endpoints,
    targets,
    frontEnd: { name: `fabric-prod-${location}.trafficmanager.net`, ip: `20.${rnd.int(40, 200)}.${rnd.int(0, 255)}.${rnd.int(1, 254)}` },
    clientOverrides: {},
    dataPath: { tcpBlocked: [], tlsIntercepted: [] },
    service: { providerForbidden: false, armThrottled: false, fabricFlaky: false, dnsTruncated: false, resourceGraphOff: false, deniedSubscriptions: [] },
    deadAddresses: [],
    plsWorkspaceKey: options.plsWorkspaceKey ?? 'workspaceId',
  };
}

interface Home {
  subscriptionId: string;
  resourceGroup: string;
}

/**
 * A fleet spread over `count` subscriptions per tenant (discover's lab): tenant 1 gets a spoke VNet
 * per extra subscription (peered both ways with the jump VM's VNet, linked to the zone), tenant 2 a
 * resource group per extra subscription; `homeOf` says where target i's endpoint and service live.
 */
function spreadSubscriptions(
  count: number,
  at: { rnd: Random; consumer: LabTenant; provider: LabTenant; vnets: LabVnet[]; zone: LabZone; vmVnetId: string; location: string; octet: number },
) {
  if (!Number.isInteger(count) || count < 1 || count > MAX_SUBSCRIPTIONS) {
    throw new Error(`lab subscriptions: expected a whole number from 1 to ${MAX_SUBSCRIPTIONS}, got ${String(count)}`);
  }
  const { rnd, consumer, provider, vnets, zone, location } = at;
  const vmVnet = vnets.find((v) => sameId(v.id, at.vmVnetId))!;
  const spokes: Array<Home & { subnet: LabSubnet }> = [];
  const services: Home[] = [];
  for (let k = 1; k < count; k++) {
    const subscriptionId = rnd.guid();
    const resourceGroup = `rg-spoke-net-${k}-${rnd.hex(4)}`;
    consumer.otherSubscriptions.push({ subscriptionId, displayName: `Landing zone ${k + 1} (tenant 1)`, resourceGroups: [resourceGroup] });
    const name = `vnet-spoke-${k}-${location}`;
    const id = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Network/virtualNetworks/${name}`;
    // Clear of the topologies' own ranges (octet … octet+3).
    const octet = (at.octet + 10 + k) % 250;
    const subnet: LabSubnet = { name: 'snet-private-endpoints', id: `${id}/subnets/snet-private-endpoints`, addressPrefix: `10.${octet}.128.0/17` };
    vnets.push({
      id,
      name,
      resourceGroup,
      subscriptionId,
      addressPrefix: `10.${octet}.0.0/16`,
      subnets: [subnet],
      peerings: [{ name: `peer-to-${vmVnet.name}`, remoteVnetId: vmVnet.id, remoteAddressPrefix: vmVnet.addressPrefix, peeringState: 'Connected' }],
      dnsServers: [],
    } as LabVnet);
    vmVnet.peerings.push({ name: `peer-to-${name}`, remoteVnetId: id, remoteAddressPrefix: `10.${octet}.0.0/16`, peeringState: 'Connected' } as LabPeering);
    zone.links.push({ name: `link-${name}`, vnetId: id, virtualNetworkLinkState: 'Completed', provisioningState: 'Succeeded', resolutionPolicy: 'Default' });
    spokes.push({ subscriptionId, resourceGroup, subnet });
    const providerSub = rnd.guid();
    const providerGroup = `rg-fabric-link-${k}-${rnd.hex(4)}`;
    provider.otherSubscriptions.push({ subscriptionId: providerSub, displayName: `Fabric ${k + 1} (tenant 2)`, resourceGroups: [providerGroup] });
    services.push({ subscriptionId: providerSub, resourceGroup: providerGroup });
  }
  return {
    homeOf(index: number, consumerHome: Home & { subnet: LabSubnet }, providerHome: Home) {
      const slot = (index - 1) % count;
      return { consumer: slot === 0 ? consumerHome : spokes[slot - 1]!, provider: slot === 0 ? providerHome : services[slot - 1]! };
    },
  };
}

/** Other workspaces' records, five per workspace, until the zone holds `total` record sets. */
function addFillerRecords(zone: LabZone, total: number | undefined, seed: string): void {
  if (total === undefined) return;
  if (!Number.isInteger(total) || total < 0 || total > MAX_ZONE_RECORDS) {
    throw new Error(`lab zone records: expected a whole number from 0 to ${MAX_ZONE_RECORDS}, got ${String(total)}`);
  }
  // A generator of its own: the targets' ids and addresses stay those of the same seed without filler.
  const rnd = new Random(`${seed}:zone-filler`);
  for (let n = 0; zone.aRecords.length < total; n++) {
    const names = workspaceNames(rnd.guid());
    for (const kind of ENDPOINT_KINDS) {
      if (zone.aRecords.length >= total) break;
      zone.aRecords.push({ name: names.records[kind], ips: [addressAt('10.200.0.0', n * ENDPOINT_KINDS.length + ENDPOINT_KINDS.indexOf(kind))], ttl: 10, filler: true });
    }
  }
}

// ---- Queries every server shares ----

/** Every subscription of a tenant, its home subscription first. */
export function subscriptionsOf(tenant: LabTenant): string[] {
  return [tenant.subscriptionId, ...tenant.otherSubscriptions.map((o) => o.subscriptionId)];
}

export function tenantOfSubscription(state: LabState, subscriptionId: string): LabTenant | undefined {
  return [state.consumer, state.provider].find((t) => sameId(t.subscriptionId, subscriptionId) || t.otherSubscriptions.some((o) => sameId(o.subscriptionId, subscriptionId)));
}

/** The resource groups of a subscription (a tenant's main one or one of its others). */
export function resourceGroupsOf(state: LabState, subscriptionId: string): string[] {
  for (const tenant of [state.consumer, state.provider]) {
    if (sameId(tenant.subscriptionId, subscriptionId)) return tenant.resourceGroups;
    const other = tenant.otherSubscriptions.find((o) => sameId(o.subscriptionId, subscriptionId));
    if (other) return other.resourceGroups;
  }
  return [];
}

export function endpointById(state: LabState, id: string): LabEndpoint | undefined {
  return byId(state.endpoints, id);
}

export function plsById(state: LabState, id: string): LabPrivateLinkService | undefined {
  return byId(state.privateLinkServices, id);
}

export function workspaceById(state: LabState, id: string): LabWorkspace | undefined {
  return byId(state.workspaces, id);
}

export function targetOfWorkspace(state: LabState, workspaceId: string): LabTarget | undefined {
  return workspaceId ? firstByKey(state.targets, targetWorkspace, workspaceId.toLowerCase()) : undefined;
}

export function vnetById(state: LabState, id: string): LabVnet | undefined {
  return byId(state.vnets, id);
}

export function jumpVmNic(state: LabState): LabNic | undefined {
  const vm = state.vms.find((v) => sameId(v.id, state.jumpVmId));
  return vm && state.nics.find((n) => sameId(n.id, vm.nicId));
}

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

/** Is `ip` inside the IPv4 prefix `a.b.c.d/n`? */
export function inPrefix(ip: string, prefix: string): boolean {
  const [base, bits] = prefix.split('/') as [string, string | undefined];
  const length = Number(bits ?? 32);
  const size = 2 ** (32 - length);
  return Math.floor(ipToNumber(ip) / size) === Math.floor(ipToNumber(base) / size);
}

/** Both sides of the peering between two VNets are Connected (traffic flows only then). */
export function peered(state: LabState, x: string, y: string): boolean {
  const side = (from: string, to: string) => !!vnetById(state, from)?.peerings.some((p) => sameId(p.remoteVnetId, to) && p.peeringState === 'Connected');
  return side(x, y) && side(y, x);
}

/**
 * How traffic from the jump VM reaches an address in `targetVnetId`: the same VNet, a direct
 * peering, or the VM subnet's route (longest prefix) to a firewall in a VNet peered with both
 * (AC-PL-HUB, FW-INSPECT; docs/lab.md). Undefined when there is no path.
 */
export function pathFromVm(state: LabState, targetVnetId: string, ip: string): 'same-vnet' | 'peering' | 'firewall' | undefined {
  if (sameId(targetVnetId, state.vmVnetId)) return 'same-vnet';
  if (peered(state, state.vmVnetId, targetVnetId)) return 'peering';
  const nic = jumpVmNic(state);
  const subnet = nic && vnetById(state, state.vmVnetId)?.subnets.find((s) => sameId(s.id, nic.subnetId));
  const table = subnet?.routeTableId ? state.routeTables.find((t) => sameId(t.id, subnet.routeTableId)) : undefined;
  const route = table?.routes
    .filter((r) => inPrefix(ip, r.addressPrefix))
    .sort((x, y) => Number(y.addressPrefix.split('/')[1]) - Number(x.addressPrefix.split('/')[1]))[0];
  if (route?.nextHopType !== 'VirtualAppliance' || !route.nextHopIpAddress) return undefined;
  const firewall = state.firewalls.find((f) => f.ip === route.nextHopIpAddress);
  const firewallVnet = firewall && vnetIdOfSubnet(firewall.subnetId);
  if (!firewallVnet) return undefined;
  const leg = (x: string, y: string) => sameId(x, y) || peered(state, x, y);
  return leg(state.vmVnetId, firewallVnet) && leg(firewallVnet, targetVnetId) ? 'firewall' : undefined;
}

/** Can traffic from the jump VM reach this target's private endpoint? (Approved on both sides, in reach, not blocked.) */
export function privatePathOpen(state: LabState, target: LabTarget): boolean {
  const pe = endpointById(state, target.privateEndpointId);
  if (!pe || pe.provisioningState !== 'Succeeded' || pe.connection.state.status !== 'Approved') return false;
  const pls = plsById(state, pe.connection.privateLinkServiceId);
  const connection = pls?.connections.find((c) => sameId(c.privateEndpointId, pe.id));
  if (!pls || connection?.state.status !== 'Approved') return false;
  if (!pathFromVm(state, vnetIdOfSubnet(pe.subnetId), pe.ips.api)) return false;
  return !state.dataPath.tcpBlocked.some((id) => sameId(id, target.workspaceId));
}

/** Every private address the lab hands out (endpoint IPs, zone records, client overrides, dead ones). */
export function privateAddresses(state: LabState): string[] {
  const all = new Set<string>();
  for (const pe of state.endpoints) for (const ip of Object.values(pe.ips)) all.add(ip);
  // Other workspaces' records (filler) are never connected to: no connect-to rule for them.
  for (const zone of state.zones) for (const record of zone.aRecords) if (!record.filler) for (const ip of record.ips) all.add(ip);
  for (const ips of Object.values(state.clientOverrides)) for (const ip of ips) all.add(ip);
  for (const ip of state.deadAddresses) all.add(ip);
  return [...all];
}

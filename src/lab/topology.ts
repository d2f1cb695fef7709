// Tenant 1's network for each lab topology (docs/checks.md, "Lab topologies"): the networks Microsoft
// documents for private endpoints (docs/lab.md names the sources). Pure data, built from the seed;
// the DNS answers (resolution.ts) and the data path (state.ts, privatePathOpen) are computed from it.
import { PRIVATELINK_ZONE } from '../fabric/workspace.js';
import { Random } from './random.js';
import type {
  LabDnsResolver,
  LabFirewall,
  LabFirewallPolicy,
  LabNic,
  LabPeering,
  LabRouteTable,
  LabRuleset,
  LabSubnet,
  LabSubscription,
  LabTenant,
  LabVm,
  LabVnet,
  LabZone,
  LabState,
} from './model.js';

import { TOPOLOGIES, type TopologyName } from './model.js';

export { TOPOLOGIES, type TopologyName };

export const TOPOLOGY_DESCRIPTIONS: Record<TopologyName, string> = {
  flat: "the setup doc's: endpoint in the VM's VNet, zone linked to it, Azure-provided DNS",
  'hub-forwarder': "the spoke's DNS server is a forwarder VM in the hub; the hub holds the endpoint and is the only VNet linked to the zone",
  'hub-resolver': "the spoke's DNS server is a DNS Private Resolver inbound endpoint in the hub; the hub holds the endpoint and is linked to the zone",
  'hub-firewall-dns': "the spoke's DNS server is the hub's Azure Firewall with DNS proxy on; the hub holds the endpoint and is linked to the zone",
  'spoke-ruleset': 'the spoke keeps Azure-provided DNS; a forwarding ruleset linked to it sends fabric.microsoft.com to the hub resolver; only the hub is linked to the zone',
  'pe-spoke': 'the endpoint lives in its own spoke, peered with the hub only; a route table sends that range from the VM spoke to the hub firewall',
  'central-zone': "the zone lives in a connectivity subscription; the endpoint's DNS zone group names it; the config names no zone",
};

export class TopologyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TopologyError';
  }
}

/** Validates a topology name; the message lists the valid ones. */
export function parseTopology(text: string): TopologyName {
  const name = text.trim();
  if ((TOPOLOGIES as readonly string[]).includes(name)) return name as TopologyName;
  throw new TopologyError(
    `unknown topology ${JSON.stringify(text)}. Known topologies:\n` + TOPOLOGIES.map((t) => `  ${t.padEnd(18)} ${TOPOLOGY_DESCRIPTIONS[t]}`).join('\n'),
  );
}

export interface NetworkInput {
  topology: TopologyName;
  seed: string;
  consumer: LabTenant;
  location: string;
  /** Second octet of the VM's VNet (10.a.0.0/16); the hub is a+1, the sandbox a+2, the endpoint spoke a+3. */
  octet: number;
  /** The resource group of the private DNS zone. */
  dnsResourceGroup: string;
}

/** Tenant 1's network: the lab state's network fields (declared once, in model.ts), and how to build around them. */
export interface Network
  extends Pick<LabState, 'vnets' | 'vmVnetId' | 'hubVnetId' | 'jumpVmId' | 'vms' | 'nics' | 'dnsForwarder' | 'resolvers' | 'firewalls' | 'firewallPolicies' | 'rulesets' | 'routeTables'> {
  /** The subnet the private endpoints live in. */
  endpointSubnet: LabSubnet;
  /** The zone, linked where the topology links it; records are added by the caller. */
  zone: LabZone;
  /** Does the config name the zone? (central-zone: no, the endpoint's zone group does.) */
  configNamesZone: boolean;
  /** The zone group's name on each endpoint, when the topology has one. */
  zoneGroupName?: string;
  connectivity?: LabSubscription;
}

const HUB_TOPOLOGIES: readonly TopologyName[] = ['hub-forwarder', 'hub-resolver', 'hub-firewall-dns', 'spoke-ruleset'];

export function buildNetwork(input: NetworkInput): Network {
  const { topology, consumer, location, octet: a } = input;
  const rg = consumer.resourceGroup;
  const sub = consumer.subscriptionId;
  const guid = (what: string) => new Random(`${input.seed}:${what}`).guid();
  const networkId = (type: string, name: string) => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/${type}/${name}`;

  const vmVnetName = `vnet-jump-${location}`;
  const hubVnetName = `vnet-hub-${location}`;
  const isolatedVnetName = `vnet-sandbox-${location}`;
  const endpointVnetName = `vnet-endpoints-${location}`;
  const hubOctet = a + 1;
  const endpointOctet = a + 3;
  const vnet = (name: string, octet: number, subnets: Array<[string, string]>): LabVnet => ({
    id: networkId('virtualNetworks', name),
    name,
    resourceGroup: rg,
    subscriptionId: sub,
    addressPrefix: `10.${octet}.0.0/16`,
    subnets: subnets.map(([subnet, prefix]) => ({ name: subnet, id: `${networkId('virtualNetworks', name)}/subnets/${subnet}`, addressPrefix: prefix })),
    peerings: [],
    dnsServers: [],
  });
  const peer = (from: LabVnet, to: LabVnet) => {
    const peering: LabPeering = { name: `peer-to-${to.name}`, remoteVnetId: to.id, remoteAddressPrefix: to.addressPrefix, peeringState: 'Connected' };
    from.peerings.push(peering);
  };
  const peerBothWays = (x: LabVnet, y: LabVnet) => {
    peer(x, y);
    peer(y, x);
  };

  const hubHoldsEndpoint = HUB_TOPOLOGIES.includes(topology);
  const vmVnet = vnet(vmVnetName, a, [
    ['snet-vm', `10.${a}.0.0/24`],
    ['snet-private-endpoints', `10.${a}.128.0/17`],
  ]);
  const hub = vnet(hubVnetName, hubOctet, [
    ['snet-shared', `10.${hubOctet}.0.0/24`],
    ['snet-dns-inbound', `10.${hubOctet}.1.0/28`],
    ['snet-dns-outbound', `10.${hubOctet}.1.16/28`],
    ['AzureFirewallSubnet', `10.${hubOctet}.2.0/26`],
    ...(hubHoldsEndpoint ? ([['snet-private-endpoints', `10.${hubOctet}.128.0/17`]] as Array<[string, string]>) : []),
  ]);
  const isolated = vnet(isolatedVnetName, a + 2, [['snet-private-endpoints', `10.${a + 2}.128.0/17`]]);
  peerBothWays(vmVnet, hub);
  const vnets = [vmVnet, hub, isolated];
  let endpointVnet = vmVnet;
  if (hubHoldsEndpoint) endpointVnet = hub;
  if (topology === 'pe-spoke') {
    endpointVnet = vnet(endpointVnetName, endpointOctet, [['snet-private-endpoints', `10.${endpointOctet}.128.0/17`]]);
    peerBothWays(endpointVnet, hub);
    vnets.push(endpointVnet);
  }
  const subnet = (v: LabVnet, name: string) => v.subnets.find((s) => s.name === name)!;
  const endpointSubnet = subnet(endpointVnet, 'snet-private-endpoints');

  // VMs: the jump VM in the VM's spoke, and a DNS forwarder (in the VM's VNet when flat, else in the hub).
  const vms: LabVm[] = [];
  const nics: LabNic[] = [];
  const addVm = (name: string, subnetOf: LabSubnet, ip: string): LabVm => {
    const vmId = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`;
    const nicId = networkId('networkInterfaces', `${name}-nic`);
    nics.push({ id: nicId, name: `${name}-nic`, resourceGroup: rg, subscriptionId: sub, subnetId: subnetOf.id, ip, dnsServers: [], vmId });
    const vm: LabVm = { id: vmId, name, resourceGroup: rg, subscriptionId: sub, vmGuid: guid(`vm:${name}`), nicId };
    vms.push(vm);
    return vm;
  };
  const jumpVm = addVm('vm-jumpbox', subnet(vmVnet, 'snet-vm'), `10.${a}.0.5`);
  const forwarderVnet = topology === 'flat' || topology === 'central-zone' || topology === 'pe-spoke' ? vmVnet : hub;
  const forwarderSubnet = forwarderVnet === vmVnet ? subnet(vmVnet, 'snet-vm') : subnet(hub, 'snet-shared');
  const forwarderIp = `${forwarderSubnet.addressPrefix.split('.').slice(0, 3).join('.')}.4`;
  const forwarderVm = addVm('vm-dns-forwarder', forwarderSubnet, forwarderIp);

  const resolvers: LabDnsResolver[] = [];
  const inboundIp = `10.${hubOctet}.1.4`;
  if (topology === 'hub-resolver' || topology === 'spoke-ruleset') {
    const resolverId = networkId('dnsResolvers', `dnspr-hub-${location}`);
    resolvers.push({
      id: resolverId,
      name: `dnspr-hub-${location}`,
      resourceGroup: rg,
      subscriptionId: sub,
      vnetId: hub.id,
      provisioningState: 'Succeeded',
      inboundEndpoints: [{ id: `${resolverId}/inboundEndpoints/in-hub`, name: 'in-hub', ip: inboundIp, subnetId: subnet(hub, 'snet-dns-inbound').id, provisioningState: 'Succeeded' }],
      outboundEndpoints: [{ id: `${resolverId}/outboundEndpoints/out-hub`, name: 'out-hub', subnetId: subnet(hub, 'snet-dns-outbound').id }],
    });
  }

  const firewalls: LabFirewall[] = [];
  const firewallPolicies: LabFirewallPolicy[] = [];
  const firewallIp = `10.${hubOctet}.2.4`;
  if (topology === 'hub-firewall-dns' || topology === 'pe-spoke') {
    const policyId = networkId('firewallPolicies', `afwp-hub-${location}`);
    firewallPolicies.push({
      id: policyId,
      name: `afwp-hub-${location}`,
      resourceGroup: rg,
      subscriptionId: sub,
      // pe-spoke's firewall routes traffic; only hub-firewall-dns uses it as the spoke's DNS server.
      dnsSettings: { enableProxy: topology === 'hub-firewall-dns', servers: [], requireProxyForNetworkRules: false },
    });
    firewalls.push({ id: networkId('azureFirewalls', `afw-hub-${location}`), name: `afw-hub-${location}`, resourceGroup: rg, subscriptionId: sub, ip: firewallIp, subnetId: subnet(hub, 'AzureFirewallSubnet').id, policyId });
  }

  const rulesets: LabRuleset[] = [];
  if (topology === 'spoke-ruleset') {
    rulesets.push({
      id: networkId('dnsForwardingRulesets', `dnsfrs-spokes-${location}`),
      name: `dnsfrs-spokes-${location}`,
      resourceGroup: rg,
      subscriptionId: sub,
      outboundEndpointIds: resolvers[0]!.outboundEndpoints.map((o) => o.id),
      vnetLinks: [{ name: `link-${vmVnetName}`, vnetId: vmVnet.id }],
      rules: [{ name: 'fabric', domainName: 'fabric.microsoft.com.', state: 'Enabled', targets: [{ ipAddress: inboundIp, port: 53 }] }],
    });
  }

  const routeTables: LabRouteTable[] = [];
  if (topology === 'pe-spoke') {
    const table: LabRouteTable = {
      id: networkId('routeTables', `rt-spoke-${location}`),
      name: `rt-spoke-${location}`,
      resourceGroup: rg,
      subscriptionId: sub,
      routes: [{ name: 'to-endpoints-via-firewall', addressPrefix: endpointVnet.addressPrefix, nextHopType: 'VirtualAppliance', nextHopIpAddress: firewallIp }],
    };
    routeTables.push(table);
    subnet(vmVnet, 'snet-vm').routeTableId = table.id;
  }

  // The spoke's DNS servers.
  if (topology === 'hub-forwarder') vmVnet.dnsServers = [forwarderIp];
  if (topology === 'hub-resolver') vmVnet.dnsServers = [inboundIp];
  if (topology === 'hub-firewall-dns') vmVnet.dnsServers = [firewallIp];

  // The zone: where it lives and which VNet it is linked to.
  let connectivity: LabSubscription | undefined;
  let zoneSub = sub;
  if (topology === 'central-zone') {
    connectivity = { subscriptionId: guid('connectivity-subscription'), displayName: 'Connectivity (tenant 1)', resourceGroups: [input.dnsResourceGroup] };
    zoneSub = connectivity.subscriptionId;
  }
  const linkedVnet = hubHoldsEndpoint ? hub : vmVnet;
  const zoneId = `/subscriptions/${zoneSub}/resourceGroups/${input.dnsResourceGroup}/providers/Microsoft.Network/privateDnsZones/${PRIVATELINK_ZONE}`;
  const zone: LabZone = {
    id: zoneId,
    name: PRIVATELINK_ZONE,
    resourceGroup: input.dnsResourceGroup,
    subscriptionId: zoneSub,
    links: [{ name: `link-${linkedVnet.name}`, vnetId: linkedVnet.id, virtualNetworkLinkState: 'Completed', provisioningState: 'Succeeded', resolutionPolicy: 'Default' }],
    aRecords: [],
  };

  return {
    vnets,
    vmVnetId: vmVnet.id,
    hubVnetId: hub.id,
    endpointSubnet,
    zone,
    configNamesZone: topology !== 'central-zone',
    ...(topology === 'central-zone' ? { zoneGroupName: 'default' } : {}),
    ...(connectivity ? { connectivity } : {}),
    jumpVmId: jumpVm.id,
    vms,
    nics,
    dnsForwarder: { ip: forwarderIp, forwardsToAzure: true, vmId: forwarderVm.id },
    resolvers,
    firewalls,
    firewallPolicies,
    rulesets,
    routeTables,
  };
}

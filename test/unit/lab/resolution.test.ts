// The lab's resolution algorithm (src/lab/resolution.ts) on its topologies: the VNet whose links
// decide, each DNS hop (forwarder VM, resolver inbound endpoint, firewall DNS proxy, ruleset rules),
// NIC overrides, unknown servers, loops; and the topology faults as ARM state that DNS and the data
// path follow by themselves.
import { describe, expect, test } from 'vitest';
import { workspaceNames } from '../../../src/fabric/workspace.js';
import { resolveName } from '../../../src/lab/dns.js';
import { applyFault, parseFault } from '../../../src/lab/faults.js';
import {
  effectiveDnsServers,
  forwardingRuleFor,
  ownerOfDnsServer,
  type Resolution,
  resolveAt,
  resolvingVnetIds,
} from '../../../src/lab/resolution.js';
import { createState, jumpVmNic, type LabState, pathFromVm, privatePathOpen, vnetIdOfSubnet } from '../../../src/lab/state.js';
import { TOPOLOGIES, type TopologyName } from '../../../src/lab/topology.js';

const AZURE_DNS = '168.63.129.16';

function world(topology: TopologyName): LabState {
  return createState({ seed: 'resolution', topology });
}

function addresses(result: Resolution): string[] | 'TIMEOUT' | 'SERVFAIL' | 'NXDOMAIN' {
  if (result.rcode === 'TIMEOUT' || result.rcode === 'SERVFAIL' || result.rcode === 'NXDOMAIN') return result.rcode;
  return result.answers.flatMap((a) => (a.type === 'A' ? [String(a.data)] : []));
}

const apiName = (s: LabState) => workspaceNames(s.targets[0]!.workspaceId).fqdns.api;
const endpointIp = (s: LabState) => s.endpoints[0]!.ips.api;
/** What the jump VM's own resolver answers for the API name. */
const vmAnswer = (s: LabState) => addresses(resolveName(s, 'vm', apiName(s), 'A'));
/** What the DNS server at `ip` answers when the jump VM asks it. */
const serverAnswer = (s: LabState, ip: string) => addresses(resolveName(s, `ip:${ip}`, apiName(s), 'A'));
const hub = (s: LabState) => s.hubVnetId;

describe('every topology is healthy: the VM resolves the endpoint privately and reaches it', () => {
  test.each(TOPOLOGIES)('%s', (topology) => {
    const s = world(topology);
    expect(vmAnswer(s)).toEqual([endpointIp(s)]);
    expect(addresses(resolveName(s, 'public', apiName(s), 'A'))).toEqual([s.frontEnd.ip]);
    expect(privatePathOpen(s, s.targets[0]!)).toBe(true);
    // The zone is linked to the resolving VNet and nowhere else.
    expect(s.zones[0]!.links.map((l) => l.vnetId)).toEqual(resolvingVnetIds(s));
  });
});

describe('the resolving VNet and the DNS path of each topology', () => {
  test('flat: Azure-provided DNS, resolved in the VM VNet', () => {
    const s = world('flat');
    expect(effectiveDnsServers(s)).toEqual([AZURE_DNS]);
    expect(resolvingVnetIds(s)).toEqual([s.vmVnetId]);
    expect(pathFromVm(s, vnetIdOfSubnet(s.endpoints[0]!.subnetId), endpointIp(s))).toBe('same-vnet');
  });

  test('hub-forwarder: the spoke asks a forwarder VM in the hub, which resolves from the hub; 168.63.129.16 from the spoke answers publicly', () => {
    const s = world('hub-forwarder');
    expect(effectiveDnsServers(s)).toEqual([s.dnsForwarder.ip]);
    expect(ownerOfDnsServer(s, s.dnsForwarder.ip).kind).toBe('forwarder-vm');
    expect(resolvingVnetIds(s)).toEqual([hub(s)]);
    expect(serverAnswer(s, AZURE_DNS)).toEqual([s.frontEnd.ip]);
    expect(pathFromVm(s, hub(s), endpointIp(s))).toBe('peering');
  });

  test('hub-resolver: the inbound endpoint resolves from the resolver VNet', () => {
    const s = world('hub-resolver');
    const inbound = s.resolvers[0]!.inboundEndpoints[0]!.ip;
    expect(effectiveDnsServers(s)).toEqual([inbound]);
    expect(ownerOfDnsServer(s, inbound).kind).toBe('resolver-inbound');
    expect(resolvingVnetIds(s)).toEqual([s.resolvers[0]!.vnetId]);
    expect(serverAnswer(s, inbound)).toEqual([endpointIp(s)]);
  });

  test('hub-firewall-dns: the proxy resolves from the firewall VNet, or forwards to its policy servers', () => {
    const s = world('hub-firewall-dns');
    const firewall = s.firewalls[0]!.ip;
    expect(ownerOfDnsServer(s, firewall).kind).toBe('firewall');
    expect(resolvingVnetIds(s)).toEqual([hub(s)]);
    // Policy servers set: the firewall forwards to them (here the forwarder VM, which resolves from the hub too).
    const forwarding = structuredClone(s);
    forwarding.firewallPolicies[0]!.dnsSettings.servers = [s.dnsForwarder.ip];
    forwarding.dnsForwarder.forwardsToAzure = false;
    expect(vmAnswer(forwarding)).toEqual([forwarding.frontEnd.ip]);
  });

  test('spoke-ruleset: Azure DNS in the spoke, the ruleset forwards fabric.microsoft.com to the inbound endpoint', () => {
    const s = world('spoke-ruleset');
    expect(effectiveDnsServers(s)).toEqual([AZURE_DNS]);
    expect(forwardingRuleFor(s, s.vmVnetId, apiName(s))?.rule.domainName).toBe('fabric.microsoft.com.');
    expect(forwardingRuleFor(s, hub(s), apiName(s))).toBeUndefined();
    expect(resolvingVnetIds(s)).toEqual([hub(s)]);
  });

  test('pe-spoke: the endpoint spoke is reached through the hub firewall (route table), not a peering', () => {
    const s = world('pe-spoke');
    const peVnet = vnetIdOfSubnet(s.endpoints[0]!.subnetId);
    expect(peVnet).not.toBe(s.vmVnetId);
    expect(peVnet).not.toBe(hub(s));
    expect(pathFromVm(s, peVnet, endpointIp(s))).toBe('firewall');
    // Without the route, nothing leads there.
    const unrouted = structuredClone(s);
    unrouted.routeTables[0]!.routes = [];
    expect(pathFromVm(unrouted, peVnet, endpointIp(s))).toBeUndefined();
  });

  test('central-zone: the zone lives in the connectivity subscription; the endpoint names it; the config does not', () => {
    const s = world('central-zone');
    expect(s.zones[0]!.subscriptionId).toBe(s.consumer.otherSubscriptions[0]!.subscriptionId);
    expect(s.endpoints[0]!.zoneGroup?.zoneId).toBe(s.zones[0]!.id);
    expect(s.targets[0]!.privateDnsZoneId).toBeUndefined();
  });
});

describe('rules of resolution', () => {
  test('longest matching suffix wins among Enabled rules; a Disabled rule is skipped', () => {
    const s = world('spoke-ruleset');
    s.rulesets[0]!.rules.push({ name: 'api', domainName: 'api.fabric.microsoft.com.', state: 'Enabled', targets: [{ ipAddress: '192.0.2.53', port: 53 }] });
    expect(forwardingRuleFor(s, s.vmVnetId, apiName(s))?.rule.name).toBe('api');
    // Its target answers nothing: Azure DNS tells the VM SERVFAIL.
    expect(vmAnswer(s)).toBe('SERVFAIL');
    s.rulesets[0]!.rules[1]!.state = 'Disabled';
    expect(forwardingRuleFor(s, s.vmVnetId, apiName(s))?.rule.name).toBe('fabric');
    expect(vmAnswer(s)).toEqual([endpointIp(s)]);
  });

  test('a zone linked to the VNet answers its names before any ruleset does', () => {
    const s = world('spoke-ruleset');
    s.zones[0]!.links.push({ name: 'spoke', vnetId: s.vmVnetId, virtualNetworkLinkState: 'Completed', provisioningState: 'Succeeded', resolutionPolicy: 'Default' });
    const privatelinkName = `${s.zones[0]!.aRecords[0]!.name}.privatelink.fabric.microsoft.com`;
    const trace = new Set<string>();
    resolveAt(s, { kind: 'azure', vnetId: s.vmVnetId }, privatelinkName, 'A', trace);
    expect([...trace]).toEqual([s.vmVnetId.toLowerCase()]);
  });

  test('a ruleset with an inbound-endpoint rule linked to the resolver VNet loops: SERVFAIL', () => {
    const s = world('spoke-ruleset');
    s.rulesets[0]!.vnetLinks.push({ name: 'hub', vnetId: hub(s) });
    expect(vmAnswer(s)).toBe('SERVFAIL');
  });

  test('a NIC override beats the VNet setting; AzureProvidedDNS on the NIC means Azure-provided', () => {
    const s = world('flat');
    jumpVmNic(s)!.dnsServers = [s.dnsForwarder.ip];
    expect(effectiveDnsServers(s)).toEqual([s.dnsForwarder.ip]);
    const hubbed = world('hub-forwarder');
    jumpVmNic(hubbed)!.dnsServers = ['AzureProvidedDNS'];
    expect(effectiveDnsServers(hubbed)).toEqual([AZURE_DNS]);
    // The spoke is not linked, so Azure DNS from the spoke answers publicly.
    expect(vmAnswer(hubbed)).toEqual([hubbed.frontEnd.ip]);
  });

  test('an address nothing in ARM owns (on-premises) does not answer; the VM resolver says SERVFAIL', () => {
    const s = world('flat');
    s.vnets.find((v) => v.id === s.vmVnetId)!.dnsServers = ['192.0.2.53'];
    expect(ownerOfDnsServer(s, '192.0.2.53').kind).toBe('unknown');
    expect(serverAnswer(s, '192.0.2.53')).toBe('TIMEOUT');
    expect(vmAnswer(s)).toBe('SERVFAIL');
  });

  test('a forwarder VM that does not forward to Azure DNS answers what public DNS answers', () => {
    const s = applyFault(world('hub-forwarder'), 'dns-forwarder-public');
    expect(vmAnswer(s)).toEqual([s.frontEnd.ip]);
  });
});

describe('topology faults change ARM state; DNS and the data path follow', () => {
  test.each(['hub-forwarder', 'hub-resolver', 'hub-firewall-dns'] as const)('zone-linked-spoke-only (%s): linked to the spoke, not the hub; public answer', (topology) => {
    const s = applyFault(world(topology), 'zone-linked-spoke-only');
    expect(s.zones[0]!.links.map((l) => l.vnetId)).toEqual([s.vmVnetId]);
    expect(resolvingVnetIds(s)).toEqual([hub(s)]);
    expect(vmAnswer(s)).toEqual([s.frontEnd.ip]);
  });

  test.each(['hub-resolver', 'spoke-ruleset'] as const)('resolver-inbound-failed (%s): the endpoint does not answer', (topology) => {
    const s = applyFault(world(topology), 'resolver-inbound-failed');
    expect(s.resolvers[0]!.inboundEndpoints[0]!.provisioningState).toBe('Failed');
    expect(serverAnswer(s, s.resolvers[0]!.inboundEndpoints[0]!.ip)).toBe('TIMEOUT');
    expect(vmAnswer(s)).toBe('SERVFAIL');
  });

  test('firewall-dns-proxy-off: the firewall does not answer on 53', () => {
    const s = applyFault(world('hub-firewall-dns'), 'firewall-dns-proxy-off');
    expect(s.firewallPolicies[0]!.dnsSettings.enableProxy).toBe(false);
    expect(serverAnswer(s, s.firewalls[0]!.ip)).toBe('TIMEOUT');
    expect(vmAnswer(s)).toBe('SERVFAIL');
  });

  test('ruleset-rule-disabled: the spoke resolves itself and answers publicly', () => {
    const s = applyFault(world('spoke-ruleset'), 'ruleset-rule-disabled');
    expect(s.rulesets[0]!.rules[0]!.state).toBe('Disabled');
    expect(vmAnswer(s)).toEqual([s.frontEnd.ip]);
    expect(resolvingVnetIds(s)).toEqual([s.vmVnetId]);
  });

  test.each(['pe-spoke', 'hub-forwarder'] as const)('hub-peering-disconnected (%s): no path to the endpoint; DNS unchanged', (topology) => {
    const s = applyFault(world(topology), 'hub-peering-disconnected');
    expect(pathFromVm(s, vnetIdOfSubnet(s.endpoints[0]!.subnetId), endpointIp(s))).toBeUndefined();
    expect(privatePathOpen(s, s.targets[0]!)).toBe(false);
    expect(vmAnswer(s)).toEqual([endpointIp(s)]);
  });

  test('zone-unlinked removes the link of the resolving VNet in every topology', () => {
    for (const topology of TOPOLOGIES) {
      const s = applyFault(world(topology), 'zone-unlinked');
      expect(vmAnswer(s), topology).toEqual([s.frontEnd.ip]);
    }
  });

  test('a topology fault is refused outside its topologies, naming the ones that take it', () => {
    expect(() => parseFault('firewall-dns-proxy-off', 1, 'flat')).toThrow(/does not exist in the flat topology; it takes --topology hub-firewall-dns/);
    expect(() => parseFault('hub-peering-disconnected', 1, 'hub-resolver')).toThrow(/it takes --topology pe-spoke, hub-forwarder/);
    expect(parseFault('zone-linked-spoke-only', 1, 'hub-resolver')).toEqual({ name: 'zone-linked-spoke-only' });
  });
});

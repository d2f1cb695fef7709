// The lab's topology resources over real HTTPS: every new resource in the shape of its official
// example (test/fixtures/reference/arm-network-topology, imds), at the paths and api-versions ARM
// serves, lists paging with nextLink; the zone in a connectivity subscription; the instance metadata
// service answering as IMDS does; DNS on each server address the ARM state names.
import dgram from 'node:dgram';
import http from 'node:http';
import dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { workspaceNames } from '../../src/fabric/workspace.js';
import { startLab, type Lab } from '../../src/lab/server.js';
import { call, closeAgent, reference, shapeDiff } from './lab-helpers.js';

const NET = '2026-01-01';
const RESOLVER = '2025-05-01';
const DNS = '2024-06-01';
const COMPUTE = '2024-11-01';

function expectShape(labBody: unknown, ref: string, allowMissing: string[], allowExtra: string[]): void {
  const diff = shapeDiff(labBody, reference(ref));
  const allowed = (list: string[]) => (key: string) => list.some((p) => (p.endsWith('*') ? key.startsWith(p.slice(0, -1)) : key === p));
  expect(diff.missing.filter((k) => !allowed(allowMissing)(k)), `${ref}: keys of the example the lab lacks`).toEqual([]);
  expect(diff.extra.filter((k) => !allowed(allowExtra)(k)), `${ref}: keys the lab adds`).toEqual([]);
}

const labs = new Map<string, Lab>();
beforeAll(async () => {
  for (const topology of ['hub-resolver', 'spoke-ruleset', 'hub-firewall-dns', 'pe-spoke', 'central-zone']) {
    labs.set(topology, await startLab({ seed: 'topology-arm', topology, pageSize: 2 }));
  }
});
afterAll(async () => {
  for (const lab of labs.values()) {
    await closeAgent(lab);
    await lab.stop();
  }
});

async function get(lab: Lab, path: string, apiVersion: string): Promise<any> {
  const reply = await call(lab, 'GET', `${path}?api-version=${apiVersion}`, lab.secretEnv().XTD_LAB_CONSUMER_ARM_TOKEN);
  expect(reply.status, `${path}: ${JSON.stringify(reply.body)}`).toBe(200);
  return reply.body;
}

/** A list followed through its nextLinks, as the SDKs page. */
async function listAll(lab: Lab, path: string, apiVersion: string): Promise<any[]> {
  const items: any[] = [];
  let next: string | undefined = `${path}?api-version=${apiVersion}`;
  let pages = 0;
  while (next) {
    const reply = await call(lab, 'GET', next, lab.secretEnv().XTD_LAB_CONSUMER_ARM_TOKEN);
    expect(reply.status, next).toBe(200);
    items.push(...reply.body.value);
    next = reply.body.nextLink;
    pages++;
  }
  expect(pages).toBeGreaterThan(0);
  return items;
}

describe('topology resources in the official shapes', () => {
  test('hub-resolver: resolver, inbound endpoints (GET and list), the spoke pointing at the inbound IP, the jump VM and its NIC', async () => {
    const lab = labs.get('hub-resolver')!;
    const resolver = lab.state.resolvers[0]!;
    const inbound = resolver.inboundEndpoints[0]!;
    expectShape(await get(lab, resolver.id, RESOLVER), 'arm-network-topology/DnsResolver_Get.json', ['tags.key1'], []);
    expectShape(await get(lab, inbound.id, RESOLVER), 'arm-network-topology/InboundEndpoint_Get.json', ['tags.key1'], []);
    const listed = await get(lab, `${resolver.id}/inboundEndpoints`, RESOLVER);
    // The last page carries no nextLink (the example writes null).
    expectShape(listed, 'arm-network-topology/InboundEndpoint_List.json', ['nextLink', 'value[].tags.key1'], []);
    expect(listed.value[0].id).toBe(inbound.id);
    expect(listed.value[0].properties.ipConfigurations[0].privateIpAddress).toBe(inbound.ip);
    // The spoke's DNS server is the inbound endpoint; the resolver's VNet is the hub.
    const spoke = await get(lab, lab.state.vmVnetId, NET);
    expect(spoke.properties.dhcpOptions.dnsServers).toEqual([inbound.ip]);
    expect((await get(lab, resolver.id, RESOLVER)).properties.virtualNetwork.id).toBe(lab.state.hubVnetId);
    // The api-version of the Network RP is not the resolver's.
    expect((await call(lab, 'GET', `${resolver.id}?api-version=${NET}`, lab.secretEnv().XTD_LAB_CONSUMER_ARM_TOKEN)).status).toBe(400);
    // The jump VM: its NIC (dnsSettings, applied servers) and its networkProfile.
    const vm = await get(lab, lab.state.jumpVmId, COMPUTE);
    expectShape(vm, 'arm-compute/VirtualMachine_Get.json', [
      'properties.availabilitySet*', 'properties.proximityPlacementGroup*', 'properties.applicationProfile*', 'properties.userData', 'properties.diagnosticsProfile*',
      'properties.extensionsTimeBudget', 'properties.storageProfile.dataDisks[]*', 'tags.myTag1', 'managedBy', 'resources*',
    ], ['properties.networkProfile.networkInterfaces[].properties*']);
    const nicId = vm.properties.networkProfile.networkInterfaces[0].id;
    const nic = await get(lab, nicId, NET);
    expectShape(nic, 'arm-network/NetworkInterfaceGet.json', ['properties.dscpConfiguration*', 'properties.ipConfigurations[].properties.privateIPAddressPrefixLength', 'properties.ipConfigurations[].properties.publicIPAddress*', 'properties.networkSecurityGroup*'], [
      'etag', 'properties.auxiliaryMode', 'properties.auxiliarySku', 'properties.hostedWorkloads', 'properties.ipConfigurations[].etag', 'properties.ipConfigurations[].type',
      'properties.nicType', 'properties.resourceGuid', 'properties.tapConfigurations',
    ]);
    expect(nic.properties.virtualMachine.id).toBe(lab.state.jumpVmId);
    expect(nic.properties.dnsSettings).toMatchObject({ dnsServers: [], appliedDnsServers: [inbound.ip] });
  });

  test('lists by subscription page with nextLink and find every NIC (endpoints and VMs)', async () => {
    const lab = labs.get('hub-resolver')!;
    const sub = lab.state.consumer.subscriptionId;
    const nics = await listAll(lab, `/subscriptions/${sub}/providers/Microsoft.Network/networkInterfaces`, NET);
    expect(nics.map((n) => n.id).sort()).toEqual([...lab.state.nics.map((n) => n.id), ...lab.state.endpoints.map((pe) => `/subscriptions/${sub}/resourceGroups/${pe.resourceGroup}/providers/Microsoft.Network/networkInterfaces/${pe.nicName}`)].sort());
    const resolvers = await listAll(lab, `/subscriptions/${sub}/providers/Microsoft.Network/dnsResolvers`, RESOLVER);
    expect(resolvers.map((r) => r.id)).toEqual([lab.state.resolvers[0]!.id]);
    const vms = await listAll(lab, `/subscriptions/${sub}/providers/Microsoft.Compute/virtualMachines`, COMPUTE);
    expect(vms).toHaveLength(2);
  });

  test('spoke-ruleset: the ruleset, its rules and its VNet links', async () => {
    const lab = labs.get('spoke-ruleset')!;
    const ruleset = lab.state.rulesets[0]!;
    expectShape(await get(lab, ruleset.id, RESOLVER), 'arm-network-topology/DnsForwardingRuleset_Get.json', ['tags.key1'], []);
    const rules = await get(lab, `${ruleset.id}/forwardingRules`, RESOLVER);
    expectShape(rules, 'arm-network-topology/ForwardingRule_List.json', ['nextLink', 'value[].properties.metadata.additionalProp1'], []);
    expect(rules.value[0].properties).toMatchObject({ domainName: 'fabric.microsoft.com.', forwardingRuleState: 'Enabled', targetDnsServers: [{ ipAddress: lab.state.resolvers[0]!.inboundEndpoints[0]!.ip, port: 53 }] });
    const links = await get(lab, `${ruleset.id}/virtualNetworkLinks`, RESOLVER);
    expectShape(links, 'arm-network-topology/RulesetVirtualNetworkLink_List.json', ['nextLink', 'value[].properties.metadata.additionalProp1'], []);
    expect(links.value.map((l: any) => l.properties.virtualNetwork.id)).toEqual([lab.state.vmVnetId]);
    // The spoke keeps Azure-provided DNS: dhcpOptions present, empty.
    expect((await get(lab, lab.state.vmVnetId, NET)).properties.dhcpOptions).toEqual({ dnsServers: [] });
  });

  test('hub-firewall-dns: the firewall and its policy with dnsSettings', async () => {
    const lab = labs.get('hub-firewall-dns')!;
    const firewall = lab.state.firewalls[0]!;
    const body = await get(lab, firewall.id, NET);
    expectShape(body, 'arm-network-topology/AzureFirewallGet.json', [
      'properties.aiSecurityAddOn', 'properties.autoscaleConfiguration*', 'properties.applicationRuleCollections[]*', 'properties.natRuleCollections[]*', 'properties.networkRuleCollections[]*', 'tags.key1',
    ], ['properties.firewallPolicy*']);
    expect(body.properties.ipConfigurations[0].properties.privateIPAddress).toBe(firewall.ip);
    const policy = await get(lab, body.properties.firewallPolicy.id, NET);
    expectShape(policy, 'arm-network-topology/FirewallPolicyGet.json', [
      'properties.explicitProxy*', 'properties.insights*', 'properties.intrusionDetection*', 'properties.ruleCollectionGroups[]*', 'properties.size', 'properties.snat*', 'properties.sql*',
      'properties.threatIntelWhitelist*', 'properties.transportSecurity*', 'tags.key1', 'properties.firewalls[]*',
    ], ['properties.firewalls[]*']);
    expect(policy.properties.dnsSettings).toEqual({ enableProxy: true, requireProxyForNetworkRules: false, servers: [] });
    expect((await get(lab, lab.state.vmVnetId, NET)).properties.dhcpOptions.dnsServers).toEqual([firewall.ip]);
  });

  test('pe-spoke: the route table on the VM subnet, the peerings with the hub', async () => {
    const lab = labs.get('pe-spoke')!;
    const table = lab.state.routeTables[0]!;
    const body = await get(lab, table.id, NET);
    expectShape(body, 'arm-network-topology/RouteTableGet.json', [], ['etag', 'properties.resourceGuid', 'properties.routes[].etag', 'properties.routes[].type', 'properties.routes[].properties.nextHopIpAddress', 'properties.subnets*']);
    expect(body.properties.routes[0].properties).toMatchObject({ nextHopType: 'VirtualAppliance', nextHopIpAddress: lab.state.firewalls[0]!.ip });
    const spoke = await get(lab, lab.state.vmVnetId, NET);
    expect(spoke.properties.subnets.find((s: any) => s.name === 'snet-vm').properties.routeTable.id).toBe(table.id);
    const endpointVnet = lab.state.vnets.find((v) => v.name.startsWith('vnet-endpoints'))!;
    const peering = endpointVnet.peerings[0]!;
    const peeringBody = await get(lab, `${endpointVnet.id}/virtualNetworkPeerings/${peering.name}`, NET);
    expectShape(peeringBody, 'arm-network-topology/VirtualNetworkPeeringGet.json', ['properties.remoteBgpCommunities*'], ['etag', 'type', 'properties.resourceGuid', 'properties.remoteVirtualNetworkAddressSpace*', 'properties.doNotVerifyRemoteGateways']);
    expect(peeringBody.properties.remoteVirtualNetwork.id).toBe(lab.state.hubVnetId);
    // Neither spoke is peered with the other.
    expect(spoke.properties.virtualNetworkPeerings.map((p: any) => p.properties.remoteVirtualNetwork.id)).toEqual([lab.state.hubVnetId]);
  });

  test('central-zone: the zone group names the zone in the connectivity subscription, readable with the tenant-1 token; the config names no zone', async () => {
    const lab = labs.get('central-zone')!;
    const pe = lab.state.endpoints[0]!;
    const zone = lab.state.zones[0]!;
    expect(zone.subscriptionId).not.toBe(lab.state.consumer.subscriptionId);
    const groups = await get(lab, `${pe.id}/privateDnsZoneGroups`, NET);
    expect(groups.value).toHaveLength(1);
    const group = await get(lab, groups.value[0].id, NET);
    expectShape(group, 'arm-network/PrivateEndpointDnsZoneGroupGet.json', [], [
      'etag', 'type', 'properties.privateDnsZoneConfigs[].name', 'properties.privateDnsZoneConfigs[].id', 'properties.privateDnsZoneConfigs[].properties.recordSets[].ttl',
      'properties.privateDnsZoneConfigs[].properties.recordSets[].provisioningState',
    ]);
    const config = group.properties.privateDnsZoneConfigs[0].properties;
    expect(config.privateDnsZoneId).toBe(zone.id);
    expect(config.recordSets.map((r: any) => r.ipAddresses[0]).sort()).toEqual(Object.values(pe.ips).sort());
    expect((await get(lab, zone.id, DNS)).id).toBe(zone.id);
    const subscription = await call(lab, 'GET', `/subscriptions/${zone.subscriptionId}?api-version=2022-12-01`, lab.secretEnv().XTD_LAB_CONSUMER_ARM_TOKEN);
    expect(subscription.body).toMatchObject({ subscriptionId: zone.subscriptionId, tenantId: lab.state.consumer.tenantId });
    expect(lab.configJson().targets[0]!.consumer.privateDnsZoneId).toBeUndefined();
  });
});

function imds(lab: Lab, path: string, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: lab.addresses.imdsPort, path, headers }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      })
      .on('error', reject);
  });
}

describe('instance metadata service', () => {
  test('GET /metadata/instance with Metadata: true names the jump VM (compute.resourceId), as the official example shapes it', async () => {
    const lab = labs.get('hub-resolver')!;
    const reply = await imds(lab, '/metadata/instance?api-version=2021-11-15', { Metadata: 'true' });
    expect(reply.status).toBe(200);
    expect(reply.body.compute.resourceId).toBe(lab.state.jumpVmId);
    const example = reference('imds/GetInstanceMetadata.json');
    for (const key of ['resourceId', 'vmId', 'subscriptionId', 'resourceGroupName', 'name', 'location']) expect(Object.keys(example.compute)).toContain(key);
    const diff = shapeDiff(reply.body.compute, example.compute);
    expect(diff.extra).toEqual([]);
    expect(reply.body.network.interface[0].ipv4.ipAddress[0].privateIpAddress).toBe(lab.state.nics.find((n) => n.vmId === lab.state.jumpVmId)!.ip);
  });

  test('refuses what IMDS refuses: no Metadata header, no or an unknown api-version, a proxy', async () => {
    const lab = labs.get('hub-resolver')!;
    expect((await imds(lab, '/metadata/instance?api-version=2021-11-15', {})).status).toBe(400);
    expect((await imds(lab, '/metadata/instance', { Metadata: 'true' })).status).toBe(400);
    expect((await imds(lab, '/metadata/instance?api-version=1999-01-01', { Metadata: 'true' })).status).toBe(400);
    expect((await imds(lab, '/metadata/instance?api-version=2021-11-15', { Metadata: 'true', 'X-Forwarded-For': '10.0.0.1' })).status).toBe(400);
  });
});

async function askServer(server: string, name: string): Promise<{ rcode: string; addresses: string[] } | 'timeout'> {
  const [host, port] = server.split(':');
  const socket = dgram.createSocket('udp4');
  try {
    return await new Promise((resolve) => {
      const timer = setTimeout(() => resolve('timeout'), 1500);
      socket.on('message', (message) => {
        clearTimeout(timer);
        const packet = dnsPacket.decode(message) as dnsPacket.DecodedPacket & { rcode?: string };
        resolve({ rcode: packet.rcode ?? 'NOERROR', addresses: (packet.answers ?? []).flatMap((a) => (a.type === 'A' ? [String(a.data)] : [])) });
      });
      socket.send(dnsPacket.encode({ type: 'query', id: 1, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name }] }), Number(port), host);
    });
  } finally {
    socket.close();
  }
}

describe('DNS on every server address ARM names', () => {
  test('hub-resolver: the inbound endpoint answers privately (it resolves from the hub); 168.63.129.16 from the spoke answers publicly', async () => {
    const lab = labs.get('hub-resolver')!;
    const name = workspaceNames(lab.state.targets[0]!.workspaceId).fqdns.api;
    const inbound = lab.state.resolvers[0]!.inboundEndpoints[0]!.ip;
    expect(await askServer(lab.addresses.dnsServers[inbound]!, name)).toEqual({ rcode: 'NOERROR', addresses: [lab.state.endpoints[0]!.ips.api] });
    expect(await askServer(lab.addresses.dnsServers['168.63.129.16']!, name)).toEqual({ rcode: 'NOERROR', addresses: [lab.state.frontEnd.ip] });
    expect(lab.configJson().dns.servers).toEqual([inbound]);
    expect(lab.configJson().network.connectTo).toContain(`${inbound}:53:${lab.addresses.dnsServers[inbound]}`);
  });
});

describe('topology faults are ARM state and show in DNS and on the data path', () => {
  test('resolver-inbound-failed: the endpoint says Failed and its address does not answer', async () => {
    const lab = await startLab({ seed: 'topology-arm', topology: 'hub-resolver', faults: ['resolver-inbound-failed'] });
    try {
      const endpoint = lab.state.resolvers[0]!.inboundEndpoints[0]!;
      expect((await get(lab, endpoint.id, RESOLVER)).properties.provisioningState).toBe('Failed');
      expect(await askServer(lab.addresses.dnsServers[endpoint.ip]!, workspaceNames(lab.state.targets[0]!.workspaceId).fqdns.api)).toBe('timeout');
      // The VM's own resolver gives up with SERVFAIL, as the OS stub resolvers do.
      expect(await askServer(lab.addresses.dns.vm, workspaceNames(lab.state.targets[0]!.workspaceId).fqdns.api)).toEqual({ rcode: 'SERVFAIL', addresses: [] });
    } finally {
      await closeAgent(lab);
      await lab.stop();
    }
  });

  test('a topology fault in a topology that does not have it, and an unknown topology, are refused naming the valid ones', async () => {
    await expect(startLab({ topology: 'flat', faults: ['ruleset-rule-disabled'] })).rejects.toThrow(/ruleset-rule-disabled" does not exist in the flat topology; it takes --topology spoke-ruleset/);
    await expect(startLab({ topology: 'hub-and-spoke' })).rejects.toThrow(/unknown topology "hub-and-spoke"[\s\S]*hub-resolver[\s\S]*central-zone/);
  });
});

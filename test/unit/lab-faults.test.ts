// The lab's state and faults as pure functions: determinism, the healthy world, and each fault
// changing the state everywhere its real counterpart shows (both tenants, DNS, the data path).
import { describe, expect, test } from 'vitest';
import { workspaceNames } from '../../src/fabric/workspace.js';
import { connectToRules } from '../../src/lab/config.js';
import { resolveName } from '../../src/lab/dns.js';
import { applyFault, applyFaults, FAULT_NAMES, FAULTS, parseFault } from '../../src/lab/faults.js';
import { zoneLinkedTo } from '../../src/lab/resolution.js';
import { createState, endpointById, type LabState, plsById, privatePathOpen, workspaceById } from '../../src/lab/state.js';

const linkedZone = (state: LabState) => zoneLinkedTo(state, state.vmVnetId);

const CHECKS_FAULTS = [
  'capacity-unassigned', 'capacity-trial', 'capacity-paused', 'tenant-setting-off', 'pls-missing', 'pls-wrong-workspace',
  'connection-pending', 'connection-rejected', 'pe-missing', 'pe-wrong-subresource', 'pe-other-vnet', 'zone-missing',
  'zone-unlinked', 'record-missing', 'record-wrong-ip', 'record-stale', 'other-endpoints-missing', 'dns-forwarder-public',
  'stale-client-cache', 'tcp-blocked', 'tls-intercepted', 'public-access-allowed', 'provider-forbidden', 'credential-wrong-tenant',
  'credential-secret-expired', 'arm-throttled', 'fabric-flaky', 'dns-truncated',
  // docs/checks.md "Lab topologies": each only with its topologies.
  'zone-linked-spoke-only', 'resolver-inbound-failed', 'firewall-dns-proxy-off', 'ruleset-rule-disabled', 'hub-peering-disconnected',
];

const healthy = createState({ seed: 'unit' });
const t1 = healthy.targets[0]!;
const names = workspaceNames(t1.workspaceId);

function apiAnswer(state: LabState, view: 'vnet' | 'vm' | 'public' = 'vnet') {
  const result = resolveName(state, view, names.fqdns.api, 'A');
  if (result.rcode === 'TIMEOUT') return { rcode: result.rcode, addresses: [] };
  return { rcode: result.rcode, addresses: result.answers.filter((a) => a.type === 'A').map((a) => (a as { data: string }).data) };
}

function pe(state: LabState) {
  return endpointById(state, t1.privateEndpointId);
}

function plsConnection(state: LabState) {
  return plsById(state, t1.privateLinkServiceId)?.connections.find((c) => c.privateEndpointId === t1.privateEndpointId);
}

describe('lab state', () => {
  test('one seed, one world; another seed, another world', () => {
    expect(createState({ seed: 'unit' })).toEqual(healthy);
    expect(createState({ seed: 'other' }).targets[0]!.workspaceId).not.toBe(t1.workspaceId);
  });

  test('the healthy world: approved on both sides, zone linked with five records, Deny, F SKU Active, setting on', () => {
    expect(pe(healthy)!.connection.state.status).toBe('Approved');
    expect(plsConnection(healthy)!.state.status).toBe('Approved');
    expect(healthy.consumer.tenantId).not.toBe(healthy.provider.tenantId);
    expect(linkedZone(healthy)?.zone.aRecords).toHaveLength(5);
    const ws = workspaceById(healthy, t1.workspaceId)!;
    expect(ws.inboundDefaultAction).toBe('Deny');
    expect(healthy.capacities.find((c) => c.id === ws.capacityId)).toMatchObject({ sku: 'F64', state: 'Active' });
    expect(healthy.tenantSettings.find((s) => s.settingName === 'WorkspaceBlockInboundAccess')!.enabled).toBe(true);
    expect(privatePathOpen(healthy, t1)).toBe(true);
    expect(apiAnswer(healthy)).toEqual({ rcode: 'NOERROR', addresses: [pe(healthy)!.ips.api] });
    for (const ip of Object.values(pe(healthy)!.ips)) expect(ip).toMatch(/^10\./);
    expect(healthy.frontEnd.ip).toMatch(/^20\./);
  });

  test('a fleet shares subscriptions and the zone, with distinct workspaces and addresses', () => {
    const fleet = createState({ seed: 'unit', targets: 40 });
    expect(fleet.targets).toHaveLength(40);
    expect(new Set(fleet.targets.map((t) => t.workspaceId)).size).toBe(40);
    expect(fleet.zones).toHaveLength(1);
    expect(fleet.zones[0]!.aRecords).toHaveLength(200);
    const ips = fleet.endpoints.flatMap((e) => Object.values(e.ips));
    expect(new Set(ips).size).toBe(200);
    expect(new Set(fleet.endpoints.map((e) => e.subscriptionId)).size).toBe(1);
  });
});

describe('lab faults', () => {
  test('the lab knows exactly the faults of docs/checks.md', () => {
    expect([...FAULT_NAMES].sort()).toEqual([...CHECKS_FAULTS].sort());
  });

  test('faults are pure: the input state is unchanged', () => {
    const before = structuredClone(healthy);
    for (const name of FAULT_NAMES.filter((n) => !FAULTS[n]!.topologies)) applyFault(healthy, name);
    expect(healthy).toEqual(before);
  });

  test('unknown names and bad targets are clear errors', () => {
    expect(() => parseFault('zone-unlnked', 1)).toThrow(/unknown fault "zone-unlnked"[\s\S]*zone-unlinked/);
    expect(() => parseFault('record-missing@4', 3)).toThrow(/target 4 does not exist \(the lab has 3 targets/);
    expect(() => parseFault('zone-missing@2', 3)).toThrow(/applies to the whole lab/);
    expect(parseFault('record-missing@2', 3)).toEqual({ name: 'record-missing', target: 2 });
  });

  test('connection-pending / -rejected show on both tenants and stop the data path; DNS is unchanged', () => {
    for (const [fault, status] of [['connection-pending', 'Pending'], ['connection-rejected', 'Rejected']] as const) {
      const s = applyFault(healthy, fault);
      expect(pe(s)!.connection.state.status).toBe(status);
      expect(plsConnection(s)!.state.status).toBe(status);
      expect(privatePathOpen(s, t1)).toBe(false);
      expect(apiAnswer(s)).toEqual(apiAnswer(healthy));
    }
  });

  test('pls-missing: the service is gone and the endpoint connection is Disconnected', () => {
    const s = applyFault(healthy, 'pls-missing');
    expect(plsById(s, t1.privateLinkServiceId)).toBeUndefined();
    expect(pe(s)!.connection.state).toMatchObject({ status: 'Disconnected', actionsRequired: 'Recreate' });
    expect(privatePathOpen(s, t1)).toBe(false);
  });

  test('pe-missing: the endpoint and its connection go, the records stay', () => {
    const s = applyFault(healthy, 'pe-missing');
    expect(pe(s)).toBeUndefined();
    expect(plsConnection(s)).toBeUndefined();
    expect(s.zones[0]!.aRecords).toHaveLength(5);
    expect(apiAnswer(s).addresses).toEqual([pe(healthy)!.ips.api]);
    expect(privatePathOpen(s, t1)).toBe(false);
    // Its leftover addresses are still mapped, to a port where nothing listens.
    const rules = connectToRules(s, { apiBase: '', scopes: { arm: '', fabric: '' }, dns: { vnet: '', vm: '', public: '' }, dnsServers: {}, imdsPort: 1004, listeners: { private: 1001, public: 1002, dead: 1003 }, host: '127.0.0.1' });
    expect(rules).toContain(`${pe(healthy)!.ips.api}:443:127.0.0.1:1003`);
  });

  test('pls-wrong-workspace points the service at another workspace of tenant 2', () => {
    const s = applyFault(healthy, 'pls-wrong-workspace');
    const pls = plsById(s, t1.privateLinkServiceId)!;
    expect(pls.workspaceId).not.toBe(t1.workspaceId);
    expect(workspaceById(s, pls.workspaceId)).toBeDefined();
  });

  test('pe-wrong-subresource, pe-other-vnet', () => {
    expect(pe(applyFault(healthy, 'pe-wrong-subresource'))!.connection.groupIds).not.toContain('workspace');
    const s = applyFault(healthy, 'pe-other-vnet');
    expect(pe(s)!.subnetId.startsWith(s.vmVnetId)).toBe(false);
    // The records follow the endpoint's new addresses, so only the VNet placement is wrong.
    expect(apiAnswer(s).addresses).toEqual([pe(s)!.ips.api]);
    expect(privatePathOpen(s, t1)).toBe(false);
  });

  test('zone-missing, zone-unlinked and dns-forwarder-public make DNS answer the public IP', () => {
    for (const fault of ['zone-missing', 'zone-unlinked', 'dns-forwarder-public']) {
      expect(apiAnswer(applyFault(healthy, fault)).addresses, fault).toEqual([healthy.frontEnd.ip]);
    }
    expect(applyFault(healthy, 'zone-missing').zones).toEqual([]);
    expect(linkedZone(applyFault(healthy, 'zone-unlinked'))).toBeUndefined();
    const forwarder = applyFault(healthy, 'dns-forwarder-public');
    expect(forwarder.vnets.find((v) => v.id === forwarder.vmVnetId)!.dnsServers).toEqual([forwarder.dnsForwarder.ip]);
  });

  test('record faults change the zone and what DNS answers', () => {
    expect(apiAnswer(applyFault(healthy, 'record-missing'))).toEqual({ rcode: 'NXDOMAIN', addresses: [] });
    const wrong = applyFault(healthy, 'record-wrong-ip');
    expect(apiAnswer(wrong).addresses[0]).not.toBe(pe(healthy)!.ips.api);
    const stale = applyFault(healthy, 'record-stale');
    expect(stale.zones[0]!.aRecords).toHaveLength(6);
    expect(apiAnswer(stale)).toEqual(apiAnswer(healthy));
    const others = applyFault(healthy, 'other-endpoints-missing');
    expect(others.zones[0]!.aRecords.map((r) => r.name)).toEqual([names.records.api]);
  });

  test('stale-client-cache changes only the VM resolver', () => {
    const s = applyFault(healthy, 'stale-client-cache');
    expect(apiAnswer(s, 'vnet')).toEqual(apiAnswer(healthy));
    expect(apiAnswer(s, 'vm').addresses[0]).not.toBe(pe(healthy)!.ips.api);
  });

  test('data-path, policy, capacity, tenant and service faults', () => {
    expect(privatePathOpen(applyFault(healthy, 'tcp-blocked'), t1)).toBe(false);
    expect(applyFault(healthy, 'tls-intercepted').dataPath.tlsIntercepted).toEqual([t1.workspaceId]);
    expect(workspaceById(applyFault(healthy, 'public-access-allowed'), t1.workspaceId)!.inboundDefaultAction).toBe('Allow');
    expect(workspaceById(applyFault(healthy, 'capacity-unassigned'), t1.workspaceId)!.capacityId).toBeUndefined();
    const trial = applyFault(healthy, 'capacity-trial');
    expect(trial.capacities.find((c) => c.id === workspaceById(trial, t1.workspaceId)!.capacityId)!.sku).toBe('FT1');
    const paused = applyFault(healthy, 'capacity-paused');
    expect(paused.capacities.find((c) => c.id === workspaceById(paused, t1.workspaceId)!.capacityId)!.state).toBe('Inactive');
    expect(applyFault(healthy, 'tenant-setting-off').tenantSettings.find((x) => x.settingName === 'WorkspaceBlockInboundAccess')!.enabled).toBe(false);
    expect(applyFault(healthy, 'provider-forbidden').service.providerForbidden).toBe(true);
    expect(applyFault(healthy, 'arm-throttled').service.armThrottled).toBe(true);
    expect(applyFault(healthy, 'fabric-flaky').service.fabricFlaky).toBe(true);
    expect(applyFault(healthy, 'dns-truncated').service.dnsTruncated).toBe(true);
  });

  test('in a fleet, NAME@K touches target K only, and faults combine', () => {
    const fleet = createState({ seed: 'unit', targets: 3 });
    const s = applyFaults(fleet, ['capacity-paused@2', 'connection-pending@3', 'zone-unlinked']);
    const [a, b, c] = s.targets as [typeof t1, typeof t1, typeof t1];
    const capacityOf = (id: string) => s.capacities.find((x) => x.id === workspaceById(s, id)!.capacityId)!;
    expect(capacityOf(a.workspaceId).state).toBe('Active');
    expect(capacityOf(b.workspaceId).state).toBe('Inactive');
    expect(endpointById(s, c.privateEndpointId)!.connection.state.status).toBe('Pending');
    expect(endpointById(s, a.privateEndpointId)!.connection.state.status).toBe('Approved');
    expect(linkedZone(s)).toBeUndefined();
  });
});

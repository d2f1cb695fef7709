import { describe, expect, it } from 'vitest';
import peApproved from '../../../checks/consumer/pe-approved.js';
import peFound from '../../../checks/consumer/pe-found.js';
import peInVnet from '../../../checks/consumer/pe-in-vnet.js';
import peTarget from '../../../checks/consumer/pe-target.js';
import zoneFound from '../../../checks/consumer/zone-found.js';
import zoneLinked from '../../../checks/consumer/zone-linked.js';
import zoneRecords from '../../../checks/consumer/zone-records.js';
import type { CheckDef } from '../../../src/engine/define.js';
import * as fx from '../../fixtures/control.js';
import { evaluate, na, type FactValue } from '../../fixtures/engine.js';
import { fixText } from '../../helpers/fix-text.js';

async function one(check: CheckDef, patch: Record<string, FactValue> = {}, target = fx.target()) {
  const results = await evaluate([check], { ...fx.healthyFacts(), ...patch }, target);
  return results[check.id]!;
}

const OTHER_VNET = `/subscriptions/${fx.SUB_1}/resourceGroups/rg2/providers/Microsoft.Network/virtualNetworks/other`;

describe('consumer.pe-found', () => {
  it('passes on the example endpoint', async () => expect((await one(peFound)).status).toBe('pass'));
  it('fails on 404', async () => expect((await one(peFound, { 'consumer.privateEndpoint': na('not-found', 'gone', { httpStatus: 404 }) })).status).toBe('fail'));
  it('fails when not Succeeded', async () => {
    const pe = fx.privateEndpoint();
    pe.properties.provisioningState = 'Failed';
    expect((await one(peFound, { 'consumer.privateEndpoint': pe })).status).toBe('fail');
  });
  it('skips (no-access) without a consumer credential', async () => {
    expect((await one(peFound, { 'consumer.privateEndpoint': na('no-access') })).skipReason).toBe('no-access');
  });
});

describe('consumer.pe-target', () => {
  it('passes for the manual connection to the configured service', async () => expect((await one(peTarget)).status).toBe('pass'));
  it('fails for the official example (another service, another group id)', async () => {
    const r = await one(peTarget, { 'consumer.privateEndpoint': fx.example('arm-network/PrivateEndpointGet.json') });
    expect(r.status).toBe('fail');
    expect(r.message).toContain('groupIdFromResource');
  });
  it('fails for a wrong sub-resource', async () => {
    const pe = fx.privateEndpoint();
    pe.properties.manualPrivateLinkServiceConnections[0].properties.groupIds = ['tenant'];
    expect((await one(peTarget, { 'consumer.privateEndpoint': pe })).status).toBe('fail');
  });
  it('compares ids case-insensitively', async () => {
    const pe = fx.privateEndpoint();
    pe.properties.manualPrivateLinkServiceConnections[0].properties.privateLinkServiceId = fx.PLS_ID.toUpperCase();
    expect((await one(peTarget, { 'consumer.privateEndpoint': pe })).status).toBe('pass');
  });
  it('without a configured service, accepts any Fabric private link service', async () => {
    const t = fx.target({ provider: { tenantId: fx.TENANT_2 } });
    expect((await one(peTarget, {}, t)).status).toBe('pass');
  });
});

describe('consumer.pe-approved', () => {
  it('passes when Approved', async () => expect((await one(peApproved)).status).toBe('pass'));
  it('fails with its own message for each state', async () => {
    const messages = new Set<string>();
    const remediations = new Set<string>();
    for (const status of ['Pending', 'Rejected', 'Disconnected']) {
      const r = await one(peApproved, { 'consumer.privateEndpoint': fx.privateEndpoint(status) });
      expect(r.status).toBe('fail');
      expect(r.evidence).toMatchObject({ status, expected: 'Approved' });
      messages.add(r.message);
      remediations.add(fixText(r.fix));
    }
    expect(messages.size).toBe(3);
    expect(remediations.size).toBe(3);
  });
  it('reads the auto-approved array too (official example)', async () => {
    expect((await one(peApproved, { 'consumer.privateEndpoint': fx.example('arm-network/PrivateEndpointGet.json') })).status).toBe('pass');
  });
});

describe('consumer.pe-in-vnet', () => {
  it("passes when the subnet is in the jump VM's VNet", async () => expect((await one(peInVnet)).status).toBe('pass'));
  // A Connected peering is a path: docs/checks.md allows a warn only through a hub (the peering is named instead).
  it('passes through a Connected peering, naming it', async () => {
    const pe = fx.privateEndpoint();
    pe.properties.subnet.id = `${OTHER_VNET}/subnets/s`;
    const v = fx.vnet();
    v.properties.virtualNetworkPeerings = [{ name: 'p', properties: { remoteVirtualNetwork: { id: OTHER_VNET }, peeringState: 'Connected' } }];
    const r = await one(peInVnet, { 'consumer.privateEndpoint': pe, 'consumer.vnet': v });
    expect(r.status).toBe('pass');
    expect(r.message).toContain('peering p, Connected');
  });
  it('fails when in an unrelated VNet', async () => {
    const pe = fx.privateEndpoint();
    pe.properties.subnet.id = `${OTHER_VNET}/subnets/s`;
    const r = await one(peInVnet, { 'consumer.privateEndpoint': pe });
    expect(r.status).toBe('fail');
    expect(r.evidence).toMatchObject({ endpointVnetId: OTHER_VNET, jumpVmVnetId: fx.VNET_ID });
  });
  it('says it could not compare when the VNet was derived from the endpoint', async () => {
    const r = await one(peInVnet, { 'consumer.vnetId': { vnetId: fx.VNET_ID, source: 'endpoint-subnet' } });
    expect([r.status, r.skipReason]).toEqual(['skip', 'not-applicable']);
    expect(r.message).toContain('could not compare');
  });
});

describe('consumer.zone-found', () => {
  it('passes for the configured zone', async () => expect((await one(zoneFound)).status).toBe('pass'));
  it('fails when there is no zone', async () => expect((await one(zoneFound, { 'consumer.privateDnsZone': na('not-found', 'no zone') })).status).toBe('fail'));
  it('is an error listing the candidates when ambiguous', async () => {
    const r = await one(zoneFound, { 'consumer.privateDnsZone': na('ambiguous', 'two zones', { details: { candidates: ['a', 'b'] } }) });
    expect(r.status).toBe('error');
    expect(r.evidence).toMatchObject({ candidates: ['a', 'b'] });
    expect(fixText(r.fix)).toContain('privateDnsZoneId');
  });
});

describe('consumer.zone-linked', () => {
  it('passes for a Completed link', async () => expect((await one(zoneLinked)).status).toBe('pass'));
  it('fails when InProgress', async () => {
    expect((await one(zoneLinked, { 'consumer.privateDnsZone.vnetLinks': { zoneId: fx.ZONE_ID, value: fx.vnetLinks('InProgress') } })).status).toBe('fail');
  });
  it('fails without a link to the VNet (official example links another VNet)', async () => {
    const links = fx.example('arm-privatedns/VirtualNetworkLinkList.json').value;
    const r = await one(zoneLinked, { 'consumer.privateDnsZone.vnetLinks': { zoneId: fx.ZONE_ID, value: links } });
    expect(r.status).toBe('fail');
    expect(r.message).toContain('no link');
    // The fix names this zone's subscription and resource group and this VNet, ready to paste.
    const zone = fx.ZONE_ID.split('/');
    expect(fixText(r.fix)).toContain(`--subscription ${zone[2]} --resource-group ${zone[4]} --zone-name privatelink.fabric.microsoft.com`);
    expect(fixText(r.fix)).toContain(`--virtual-network ${fx.VNET_ID}`);
  });
});

describe('consumer.zone-records', () => {
  const records = (sets: unknown[]) => ({ 'consumer.privateDnsZone.aRecords': { zoneId: fx.ZONE_ID, value: sets } });
  it('passes when all five records match', async () => {
    const r = await one(zoneRecords);
    expect(r.status).toBe('pass');
    expect((r.evidence.expected as unknown[]).length).toBe(5);
  });
  it('fails for missing records (only the API record, as the setup example does)', async () => {
    const r = await one(zoneRecords, records(fx.recordSets().slice(0, 1)));
    expect(r.status).toBe('fail');
    expect((r.evidence.missing as unknown[]).length).toBe(4);
    expect(fixText(r.fix)).toContain('add-record');
  });
  it('fails for a wrong IP, reported apart from missing', async () => {
    const sets = fx.recordSets();
    sets[0].properties.aRecords = [{ ipv4Address: '192.168.9.9' }];
    const r = await one(zoneRecords, records(sets));
    expect(r.status).toBe('fail');
    expect(r.evidence.mismatched).toEqual([{ fqdn: fx.NAMES.fqdns.api, record: fx.NAMES.records.api, expectedIps: ['192.168.0.4'], foundIps: ['192.168.9.9'] }]);
    expect(r.evidence.missing).toEqual([]);
  });
  it('warns for a stale extra record of this workspace', async () => {
    const sets = fx.recordSets();
    const stale = structuredClone(sets[0]);
    stale.name = `${fx.NAMES.records.api}-old`;
    const r = await one(zoneRecords, records([...sets, stale]));
    expect(r.status).toBe('warn');
    expect(r.evidence.stale).toEqual([{ record: `${fx.NAMES.records.api}-old`, ips: ['192.168.0.4'] }]);
  });
  it('ignores records of other workspaces (the official example)', async () => {
    const sets = [...fx.recordSets(), ...fx.example('arm-privatedns/RecordSetAList.json').value];
    expect((await one(zoneRecords, records(sets))).status).toBe('pass');
  });
  it('uses ipConfigurations when customDnsConfigs is empty', async () => {
    const pe = fx.privateEndpoint();
    pe.properties.customDnsConfigs = [];
    expect((await one(zoneRecords, { 'consumer.privateEndpoint': pe })).status).toBe('pass');
  });
  it("skips when the endpoint's DNS config has none of this workspace's names", async () => {
    const r = await one(zoneRecords, { 'consumer.privateEndpoint': fx.example('arm-network/PrivateEndpointGet.json') });
    expect(r.status).toBe('skip');
  });
});

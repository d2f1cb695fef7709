import { describe, expect, it } from 'vitest';
import check from '../../../checks/consumer/zone-records.js';
import { pastableCommands } from '../../helpers/shells.js';
import { endpointIps } from '../../../src/gather/arm/endpoint-ips.js';
import { fx, one, scratch } from '../fixture.js';

const zoneArgs = `--subscription ${fx.SUB_1} --resource-group rg1 --zone-name privatelink.fabric.microsoft.com`;

describe('consumer.zone-records fix', () => {
  it('a missing and a wrong record: exactly the add and remove commands, then the zone-group alternative', async () => {
    const sets = fx.recordSets().filter((s: { name: string }) => s.name !== fx.NAMES.records.compute);
    sets.find((s: { name: string }) => s.name === fx.NAMES.records.api).properties.aRecords = [{ ipv4Address: '10.9.9.9' }];
    const r = await one(check, { 'consumer.privateDnsZone.aRecords': { zoneId: fx.ZONE_ID, value: sets } });
    expect(r.status).toBe('fail');
    expect(pastableCommands(r.fix, scratch).slice(1)).toEqual([
      `az network private-dns record-set a add-record ${zoneArgs} --record-set-name ${fx.NAMES.records.compute} --ipv4-address ${fx.IPS.compute}`,
      `az network private-dns record-set a remove-record ${zoneArgs} --record-set-name ${fx.NAMES.records.api} --ipv4-address 10.9.9.9`,
      `az network private-dns record-set a add-record ${zoneArgs} --record-set-name ${fx.NAMES.records.api} --ipv4-address ${fx.IPS.api}`,
      `az network private-endpoint dns-zone-group create --subscription ${fx.SUB_1} --resource-group rg1 --endpoint-name testPe --name default --private-dns-zone ${fx.ZONE_ID} --zone-name fabric`,
    ]);
  });

  it("the endpoint's IPs leave the API FQDN out, and its record is missing: warn that it was not compared, never pass", async () => {
    const ips = endpointIps(fx.healthyFacts()['consumer.privateEndpoint'] as never, [], fx.WORKSPACE_ID);
    delete ips.byFqdn[fx.NAMES.fqdns.api];
    const sets = fx.recordSets().filter((s: { name: string }) => s.name !== fx.NAMES.records.api);
    const r = await one(check, { 'consumer.endpointIps': ips, 'consumer.privateDnsZone.aRecords': { zoneId: fx.ZONE_ID, value: sets } });
    expect(r.status).toBe('warn');
    expect(r.message).toContain(`the endpoint's IPs name none for ${fx.NAMES.fqdns.api}: their records were not compared`);
    expect(r.evidence.notInEndpointDnsConfig).toEqual([fx.NAMES.fqdns.api]);
  });

  it('a record set without a name (a damaged saved report) is counted, and the five matching records are no pass', async () => {
    const sets = [...fx.recordSets(), 'a record set turned into text'];
    const r = await one(check, { 'consumer.privateDnsZone.aRecords': { zoneId: fx.ZONE_ID, value: sets } });
    expect(r.status).toBe('warn');
    expect(r.message).toBe('all 5 records match, but 1 record set(s) in the answer have no name: they were not compared');
    expect(r.evidence.unreadableRecordSets).toBe(1);
    const whole = await one(check, { 'consumer.privateDnsZone.aRecords': { zoneId: fx.ZONE_ID, value: fx.recordSets() } });
    expect(whole.status).toBe('pass');
  });
});

import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { workspaceNames } from '../../../src/fabric/workspace.js';
import { createRedactor } from '../../../src/snapshot/redact.js';
import * as W from '../../helpers/snapshot-world.js';

const PRIVATE = new net.BlockList();
PRIVATE.addSubnet('10.0.0.0', 8);
PRIVATE.addSubnet('172.16.0.0', 12);
PRIVATE.addSubnet('192.168.0.0', 16);
PRIVATE.addSubnet('100.64.0.0', 10);
PRIVATE.addSubnet('fc00::', 7, 'ipv6');
const isPrivate = (ip: string) => PRIVATE.check(ip, net.isIP(ip) === 6 ? 'ipv6' : 'ipv4');

describe('redaction', () => {
  it('IPs keep their class, equal IPs stay equal, loopback and the Azure resolver are kept', () => {
    const r = createRedactor({ salt: 't' });
    const ips = ['10.1.2.4', '172.20.0.5', '192.168.1.10', '100.72.0.9', '20.42.7.13', '52.1.2.3', 'fd12:3456::4', '2603:1030::5', 'fe80::1'];
    r.sweep(ips.join(' '));
    for (const ip of ips) {
      const p = r.apply(ip);
      expect(p, ip).not.toBe(ip);
      expect(net.isIP(p), ip).toBe(net.isIP(ip));
      expect(isPrivate(p), `${ip} → ${p}`).toBe(isPrivate(ip));
      expect(r.apply(`answer ${ip.toUpperCase()}, again ${ip}`)).toBe(`answer ${p}, again ${p}`);
    }
    expect(r.apply('10.1.2.4')).not.toBe(r.apply('10.1.2.5'));
    expect(r.apply('fd12:3456:0::4')).toBe(r.apply('fd12:3456::4'));
    expect(r.apply('127.0.0.1:8443 ::1 168.63.129.16 0.0.0.0')).toBe('127.0.0.1:8443 ::1 168.63.129.16 0.0.0.0');
    // Not addresses: versions with big parts, times.
    expect(r.apply('10.0.26100.1 at 10:30:00')).toBe('10.0.26100.1 at 10:30:00');
  });

  it('a pseudonym never equals a value of the input', () => {
    const r = createRedactor({ salt: 't' });
    r.sweep('198.51.100.1 20.1.1.1');
    expect(r.apply('20.1.1.1')).not.toBe('198.51.100.1');
    expect(r.apply('198.51.100.1')).not.toBe(r.apply('20.1.1.1'));
  });

  it('GUIDs stay GUIDs in every form; the workspace FQDN label and z{xy} follow the id', () => {
    const r = createRedactor({ salt: 't' });
    const names = workspaceNames(W.WORKSPACE_ID);
    const id = r.apply(W.WORKSPACE_ID);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(r.apply(W.WORKSPACE_ID.toUpperCase())).toBe(id.toUpperCase());
    expect(r.apply(`{${W.WORKSPACE_ID}}`)).toBe(`{${id}}`);
    expect(r.apply(W.WORKSPACE_ID.replace(/-/g, ''))).toBe(id.replace(/-/g, ''));
    const redactedNames = workspaceNames(id);
    for (const kind of ['api', 'compute', 'onelake', 'dfs', 'blob'] as const) {
      expect(r.apply(names.fqdns[kind])).toBe(redactedNames.fqdns[kind]);
      expect(r.apply(`${names.records[kind]}.privatelink.fabric.microsoft.com.`)).toBe(`${redactedNames.records[kind]}.privatelink.fabric.microsoft.com.`);
    }
    expect(r.apply(`https://app.fabric.microsoft.com/groups/${W.WORKSPACE_ID}/list`)).toBe(`https://app.fabric.microsoft.com/groups/${id}/list`);
  });

  it('names from ARM ids and known fields, at token boundaries, longest first; structure kept', () => {
    const r = createRedactor({ salt: 't' });
    r.collectValue({
      id: W.PE_ID,
      vnet: W.VNET_ID,
      zone: W.ZONE_ID,
      conn: { name: 'conn-x', properties: { groupIds: ['workspace'] } },
      sku: { name: 'F64' },
      displayName: 'Contoso Finance',
      server: 'dns1.corp.contoso.net:53',
      api: 'api.fabric.microsoft.com',
    });
    const text = `${W.PE_ID} in rg-contoso-consumer; pe-contoso-fabric.nic.1 and pe-contoso-fabric-2; Contoso Finance; dns1.corp.contoso.net; sku F64; ${W.ZONE_ID}; group workspace member workspace-api; api.fabric.microsoft.com`;
    const out = r.apply(text);
    for (const gone of ['rg-contoso-consumer', 'pe-contoso-fabric', 'Contoso Finance', 'dns1.corp.contoso.net', 'rg-contoso-dns', W.CONSUMER_SUB]) expect(out).not.toContain(gone);
    for (const kept of ['Microsoft.Network/privateEndpoints/', 'privateDnsZones/privatelink.fabric.microsoft.com', 'F64', 'group workspace member workspace-api', 'api.fabric.microsoft.com', '-2;']) expect(out).toContain(kept);
    expect(out).toMatch(/resourceGroups\/rg-\d+\/providers\/Microsoft\.Network\/privateEndpoints\/pe-\d+ in rg-\d+; pe-\d+\.nic\.1/);
    expect(r.apply(out)).toBe(out); // idempotent
  });

  it('principals, fact keys and the report vocabulary', async () => {
    const report = await W.liveRun(W.healthyWorld());
    const r = createRedactor({ salt: 't' });
    report.facts['local.dnsLookup@host.contoso.com'] = { ...Object.values(report.facts)[0]!, id: 'local.dnsLookup' };
    r.collectReport(report);
    const out = r.apply(`by ${W.UPN}, key local.dnsLookup@host.contoso.com, ${W.TARGET_NAME}, consumer.zone-records, provider.workspace@${W.TARGET_NAME}`);
    expect(out).toMatch(/^by user-1@redacted\.invalid, key local\.dnsLookup@host\.contoso\.com, target-1, consumer\.zone-records, provider\.workspace@target-1$/);
    const redacted = r.applyJson(report);
    expect(Object.keys(redacted.targets[0]!.factRefs)).toEqual(Object.keys(report.targets[0]!.factRefs));
    for (const key of Object.values(redacted.targets[0]!.factRefs)) expect(redacted.facts[key]).toBeDefined();
  });

  it('two ARM ids joined by | (a fact key) are two ids: the namespace stays, both names go', () => {
    const r = createRedactor({ salt: 't' });
    const vnet = '/subscriptions/85f82754-797c-41ef-9abc-5a48b02d062c/resourcegroups/rg-net/providers/microsoft.network/virtualnetworks/vnet-jump';
    const pe = '/subscriptions/85f82754-797c-41ef-9abc-5a48b02d062c/resourcegroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-sales';
    r.collectValue(`${vnet}|${pe}`);
    const out = r.apply(`${vnet}|${pe} ${pe}/subnets/x`);
    expect(out).toContain('/providers/microsoft.network/virtualnetworks/');
    expect(out).toContain('/providers/Microsoft.Network/privateEndpoints/');
    for (const name of ['vnet-jump', 'pe-sales', 'rg-net']) expect(out).not.toContain(name);
  });
});

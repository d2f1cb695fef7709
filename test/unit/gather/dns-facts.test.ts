// The DNS facts and checks end to end through the engine, against scripted DNS servers on loopback:
// one plays the VNet's DNS (Azure's resolver with the private zone), another the VM's own resolver.
import { afterEach, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../checks/index.js';
import { testConfig } from '../../../src/config/defaults.js';
import type { ResolvedConfig } from '../../../src/config/types.js';
import type { LookupFn } from '../../../src/dns/system.js';
import { defineFact } from '../../../src/engine/define.js';
import { runDiagnosis } from '../../../src/engine/run.js';
import { createServices } from '../../../src/engine/services.js';
import type { RunReport } from '../../../src/engine/types.js';
import { ALL_FACTS } from '../../../src/gather/index.js';
import { endpointIps, endpointNicIds, fqdnsWithoutIp } from '../../../src/gather/arm/endpoint-ips.js';
import { example } from '../../fixtures/control.js';
import { respond, startFakeDns, type FakeDns } from '../../helpers/fake-dns.js';
import { HEALTHY_IPS, NAMES, privateEndpoint, WS } from '../../helpers/dns-facts.js';
import { GET_SERVERS } from '../../../src/gather/dns/servers.js';
import { SYSTEM_LOOKUP } from '../../../src/gather/dns/system-resolve.js';

const fakes: FakeDns[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

/** Answers like 168.63.129.16 with the zone linked: the public CNAME, then the private A. */
async function azureDns(ips: Record<string, string> = HEALTHY_IPS): Promise<FakeDns> {
  const byName = new Map(Object.entries(NAMES.fqdns).map(([kind, fqdn]) => [fqdn, ips[kind]]));
  const fake = await startFakeDns((q) => {
    const ip = byName.get(q.name);
    if (!ip) return respond(q, [], { rcode: 'NXDOMAIN' });
    const target = q.name.replace('.fabric.microsoft.com', '.privatelink.fabric.microsoft.com');
    return respond(q, [{ type: 'CNAME', name: q.name, data: target }, ...(q.type === 'A' ? [{ type: 'A' as const, name: target, data: ip }] : [])]);
  });
  fakes.push(fake);
  return fake;
}

const peFact = defineFact({ id: 'consumer.privateEndpoint', version: 1, description: 'canned endpoint', gather: async () => privateEndpoint() });
const endpointIpsFact = defineFact({ id: 'consumer.endpointIps', version: 1, description: 'derived from the canned endpoint', gather: async () => endpointIps(privateEndpoint(), [], WS) });

async function diagnose(config: ResolvedConfig, inject: { lookup?: LookupFn; getServers?: () => string[] } = {}): Promise<RunReport> {
  const services = createServices(config, new AbortController().signal);
  // The documented injection points: whoever creates the services first decides.
  if (inject.lookup) services.shared(SYSTEM_LOOKUP, () => inject.lookup!);
  services.shared(GET_SERVERS, () => inject.getServers ?? (() => []));
  return runDiagnosis({ config, checks: CATALOGUE.filter((c) => c.id.startsWith('local.dns-')), facts: [...ALL_FACTS, peFact, endpointIpsFact], services });
}

const statuses = (report: RunReport) => Object.fromEntries(report.targets[0]!.results.map((r) => [r.checkId, r.status]));
const lookupAnswering = (ips: Record<string, string[]>): LookupFn => (name, _options, callback) => {
  const found = ips[name];
  if (found) callback(null, found.map((address) => ({ address, family: 4 })));
  else callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' }), []);
};
const healthyLookup = lookupAnswering(Object.fromEntries(Object.entries(NAMES.fqdns).map(([kind, fqdn]) => [fqdn, [HEALTHY_IPS[kind as keyof typeof HEALTHY_IPS]]])));

describe('DNS facts through the engine', () => {
  it('healthy: configured server, injected system lookup: every local DNS check passes', async () => {
    const dns = await azureDns();
    const config = testConfig({ targets: [{ name: 't', workspaceId: WS }], dns: { servers: [dns.server], timeoutMs: 1500, retries: 1 } });
    const report = await diagnose(config, { lookup: healthyLookup });
    expect(statuses(report)).toEqual({ 'local.dns-private': 'pass', 'local.dns-endpoint-ip': 'pass', 'local.dns-consistent': 'pass', 'local.dns-all-endpoints': 'pass' });
    const servers = Object.values(report.facts).find((f) => f.id === 'local.dnsServers')!;
    expect(servers.result).toEqual({ ok: true, value: { servers: [{ server: dns.server, source: 'config' }], systemReported: [], systemResolver: 'os' } });
  });

  it('stale client cache modelled by a second server standing in for the system resolver (dns.systemResolver)', async () => {
    const vnet = await azureDns();
    const vm = await azureDns({ ...HEALTHY_IPS, api: '10.0.0.99' });
    const config = testConfig({
      targets: [{ name: 't', workspaceId: WS }],
      dns: { servers: [vnet.server], systemResolver: vm.server, timeoutMs: 1500, retries: 1 },
    });
    const report = await diagnose(config);
    expect(statuses(report)).toEqual({ 'local.dns-private': 'pass', 'local.dns-endpoint-ip': 'fail', 'local.dns-consistent': 'fail', 'local.dns-all-endpoints': 'pass' });
    const system = Object.values(report.facts).find((f) => f.id === 'local.systemResolve')!;
    expect(system.result).toMatchObject({ ok: true, value: { via: `server ${vm.server}` } });
  });

  it('without dns.servers, the servers are what dns.getServers() reports, plus 168.63.129.16 for an Azure VM (mapped by connect-to in the sandbox)', async () => {
    const dns = await azureDns();
    const config = testConfig({
      targets: [{ name: 't', workspaceId: WS }],
      dns: { azureVm: true, timeoutMs: 300, retries: 0 },
      network: { sandbox: true, connectTo: [`168.63.129.16:53:127.0.0.1:${dns.port}`] },
    });
    const report = await diagnose(config, { lookup: healthyLookup, getServers: () => ['10.1.0.4'] });
    const servers = Object.values(report.facts).find((f) => f.id === 'local.dnsServers')!;
    expect(servers.result).toMatchObject({
      ok: true,
      value: { servers: [{ server: '10.1.0.4', source: 'system' }, { server: '168.63.129.16', source: 'azure' }], systemReported: ['10.1.0.4'] },
    });
    // 10.1.0.4 is refused by the sandbox without a packet; 168.63.129.16 answers through connect-to.
    const consistent = report.targets[0]!.results.find((r) => r.checkId === 'local.dns-consistent')!;
    expect(consistent.status).toBe('warn');
    expect(JSON.stringify(consistent.evidence)).toMatch(/sandbox: 10\.1\.0\.4:53 is not mapped/);
  });

  it('a bad server in the config makes the DNS facts fail with the place named', async () => {
    const config = testConfig({ targets: [{ name: 't', workspaceId: WS }], dns: { servers: ['127.0.0.1:0'] } });
    const report = await diagnose(config, { lookup: healthyLookup });
    const servers = Object.values(report.facts).find((f) => f.id === 'local.dnsServers')!;
    expect(servers.result).toMatchObject({ ok: false, unavailable: { kind: 'error', message: expect.stringMatching(/^dns\.servers\[0\]: DNS server "127\.0\.0\.1:0"/) } });
  });
});

describe('endpointIps (the one reading of the endpoint\'s IPs)', () => {
  it('reads customDnsConfigs, and ipConfigurations for the FQDNs it leaves out', () => {
    const pe = {
      properties: {
        customDnsConfigs: [{ fqdn: NAMES.fqdns.api.toUpperCase(), ipAddresses: ['10.0.0.5'] }],
        ipConfigurations: [
          { properties: { groupId: 'workspace', memberName: 'workspace-api', privateIPAddress: '10.0.0.5' } },
          { properties: { groupId: 'workspace', memberName: 'workspace-blob', privateIPAddress: '10.0.0.9' } },
          { properties: { groupId: 'workspace', memberName: 'other', privateIPAddress: '10.0.0.1' } },
        ],
      },
    };
    expect(endpointIps(pe, [], WS).byFqdn).toEqual({ [NAMES.fqdns.api]: ['10.0.0.5'], [NAMES.fqdns.blob]: ['10.0.0.9'] });
    expect(endpointIps(pe, [], WS).sources).toEqual({ [NAMES.fqdns.api]: 'customDnsConfigs', [NAMES.fqdns.blob]: 'ipConfigurations' });
    expect(endpointIps(undefined, []).byFqdn).toEqual({});
    // @ts-expect-error a number where ARM sends a string: the reader must tolerate it
    expect(endpointIps({ properties: { customDnsConfigs: [{ fqdn: 3 }] } }, []).byFqdn).toEqual({});
  });

  it("takes the NIC's privateLinkConnectionProperties for the FQDNs the endpoint's own JSON leaves out", () => {
    // The official NIC example, with the private-link properties a private endpoint's NIC carries.
    const nic = example('arm-network/NetworkInterfaceGet.json');
    nic.properties.ipConfigurations[0].properties.privateIPAddress = '10.0.0.7';
    nic.properties.ipConfigurations[0].properties.privateLinkConnectionProperties = { groupId: 'workspace', requiredMemberName: 'workspace-dfs', fqdns: [NAMES.fqdns.dfs] };
    const pe = { properties: { customDnsConfigs: [{ fqdn: NAMES.fqdns.api, ipAddresses: ['10.0.0.5'] }], networkInterfaces: [{ id: nic.id }] } };
    expect(fqdnsWithoutIp(pe, WS)).toHaveLength(4);
    expect(endpointNicIds(pe)).toEqual([nic.id]);
    const ips = endpointIps(pe, [nic], WS);
    expect(ips.byFqdn).toEqual({ [NAMES.fqdns.api]: ['10.0.0.5'], [NAMES.fqdns.dfs]: ['10.0.0.7'] });
    expect(ips.sources[NAMES.fqdns.dfs]).toBe('nic');
    expect(ips.nicsRead).toEqual([nic.id]);
  });
});

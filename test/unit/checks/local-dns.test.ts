// Each local.dns-* check on canned facts, through the real engine: every status it can return.
import { describe, expect, it } from 'vitest';
import dnsAllEndpoints from '../../../checks/local/dns-all-endpoints.js';
import dnsConsistent from '../../../checks/local/dns-consistent.js';
import dnsEndpointIp from '../../../checks/local/dns-endpoint-ip.js';
import dnsPrivate from '../../../checks/local/dns-private.js';
import { CATALOGUE } from '../../../checks/index.js';
import { API, directFact, HEALTHY_IPS, NAMES, ok, privateEndpoint, privatelink, runChecks, systemFact, type Canned } from '../../helpers/dns-facts.js';
import { fixText, generalFixText } from '../../helpers/fix-text.js';

const ALL = [dnsPrivate, dnsEndpointIp, dnsConsistent, dnsAllEndpoints];
const healthySystem = systemFact({ api: ['10.0.0.5'], compute: ['10.0.0.6'], onelake: ['10.0.0.7'], dfs: ['10.0.0.8'], blob: ['10.0.0.9'] });
const healthy: Canned = {
  'local.systemResolve': ok(healthySystem),
  'local.directResolve': ok(directFact({ '10.1.0.4': { addresses: ['10.0.0.5'] } })),
  'consumer.privateEndpoint': ok(privateEndpoint()),
};
const withFacts = (over: Canned): Canned => ({ ...healthy, ...over });

describe('catalogue', () => {
  it('explains each DNS check and names the setup step or the cache flush in its fix', () => {
    for (const check of CATALOGUE.filter((c) => c.id.startsWith('local.dns-'))) {
      expect(check.explain.length).toBeGreaterThan(50);
      expect(generalFixText(check)).toMatch(/step|flushdns/);
    }
  });
});

describe('healthy', () => {
  it('every check passes', async () => {
    const results = await runChecks(ALL, healthy);
    for (const check of ALL) expect([check.id, results[check.id]!.status, results[check.id]!.message]).toEqual([check.id, 'pass', expect.any(String)]);
  });
});

describe('local.dns-private', () => {
  it('fails on a public answer (zone not linked)', async () => {
    const r = (await runChecks([dnsPrivate], withFacts({ 'local.systemResolve': ok(systemFact({ api: ['20.42.0.10'] })) })))['local.dns-private']!;
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/resolves to public 20\.42\.0\.10/);
    expect(fixText(r.fix)).toMatch(/link privatelink\.fabric\.microsoft\.com/);
  });

  it('fails with NXDOMAIN after the CNAME named as the cause (record missing)', async () => {
    const r = (
      await runChecks(
        [dnsPrivate],
        withFacts({
          'local.systemResolve': ok(systemFact({})),
          'local.directResolve': ok(directFact({ '10.1.0.4': { rcode: 'NXDOMAIN', chain: [API, privatelink(API)] } })),
        }),
      )
    )['local.dns-private']!;
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/NXDOMAIN after the CNAME into privatelink\.fabric\.microsoft\.com/);
    expect(r.evidence).toMatchObject({ fqdn: API, addresses: [] });
  });

  it('fails on a loopback answer, pointing at the hosts file', async () => {
    const r = (await runChecks([dnsPrivate], withFacts({ 'local.systemResolve': ok(systemFact({ api: ['127.0.0.1'] })) })))['local.dns-private']!;
    expect(r.status).toBe('fail');
    expect(fixText(r.fix)).toMatch(/hosts file/);
  });

  it('fails when the servers time out, saying so', async () => {
    const r = (
      await runChecks(
        [dnsPrivate],
        withFacts({
          'local.systemResolve': ok(systemFact({}, { api: 'EAI_AGAIN: temporary failure' })),
          'local.directResolve': ok(directFact({ '10.1.0.4': { rcode: 'TIMEOUT', error: 'no answer from 10.1.0.4:53' } })),
        }),
      )
    )['local.dns-private']!;
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/no DNS server answered/);
  });

  it('is an error when the system resolver fact could not be gathered', async () => {
    const r = (await runChecks([dnsPrivate], withFacts({ 'local.systemResolve': { unavailable: 'error', message: 'boom' } })))['local.dns-private']!;
    expect(r.status).toBe('error');
  });
});

describe('local.dns-endpoint-ip', () => {
  it('fails on a stale client cache when the servers answer the right IP', async () => {
    const r = (await runChecks([dnsPrivate, dnsEndpointIp], withFacts({ 'local.systemResolve': ok(systemFact({ api: ['10.0.0.99'] })) })))['local.dns-endpoint-ip']!;
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/10\.0\.0\.99 on this machine, but the endpoint's IP is 10\.0\.0\.5 .*stale client cache/);
    expect(fixText(r.fix)).toMatch(/hosts-file entry[\s\S]*resolvectl flush-caches/);
    expect(r.evidence).toMatchObject({ expected: ['10.0.0.5'], found: ['10.0.0.99'] });
  });

  it('fails with the record to fix when the servers answer the wrong IP too', async () => {
    const r = (
      await runChecks(
        [dnsEndpointIp],
        withFacts({
          'local.systemResolve': ok(systemFact({ api: ['10.0.0.99'] })),
          'local.directResolve': ok(directFact({ '10.1.0.4': { addresses: ['10.0.0.99'] } })),
        }),
      )
    )['local.dns-endpoint-ip']!;
    expect(r.status).toBe('fail');
    expect(r.fix!.summary).toMatch(/^Set the A record cfafbeb180374d0c896ea46fb27ff227\.zcf\.w\.api to the endpoint's 10\.0\.0\.5/);
    expect(fixText(r.fix)).toMatch(/az network private-dns record-set a add-record .*--record-set-name cfafbeb180374d0c896ea46fb27ff227\.zcf\.w\.api --ipv4-address 10\.0\.0\.5/);
  });

  it('reads the IP from ipConfigurations when customDnsConfigs is empty', async () => {
    const pe = { properties: { ipConfigurations: [{ properties: { groupId: 'workspace', memberName: 'workspace-api', privateIPAddress: '10.0.0.5' } }] } };
    const r = (await runChecks([dnsEndpointIp], withFacts({ 'consumer.privateEndpoint': ok(pe) })))['local.dns-endpoint-ip']!;
    expect(r.status).toBe('pass');
  });

  it('skips (no-access) when the consumer side cannot be read', async () => {
    const r = (await runChecks([dnsEndpointIp], withFacts({ 'consumer.privateEndpoint': { unavailable: 'no-access' } })))['local.dns-endpoint-ip']!;
    expect(r).toMatchObject({ status: 'skip', skipReason: 'no-access' });
  });

  it('skips (not-applicable) when the endpoint lists no IP for the API FQDN', async () => {
    const r = (await runChecks([dnsEndpointIp], withFacts({ 'consumer.privateEndpoint': ok(privateEndpoint({ blob: '10.0.0.9' })) })))['local.dns-endpoint-ip']!;
    expect(r).toMatchObject({ status: 'skip', skipReason: 'not-applicable' });
  });

  it('is blocked when dns-private fails', async () => {
    const r = (await runChecks([dnsPrivate, dnsEndpointIp], withFacts({ 'local.systemResolve': ok(systemFact({ api: ['20.1.1.1'] })) })))['local.dns-endpoint-ip']!;
    expect(r).toMatchObject({ status: 'skip', skipReason: 'blocked', blockedBy: 'local.dns-private' });
  });
});

describe('local.dns-consistent', () => {
  const run = async (over: Canned) => (await runChecks([dnsConsistent], withFacts(over)))['local.dns-consistent']!;

  it('fails when only this machine differs (hosts file or cache)', async () => {
    const r = await run({ 'local.systemResolve': ok(systemFact({ api: ['10.0.0.99'] })) });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/system resolver answers 10\.0\.0\.99 but the DNS server answers 10\.0\.0\.5: a hosts-file entry or a stale client cache/);
    expect(fixText(r.fix)).toMatch(/hosts-file entry[\s\S]*resolvectl flush-caches/);
  });

  it('fails when the servers disagree with each other', async () => {
    const r = await run({ 'local.directResolve': ok(directFact({ '10.1.0.4': { addresses: ['10.0.0.5'] }, '168.63.129.16': { addresses: ['20.42.0.10'], chain: [API, 'x.trafficmanager.net'] } })) });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/the DNS servers disagree: 10\.1\.0\.4 → 10\.0\.0\.5; 168\.63\.129\.16 → 20\.42\.0\.10/);
    expect(fixText(r.fix)).toMatch(/forward fabric\.microsoft\.com to 168\.63\.129\.16/);
  });

  it('fails when the answer does not pass through the private zone', async () => {
    const r = await run({ 'local.directResolve': ok(directFact({ '10.1.0.4': { addresses: ['10.0.0.5'], chain: [API] } })) });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/without passing through privatelink\.fabric\.microsoft\.com/);
  });

  it('warns when a server did not answer but the rest agree', async () => {
    const r = await run({ 'local.directResolve': ok(directFact({ '10.1.0.4': { addresses: ['10.0.0.5'] }, '10.1.0.5': { rcode: 'TIMEOUT', error: 'no answer' } })) });
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/10\.1\.0\.5 did not answer/);
  });

  it('is an error when no server answered', async () => {
    const r = await run({ 'local.directResolve': ok(directFact({ '10.1.0.4': { rcode: 'TIMEOUT', error: 'no answer' } })) });
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/no DNS server answered/);
  });

  it('skips (not-applicable) when there is no server to ask', async () => {
    const r = await run({ 'local.directResolve': { unavailable: 'not-configured', message: 'no DNS server to ask' } });
    expect(r).toMatchObject({ status: 'skip', skipReason: 'not-applicable' });
  });
});

describe('local.dns-all-endpoints', () => {
  const run = async (over: Canned) => (await runChecks([dnsAllEndpoints], withFacts(over)))['local.dns-all-endpoints']!;

  it('fails when only the API record exists (the setup doc example)', async () => {
    const r = await run({ 'local.systemResolve': ok(systemFact({ api: ['10.0.0.5'] })) });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^4 of 4 other FQDNs are not right: compute does not resolve/);
  });

  it('fails on a wrong IP for one name', async () => {
    const r = await run({ 'local.systemResolve': ok(systemFact({ api: ['10.0.0.5'], compute: ['10.0.0.6'], onelake: ['10.0.0.7'], dfs: ['10.0.0.50'], blob: ['10.0.0.9'] })) });
    expect(r.status).toBe('fail');
    expect(r.message).toBe("1 of 4 other FQDNs are not right: dfs resolves to 10.0.0.50, the endpoint's IP is 10.0.0.8");
  });

  it('fails on a public address', async () => {
    const r = await run({ 'local.systemResolve': ok(systemFact({ ...HEALTHY_IPS_LISTS(), blob: ['20.1.2.3'] })) });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/blob resolves to non-private 20\.1\.2\.3/);
  });

  it('passes on private addresses alone when the endpoint cannot be read, and says so', async () => {
    const r = await run({ 'consumer.privateEndpoint': { unavailable: 'no-access' } });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/the endpoint could not be read/);
    expect(r.evidence).toMatchObject({ endpointIps: expect.stringMatching(/^unknown \(no-access/) });
    expect((r.evidence.names as Array<{ fqdn: string }>).map((n) => n.fqdn)).toEqual([NAMES.fqdns.compute, NAMES.fqdns.onelake, NAMES.fqdns.dfs, NAMES.fqdns.blob]);
  });
});

function HEALTHY_IPS_LISTS() {
  return Object.fromEntries(Object.entries(HEALTHY_IPS).map(([k, v]) => [k, [v]]));
}

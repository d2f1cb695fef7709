// local.tcp-443 is the ground truth: it is not blocked by the DNS checks nor by consumer.pe-in-vnet,
// and says so when it went to the endpoint's IP from ARM because DNS did not give it.
import { describe, expect, it } from 'vitest';
import dnsEndpointIp from '../../../checks/local/dns-endpoint-ip.js';
import dnsPrivate from '../../../checks/local/dns-private.js';
import tcp443 from '../../../checks/local/tcp-443.js';
import { classified } from '../../../src/dns/classify.js';
import type { ApiAddress } from '../../../src/gather/net/address.js';
import type { TcpProbeResult } from '../../../src/gather/net/tcp.js';
import { API, directFact, ok, privateEndpoint, runChecks, systemFact } from '../../helpers/dns-facts.js';

const address: ApiAddress = {
  fqdn: API,
  address: '10.0.0.5',
  addresses: classified(['20.42.0.10']),
  source: 'consumer.privateEndpoint',
  reason: `DNS answers 20.42.0.10 for ${API}, not the endpoint's 10.0.0.5: the probes go to the endpoint's IP from ARM`,
};
const probe: TcpProbeResult = { address: '10.0.0.5', port: 443, names: [API], outcome: 'open', connectMs: 3 } as TcpProbeResult;

describe('local.tcp-443', () => {
  it("runs while DNS is public, to the endpoint's IP from ARM, and says so", async () => {
    const results = await runChecks([dnsPrivate, dnsEndpointIp, tcp443], {
      'local.systemResolve': ok(systemFact({ api: ['20.42.0.10'] })),
      'local.directResolve': ok(directFact({ '10.1.0.4': { addresses: ['20.42.0.10'] } })),
      'consumer.privateEndpoint': ok(privateEndpoint()),
      'local.apiAddress': ok(address),
      'local.tcp443': ok(probe),
    });
    expect(results['local.dns-private']!.status).toBe('fail');
    const r = results['local.tcp-443']!;
    expect(r.status).toBe('pass');
    expect(r.message).toContain("the probes go to the endpoint's IP from ARM");
    expect(r.evidence).toMatchObject({ address: '10.0.0.5', addressSource: 'consumer.privateEndpoint' });
  });
});

describe('local.tcp-443 explained by consumer.pe-in-vnet', () => {
  const result = (outcome: string) => ({ checkId: 'local.tcp-443', status: 'fail', evidence: { outcome, address: '10.0.0.5' } }) as any;
  const results = new Map([['consumer.pe-in-vnet', { checkId: 'consumer.pe-in-vnet', status: 'fail', evidence: {} } as any]]);
  it('when ARM proves there is no path, a refusal or reset is its symptom too, not only a timeout', () => {
    for (const outcome of ['timeout', 'unreachable', 'refused', 'reset']) {
      expect(tcp443.explainedBy!({ result: result(outcome), results: results as any, target: { name: 't', workspaceId: 'w' } }), outcome).toContain('consumer.pe-in-vnet');
    }
    expect(tcp443.explainedBy!({ result: result('open'), results: results as any, target: { name: 't', workspaceId: 'w' } })).toEqual([]);
  });
});

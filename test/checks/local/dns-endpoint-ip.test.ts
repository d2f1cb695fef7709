// local.dns-endpoint-ip says whose IP a wrong answer is when another private endpoint holds it
// (multi-endpoint and shared zones): the same workspace's other endpoint, or a tenant-level link.
import { describe, expect, it } from 'vitest';
import dnsEndpointIp from '../../../checks/local/dns-endpoint-ip.js';
import type { IpOwnersFact } from '../../../src/gather/arm/ipOwners.js';
import { directFact, ok, privateEndpoint, runChecks, systemFact, type Canned } from '../../helpers/dns-facts.js';
import { fixText } from '../../helpers/fix-text.js';

const OTHER_PE = '/subscriptions/s/resourceGroups/rg-west/providers/Microsoft.Network/privateEndpoints/pe-west';
const facts = (owners: IpOwnersFact['owners']): Canned => ({
  'local.systemResolve': ok(systemFact({ api: ['10.9.0.5'] })),
  'local.directResolve': ok(directFact({ '10.1.0.4': { addresses: ['10.9.0.5'] } })),
  'consumer.privateEndpoint': ok(privateEndpoint()),
  'consumer.ipOwners': ok({ unexpected: ['10.9.0.5'], owners, subscriptions: ['s'], unreadable: [] }),
});

describe('local.dns-endpoint-ip', () => {
  it("names another endpoint for the same workspace writing the shared zone", async () => {
    const r = (await runChecks([dnsEndpointIp], facts([{ ip: '10.9.0.5', kind: 'same-workspace-endpoint', privateEndpointId: OTHER_PE, privateLinkServiceId: 'pls', groupIds: ['workspace'] }])))['local.dns-endpoint-ip']!;
    expect(r.status).toBe('fail');
    expect(r.message).toContain(`10.9.0.5 is the IP of another private endpoint for this same workspace, ${OTHER_PE}`);
    expect(fixText(r.fix)).toContain('last writer wins');
    expect(r.evidence.owners).toHaveLength(1);
  });

  it('names a tenant-level Fabric private link endpoint', async () => {
    const r = (await runChecks([dnsEndpointIp], facts([{ ip: '10.9.0.5', kind: 'tenant-private-link', privateEndpointId: OTHER_PE, privateLinkServiceId: 'pbi', groupIds: ['tenant'] }])))['local.dns-endpoint-ip']!;
    expect(r.status).toBe('fail');
    expect(r.message).toContain('tenant-level Fabric (Power BI) private link endpoint');
  });

  it('without an owner it keeps the stale-record message', async () => {
    const r = (await runChecks([dnsEndpointIp], facts([])))['local.dns-endpoint-ip']!;
    expect(r.status).toBe('fail');
    expect(r.message).not.toContain('is the IP of');
    expect(fixText(r.fix)).toContain('Set the A record');
  });
});

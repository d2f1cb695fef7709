// Fact changes in words: the changes of real faults (shapes as the lab records them), noise folded.
import { describe, expect, it } from 'vitest';
import type { FactChange } from '../../../src/snapshot/diff.js';
import { describeFactChanges } from '../../../src/snapshot/diff-words.js';

const WS = '03552931-5788-4c92-9bde-e072899c81fa';
const API = '0355293157884c929bdee072899c81fa.z03.w.api.fabric.microsoft.com';
const c = (factId: string, path: string, change: FactChange['change'], before?: unknown, after?: unknown): FactChange => ({
  factId,
  path,
  change,
  ...(before !== undefined ? { before } : {}),
  ...(after !== undefined ? { after } : {}),
});

describe('describeFactChanges', () => {
  it('an unlinked zone: the link removed and each FQDN turning public, once each; ports and chains folded', () => {
    const changes = [
      c('consumer.privateDnsZone.vnetLinks', 'consumer.privateDnsZone.vnetLinks › value › link-hub-weu', 'removed', { id: '/subscriptions/1/x', name: 'link-hub-weu', properties: {} }),
      c('local.directResolve', 'local.directResolve › servers[0]', 'changed', '127.0.0.1:39583', '127.0.0.1:44678'),
      c('local.directResolve', 'local.directResolve › queries[0].chain[2]', 'added', undefined, 'fabric-prod-westeurope.trafficmanager.net'),
      c('local.directResolve', 'local.directResolve › queries[0].addresses[0].address', 'changed', '10.95.128.4', '20.94.123.229'),
      c('local.directResolve', 'local.directResolve › queries[0].addresses[0].class', 'changed', 'private', 'public'),
      c('local.systemResolve', `local.systemResolve › answers.${API}.addresses[0].address`, 'changed', '10.95.128.4', '20.94.123.229'),
      c('local.systemResolve', `local.systemResolve › answers.${API}.via`, 'changed', 'server 127.0.0.1:35263', 'server 127.0.0.1:45701'),
      c('local.tcp443', 'local.tcp443', 'removed', { address: '10.95.128.4', port: 443 }),
    ];
    expect(describeFactChanges(changes, WS)).toEqual(['zone link link-hub-weu removed', 'api FQDN 10.95.128.4 private → 20.94.123.229 public']);
  });

  it('a pending connection, a policy change, an endpoint gone, a certificate replaced', () => {
    const changes = [
      c(
        'consumer.privateEndpoint',
        'consumer.privateEndpoint › properties.manualPrivateLinkServiceConnections › pe-1-connection › properties.privateLinkServiceConnectionState.status',
        'changed',
        'Approved',
        'Pending',
      ),
      c('provider.communicationPolicy', 'provider.communicationPolicy › inbound.publicAccessRules.defaultAction', 'changed', 'Deny', 'Allow'),
      c('consumer.dnsZoneGroups', 'consumer.dnsZoneGroups', 'changed', { value: [] }, { unavailable: 'not-found', message: 'gone' }),
      c('local.tls', 'local.tls › certificate.fingerprint256', 'changed', 'AA', 'BB'),
      c('local.tls', 'local.tls › chain[0].serialNumber', 'changed', '01', '02'),
    ];
    expect(describeFactChanges(changes, WS)).toEqual([
      'private endpoint connection pe-1-connection: status Approved → Pending',
      'communication policy: defaultAction Deny → Allow',
      'DNS zone group: not found',
      'TLS certificate changed',
    ]);
  });

  it('a listener that only moved to another port is no change; a real server change is one', () => {
    const moved = [
      c('local.dnsServers', 'local.dnsServers › servers › 127.0.0.1:39583', 'removed', { server: '127.0.0.1:39583' }),
      c('local.dnsServers', 'local.dnsServers › servers › 127.0.0.1:44678', 'added', undefined, { server: '127.0.0.1:44678' }),
    ];
    expect(describeFactChanges(moved, WS)).toEqual([]);
    const real = [c('local.dnsServers', 'local.dnsServers › servers › 10.0.0.4', 'removed', { server: '10.0.0.4' })];
    expect(describeFactChanges(real, WS)).toEqual(['DNS server 10.0.0.4 removed']);
  });
});

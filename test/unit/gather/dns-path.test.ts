// The DNS path's pure parts and its facts: effective servers, rule matching, the model on an
// inventory, the metadata service, the servers the direct queries go to, where the probes connect,
// and whose IP a wrong answer is.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { inPrefix, prefixLength, classified } from '../../../src/dns/classify.js';
import { computeDnsPath, effectiveServers, matchingRule, type DnsInventory } from '../../../src/gather/arm/dnsPathModel.js';
import { ownerKind } from '../../../src/gather/arm/ipOwners.js';
import { askImds, IMDS_PATH } from '../../../src/gather/arm/vm.js';
import { serversOnPath } from '../../../src/gather/dns/direct-resolve.js';
import { chooseAddress } from '../../../src/gather/net/address.js';
import { reset } from '../../fixtures/azure-mock.js';
import * as fx from '../../fixtures/control.js';
import { HUB_VNET, VM_ID, hubAndSpoke } from '../../fixtures/topology.js';
import { runWorld } from '../../helpers/topology-run.js';

afterEach(() => reset());

const empty = (): DnsInventory => ({ subscriptions: ['s'], inboundEndpoints: [], firewalls: [], rulesets: [], nics: [], gaps: [] });

describe('effective DNS servers', () => {
  it("the NIC's servers override the VNet's; none anywhere is Azure-provided", () => {
    expect(effectiveServers(['10.1.0.4'], ['10.2.0.4'])).toEqual({ serversSource: 'nic', servers: ['10.1.0.4'] });
    expect(effectiveServers([], ['10.2.0.4'])).toEqual({ serversSource: 'vnet', servers: ['10.2.0.4'] });
    expect(effectiveServers(undefined, [])).toEqual({ serversSource: 'azure-provided', servers: [] });
  });
  it('"AzureProvidedDNS" on the NIC switches back to Azure DNS (Network RP schema)', () => {
    expect(effectiveServers(['AzureProvidedDNS'], ['10.2.0.4'])).toEqual({ serversSource: 'azure-provided', servers: [] });
  });
});

describe('forwarding rules', () => {
  const rule = (domainName: string, state = 'Enabled') => ({ rulesetId: 'rs', domainName, state, targets: [] });
  it('the longest matching suffix wins; the wildcard "." matches last', () => {
    const rules = [rule('.'), rule('microsoft.com.'), rule('fabric.microsoft.com.'), rule('contoso.com.')];
    expect(matchingRule(rules, ['x.z1.w.api.fabric.microsoft.com'])?.domainName).toBe('fabric.microsoft.com.');
    expect(matchingRule([rule('.'), rule('contoso.com.')], ['x.fabric.microsoft.com'])?.domainName).toBe('.');
    expect(matchingRule([rule('contoso.com.')], ['x.fabric.microsoft.com'])).toBeUndefined();
  });
  it('a suffix matches whole labels only', () => {
    expect(matchingRule([rule('crosoft.com.')], ['fabric.microsoft.com'])).toBeUndefined();
  });
});

describe('the model', () => {
  it('Azure-provided DNS with no ruleset resolves in the VM VNet', () => {
    const path = computeDnsPath({ vmVnetId: fx.VNET_ID, vnetDnsServers: [], names: ['a.fabric.microsoft.com'], inventory: empty() });
    expect(path).toMatchObject({ serversSource: 'azure-provided', resolvingVnetIds: [fx.VNET_ID], health: 'ok' });
  });
  it('two hub forwarders in two VNets: both are resolving VNets (either may be asked)', () => {
    const inventory = empty();
    inventory.nics = [
      { id: 'nic1', ips: ['10.1.0.4'], vnetId: HUB_VNET, virtualMachineId: 'vm1' },
      { id: 'nic2', ips: ['10.2.0.4'], vnetId: fx.VNET_ID, virtualMachineId: 'vm2' },
    ];
    const path = computeDnsPath({ vmVnetId: fx.VNET_ID, vnetDnsServers: ['10.1.0.4', '10.2.0.4'], names: ['a.fabric.microsoft.com'], inventory });
    expect(path.resolvingVnetIds).toEqual([HUB_VNET, fx.VNET_ID]);
    expect(path.health).toBe('opaque');
  });
  it('a firewall in a Virtual WAN hub resolving with Azure DNS is broken: no zone can be linked to the hub', () => {
    const inventory = empty();
    inventory.firewalls = [{ id: 'fw', ips: ['10.9.0.4'], virtualHubId: 'hub', proxyEnabled: true, dnsServers: [] }];
    const path = computeDnsPath({ vmVnetId: fx.VNET_ID, vnetDnsServers: ['10.9.0.4'], names: ['a.fabric.microsoft.com'], inventory });
    expect(path.health).toBe('broken');
    expect(path.hops[0]!.note).toContain('Virtual WAN');
  });
});

describe('facts on the official shapes', () => {
  it('consumer.dnsPath and consumer.jumpVm record what was read: the VM, its NIC, the subscriptions, the hops', async () => {
    const w = hubAndSpoke();
    const run = await runWorld(w, { target: { ...fx.target(), consumer: { ...fx.target().consumer!, privateDnsZoneId: undefined, vmId: VM_ID } } });
    expect(run.fact('consumer.jumpVm')).toMatchObject({ vmId: VM_ID, source: 'config', vnetId: fx.VNET_ID, subnetId: fx.SUBNET_ID, privateIp: '10.0.1.4' });
    const path = run.fact('consumer.dnsPath');
    expect(path.subscriptions).toEqual([fx.SUB_1, HUB_VNET.split('/')[2]]);
    expect(path.vmVnetSource).toBe('config');
    expect(path.hops[0].next[0]).toMatchObject({ kind: 'azure-provided', vnetId: HUB_VNET });
  });

  it('without consumer.vnetId, the VM named by consumer.vmId gives the VNet', async () => {
    const w = hubAndSpoke();
    const base = fx.target().consumer!;
    const run = await runWorld(w, { target: { ...fx.target(), consumer: { tenantId: base.tenantId!, subscriptionId: base.subscriptionId!, privateEndpointId: base.privateEndpointId!, vmId: VM_ID } } });
    expect(run.fact('consumer.vnetId')).toEqual({ vnetId: fx.VNET_ID, source: 'jump-vm' });
  });
});

describe('the instance metadata service', () => {
  let server: http.Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function imds(handler: http.RequestListener): Promise<number> {
    server = http.createServer(handler);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  it('is asked with Metadata: true through connect-to, and names the VM', async () => {
    const seen: Array<{ path?: string; metadata?: string }> = [];
    const port = await imds((req, res) => {
      seen.push({ path: req.url, metadata: req.headers.metadata as string });
      res.end(JSON.stringify({ compute: { resourceId: VM_ID } }));
    });
    const answer = await askImds({ network: { connectTo: [`169.254.169.254:80:127.0.0.1:${port}`], sandbox: true } }, new AbortController().signal);
    expect(answer).toEqual({ ok: true, vmId: VM_ID });
    expect(seen).toEqual([{ path: IMDS_PATH, metadata: 'true' }]);
  });

  it('is not asked in the sandbox unless connect-to maps it', async () => {
    const answer = await askImds({ network: { connectTo: [], sandbox: true } }, new AbortController().signal);
    expect(answer.ok).toBe(false);
    expect(!answer.ok && answer.reason).toContain('sandbox');
  });

  it('an answer without a VM id is no VM, not an error', async () => {
    const port = await imds((_req, res) => res.end(JSON.stringify({ compute: {} })));
    const answer = await askImds({ network: { connectTo: [`169.254.169.254:80:127.0.0.1:${port}`], sandbox: true } }, new AbortController().signal);
    expect(answer).toMatchObject({ ok: false });
  });
});

describe('the local side follows the path', () => {
  const entries = [
    { server: '10.1.0.4', source: 'system' as const },
    { server: '168.63.129.16', source: 'azure' as const },
  ];
  it('168.63.129.16 is asked only when the path is Azure-provided; the path servers are added', () => {
    expect(serversOnPath(entries, { serversSource: 'vnet', servers: ['10.100.0.4'] }).map((e) => [e.server, e.source])).toEqual([
      ['10.1.0.4', 'system'],
      ['10.100.0.4', 'path'],
    ]);
    expect(serversOnPath(entries, { serversSource: 'azure-provided', servers: [] })).toEqual(entries);
    expect(serversOnPath(entries, undefined)).toEqual(entries);
  });

  it("the probes go to the endpoint's IP from ARM when DNS does not give it", () => {
    const fqdn = fx.NAMES.fqdns.api;
    expect(chooseAddress(fqdn, classified(['20.42.0.10']), ['192.168.0.4'])).toMatchObject({ address: '192.168.0.4', source: 'consumer.privateEndpoint' });
    expect(chooseAddress(fqdn, classified([]), ['192.168.0.4'])?.reason).toContain('DNS gives no address');
    expect(chooseAddress(fqdn, classified(['192.168.0.4']), ['192.168.0.4'])).toEqual({ address: '192.168.0.4', source: 'local.systemResolve' });
    expect(chooseAddress(fqdn, classified(['20.42.0.10']), [])).toEqual({ address: '20.42.0.10', source: 'local.systemResolve' });
    expect(chooseAddress(fqdn, classified([]), [])).toBeUndefined();
  });

  it('whose IP: the same service is another endpoint for this workspace; a Power BI service or group "tenant" is the tenant-level link', () => {
    const ours = fx.privateEndpoint();
    expect(ownerKind(ours, fx.PLS_ID).kind).toBe('same-workspace-endpoint');
    const tenant = fx.privateEndpoint();
    tenant.properties.manualPrivateLinkServiceConnections[0].properties.privateLinkServiceId = `/subscriptions/${fx.SUB_2}/resourceGroups/rg/providers/Microsoft.PowerBI/privateLinkServicesForPowerBI/pbi`;
    tenant.properties.manualPrivateLinkServiceConnections[0].properties.groupIds = ['tenant'];
    expect(ownerKind(tenant, fx.PLS_ID).kind).toBe('tenant-private-link');
    expect(ownerKind(fx.example('arm-network/PrivateEndpointGet.json'), fx.PLS_ID).kind).toBe('other-endpoint');
  });
});

describe('consumer.ipOwners on the official list shape', () => {
  it("a second endpoint for the same workspace, whose IP the shared zone holds, is named in local.dns-endpoint-ip", async () => {
    const other = fx.example('arm-network/PrivateEndpointList.json').value[0];
    other.id = `/subscriptions/${fx.SUB_1}/resourceGroups/rg-west/providers/Microsoft.Network/privateEndpoints/pe-west`;
    other.properties.customDnsConfigs = [{ fqdn: fx.NAMES.fqdns.api, ipAddresses: ['10.9.0.5'] }];
    other.properties.privateLinkServiceConnections = [];
    other.properties.manualPrivateLinkServiceConnections = [{ properties: { privateLinkServiceId: fx.PLS_ID, groupIds: ['workspace'] } }];
    const run = await runWorld(hubAndSpoke(), {
      systemAnswer: '10.9.0.5',
      extraChecks: ['local.dns-private', 'local.dns-endpoint-ip'],
      overrides: { [`/subscriptions/${fx.SUB_1}/providers/Microsoft.Network/privateEndpoints`]: [[200, { value: [fx.privateEndpoint(), other] }]] },
    });
    expect(run.fact('consumer.ipOwners')).toMatchObject({ unexpected: ['10.9.0.5'], owners: [{ ip: '10.9.0.5', kind: 'same-workspace-endpoint', privateEndpointId: other.id }] });
    const r = run.byId['local.dns-endpoint-ip']!;
    expect(r.status).toBe('fail');
    expect(r.message).toContain(`another private endpoint for this same workspace, ${other.id}`);
  });

  it('an answer that is the endpoint\'s own IP reads nothing', async () => {
    const run = await runWorld(hubAndSpoke(), { systemAnswer: fx.IPS.api!, extraChecks: ['local.dns-private', 'local.dns-endpoint-ip'] });
    expect(run.fact('consumer.ipOwners')).toEqual({ unexpected: [], owners: [], subscriptions: [], unreadable: [] });
    expect(run.seen.some((s) => s.path.endsWith('/privateendpoints'))).toBe(false);
  });
});

describe('address prefixes', () => {
  it('inPrefix and prefixLength', () => {
    expect(inPrefix('10.100.1.4', '10.100.0.0/16')).toBe(true);
    expect(inPrefix('10.101.1.4', '10.100.0.0/16')).toBe(false);
    expect(inPrefix('10.1.1.1', '0.0.0.0/0')).toBe(true);
    expect(inPrefix('10.1.1.1', 'not-a-prefix')).toBe(false);
    expect(prefixLength('10.0.3.0/24')).toBe(24);
    expect(prefixLength('x')).toBe(-1);
  });
});

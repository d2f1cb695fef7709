// consumer.dns-path on a hub and spoke built from the official examples (never the lab's): each
// kind of DNS server, each broken hop ARM can show, and the hops it cannot see into.
import { afterEach, describe, expect, it } from 'vitest';
import dnsPath from '../../../checks/consumer/dns-path.js';
import { reset } from '../../fixtures/azure-mock.js';
import { evaluate, na } from '../../fixtures/engine.js';
import * as fx from '../../fixtures/control.js';
import { FIREWALL_ID, HUB_VNET, INBOUND_ID, IP, POLICY_ID, RULESET_ID, VM_ID, hubAndSpoke, rulesetLink } from '../../fixtures/topology.js';
import { runWorld, topologyTarget } from '../../helpers/topology-run.js';

afterEach(() => reset());

describe('consumer.dns-path', () => {
  it('a resolver inbound endpoint in the hub: pass, the hub is the resolving VNet', async () => {
    const { byId } = await runWorld(hubAndSpoke());
    const r = byId['consumer.dns-path']!;
    expect(r.status).toBe('pass');
    expect(r.evidence.resolvingVnetIds).toEqual([HUB_VNET]);
    expect(r.evidence.serversSource).toBe('vnet');
    expect((r.evidence.hops as any[])[0]).toMatchObject({ server: IP.inbound, kind: 'resolver-inbound', resourceId: INBOUND_ID, health: 'ok' });
  });

  it('an inbound endpoint that is not Succeeded: fail, with the command that shows why', async () => {
    const w = hubAndSpoke();
    w.inbound.properties.provisioningState = 'Failed';
    const r = (await runWorld(w)).byId['consumer.dns-path']!;
    expect(r.status).toBe('fail');
    expect(r.message).toContain('Failed, not Succeeded');
    const commands = r.fix!.steps.flatMap((s) => (s.commands ? [s.commands.bash] : []));
    expect(commands.join('\n')).toContain('az dns-resolver inbound-endpoint show --dns-resolver-name resolver-hub --name inbound');
  });

  it('the firewall as DNS server with its policy proxy on: pass, resolving from its VNet', async () => {
    const w = hubAndSpoke();
    w.spoke.properties.dhcpOptions.dnsServers = [IP.firewall];
    const r = (await runWorld(w)).byId['consumer.dns-path']!;
    expect(r.status).toBe('pass');
    expect(r.evidence.resolvingVnetIds).toEqual([HUB_VNET]);
    expect((r.evidence.hops as any[])[0]).toMatchObject({ kind: 'firewall-proxy', resourceId: FIREWALL_ID });
  });

  it("the firewall policy's DNS proxy off: fail, and the fix turns it on in that policy", async () => {
    const w = hubAndSpoke();
    w.spoke.properties.dhcpOptions.dnsServers = [IP.firewall];
    w.policy.properties.dnsSettings.enableProxy = false;
    const r = (await runWorld(w)).byId['consumer.dns-path']!;
    expect(r.status).toBe('fail');
    expect(r.message).toContain('DNS proxy is off');
    const bash = r.fix!.steps.map((s) => s.commands?.bash ?? '').join('\n');
    expect(bash).toContain(`az network firewall policy update --name fwpolicy-hub --resource-group rg-connectivity --subscription ${POLICY_ID.split('/')[2]} --enable-dns-proxy true`);
    expect(r.fix!.steps[0]!.commands?.bash).toBe(`az login --tenant ${fx.TENANT_1}`);
  });

  it('the official policy example forwards to its own servers: the path follows them (here an unknown server)', async () => {
    const w = hubAndSpoke();
    w.spoke.properties.dhcpOptions.dnsServers = [IP.firewall];
    w.policy.properties.dnsSettings.servers = ['30.3.4.5'];
    const r = (await runWorld(w)).byId['consumer.dns-path']!;
    expect(r.evidence.suspect).toEqual(['30.3.4.5']);
    expect((r.evidence.hops as any[]).map((h) => [h.server, h.kind])).toEqual([
      [IP.firewall, 'firewall-proxy'],
      ['30.3.4.5', 'unknown'],
    ]);
  });

  it('a ruleset linked to the spoke forwards fabric.microsoft.com to the hub resolver: pass, resolving in the hub', async () => {
    const w = hubAndSpoke();
    w.spoke.properties.dhcpOptions.dnsServers = [];
    w.rulesetLinks.value = [rulesetLink(fx.VNET_ID)];
    const r = (await runWorld(w)).byId['consumer.dns-path']!;
    expect(r.status).toBe('pass');
    expect(r.evidence.serversSource).toBe('azure-provided');
    expect(r.evidence.resolvingVnetIds).toEqual([HUB_VNET]);
    // A zone linked to the spoke would answer first: the spoke is an alternative for the link.
    expect(r.evidence.resolutions).toEqual([expect.objectContaining({ vnetIds: [HUB_VNET, fx.VNET_ID] })]);
  });

  it('the matching rule Disabled: fail, and the fix enables that rule', async () => {
    const w = hubAndSpoke();
    w.spoke.properties.dhcpOptions.dnsServers = [];
    w.rulesetLinks.value = [rulesetLink(fx.VNET_ID)];
    w.rules.value[0].properties.forwardingRuleState = 'Disabled';
    const r = (await runWorld(w)).byId['consumer.dns-path']!;
    expect(r.status).toBe('fail');
    expect(r.message).toContain('is Disabled');
    expect(r.fix!.steps.map((s) => s.commands?.bash ?? '').join('\n')).toContain(
      `az dns-resolver forwarding-rule update --ruleset-name ruleset-hub --name fabric --resource-group rg-connectivity --subscription ${RULESET_ID.split('/')[2]} --forwarding-rule-state Enabled`,
    );
  });

  it("a ruleset forwarding to the inbound endpoint linked to the resolver's own VNet: a loop, fail", async () => {
    const w = hubAndSpoke();
    w.rulesetLinks.value = [rulesetLink(HUB_VNET)];
    const r = (await runWorld(w)).byId['consumer.dns-path']!;
    expect(r.status).toBe('fail');
    expect(r.message).toContain('loop');
  });

  it("the VM's NIC overrides the VNet's servers (consumer.vmId, the official VM and NIC shapes)", async () => {
    const w = hubAndSpoke();
    w.spoke.properties.dhcpOptions.dnsServers = [];
    w.vmNic.properties.dnsSettings.dnsServers = [IP.inbound];
    const { byId, seen } = await runWorld(w, { target: topologyTarget({ vmId: VM_ID }) });
    const r = byId['consumer.dns-path']!;
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ serversSource: 'nic', servers: [IP.inbound], resolvingVnetIds: [HUB_VNET] });
    expect(r.evidence.jumpVm).toMatchObject({ vmId: VM_ID, source: 'config' });
    expect(seen.every((s) => s.method === 'GET')).toBe(true);
  });

  it("a forwarder VM ARM cannot see into, the VM's resolver answering publicly: the forwarder is named first suspect, local.dns-private judges", async () => {
    const w = hubAndSpoke();
    w.spoke.properties.dhcpOptions.dnsServers = [IP.forwarder];
    const r = (await runWorld(w)).byId['consumer.dns-path']!;
    expect(r.status).toBe('pass');
    expect(r.message).toContain(`${IP.forwarder} is the first suspect`);
    expect(r.evidence.suspect).toEqual([IP.forwarder]);
    expect((r.evidence.hops as any[])[0]).toMatchObject({ kind: 'vm-forwarder', health: 'opaque', vnetId: HUB_VNET });
    expect(r.evidence.resolvingVnetIds).toEqual([HUB_VNET]);
  });

  it("an opaque hop warns when the VM's own resolver was not observed (nothing else decides)", async () => {
    const w = hubAndSpoke();
    w.spoke.properties.dhcpOptions.dnsServers = [IP.forwarder];
    const run = await runWorld(w);
    const path = run.fact('consumer.dnsPath');
    const results = await evaluate([dnsPath], { 'consumer.dnsPath': path, 'local.systemResolve': na('timeout', 'no answer') }, topologyTarget());
    expect(results['consumer.dns-path']!.status).toBe('warn');
    expect(results['consumer.dns-path']!.message).toContain('ARM cannot see where it forwards');
  });

  it("the same forwarder passes once the VM's own resolver answers privately (the ground truth decides)", async () => {
    const w = hubAndSpoke();
    w.spoke.properties.dhcpOptions.dnsServers = [IP.forwarder];
    const r = (await runWorld(w, { systemAnswer: fx.IPS.api! })).byId['consumer.dns-path']!;
    expect(r.status).toBe('pass');
    expect(r.evidence.confirmedBy).toMatchObject({ check: 'local.dns-private', addresses: [fx.IPS.api] });
  });

  it('an on-premises server nothing in ARM owns: kind unknown, no resolving VNet, the first suspect', async () => {
    const w = hubAndSpoke();
    w.spoke.properties.dhcpOptions.dnsServers = [IP.onPrem];
    const r = (await runWorld(w)).byId['consumer.dns-path']!;
    expect(r.status).toBe('pass');
    expect(r.evidence.suspect).toEqual([IP.onPrem]);
    expect((r.evidence.hops as any[])[0]).toMatchObject({ server: IP.onPrem, kind: 'unknown', health: 'opaque' });
    expect(r.evidence.resolvingVnetIds).toEqual([]);
  });

  it('a hub subscription it may not read: the server is unknown and the failed read is named, never a failure', async () => {
    const w = hubAndSpoke();
    const forbidden: [number, unknown] = [403, { error: { code: 'AuthorizationFailed', message: 'no' } }];
    const hub = `/subscriptions/${HUB_VNET.split('/')[2]}/providers/Microsoft.Network`;
    const r = (
      await runWorld(w, { overrides: { [`${hub}/dnsResolvers`]: [forbidden], [`${hub}/azureFirewalls`]: [forbidden], [`${hub}/dnsForwardingRulesets`]: [forbidden], [`${hub}/networkInterfaces`]: [forbidden] } })
    ).byId['consumer.dns-path']!;
    expect(r.status).not.toBe('fail');
    expect(r.message).toContain('first suspect');
    expect((r.evidence.gaps as any[]).map((g) => g.kind)).toContain('forbidden');
  });
});

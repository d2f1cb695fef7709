// consumer.zone-linked judges the link on the resolving VNet (consumer.dns-path), on a hub and spoke
// built from the official examples: no false failure when only the hub is linked, and a fix that
// names the hub when only the spoke is.
import { afterEach, describe, expect, it } from 'vitest';
import { reset } from '../../fixtures/azure-mock.js';
import * as fx from '../../fixtures/control.js';
import { HUB_VNET, IP, ZONE_ID, hubAndSpoke, rulesetLink } from '../../fixtures/topology.js';
import { runWorld } from '../../helpers/topology-run.js';

afterEach(() => reset());

describe('consumer.zone-linked', () => {
  it('passes when only the hub, which resolves, is linked (the CAF / landing-zone default)', async () => {
    const r = (await runWorld(hubAndSpoke())).byId['consumer.zone-linked']!;
    expect(r.status).toBe('pass');
    expect(r.evidence.resolvingVnetIds).toEqual([HUB_VNET]);
  });

  it("fails when only the spoke is linked, says that link is unused, and the fix links the hub", async () => {
    const w = hubAndSpoke();
    w.zoneLinks[0].properties.virtualNetwork.id = fx.VNET_ID;
    const r = (await runWorld(w)).byId['consumer.zone-linked']!;
    expect(r.status).toBe('fail');
    expect(r.message).toContain('no link to the resolving VNet vnet-hub');
    expect(r.message).toContain('is not used');
    const create = r.fix!.steps.find((s) => s.commands?.bash.includes('private-dns link vnet create'))!;
    const zone = ZONE_ID.split('/');
    expect(create.tenant).toBe('consumer');
    expect(create.commands!.bash).toBe(
      `az network private-dns link vnet create --subscription ${zone[2]} --resource-group ${zone[4]} --zone-name privatelink.fabric.microsoft.com --name link-vnet-hub --virtual-network ${HUB_VNET} --registration-enabled false`,
    );
    expect(create.commands!.powershell).toContain(`--virtual-network ${HUB_VNET}`);
    expect(r.fix!.steps[0]!.commands?.bash).toBe(`az login --tenant ${fx.TENANT_1}`);
  });

  it('with a ruleset on the spoke, a link to the spoke also answers (a linked zone answers first)', async () => {
    const w = hubAndSpoke();
    w.spoke.properties.dhcpOptions.dnsServers = [];
    w.rulesetLinks.value = [rulesetLink(fx.VNET_ID)];
    w.zoneLinks[0].properties.virtualNetwork.id = fx.VNET_ID;
    expect((await runWorld(w)).byId['consumer.zone-linked']!.status).toBe('pass');
  });

  it('is blocked by a broken DNS path (one root cause)', async () => {
    const w = hubAndSpoke();
    w.spoke.properties.dhcpOptions.dnsServers = [IP.firewall];
    w.policy.properties.dnsSettings.enableProxy = false;
    const r = (await runWorld(w)).byId['consumer.zone-linked']!;
    expect(r).toMatchObject({ status: 'skip', skipReason: 'blocked', blockedBy: 'consumer.dns-path' });
  });

  it('skips when ARM shows no resolving VNet (an on-premises server): the local checks decide', async () => {
    const w = hubAndSpoke();
    w.spoke.properties.dhcpOptions.dnsServers = [IP.onPrem];
    const r = (await runWorld(w)).byId['consumer.zone-linked']!;
    expect([r.status, r.skipReason]).toEqual(['skip', 'not-applicable']);
  });
});

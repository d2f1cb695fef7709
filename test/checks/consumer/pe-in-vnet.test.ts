// consumer.pe-in-vnet names the path ARM shows (same VNet, a peering, a hub with a route to a
// virtual appliance) and fails only when ARM proves there is none; and the whole hub and spoke,
// never seen by the lab, raises no false failure.
import { afterEach, describe, expect, it } from 'vitest';
import { reset } from '../../fixtures/azure-mock.js';
import * as fx from '../../fixtures/control.js';
import { HUB_VNET, IP, PE_SPOKE_VNET, ROUTE_TABLE_ID, hubAndSpoke, type World } from '../../fixtures/topology.js';
import { runWorld } from '../../helpers/topology-run.js';

afterEach(() => reset());

/** The endpoint in a dedicated spoke peered with the hub only; the VM's subnet routes through the hub firewall. */
function peSpoke(): World {
  const w = hubAndSpoke();
  w.pe.properties.subnet.id = `${PE_SPOKE_VNET}/subnets/endpoints`;
  w.spoke.properties.subnets[0].properties.routeTable = { id: ROUTE_TABLE_ID };
  return w;
}

describe('consumer.pe-in-vnet', () => {
  it('passes through a Connected peering with the hub that holds the endpoint, naming it', async () => {
    const r = (await runWorld(hubAndSpoke())).byId['consumer.pe-in-vnet']!;
    expect(r.status).toBe('pass');
    expect(r.message).toContain('peering spoke-to-hub, Connected');
  });

  it('fails when that peering is Disconnected (ARM proves there is no path)', async () => {
    const w = hubAndSpoke();
    w.spoke.properties.virtualNetworkPeerings[0].properties.peeringState = 'Disconnected';
    const r = (await runWorld(w)).byId['consumer.pe-in-vnet']!;
    expect(r.status).toBe('fail');
    expect(r.message).toContain('Disconnected');
  });

  it('warns, naming the hub and the appliance, for an endpoint spoke reached through the hub firewall (official route table shape)', async () => {
    const r = (await runWorld(peSpoke())).byId['consumer.pe-in-vnet']!;
    expect(r.status).toBe('warn');
    expect(r.message).toContain('through the hub vnet-hub');
    expect(r.evidence.path).toContain(HUB_VNET);
    expect(r.message).toContain(`VirtualAppliance ${IP.firewall}`);
    expect(r.evidence.route).toMatchObject({ addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', routeTableId: ROUTE_TABLE_ID });
  });

  it("fails when the hub's peering to the endpoint spoke is Disconnected", async () => {
    const w = peSpoke();
    w.hub.properties.virtualNetworkPeerings[1].properties.peeringState = 'Disconnected';
    const r = (await runWorld(w)).byId['consumer.pe-in-vnet']!;
    expect(r.status).toBe('fail');
    expect(r.message).toContain('hub-to-endpoints');
  });

  it('fails when the hub is peered with the endpoint spoke but no route sends the traffic there (peering is not transitive)', async () => {
    const w = peSpoke();
    delete w.spoke.properties.subnets[0].properties.routeTable;
    const r = (await runWorld(w)).byId['consumer.pe-in-vnet']!;
    expect(r.status).toBe('fail');
    expect(r.message).toContain('not transitive');
  });

  it('warns (never fails) when the hub cannot be read', async () => {
    const r = (await runWorld(peSpoke(), { overrides: { [HUB_VNET]: [[403, { error: { code: 'AuthorizationFailed', message: 'no' } }]] } })).byId['consumer.pe-in-vnet']!;
    expect(r.status).toBe('warn');
    expect(r.message).toContain('could not read');
  });
});

describe('a hub and spoke the lab never built', () => {
  for (const [name, dnsServers] of [
    ['resolver inbound endpoint', [IP.inbound]],
    ['firewall DNS proxy', [IP.firewall]],
  ] as const) {
    it(`${name} as DNS, zone in the connectivity subscription linked to the hub, endpoint spoke behind the firewall: no failure`, async () => {
      const w = peSpoke();
      w.spoke.properties.dhcpOptions.dnsServers = [...dnsServers];
      const { byId, seen } = await runWorld(w, { systemAnswer: fx.IPS.api! });
      const failures = Object.values(byId).filter((r) => r.status === 'fail' || r.status === 'error');
      expect(failures.map((r) => `${r.checkId}: ${r.message}`)).toEqual([]);
      const warns = Object.values(byId).filter((r) => r.status === 'warn').map((r) => r.checkId);
      expect(warns).toEqual(['consumer.pe-in-vnet']);
      expect(byId['consumer.zone-linked']!.evidence.resolvingVnetIds).toEqual([HUB_VNET]);
      expect(seen.every((s) => s.method === 'GET')).toBe(true);
    });
  }
});

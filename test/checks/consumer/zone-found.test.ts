// consumer.zone-found follows the endpoint's DNS zone group to a zone in another (connectivity)
// subscription; a zone it may not read is no-access naming where it is, never "create the zone".
import { afterEach, describe, expect, it } from 'vitest';
import { reset, type Overrides, type Reply } from '../../fixtures/azure-mock.js';
import * as fx from '../../fixtures/control.js';
import { HUB_SUB, HUB_VNET, ZONE_ID, hubAndSpoke } from '../../fixtures/topology.js';
import { runWorld, topologyTarget } from '../../helpers/topology-run.js';
import { fixText } from '../../helpers/fix-text.js';
import { pastableCommands } from '../../helpers/shells.js';
import { parseResourceId } from '../../../src/azure/resourceId.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const scratch = mkdtempSync(join(tmpdir(), 'xtd-zone-found-'));

afterEach(() => reset());

/** consumer.zone-found with no zone group: no zone in the spoke's subscription, `hubAnswer` when listing the hub's. */
async function searchedWithoutZoneGroup(hubAnswer: Reply) {
  const w = hubAndSpoke();
  w.zoneGroups.value = [];
  const overrides: Overrides = {
    [`/subscriptions/${fx.SUB_1}/providers/Microsoft.Network/privateDnsZones`]: [[200, { value: [] }]],
    [`/subscriptions/${HUB_SUB}/providers/Microsoft.Network/privateDnsZones`]: [hubAnswer],
  };
  return (await runWorld(w, { overrides })).byId['consumer.zone-found']!;
}

describe('consumer.zone-found', () => {
  it("finds the zone in the connectivity subscription through the endpoint's zone group (config names no zone)", async () => {
    const r = (await runWorld(hubAndSpoke())).byId['consumer.zone-found']!;
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ zoneId: ZONE_ID, source: 'zone-group' });
    expect(r.message).toContain("named by the endpoint's DNS zone group");
  });

  it('a zone the credential may not read: skip (no-access) naming its subscription and the role, never "create"', async () => {
    const forbidden: [number, unknown] = [403, { error: { code: 'AuthorizationFailed', message: 'no' } }];
    const r = (await runWorld(hubAndSpoke(), { overrides: { [ZONE_ID]: [forbidden], [`${ZONE_ID}/virtualNetworkLinks`]: [forbidden] } })).byId['consumer.zone-found']!;
    expect([r.status, r.skipReason]).toEqual(['skip', 'no-access']);
    expect(r.message).toContain(HUB_SUB);
    expect(r.message).toContain('Reader on the subscription holding the zone');
    expect(`${r.message} ${fixText(r.fix)}`).not.toMatch(/create the zone/i);
    expect(fixText(r.fix)).toContain('do not create another zone');
  });

  it("without a zone group, looks in the resolving VNet's subscription too and prefers the zone linked to it", async () => {
    const w = hubAndSpoke();
    w.zoneGroups.value = [];
    const other = { ...fx.zone(), id: `/subscriptions/${fx.SUB_1}/resourceGroups/rg1/providers/Microsoft.Network/privateDnsZones/privatelink.fabric.microsoft.com` };
    const { byId, seen } = await runWorld(w, {
      overrides: {
        [`/subscriptions/${fx.SUB_1}/providers/Microsoft.Network/privateDnsZones`]: [[200, { value: [other] }]],
        [`/subscriptions/${HUB_SUB}/providers/Microsoft.Network/privateDnsZones`]: [[200, { value: [w.zone] }]],
        [`${other.id}/virtualNetworkLinks`]: [[200, { value: [] }]],
      },
    });
    const r = byId['consumer.zone-found']!;
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ zoneId: ZONE_ID, source: 'discovered', searched: [fx.SUB_1, HUB_SUB] });
    expect(seen.some((s) => s.path === `${ZONE_ID}/virtualNetworkLinks`.toLowerCase())).toBe(true);
    expect(byId['consumer.zone-linked']!.evidence.resolvingVnetIds).toEqual([HUB_VNET]);
  });

  it('no zone anywhere it looked: fail, naming the subscriptions searched', async () => {
    const r = await searchedWithoutZoneGroup([200, { value: [] }]);
    expect(r.status).toBe('fail');
    expect(r.message).toContain(`${fx.SUB_1}, ${HUB_SUB}`);
    // The fix: create the zone beside the endpoint, let the endpoint write its records into it; the link
    // is left to zone-linked, which knows the resolving VNet (the hub here, not the VM's spoke).
    const pe = parseResourceId(fx.PE_ID)!;
    const zone = `/subscriptions/${pe.subscriptionId}/resourceGroups/${pe.resourceGroup}/providers/Microsoft.Network/privateDnsZones/privatelink.fabric.microsoft.com`;
    expect(pastableCommands(r.fix, scratch)).toEqual([
      expect.stringMatching(/^az login --tenant /),
      `az network private-dns zone create --subscription ${pe.subscriptionId} --resource-group ${pe.resourceGroup} --name privatelink.fabric.microsoft.com`,
      `az network private-endpoint dns-zone-group create --subscription ${pe.subscriptionId} --resource-group ${pe.resourceGroup} --endpoint-name ${pe.name} --name default --private-dns-zone ${zone} --zone-name fabric`,
    ]);
    expect(r.fix!.steps.at(-1)!.text).toMatch(/consumer\.zone-linked then prints the command/);
    expect(fixText(r.fix)).not.toContain(fx.VNET_ID);
  });

  it('a configured zone that does not exist: fail, saying the config named it (not the zone group)', async () => {
    const notFound: [number, unknown] = [404, { error: { code: 'ResourceNotFound', message: 'not found' } }];
    const r = (
      await runWorld(hubAndSpoke(), {
        target: topologyTarget({ privateDnsZoneId: ZONE_ID }),
        overrides: { [ZONE_ID]: [notFound], [`${ZONE_ID}/virtualNetworkLinks`]: [notFound], [`${ZONE_ID}/A`]: [notFound] },
      })
    ).byId['consumer.zone-found']!;
    expect(r.status).toBe('fail');
    expect(r.message).toBe(`the zone ${ZONE_ID} named by the config (consumer.privateDnsZoneId) does not exist`);
  });

  it('a subscription it may not list is no-access, not "missing"', async () => {
    const r = await searchedWithoutZoneGroup([403, { error: { code: 'AuthorizationFailed', message: 'no' } }]);
    expect([r.status, r.skipReason]).toEqual(['skip', 'no-access']);
    expect(r.message).toContain(HUB_SUB);
  });
});

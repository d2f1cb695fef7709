import { describe, expect, it } from 'vitest';
import check from '../../../checks/local/dns-private.js';
import { directFact, ok, runChecks, systemFact, type Canned } from '../../helpers/dns-facts.js';
import { pastableCommands } from '../../helpers/shells.js';
import { fx, scratch } from '../fixture.js';

const publicAnswer: Canned = {
  'local.systemResolve': ok(systemFact({ api: ['20.42.0.10'] })),
  'local.directResolve': ok(directFact({ '10.1.0.4': { addresses: ['20.42.0.10'] } })),
  'consumer.vnetId': ok({ vnetId: fx.VNET_ID, source: 'config' }),
};
const run = async (facts: Canned) => (await runChecks([check], facts))['local.dns-private']!;

describe('local.dns-private fix narrows by what ARM shows', () => {
  it('a public answer, the zone linked to the VNet: the DNS servers, never "link the zone"', async () => {
    const r = await run({ ...publicAnswer, 'consumer.privateDnsZone.vnetLinks': ok({ zoneId: fx.ZONE_ID, value: fx.vnetLinks() }) });
    expect(r.status).toBe('fail');
    expect(r.fix!.summary).toMatch(/^The zone is linked to test-vnet/);
    expect(JSON.stringify(r.fix)).not.toMatch(/private-dns link vnet create|[Ll]ink the zone/);
    expect(pastableCommands(r.fix, scratch)).toEqual(['resolvectl flush-caches']);
  });

  it('a public answer, the zone not linked: the link command for this VNet', async () => {
    const r = await run({ ...publicAnswer, 'consumer.privateDnsZone.vnetLinks': ok({ zoneId: fx.ZONE_ID, value: [] }) });
    const commands = pastableCommands(r.fix, scratch);
    expect(commands.find((c) => c.startsWith('az network private-dns link vnet create'))).toBe(
      `az network private-dns link vnet create --subscription ${fx.SUB_1} --resource-group rg1 --zone-name privatelink.fabric.microsoft.com --name link-test-vnet --virtual-network ${fx.VNET_ID} --registration-enabled false`,
    );
  });

  it('a public answer, tenant 1 not readable: both ways, the zone group looked up, nothing left as a placeholder', async () => {
    const r = await run({ ...publicAnswer, 'consumer.privateDnsZone.vnetLinks': { unavailable: 'no-access' } });
    expect(r.fix!.summary).toMatch(/link .* or with custom DNS servers/);
    const link = pastableCommands(r.fix, scratch).find((c) => c.includes('link vnet create'))!;
    expect(link).toContain(`--resource-group "$(az network private-dns zone list --subscription ${fx.SUB_1}`);
  });

  it('a loopback answer: the hosts-file entry, then the cache', async () => {
    const r = await run({ ...publicAnswer, 'local.systemResolve': ok(systemFact({ api: ['127.0.0.1'] })) });
    const commands = pastableCommands(r.fix, scratch);
    expect(commands[0]).toMatch(/^grep -in \S+ \/etc\/hosts$/);
    expect(r.fix!.steps[0]!.commands!.powershell).toMatch(/^Select-String -Path C:\\Windows\\System32\\drivers\\etc\\hosts -SimpleMatch -Pattern /);
    expect(commands[1]).toBe('resolvectl flush-caches');
  });
});

import { parseResourceId } from '../../src/azure/resourceId.js';
import { defineCheck } from '../../src/engine/define.js';
import { PRIVATELINK_ZONE } from '../../src/fabric/workspace.js';
import type { Fix, FixStep } from '../../src/engine/types.js';
import { az } from '../../src/fix/commands.js';
import { knownValues, type KnownValues } from '../../src/fix/known.js';
import { advice, fix, step, subscriptionOf, zoneGroupStep } from '../../src/fix/steps.js';
import type { DnsZoneFact } from '../../src/gather/arm/dnsZone.js';
import { CONNECTIVITY_READER } from '../../src/gather/arm/shapes.js';

const SOURCES: Record<DnsZoneFact['source'], string> = {
  config: 'configured',
  'zone-group': "named by the endpoint's DNS zone group",
  discovered: 'found in the subscription',
};

/**
 * The zone does not exist: create it where it was expected (the id the config or the endpoint's DNS
 * zone group names, else beside the endpoint), let the endpoint write its records through a DNS zone
 * group, then link it. The link is left to consumer.zone-linked, which knows the resolving VNet (a
 * link to the VM's own VNet does nothing when a hub resolves).
 */
export function missingZoneFix(k: KnownValues, expected?: { zoneId?: string; source?: string }): Fix {
  const named = parseResourceId(expected?.zoneId);
  const pe = k.consumer.privateEndpoint;
  const at = named ?? (pe ? { subscriptionId: pe.subscriptionId, resourceGroup: pe.resourceGroup } : undefined);
  const landingZone = 'In a landing zone the platform team creates it, in the connectivity subscription.';
  if (!at) {
    return advice(`Create the zone (step 7) in the subscription where the VNet's DNS is managed: Azure portal (tenant 1) → Private DNS zones → Create, name ${PRIVATELINK_ZONE}. ${landingZone}`);
  }
  const zoneId = `/subscriptions/${at.subscriptionId}/resourceGroups/${at.resourceGroup}/providers/Microsoft.Network/privateDnsZones/${PRIVATELINK_ZONE}`;
  const steps: FixStep[] = [
    step(
      `Create the zone ${PRIVATELINK_ZONE} in resource group ${at.resourceGroup}${named ? ` (where ${expected?.source === 'zone-group' ? "the endpoint's DNS zone group" : 'the config'} expects it)` : " (the endpoint's)"}.`,
      'consumer',
      az(['network', 'private-dns', 'zone', 'create'], [['subscription', subscriptionOf(at.subscriptionId)], ['resource-group', at.resourceGroup], ['name', PRIVATELINK_ZONE]]),
    ),
  ];
  // An endpoint whose zone group already names the zone writes its records into it once it exists.
  const group = expected?.source === 'zone-group' ? undefined : zoneGroupStep({ ...k, consumer: { ...k.consumer, zone: parseResourceId(zoneId) } });
  if (group) steps.push({ ...group, text: group.text.replace(/^Or let/, 'Let') });
  steps.push(step("Link the zone to the VNet where the jump VM's queries reach Azure DNS (step 7): run the doctor again, consumer.zone-linked then prints the command for that VNet.", 'consumer'));
  return fix(`Create the zone ${PRIVATELINK_ZONE}, let the endpoint write its records, then link it (step 7). ${landingZone}`, steps, k);
}

export default defineCheck({
  id: 'consumer.zone-found',
  title: `The private DNS zone ${PRIVATELINK_ZONE} exists`,
  side: 'consumer',
  severity: 'critical',
  needs: ['consumer.privateDnsZone'],
  after: [],
  docStep: '7',
  explain:
    `The VNet resolves the workspace names privately only through a private DNS zone named ${PRIVATELINK_ZONE} in tenant 1. ` +
    'The doctor reads the configured zone (consumer.privateDnsZoneId); else the zone the endpoint\'s DNS zone group writes ' +
    'into, wherever it lives (landing zones keep it in a central connectivity subscription, created by policy); else it ' +
    'looks for zones of that name in the consumer subscription and the resolving VNets\' subscriptions, preferring the one ' +
    'linked to a resolving VNet. When several could be meant it says so instead of guessing. A zone the credential cannot ' +
    'read is skipped as no-access, naming its subscription and the role to ask for: creating a second zone of the same ' +
    'name would not help (and landing-zone policy forbids it).',
  fix: (k) => missingZoneFix(k),
  run({ target, config, facts }) {
    const result = facts.get('consumer.privateDnsZone');
    if (!result.ok) {
      const u = result.unavailable;
      const details = (u.details ?? {}) as { subscriptionId?: string; zoneId?: string; searched?: string[]; source?: string };
      if (u.kind === 'forbidden') {
        const where = details.zoneId ? `the zone ${details.zoneId}` : `the zones of subscription ${details.subscriptionId ?? 'unknown'}`;
        return {
          status: 'skip',
          skipReason: 'no-access',
          message: `the consumer credential may not read ${where}${details.source === 'zone-group' ? " (named by the endpoint's DNS zone group)" : ''}: ask for ${CONNECTIVITY_READER} on subscription ${details.subscriptionId ?? 'unknown'}`,
          evidence: { ...details, httpStatus: u.httpStatus ?? null, requestId: u.requestId ?? null, neededRole: CONNECTIVITY_READER },
          fix: advice(`Ask the owners of subscription ${details.subscriptionId ?? 'unknown'} for ${CONNECTIVITY_READER}; do not create another zone of the same name.`),
        };
      }
      if (u.kind === 'not-found') {
        return {
          status: 'fail',
          message: details.zoneId
            ? `the zone ${details.zoneId} ${details.source === 'config' ? 'named by the config (consumer.privateDnsZoneId)' : "named by the endpoint's DNS zone group"} does not exist`
            : u.message,
          evidence: { expected: PRIVATELINK_ZONE, ...details, requestId: u.requestId ?? null },
          fix: missingZoneFix(knownValues(target, config, facts), details),
        };
      }
      if (u.kind === 'ambiguous') {
        return {
          status: 'error',
          message: u.message,
          evidence: { ...(u.details ?? {}) },
          fix: advice("Set targets[].consumer.privateDnsZoneId to the zone the jump VM's resolving VNet should use, and remove or unlink the other zones of the same name (only one zone of a name can be linked to a VNet)."),
        };
      }
    }
    const { zone, source, candidates, searched } = facts.value('consumer.privateDnsZone');
    return {
      status: 'pass',
      message: `zone ${zone.id} (${SOURCES[source]})`,
      evidence: {
        zoneId: zone.id,
        source,
        candidates,
        ...(searched ? { searched } : {}),
        numberOfRecordSets: zone.properties?.numberOfRecordSets ?? null,
        numberOfVirtualNetworkLinks: zone.properties?.numberOfVirtualNetworkLinks ?? null,
      },
    };
  },
});

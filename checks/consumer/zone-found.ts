import { parseResourceId } from '../../src/azure/resourceId.js';
import { defineCheck } from '../../src/engine/define.js';
import { PRIVATELINK_ZONE } from '../../src/fabric/workspace.js';
import { az, loginStep } from '../../src/fix/commands.js';
import { advice } from '../../src/fix/steps.js';
import type { DnsZoneFact } from '../../src/gather/arm/dnsZone.js';
import { CONNECTIVITY_READER } from '../../src/gather/arm/shapes.js';

const SOURCES: Record<DnsZoneFact['source'], string> = {
  config: 'configured',
  'zone-group': "named by the endpoint's DNS zone group",
  discovered: 'found in the subscription',
};

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
  fix: advice(`Create the zone (step 7) in the subscription where the VNet's DNS is managed: Azure portal → Private DNS zones → Create, name ${PRIVATELINK_ZONE}. In a landing zone, ask the platform team: the zone belongs in the connectivity subscription.`),
  run({ target, facts }) {
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
        const sub = details.subscriptionId ?? parseResourceId(target.consumer?.privateEndpointId)?.subscriptionId ?? target.consumer?.subscriptionId;
        const resourceGroup = parseResourceId(target.consumer?.privateEndpointId)?.resourceGroup;
        return {
          status: 'fail',
          message: details.zoneId ? `the zone ${details.zoneId} named by the endpoint's DNS zone group does not exist` : u.message,
          evidence: { expected: PRIVATELINK_ZONE, ...details, requestId: u.requestId ?? null },
          ...(sub && resourceGroup && !details.zoneId
            ? {
                fix: {
                  summary: `Create the zone ${PRIVATELINK_ZONE} (or, in a landing zone, ask the platform team to create it in the connectivity subscription).`,
                  steps: [
                    loginStep(target.consumer?.tenantId, 'consumer'),
                    { text: `Create the zone in the endpoint's resource group ${resourceGroup}.`, tenant: 'consumer' as const, commands: az(['network', 'private-dns', 'zone', 'create'], [['subscription', sub], ['resource-group', resourceGroup], ['name', PRIVATELINK_ZONE]]) },
                  ],
                },
              }
            : {}),
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

import { defineCheck } from '../../src/engine/define.js';
import { PRIVATELINK_ZONE } from '../../src/fabric/workspace.js';
import type { DnsZoneFact } from '../../src/gather/arm/dnsZone.js';

export default defineCheck({
  id: 'consumer.zone-found',
  title: `The private DNS zone ${PRIVATELINK_ZONE} exists`,
  side: 'consumer',
  severity: 'critical',
  needs: ['consumer.privateDnsZone'],
  after: [],
  docStep: '7',
  explain:
    `The VNet resolves the workspace names privately only through a private DNS zone named ${PRIVATELINK_ZONE} in tenant 1. The doctor reads the configured zone (consumer.privateDnsZoneId) or looks for zones of that name in the consumer subscription, preferring the one linked to the VNet; when several could be meant it says so instead of guessing.`,
  remediation: `Create the zone (step 7): \`az network private-dns zone create --resource-group RG --name ${PRIVATELINK_ZONE}\`, or Azure portal → Private DNS zones → Create.`,
  run({ facts }) {
    const result = facts.get<DnsZoneFact>('consumer.privateDnsZone');
    if (!result.ok && result.unavailable.kind === 'not-found') {
      return { status: 'fail', message: result.unavailable.message, evidence: { expected: PRIVATELINK_ZONE, ...(result.unavailable.details ?? {}), requestId: result.unavailable.requestId ?? null } };
    }
    if (!result.ok && result.unavailable.kind === 'ambiguous') {
      return {
        status: 'error',
        message: result.unavailable.message,
        evidence: { ...(result.unavailable.details ?? {}) },
        remediation: 'Set targets[].consumer.privateDnsZoneId to the zone the jump VM\'s VNet should use, and remove or unlink the other zones of the same name (only one zone of a name can be linked to a VNet).',
      };
    }
    const { zone, source, candidates } = facts.value<DnsZoneFact>('consumer.privateDnsZone');
    return {
      status: 'pass',
      message: `zone ${zone.id} (${source === 'config' ? 'configured' : 'found in the subscription'})`,
      evidence: {
        zoneId: zone.id,
        source,
        candidates,
        numberOfRecordSets: (zone.properties?.numberOfRecordSets as number | undefined) ?? null,
        numberOfVirtualNetworkLinks: (zone.properties?.numberOfVirtualNetworkLinks as number | undefined) ?? null,
      },
    };
  },
});

import { defineCheck } from '../../src/engine/define.js';
import { PRIVATELINK_ZONE } from '../../src/fabric/workspace.js';
import type { LinkJson, ZoneListFact } from '../../src/gather/arm/dnsZone.js';
import type { VnetRef } from '../../src/gather/arm/vnet.js';
import { parseResourceId } from '../../src/azure/resourceId.js';
import { sameId } from '../helpers.js';

export default defineCheck({
  id: 'consumer.zone-linked',
  title: "The zone is linked to the jump VM's VNet",
  side: 'consumer',
  severity: 'critical',
  needs: ['consumer.privateDnsZone.vnetLinks', 'consumer.vnetId'],
  after: ['zone-found'],
  docStep: '7',
  explain:
    "A private zone answers only for VNets it is linked to: the zone needs a virtual network link to the jump VM's VNet whose state is Completed. Without it the VNet resolver answers with the workspace's public IP. A shared zone answers NXDOMAIN for other workspaces' names unless the link's resolutionPolicy is NxDomainRedirect.",
  remediation: `Link the zone to the VNet (step 7): \`az network private-dns link vnet create --resource-group ZONE_RG --zone-name ${PRIVATELINK_ZONE} --name LINK_NAME --virtual-network VNET_ID --registration-enabled false\`, or Azure portal → the zone → Virtual network links → Add.`,
  run({ facts }) {
    const links = facts.value<ZoneListFact>('consumer.privateDnsZone.vnetLinks');
    const ref = facts.value<VnetRef>('consumer.vnetId');
    const all = links.value as LinkJson[];
    const summary = all.map((l) => ({
      name: l.name ?? null,
      virtualNetwork: l.properties?.virtualNetwork?.id ?? null,
      state: l.properties?.virtualNetworkLinkState ?? null,
      provisioningState: l.properties?.provisioningState ?? null,
      resolutionPolicy: l.properties?.resolutionPolicy ?? null,
    }));
    const evidence: Record<string, unknown> = { zoneId: links.zoneId, vnetId: ref.vnetId, vnetSource: ref.source, links: summary };
    if (ref.source !== 'config') evidence.note = "consumer.vnetId is not set: the endpoint's VNet was used";
    const link = all.find((l) => sameId(l.properties?.virtualNetwork?.id, ref.vnetId));
    if (!link) return { status: 'fail', message: `the zone has no link to ${ref.vnetId}`, evidence, remediation: linkCommand(links.zoneId, ref.vnetId) };
    const state = link.properties?.virtualNetworkLinkState;
    const provisioning = link.properties?.provisioningState;
    evidence.link = { id: link.id ?? null, state: state ?? null, provisioningState: provisioning ?? null, resolutionPolicy: link.properties?.resolutionPolicy ?? null };
    if (state !== 'Completed' || (provisioning !== undefined && provisioning !== 'Succeeded')) {
      return {
        status: 'fail',
        message: `the link ${link.name ?? link.id} is ${state ?? 'in an unknown state'} (provisioning ${provisioning ?? 'unknown'}), not Completed`,
        evidence: { ...evidence, expected: 'virtualNetworkLinkState Completed, provisioningState Succeeded' },
        remediation: 'Wait a few minutes for the link to complete; if it stays InProgress or Failed, delete the link and create it again (step 7).',
      };
    }
    return { status: 'pass', message: `the zone is linked to the VNet (link ${link.name ?? link.id}, Completed)`, evidence };
  },
});

/** The fix with this zone's and this VNet's real names filled in, ready to paste. */
function linkCommand(zoneId: string | undefined, vnetId: string): string {
  const zone = parseResourceId(zoneId);
  const vnet = parseResourceId(vnetId);
  if (!zone || !vnet) return `Link the zone to the VNet ${vnetId} (step 7): Azure portal → the zone → Virtual network links → Add.`;
  return (
    `Link the zone to the VNet (step 7), in tenant 1: \`az network private-dns link vnet create --subscription ${zone.subscriptionId} ` +
    `--resource-group ${zone.resourceGroup} --zone-name ${zone.name} --name link-${vnet.name} --virtual-network ${vnet.id} ` +
    '--registration-enabled false`, or Azure portal → the zone → Virtual network links → Add.'
  );
}

import { defineCheck } from '../../src/engine/define.js';
import type { Fix } from '../../src/engine/types.js';
import { PRIVATELINK_ZONE } from '../../src/fabric/workspace.js';
import { az, loginStep } from '../../src/fix/commands.js';
import { advice } from '../../src/fix/steps.js';
import type { VirtualNetworkLinkJson } from '../../src/gather/arm/shapes.js';
import type { Resolution } from '../../src/gather/arm/dnsPathModel.js';
import { parseResourceId } from '../../src/azure/resourceId.js';
import { nameOf, sameId } from '../helpers.js';

const completed = (l: VirtualNetworkLinkJson) => l.properties?.virtualNetworkLinkState === 'Completed' && (l.properties?.provisioningState === undefined || l.properties.provisioningState === 'Succeeded');

export default defineCheck({
  id: 'consumer.zone-linked',
  title: 'The zone is linked to the resolving VNet',
  side: 'consumer',
  severity: 'critical',
  needs: ['consumer.privateDnsZone.vnetLinks', 'consumer.vnetId', 'consumer.dnsPath'],
  after: ['zone-found', 'dns-path'],
  docStep: '7',
  explain:
    'A private zone answers only for queries that reach Azure DNS in a VNet it is linked to (link state Completed). That ' +
    "VNet is the resolving VNet of consumer.dns-path: the jump VM's own VNet when it uses Azure-provided DNS, else the " +
    'VNet of its DNS forwarder, DNS Private Resolver inbound endpoint or Azure Firewall DNS proxy (a zone linked to the ' +
    "VM's VNet is then ignored); with a forwarding ruleset, the VNet its rule forwards to (or the VM's VNet, whose linked " +
    'zone answers first). Without that link the answer is the public IP. A shared zone answers NXDOMAIN for other ' +
    "workspaces' names unless the link's resolutionPolicy is NxDomainRedirect. The fix names the resolving VNet.",
  fix: advice(`Link the zone to the resolving VNet named in the message (step 7): Azure portal → the zone ${PRIVATELINK_ZONE} → Virtual network links → Add.`),
  run({ target, facts }) {
    const links = facts.value('consumer.privateDnsZone.vnetLinks');
    const ref = facts.value('consumer.vnetId');
    const pathResult = facts.get('consumer.dnsPath');
    const all = links.value;
    const summary = all.map((l) => ({
      name: l.name ?? null,
      virtualNetwork: l.properties?.virtualNetwork?.id ?? null,
      state: l.properties?.virtualNetworkLinkState ?? null,
      provisioningState: l.properties?.provisioningState ?? null,
      resolutionPolicy: l.properties?.resolutionPolicy ?? null,
    }));
    // Without a path (it could not be read), the jump VM's VNet is the best guess, and is said to be one.
    const resolutions: Resolution[] = pathResult.ok ? pathResult.value.resolutions : [{ vnetIds: [ref.vnetId], via: "the jump VM's VNet (the DNS path could not be read)" }];
    const resolvingVnetIds = resolutions.map((r) => r.vnetIds[0]!);
    const evidence: Record<string, unknown> = { zoneId: links.zoneId, vnetId: ref.vnetId, vnetSource: ref.source, resolvingVnetIds, resolutions, links: summary };
    if (ref.source === 'endpoint-subnet') evidence.note = "consumer.vnetId is not set: the endpoint's VNet was used";
    if (!pathResult.ok) evidence.dnsPath = pathResult.unavailable.message;
    if (resolutions.length === 0) {
      return {
        status: 'skip',
        skipReason: 'not-applicable',
        message: "ARM shows no VNet where the VM's queries reach Azure DNS (its DNS servers are opaque to ARM, see consumer.dns-path): the local checks decide",
        evidence,
      };
    }
    const linkFor = (r: Resolution) => all.find((l) => r.vnetIds.some((v) => sameId(l.properties?.virtualNetwork?.id, v)) && completed(l)) ?? all.find((l) => r.vnetIds.some((v) => sameId(l.properties?.virtualNetwork?.id, v)));
    const missing = resolutions.filter((r) => !linkFor(r));
    const notCompleted = resolutions.map(linkFor).filter((l): l is VirtualNetworkLinkJson => !!l && !completed(l));
    evidence.resolvingLinks = resolutions.map((r) => ({ vnetIds: r.vnetIds, link: linkFor(r)?.id ?? linkFor(r)?.name ?? null }));
    if (missing.length) {
      const vnets = missing.map((r) => r.vnetIds[0]!);
      const ignored = all.filter((l) => sameId(l.properties?.virtualNetwork?.id, ref.vnetId) && !resolutions.some((r) => r.vnetIds.some((v) => sameId(v, ref.vnetId))));
      const note = ignored.length ? `; its link to the jump VM's VNet ${nameOf(ref.vnetId)} is not used, because that VNet's queries are resolved elsewhere` : '';
      return {
        status: 'fail',
        message: `the zone has no link to the resolving VNet ${vnets.map(nameOf).join(', ')} (${missing.map((r) => r.via).join('; ')})${note}`,
        evidence,
        fix: linkFix(target.consumer?.tenantId, links.zoneId, vnets),
      };
    }
    if (notCompleted.length) {
      const link = notCompleted[0]!;
      const state = link.properties?.virtualNetworkLinkState;
      return {
        status: 'fail',
        message: `the link ${link.name ?? link.id} is ${state ?? 'in an unknown state'} (provisioning ${link.properties?.provisioningState ?? 'unknown'}), not Completed`,
        evidence: { ...evidence, expected: 'virtualNetworkLinkState Completed, provisioningState Succeeded' },
        fix: advice('Wait a few minutes for the link to complete; if it stays InProgress or Failed, delete the link and create it again (step 7).'),
      };
    }
    return {
      status: 'pass',
      message: `the zone is linked to the resolving VNet ${resolvingVnetIds.map(nameOf).join(', ')} (${resolutions.map((r) => linkFor(r)!.name ?? linkFor(r)!.id).join(', ')}, Completed)`,
      evidence,
    };
  },
});

/** The structured fix: sign in to tenant 1, then one link per resolving VNet. */
function linkFix(tenantId: string | undefined, zoneId: string | undefined, vnetIds: string[]): Fix {
  const zone = parseResourceId(zoneId);
  const steps = vnetIds.map((vnetId) => {
    const vnet = parseResourceId(vnetId);
    if (!zone || !vnet) return { text: `Link the zone to the VNet ${vnetId}: Azure portal → the zone → Virtual network links → Add.`, tenant: 'consumer' as const };
    return {
      text: `Link the zone ${zone.name} (subscription ${zone.subscriptionId}) to the resolving VNet ${vnet.name}${zone.subscriptionId.toLowerCase() !== vnet.subscriptionId.toLowerCase() ? ' (the link lives in the zone\'s subscription: Private DNS Zone Contributor there, Network Contributor or Reader-plus-join on the VNet)' : ''}.`,
      tenant: 'consumer' as const,
      commands: az(['network', 'private-dns', 'link', 'vnet', 'create'], [
        ['subscription', zone.subscriptionId],
        ['resource-group', zone.resourceGroup],
        ['zone-name', zone.name],
        ['name', `link-${vnet.name}`],
        ['virtual-network', vnet.id],
        ['registration-enabled', 'false'],
      ]),
    };
  });
  return { summary: `Link the zone to the resolving VNet ${vnetIds.map((v) => parseResourceId(v)?.name ?? v).join(', ')}.`, steps: [loginStep(tenantId, 'consumer'), ...steps] };
}

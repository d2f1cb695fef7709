import { parseResourceId, vnetOfSubnet, type ResourceId } from '../../src/azure/resourceId.js';
import { inPrefix, prefixLength } from '../../src/dns/classify.js';
import { defineCheck } from '../../src/engine/define.js';
import type { Finding, Fix, FixStep } from '../../src/engine/types.js';
import { az } from '../../src/fix/commands.js';
import type { KnownValues } from '../../src/fix/known.js';
import { advice, fix, step } from '../../src/fix/steps.js';
import { workspaceNames } from '../../src/fabric/workspace.js';
import type { ReachFact, RouteSummary } from '../../src/gather/arm/reach.js';
import { peerings } from '../../src/gather/arm/shapes.js';
import { nameOf, sameId } from '../helpers.js';

/** The route the VM's subnet uses for `ip`: the longest matching prefix of its route tables. */
export function routeFor(ip: string | undefined, reach: ReachFact): { route?: RouteSummary; tableId?: string; unreadable: string[] } {
  const unreadable = reach.routeTables.filter((t) => t.unreadable).map((t) => `${t.id}: ${t.unreadable}`);
  let best: { route: RouteSummary; tableId: string } | undefined;
  for (const table of reach.routeTables) {
    for (const route of table.routes ?? []) {
      if (ip && inPrefix(ip, route.addressPrefix) && (!best || prefixLength(route.addressPrefix) > prefixLength(best.route.addressPrefix))) best = { route, tableId: table.id };
    }
  }
  return { ...(best ?? {}), unreadable };
}

export default defineCheck({
  id: 'consumer.pe-in-vnet',
  title: "The endpoint is reachable from the jump VM's VNet",
  side: 'consumer',
  severity: 'high',
  needs: ['consumer.privateEndpoint', 'consumer.vnetId', 'consumer.vnet', 'consumer.vnetReach', 'consumer.endpointIps'],
  after: ['pe-found'],
  docStep: '3, 5',
  explain:
    "Where the endpoint sits relative to the jump VM's VNet, by what ARM shows: in the same VNet (pass); in a VNet peered " +
    'with it, peering Connected (pass, the path named); in another spoke reached through a hub, that is a VNet peered with ' +
    "both and a route on the VM's subnet sending the endpoint's address to a virtual appliance (warn: the firewall needs an " +
    'allow rule and SNAT for private endpoint traffic). It fails only when ARM proves there is no path (a peering not ' +
    'Connected, no peering and no route). It never blocks the TCP, TLS and HTTPS probes: they show whether traffic really flows.',
  fix: (k) => peeringFix(k, parseResourceId(vnetOfSubnet(k.consumer.subnetId))),
  run({ target, facts }) {
    const pe = facts.value('consumer.privateEndpoint');
    const ref = facts.value('consumer.vnetId');
    const subnetId = pe.properties?.subnet?.id;
    const endpointVnet = vnetOfSubnet(subnetId);
    const evidence: Record<string, unknown> = { privateEndpointId: pe.id ?? null, subnetId: subnetId ?? null, endpointVnetId: endpointVnet ?? null, jumpVmVnetId: ref.vnetId, vnetSource: ref.source };
    if (ref.source === 'endpoint-subnet') {
      return {
        status: 'skip',
        skipReason: 'not-applicable',
        message: "could not compare: the jump VM's VNet is not known (consumer.vnetId, consumer.vmId), so the endpoint's own VNet was assumed",
        evidence,
      };
    }
    if (!endpointVnet) return { status: 'error', message: "the endpoint's subnet id does not name a VNet", evidence };
    if (sameId(endpointVnet, ref.vnetId)) return { status: 'pass', message: "the endpoint is in the jump VM's VNet", evidence: { ...evidence, path: 'same VNet' } };
    const vnet = facts.value('consumer.vnet');
    const own = peerings(vnet);
    evidence.peerings = own;
    const direct = own.find((p) => sameId(p.remoteVirtualNetwork, endpointVnet));
    if (direct) {
      if (direct.peeringState === 'Connected') {
        return { status: 'pass', message: `the endpoint is in ${nameOf(endpointVnet)}, peered with the jump VM's VNet (peering ${direct.name ?? '?'}, Connected)`, evidence: { ...evidence, path: `peering ${direct.name ?? '?'}` } };
      }
      return { status: 'fail', message: `the endpoint is in ${nameOf(endpointVnet)}, peered with the jump VM's VNet but the peering ${direct.name ?? ''} is ${direct.peeringState ?? 'not connected'}`, evidence };
    }
    const reach = facts.value('consumer.vnetReach');
    const ips = facts.get('consumer.endpointIps');
    const ip = ips.ok ? ips.value.byFqdn[workspaceNames(target.workspaceId).fqdns.api]?.[0] : undefined;
    const { route, tableId, unreadable } = routeFor(ip, reach);
    evidence.endpointIp = ip ?? null;
    evidence.hubs = reach.hubs;
    evidence.routeTables = reach.routeTables;
    if (route) evidence.route = { ...route, routeTableId: tableId };
    const hubs = reach.hubs.filter((h) => h.peerings?.some((p) => sameId(p.remoteVirtualNetwork, endpointVnet)));
    const viaAppliance = route?.nextHopType === 'VirtualAppliance';
    const through = (hub: ReachFact['hubs'][number]) => hub.peerings!.find((p) => sameId(p.remoteVirtualNetwork, endpointVnet))!;
    const connectedHub = hubs.find((h) => through(h).peeringState === 'Connected');
    const routeWords = route ? `route ${route.name ?? route.addressPrefix} (${route.addressPrefix} → ${route.nextHopType}${route.nextHopIpAddress ? ` ${route.nextHopIpAddress}` : ''}, route table ${nameOf(tableId)})` : undefined;
    if (connectedHub && viaAppliance) {
      return {
        status: 'warn',
        message: `the endpoint is in ${nameOf(endpointVnet)}, reached through the hub ${nameOf(connectedHub.vnetId)}: ${routeWords} sends it to a virtual appliance, which must allow TCP 443 and SNAT it`,
        evidence: { ...evidence, path: `hub ${connectedHub.vnetId} via ${route!.nextHopIpAddress ?? 'a virtual appliance'}` },
        fix: advice(`On the appliance ${route!.nextHopIpAddress ?? ''} (usually the hub's Azure Firewall), allow TCP 443 from the jump VM to ${ip ?? 'the endpoint'} with an application rule (it SNATs), or a network rule with SNAT for private ranges; local.tcp-443 shows whether traffic flows.`),
      };
    }
    const problem = ((): Finding | undefined => {
      if (hubs.length && !connectedHub) {
        const hub = hubs[0]!;
        return { status: 'fail', message: `the endpoint is in ${nameOf(endpointVnet)}; the hub ${nameOf(hub.vnetId)} is peered with it but that peering (${through(hub).name ?? '?'}) is ${through(hub).peeringState ?? 'not connected'}`, evidence };
      }
      if (route && (route.nextHopType === 'None')) return { status: 'fail', message: `the endpoint is in ${nameOf(endpointVnet)} and ${routeWords} drops traffic to it`, evidence };
      return undefined;
    })();
    if (problem) return problem;
    const unknown = reach.hubs.filter((h) => h.unreadable);
    if (unknown.length || unreadable.length || route) {
      return {
        status: 'warn',
        message: `the endpoint is in ${nameOf(endpointVnet)}, not peered with the jump VM's VNet; ARM does not show the whole path${route ? ` (${routeWords})` : ''}${unknown.length || unreadable.length ? `: could not read ${[...unknown.map((h) => `${h.vnetId} (${h.unreadable})`), ...unreadable].join('; ')}` : ''}; local.tcp-443 decides`,
        evidence,
      };
    }
    if (connectedHub) {
      return {
        status: 'fail',
        message: `the endpoint is in ${nameOf(endpointVnet)}, peered with the hub ${nameOf(connectedHub.vnetId)} but not with the jump VM's VNet, and no route on the VM's subnet sends ${ip ?? "the endpoint's address"} to the hub's appliance (peering is not transitive)`,
        evidence,
        fix: advice(`Add a route for ${ip ?? "the endpoint's address"} (or its VNet's range) with next hop the hub firewall to the route table of the jump VM's subnet, or peer the two VNets directly.`),
      };
    }
    return { status: 'fail', message: `the endpoint is in ${nameOf(endpointVnet)}, which is neither the jump VM's VNet, nor peered with it, nor reached through a peered hub`, evidence };
  },
});

/**
 * Peer the jump VM's VNet and the endpoint's, both directions (or create the endpoint in the VM's
 * VNet, or route it through the hub firewall, which the text names).
 */
export function peeringFix(k: KnownValues, endpointVnet: ResourceId | undefined): Fix {
  const vm = k.consumer.vnet;
  const summary = `Peer the jump VM's VNet with the endpoint's (or create the endpoint in a subnet of the jump VM's VNet, step 5, or route the endpoint's address from the VM's subnet to the hub firewall, which must allow and SNAT the traffic).`;
  if (!vm || !endpointVnet || sameId(vm.id, endpointVnet.id)) return fix(summary, [], k);
  const peer = (from: ResourceId, to: ResourceId): FixStep =>
    step(
      `Peer ${from.name} with ${to.name}.`,
      'consumer',
      az(['network', 'vnet', 'peering', 'create'], [['subscription', from.subscriptionId], ['resource-group', from.resourceGroup], ['vnet-name', from.name], ['name', `peer-${to.name}`], ['remote-vnet', to.id], ['allow-vnet-access', true]]),
    );
  return fix(summary, [peer(vm, endpointVnet), peer(endpointVnet, vm)], k);
}

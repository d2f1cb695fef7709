// consumer.vnetReach: what ARM shows about the way from the jump VM's VNet to the endpoint's VNet
// when they are not the same and not peered directly: the VNets peered with the VM's (hubs) with
// their own peerings, and the route tables of the VM's subnet(s). GET only; the live TCP probe
// stays the judge (docs/topologies.md, the pure-GET approximation).
import { armSide } from '../../azure/arm.js';
import { NETWORK_API_VERSION, parseResourceId, sameId, vnetOfSubnet } from '../../azure/resourceId.js';
import { defineFact, type GatherContext } from '../../engine/define.js';
import { FactUnavailableError } from '../../engine/types.js';
import { armService, memoKey, readAs } from './common.js';
import { peerings, type PeeringSummary, type VirtualNetworkJson } from './shapes.js';

const MAX_HUBS = 10;
const ROUTE_READER = 'Reader on the VNets and route tables in tenant 1 (the hub or connectivity subscription too)';

export interface RouteSummary {
  name: string | null;
  addressPrefix: string;
  nextHopType: string;
  nextHopIpAddress: string | null;
}

export interface ReachFact {
  peVnetId: string;
  /** VNets peered (Connected) with the VM's, each with its own peerings, or why they could not be read. */
  hubs: Array<{ vnetId: string; peerings?: PeeringSummary[]; unreadable?: string }>;
  /** Route tables of the VM's subnet (or of every subnet of its VNet when the VM is not known). */
  routeTables: Array<{ id: string; subnetIds: string[]; routes?: RouteSummary[]; unreadable?: string }>;
  vmSubnetId?: string;
}

async function getJson<T>(ctx: GatherContext, id: string, what: string): Promise<{ body?: T; unreadable?: string }> {
  try {
    const { body } = await readAs(ctx, { side: 'consumer', what, neededRole: ROUTE_READER, service: armService(id), scope: id }, () =>
      armSide(ctx.services, ctx.config, 'consumer', ctx.target).getJson(parseResourceId(id)?.id ?? id, NETWORK_API_VERSION, ctx.signal),
    );
    return { body: body as T };
  } catch (error) {
    if (error instanceof FactUnavailableError) return { unreadable: error.unavailable.message };
    throw error;
  }
}

export const reachFact = defineFact({
  id: 'consumer.vnetReach',
  version: 1,
  description: "the hubs peered with the jump VM's VNet and the route tables of its subnet (the way to the endpoint's VNet)",
  side: 'consumer',
  key: async (ctx): Promise<string> => memoKey('reach', `${(await ctx.require('consumer.vnetId')).vnetId}|${ctx.target.consumer?.privateEndpointId ?? ''}`),
  async gather(ctx): Promise<ReachFact> {
    const ref = await ctx.require('consumer.vnetId');
    const pe = await ctx.require('consumer.privateEndpoint');
    const vnet = await ctx.require('consumer.vnet');
    const peVnetId = vnetOfSubnet(pe.properties?.subnet?.id) ?? '';
    const direct = peerings(vnet).some((p) => sameId(p.remoteVirtualNetwork, peVnetId));
    if (!peVnetId || sameId(peVnetId, ref.vnetId) || direct) return { peVnetId, hubs: [], routeTables: [] };
    const vm = await ctx.fact('consumer.jumpVm');
    const vmSubnetId = vm.ok && sameId(vm.value.vnetId, ref.vnetId) ? vm.value.subnetId : undefined;
    const hubIds = peerings(vnet)
      .filter((p) => p.peeringState === 'Connected' && p.remoteVirtualNetwork)
      .map((p) => p.remoteVirtualNetwork!)
      .slice(0, MAX_HUBS);
    const hubs = await Promise.all(
      hubIds.map(async (vnetId) => {
        const read = await getJson<VirtualNetworkJson>(ctx, vnetId, `the peered virtual network ${vnetId}`);
        return read.body ? { vnetId, peerings: peerings(read.body) } : { vnetId, unreadable: read.unreadable! };
      }),
    );
    const subnets = (vnet.properties?.subnets ?? []).filter((s) => !vmSubnetId || sameId(s.id, vmSubnetId));
    const tables = new Map<string, string[]>();
    for (const subnet of subnets) {
      const id = subnet.properties?.routeTable?.id;
      if (id && subnet.id) tables.set(id, [...(tables.get(id) ?? []), subnet.id]);
    }
    const routeTables = await Promise.all(
      [...tables].map(async ([id, subnetIds]) => {
        const read = await getJson<{ properties?: { routes?: Array<{ name?: string; properties?: { addressPrefix?: string; nextHopType?: string; nextHopIpAddress?: string } }> } }>(ctx, id, `the route table ${id}`);
        if (!read.body) return { id, subnetIds, unreadable: read.unreadable! };
        const routes = (read.body.properties?.routes ?? [])
          .filter((r) => typeof r.properties?.addressPrefix === 'string' && typeof r.properties?.nextHopType === 'string')
          .map((r) => ({ name: r.name ?? null, addressPrefix: r.properties!.addressPrefix!, nextHopType: r.properties!.nextHopType!, nextHopIpAddress: r.properties?.nextHopIpAddress ?? null }));
        return { id, subnetIds, routes };
      }),
    );
    return { peVnetId, hubs, routeTables, ...(vmSubnetId ? { vmSubnetId } : {}) };
  },
});

// consumer.dnsPath: the jump VM's DNS path as ARM shows it: the VM's NIC (when the VM is known) or
// its VNet gives the DNS servers, the inventory of the VNet's and its peers' subscriptions says what
// owns each server and which rulesets forward, and the model works out the resolving VNet(s).
import { parseResourceId, sameId } from '../../azure/resourceId.js';
import { defineFact } from '../../engine/define.js';
import type { FactResult } from '../../engine/types.js';
import { workspaceNames } from '../../fabric/workspace.js';
import { readDnsInventory, startDnsInventory } from './dnsInventory.js';
import { computeDnsPath, effectiveServers, type DnsPath, type InventoryGap } from './dnsPathModel.js';
import { memoKey } from './common.js';
import type { VirtualNetworkJson } from './shapes.js';
import { jumpVmId, type VmFact } from './vm.js';
import type { VnetRef } from './vnet.js';

export interface DnsPathFact extends DnsPath {
  vmVnetSource: VnetRef['source'];
  /** The VM whose NIC was read, or why none was. */
  jumpVm: { vmId: string; source: VmFact['source']; nicId: string } | { unknown: string };
  subscriptions: string[];
  gaps: InventoryGap[];
}

/** The subscriptions listed for the path: the VM VNet's, its peers' (a hub, a connectivity subscription), the configured one. */
export function pathSubscriptions(vnet: VirtualNetworkJson, vmVnetId: string, configured: string | undefined): string[] {
  const ids = [vmVnetId, ...(vnet.properties?.virtualNetworkPeerings ?? []).map((p) => p.properties?.remoteVirtualNetwork?.id)];
  const subs = ids.map((id) => parseResourceId(id)?.subscriptionId).filter((s): s is string => !!s);
  if (configured) subs.push(configured);
  return subs.filter((s, i) => subs.findIndex((o) => o.toLowerCase() === s.toLowerCase()) === i);
}

export const dnsPathFact = defineFact({
  id: 'consumer.dnsPath',
  version: 1,
  description: "the jump VM's DNS path: effective DNS servers, what owns each, forwarding rulesets, and the resolving VNet(s)",
  side: 'consumer',
  // Keyed by the VM's id, not its NIC's: the key must not wait for the VM and its NIC to be read.
  key: async (ctx): Promise<string> => {
    const ref = await ctx.require('consumer.vnetId');
    return memoKey('dns-path', `${ref.vnetId}|${(await jumpVmId(ctx)) ?? ''}|${workspaceNames(ctx.target.workspaceId).fqdns.api}`);
  },
  async gather(ctx): Promise<DnsPathFact> {
    const ref = await ctx.require('consumer.vnetId');
    // What the config names is listed at once, beside the VNet and VM reads (one round trip, not three).
    startDnsInventory(ctx, pathSubscriptions({}, ref.vnetId, ctx.target.consumer?.subscriptionId));
    // The VM (and its NIC) are read beside the VNet, not after it.
    const vmPending = ctx.fact('consumer.jumpVm');
    const vnet = await ctx.require('consumer.vnet');
    const vmResult: FactResult<VmFact> = await vmPending;
    // The VM's NIC overrides the VNet's servers only when it is the NIC of a VM in this VNet.
    const vm = vmResult.ok && sameId(vmResult.value.vnetId, ref.vnetId) ? vmResult.value : undefined;
    const nicDnsServers = vm?.nic.properties?.dnsSettings?.dnsServers;
    const vnetDnsServers = vnet.properties?.dhcpOptions?.dnsServers ?? [];
    const { servers } = effectiveServers(nicDnsServers, vnetDnsServers);
    const subscriptions = pathSubscriptions(vnet, ref.vnetId, ctx.target.consumer?.subscriptionId);
    const inventory = await readDnsInventory(ctx, subscriptions, servers);
    const names = [workspaceNames(ctx.target.workspaceId).fqdns.api];
    const nearVnetIds = (vnet.properties?.virtualNetworkPeerings ?? []).map((p) => p.properties?.remoteVirtualNetwork?.id).filter((id): id is string => !!id);
    const path = computeDnsPath({ vmVnetId: ref.vnetId, ...(nicDnsServers ? { nicDnsServers } : {}), vnetDnsServers, names, inventory, nearVnetIds });
    return {
      ...path,
      vmVnetSource: ref.source,
      jumpVm: vm ? { vmId: vm.vmId, source: vm.source, nicId: vm.nicId } : { unknown: vmResult.ok ? `the VM's NIC is in ${vmResult.value.vnetId}, not in ${ref.vnetId}` : vmResult.unavailable.message },
      subscriptions: inventory.subscriptions,
      gaps: inventory.gaps,
    };
  },
});

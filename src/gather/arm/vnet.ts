// Tenant 1: which VNet the jump VM is in (configured, else the VM's NIC's, else the endpoint's own
// VNet, which then cannot be compared), and that VNet with its peerings.
import { armRead, armSide } from '../../azure/arm.js';
import { parseResourceId, vnetOfSubnet } from '../../azure/resourceId.js';
import { defineFact, type GatherContext } from '../../engine/define.js';
import { unavailable } from '../../engine/types.js';
import { armService, expectFields, memoKey, readAs } from './common.js';
import type { VirtualNetworkJson } from './shapes.js';

export interface VnetRef {
  vnetId: string;
  /** `config`: consumer.vnetId; `vm`: the jump VM's NIC; `endpoint-subnet`: the private endpoint's subnet (a guess). */
  source: 'config' | 'jump-vm' | 'endpoint-subnet';
}

export const vnetIdFact = defineFact({
  id: 'consumer.vnetId',
  version: 1,
  description: "the jump VM's VNet id (configured, else the VM's NIC's, else derived from the private endpoint's subnet)",
  async gather(ctx): Promise<VnetRef> {
    const configured = ctx.target.consumer?.vnetId;
    if (configured) {
      if (parseResourceId(configured)?.type.toLowerCase() !== 'microsoft.network/virtualnetworks') {
        unavailable('error', `targets[${ctx.target.name}].consumer.vnetId is not a Microsoft.Network/virtualNetworks resource id: ${JSON.stringify(configured)}`);
      }
      return { vnetId: configured, source: 'config' };
    }
    const vm = await ctx.fact('consumer.jumpVm');
    if (vm.ok) return { vnetId: vm.value.vnetId, source: 'jump-vm' };
    const pe = await ctx.require('consumer.privateEndpoint');
    const vnetId = vnetOfSubnet(pe.properties?.subnet?.id);
    if (!vnetId) unavailable('invalid-response', 'the private endpoint has no `properties.subnet.id` naming a VNet subnet', { details: { missingField: 'properties.subnet.id' } });
    return { vnetId, source: 'endpoint-subnet' };
  },
});

async function vnetRef(ctx: GatherContext): Promise<VnetRef> {
  return ctx.require('consumer.vnetId');
}

export const vnetFact = defineFact({
  id: 'consumer.vnet',
  version: 1,
  description: "the jump VM's VNet with its peerings (ARM wire JSON)",
  side: 'consumer',
  key: async (ctx): Promise<string> => memoKey('arm', (await vnetRef(ctx)).vnetId),
  async gather(ctx): Promise<VirtualNetworkJson> {
    const { vnetId } = await vnetRef(ctx);
    const vnet = parseResourceId(vnetId)!;
    const what = `the virtual network ${vnetId}`;
    return readAs(ctx, { side: 'consumer', what, neededRole: 'Reader on the virtual network in tenant 1', service: armService(vnetId), scope: vnetId }, async () => {
      const arm = armSide(ctx.services, ctx.config, 'consumer', ctx.target);
      const { body, requestId } = await armRead(async (options) => (await arm.network(vnet.subscriptionId)).virtualNetworks.get(vnet.resourceGroup, vnet.name, options), ctx.signal);
      expectFields(body, what, requestId, 'id', 'properties');
      return body as VirtualNetworkJson;
    });
  },
});

import { vnetOfSubnet } from '../../src/azure/resourceId.js';
import { defineCheck } from '../../src/engine/define.js';
import type { VnetRef } from '../../src/gather/arm/vnet.js';
import { sameId } from '../helpers.js';

interface Vnet {
  id?: string;
  properties?: { virtualNetworkPeerings?: Array<{ name?: string; properties?: { remoteVirtualNetwork?: { id?: string }; peeringState?: string } }> };
}

export default defineCheck({
  id: 'consumer.pe-in-vnet',
  title: "The endpoint is in the jump VM's VNet",
  side: 'consumer',
  severity: 'high',
  needs: ['consumer.privateEndpoint', 'consumer.vnetId', 'consumer.vnet'],
  after: ['pe-found'],
  docStep: '3, 5',
  explain:
    "The endpoint's subnet should be in the jump VM's VNet (consumer.vnetId). An endpoint in a peered VNet works for traffic but depends on the peering and on DNS being linked to the VM's VNet (warn); an endpoint in an unrelated VNet is unreachable from the VM. Without consumer.vnetId the doctor can only use the endpoint's own VNet and cannot compare.",
  remediation:
    "Create the endpoint in a subnet of the jump VM's VNet (step 5), or peer the two VNets (Azure portal → the VNet → Peerings → Add) and link the private DNS zone to the VM's VNet.",
  run({ facts }) {
    const pe = facts.value<{ id?: string; properties?: { subnet?: { id?: string } } }>('consumer.privateEndpoint');
    const ref = facts.value<VnetRef>('consumer.vnetId');
    const subnetId = pe.properties?.subnet?.id;
    const endpointVnet = vnetOfSubnet(subnetId);
    const evidence: Record<string, unknown> = { privateEndpointId: pe.id ?? null, subnetId: subnetId ?? null, endpointVnetId: endpointVnet ?? null, jumpVmVnetId: ref.vnetId, vnetSource: ref.source };
    if (ref.source !== 'config') {
      return {
        status: 'skip',
        skipReason: 'not-applicable',
        message: "could not compare: consumer.vnetId (the jump VM's VNet) is not configured, so the endpoint's own VNet was assumed",
        evidence,
      };
    }
    if (!endpointVnet) return { status: 'error', message: "the endpoint's subnet id does not name a VNet", evidence };
    if (sameId(endpointVnet, ref.vnetId)) return { status: 'pass', message: "the endpoint is in the jump VM's VNet", evidence };
    const vnet = facts.value<Vnet>('consumer.vnet');
    const peerings = vnet.properties?.virtualNetworkPeerings ?? [];
    evidence.peerings = peerings.map((p) => ({ name: p.name ?? null, remoteVirtualNetwork: p.properties?.remoteVirtualNetwork?.id ?? null, peeringState: p.properties?.peeringState ?? null }));
    const peering = peerings.find((p) => sameId(p.properties?.remoteVirtualNetwork?.id, endpointVnet));
    if (peering?.properties?.peeringState === 'Connected') {
      return { status: 'warn', message: "the endpoint is not in the jump VM's VNet but in a peered VNet", evidence };
    }
    return {
      status: 'fail',
      message: peering
        ? `the endpoint is in ${endpointVnet}, peered with the jump VM's VNet but the peering is ${peering.properties?.peeringState ?? 'not connected'}`
        : `the endpoint is in ${endpointVnet}, which is neither the jump VM's VNet nor peered with it`,
      evidence,
    };
  },
});

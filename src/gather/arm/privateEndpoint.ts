// Tenant 1: the private endpoint (wire JSON with both connection arrays, customDnsConfigs,
// ipConfigurations, subnet), its DNS zone groups, and the IPs it holds for each workspace FQDN.
import { armRead, armSide } from '../../azure/arm.js';
import { NETWORK_API_VERSION, parseResourceId } from '../../azure/resourceId.js';
import { defineFact, type GatherContext } from '../../engine/define.js';
import { unavailable } from '../../engine/types.js';
import { armService, expectFields, fromGroupList, memoKey, readAs } from './common.js';
import { endpointIps, endpointNicIds, fqdnsWithoutIp, type EndpointIps } from './endpoint-ips.js';
import type { NetworkInterfaceJson, PrivateDnsZoneGroupJson, PrivateEndpointJson } from './shapes.js';

export const PE_READER = 'Reader on the private endpoint (or its resource group) in tenant 1';

/** The configured endpoint id, checked; not-configured when absent. */
export function privateEndpointId(ctx: GatherContext) {
  const id = ctx.target.consumer?.privateEndpointId;
  if (!id) unavailable('not-configured', `targets[${ctx.target.name}].consumer.privateEndpointId is not set: the private endpoint cannot be read`);
  const parsed = parseResourceId(id);
  if (!parsed || parsed.type.toLowerCase() !== 'microsoft.network/privateendpoints') {
    unavailable('error', `targets[${ctx.target.name}].consumer.privateEndpointId is not a Microsoft.Network/privateEndpoints resource id: ${JSON.stringify(id)}`);
  }
  return parsed;
}

export const privateEndpointFact = defineFact({
  id: 'consumer.privateEndpoint',
  version: 1,
  description: 'the private endpoint in tenant 1 (ARM wire JSON)',
  side: 'consumer',
  key: (ctx) => memoKey('arm', privateEndpointId(ctx).id),
  async gather(ctx): Promise<PrivateEndpointJson> {
    const pe = privateEndpointId(ctx);
    const what = `the private endpoint ${pe.id}`;
    const listed = await fromGroupList(ctx, { side: 'consumer', kind: 'privateEndpoint', id: pe.id, apiVersion: NETWORK_API_VERSION, idOf: (t) => t.consumer?.privateEndpointId });
    return readAs(ctx, { side: 'consumer', what, neededRole: PE_READER, service: armService(pe.id), scope: pe.id }, async () => {
      const arm = armSide(ctx.services, ctx.config, 'consumer', ctx.target);
      const { body, requestId } = listed
        ? { body: listed, requestId: undefined }
        : await armRead(async (options) => (await arm.network(pe.subscriptionId)).privateEndpoints.get(pe.resourceGroup, pe.name, options), ctx.signal);
      expectFields(body, what, requestId, 'id', 'properties', 'properties.provisioningState');
      return body as PrivateEndpointJson;
    });
  },
});

export const dnsZoneGroupsFact = defineFact({
  id: 'consumer.dnsZoneGroups',
  version: 1,
  description: "the private endpoint's DNS zone groups (records it manages)",
  side: 'consumer',
  key: (ctx) => memoKey('arm-list', `${privateEndpointId(ctx).id}/privateDnsZoneGroups`),
  async gather(ctx): Promise<{ value: PrivateDnsZoneGroupJson[] }> {
    const pe = privateEndpointId(ctx);
    const what = `the DNS zone groups of ${pe.id}`;
    return readAs(ctx, { side: 'consumer', what, neededRole: PE_READER, service: armService(pe.id), scope: pe.id }, async () => {
      const list = await armSide(ctx.services, ctx.config, 'consumer', ctx.target).listJson(`${pe.id}/privateDnsZoneGroups`, NETWORK_API_VERSION, ctx.signal);
      return { value: list.value as PrivateDnsZoneGroupJson[] };
    });
  },
});

/**
 * The derived fact "endpoint IPs by FQDN" (endpoint-ips.ts): the endpoint's JSON, and its NIC only
 * when the endpoint's own JSON leaves one of the workspace's FQDNs without an IP (then the NIC's
 * privateLinkConnectionProperties decide; otherwise reading it would decide nothing).
 */
export const endpointIpsFact = defineFact({
  id: 'consumer.endpointIps',
  version: 1,
  description: "the private endpoint's IPs for each workspace FQDN (customDnsConfigs, its NIC, ipConfigurations)",
  side: 'consumer',
  key: (ctx) => memoKey('endpoint-ips', `${privateEndpointId(ctx).id}|${ctx.target.workspaceId}`),
  async gather(ctx): Promise<EndpointIps> {
    const pe = await ctx.require('consumer.privateEndpoint');
    const nicIds = fqdnsWithoutIp(pe, ctx.target.workspaceId).length ? endpointNicIds(pe) : [];
    const nics = await Promise.all(
      nicIds.map((id) => {
        const nic = parseResourceId(id);
        if (!nic) unavailable('invalid-response', `the private endpoint names a NIC whose id is not an ARM id: ${JSON.stringify(id)}`);
        const what = `the private endpoint's network interface ${nic.id}`;
        return readAs(ctx, { side: 'consumer', what, neededRole: PE_READER, service: armService(nic.id), scope: nic.id }, async () => {
          const arm = armSide(ctx.services, ctx.config, 'consumer', ctx.target);
          const { body } = await armRead(async (options) => (await arm.network(nic.subscriptionId)).networkInterfaces.get(nic.resourceGroup, nic.name, options), ctx.signal);
          return body as NetworkInterfaceJson;
        });
      }),
    );
    return endpointIps(pe, nics, ctx.target.workspaceId);
  },
});

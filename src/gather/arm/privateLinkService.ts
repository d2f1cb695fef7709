// Tenant 2: the Microsoft.Fabric/privateLinkServicesForFabric resource with its connections, by a
// plain ARM GET (no generated SDK covers it) with the provider's own credential. Its id comes from
// the config, or is derived from the private endpoint's connection.
import { armSide } from '../../azure/arm.js';
import { FABRIC_PLS_API_VERSION, FABRIC_PLS_TYPE, isType, parseResourceId } from '../../azure/resourceId.js';
import { configuredPlsId, endpointConnections, type FabricPrivateLinkServiceJson } from './shapes.js';
import { defineFact, type GatherContext } from '../../engine/define.js';
import { unavailable } from '../../engine/types.js';
import { armService, expectFields, fromGroupList, memoKey, readAs } from './common.js';

async function plsId(ctx: GatherContext): Promise<{ id: string; source: 'config' | 'endpoint-connection' }> {
  const configured = configuredPlsId(ctx.target);
  if (configured) {
    if (!isType(configured, FABRIC_PLS_TYPE)) {
      unavailable('error', `targets[${ctx.target.name}].provider.privateLinkServiceId is not a ${FABRIC_PLS_TYPE} resource id: ${JSON.stringify(configured)}`);
    }
    return { id: configured, source: 'config' };
  }
  const pe = await ctx.fact('consumer.privateEndpoint');
  const derived = pe.ok ? endpointConnections(pe.value).find((c) => isType(c.properties?.privateLinkServiceId, FABRIC_PLS_TYPE))?.properties?.privateLinkServiceId : undefined;
  if (!derived) {
    unavailable(
      'not-configured',
      `targets[${ctx.target.name}].provider.privateLinkServiceId is not set and ${pe.ok ? "the private endpoint's connections name no " + FABRIC_PLS_TYPE : 'the private endpoint could not be read to derive it'}`,
    );
  }
  return { id: derived, source: 'endpoint-connection' };
}

export const PLS_READER = `Reader on the ${FABRIC_PLS_TYPE} resource (or its resource group) in tenant 2`;

export const privateLinkServiceFact = defineFact({
  id: 'provider.privateLinkService',
  version: 1,
  description: 'the Fabric private link service in tenant 2 (ARM wire JSON, connections inline)',
  side: 'provider',
  key: async (ctx): Promise<string> => memoKey('arm', (await plsId(ctx)).id),
  async gather(ctx): Promise<FabricPrivateLinkServiceJson> {
    const { id } = await plsId(ctx);
    const what = `the private link service ${id}`;
    const listed = await fromGroupList(ctx, { side: 'provider', kind: 'privateLinkService', id, apiVersion: FABRIC_PLS_API_VERSION, idOf: configuredPlsId });
    return readAs(ctx, { side: 'provider', what, neededRole: PLS_READER, service: armService(id), scope: id }, async () => {
      const arm = armSide(ctx.services, ctx.config, 'provider', ctx.target);
      // The group list's entry is shared (by reference, never changed): copied only to be completed below.
      const { body, requestId } = listed ? { body: listed, requestId: undefined } : await arm.getJson(parseResourceId(id)!.id, FABRIC_PLS_API_VERSION, ctx.signal);
      expectFields(body, what, requestId, 'id', 'properties');
      if (!Array.isArray((body as { properties: Record<string, unknown> }).properties.privateEndpointConnections)) {
        // Not inline in this answer: read the child collection.
        const list = await arm.listJson(`${parseResourceId(id)!.id}/privateEndpointConnections`, FABRIC_PLS_API_VERSION, ctx.signal);
        const own = (listed ? structuredClone(body) : body) as { properties: Record<string, unknown> };
        own.properties.privateEndpointConnections = list.value;
        return own as FabricPrivateLinkServiceJson;
      }
      return body as FabricPrivateLinkServiceJson;
    });
  },
});

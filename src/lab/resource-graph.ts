// The lab's Azure Resource Graph: `POST /providers/Microsoft.ResourceGraph/resources`, answering the
// queries `discover` sends (src/discover/queries.ts) from the lab's state, scoped like the real
// service: the caller's tenant only, the subscriptions the request names, rows of subscriptions the
// caller cannot read silently left out, `$top`/`$skipToken` paging, and 400 for any other query.
// The lab recognises the doctor's query texts instead of evaluating KQL: this is the assumption the
// lab and the product share (docs/estate.md).
import { ENDPOINTS_QUERY, SERVICES_QUERY } from '../discover/queries.js';
import type { HttpAnswer, TokenStore } from './identity.js';
import { renderPrivateEndpoint, renderPrivateLinkService } from './arm.js';
import { sameId, subscriptionsOf, type LabState } from './state.js';

/** The api-version @azure/arm-resourcegraph sends. */
export const RESOURCE_GRAPH_API_VERSION = '2024-04-01';
export const RESOURCE_GRAPH_PATH = /^\/providers\/Microsoft\.ResourceGraph\/resources\/?$/i;

export interface ResourceGraphContext {
  state: LabState;
  tokens: TokenStore;
  pageSize: number;
}

function graphError(status: number, code: string, message: string): HttpAnswer {
  return { status, body: { error: { code, message } } };
}

/** A tenant's subscriptions, lower case (its home subscription first). */
export function subscriptionsOfTenant(state: LabState, tenantId: string): string[] {
  const tenant = [state.consumer, state.provider].find((t) => sameId(t.tenantId, tenantId));
  return tenant ? subscriptionsOf(tenant).map((s) => s.toLowerCase()) : [];
}

export function resourceGraphRequest(ctx: ResourceGraphContext, path: string, query: URLSearchParams, authorization: string | undefined, body: string): HttpAnswer {
  const { state } = ctx;
  const token = ctx.tokens.lookup(authorization);
  if (token.status !== 'ok') return graphError(401, token.status === 'expired' ? 'ExpiredAuthenticationToken' : 'InvalidAuthenticationToken', 'The access token is missing, invalid or expired.');
  if (token.info.audience !== 'arm') return graphError(401, 'InvalidAuthenticationToken', 'The access token has been obtained for wrong audience or resource.');
  if (!RESOURCE_GRAPH_PATH.test(path)) return graphError(404, 'NotFound', `No Resource Graph route for '${path}'.`);
  if (state.service.resourceGraphOff) return graphError(404, 'InvalidResourceNamespace', "The resource namespace 'Microsoft.ResourceGraph' is invalid.");
  if (query.get('api-version') !== RESOURCE_GRAPH_API_VERSION) return graphError(400, 'InvalidApiVersionParameter', `The api-version '${query.get('api-version')}' is invalid. The supported versions are '${RESOURCE_GRAPH_API_VERSION}'.`);
  let request: { query?: unknown; subscriptions?: unknown; options?: { $top?: unknown; $skipToken?: unknown; resultFormat?: unknown } };
  try {
    request = JSON.parse(body) as typeof request;
  } catch {
    return graphError(400, 'BadRequest', 'The request body is not valid JSON.');
  }
  const own = subscriptionsOfTenant(state, token.info.tenantId);
  const asked = Array.isArray(request.subscriptions) ? request.subscriptions.filter((s): s is string => typeof s === 'string').map((s) => s.toLowerCase()) : own;
  const scope = asked.filter((s) => own.includes(s));
  if (scope.length === 0) return graphError(403, 'AuthorizationFailed', 'The client does not have authorization to read any of the subscriptions in the query scope.');
  // Resource Graph leaves out what the caller cannot read, without saying so.
  const readable = scope.filter((s) => !state.service.deniedSubscriptions.some((d) => sameId(d, s)));
  let rows: Array<Record<string, unknown>>;
  if (request.query === ENDPOINTS_QUERY) {
    rows = state.endpoints
      .filter((pe) => readable.includes(pe.subscriptionId.toLowerCase()) && /\/providers\/Microsoft\.Fabric\/privateLinkServicesForFabric\//i.test(pe.connection.privateLinkServiceId))
      .map((pe) => {
        const wire = renderPrivateEndpoint(pe);
        return { id: pe.id, subscriptionId: pe.subscriptionId, plsId: pe.connection.privateLinkServiceId, subnetId: pe.subnetId, customDnsConfigs: wire.properties?.customDnsConfigs };
      });
  } else if (request.query === SERVICES_QUERY) {
    rows = state.privateLinkServices
      .filter((pls) => readable.includes(pls.subscriptionId.toLowerCase()))
      .map((pls) => {
        const wire = renderPrivateLinkService(state, pls);
        return { id: pls.id, subscriptionId: pls.subscriptionId, workspaceId: pls.workspaceId.toLowerCase(), tenantId: pls.tenantId, connections: wire.properties?.privateEndpointConnections };
      });
  } else {
    return graphError(400, 'BadRequest', 'Please provide below info when asking for support: … Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying. (the lab answers the queries discover sends)');
  }
  rows.sort((a, b) => String(a.id).localeCompare(String(b.id)));
  const top = Math.min(Number(request.options?.$top) || 100, 1000, ctx.pageSize > 0 ? Math.max(ctx.pageSize, 1) : 1000);
  const skip = Math.max(0, Number(request.options?.$skipToken ?? 0) || 0);
  const data = rows.slice(skip, skip + top);
  const more = skip + top < rows.length;
  return {
    status: 200,
    body: { totalRecords: rows.length, count: data.length, resultTruncated: more ? 'true' : 'false', ...(more ? { $skipToken: String(skip + top) } : {}), data },
  };
}

// The lab's Fabric REST API (tenant 2), rendered from the lab state in the shapes of
// test/fixtures/reference/fabric-rest: workspace, capacities and tenant settings (both paged with
// continuationToken/continuationUri, as the API pages them), communication policy. Also what the workspace's own FQDN answers over the private and the public path.
import { randomUUID } from 'node:crypto';
import { ENDPOINT_KINDS, workspaceNames } from '../fabric/workspace.js';
import type { HttpAnswer, TokenInfo, TokenStore } from './identity.js';
import { nextSkip, type ListChaos } from './lists.js';
import { type LabState, type LabWorkspace, sameId, workspaceById, workspaceByLabel } from './state.js';
import type { AsSent } from '../gather/arm/shapes.js';
import type { CommunicationPolicyJson, WorkspaceJson } from '../gather/fabric/shapes.js';

export interface FabricContext {
  state: LabState;
  tokens: TokenStore;
  /** https://127.0.0.1:PORT (the lab's Fabric endpoint): continuation URIs point here. */
  baseUrl: string;
  pageSize: number;
  /** Lists that never end (tests: the doctor must not judge them). */
  listChaos?: ListChaos;
  /** Paths that already had their one 503 (fabric-flaky). */
  flakyPaths: Set<string>;
}

export function fabricError(status: number, errorCode: string, message: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}): HttpAnswer {
  const requestId = randomUUID();
  return { status, body: { requestId, errorCode, message, ...extra }, headers: { requestid: requestId, 'x-ms-public-api-error-code': errorCode, ...headers } };
}

export const INBOUND_DENIED = { errorCode: 'RequestDeniedByInboundPolicy', message: 'Request is denied due to inbound communication policy' } as const;

export function renderWorkspace(state: LabState, ws: LabWorkspace, workspaceSpecific: boolean): AsSent<WorkspaceJson> {
  const names = workspaceNames(ws.id);
  const region = state.location;
  return {
    id: ws.id,
    displayName: ws.displayName,
    description: ws.description,
    type: 'Workspace',
    ...(ws.capacityId ? { capacityId: ws.capacityId } : {}),
    capacityAssignmentProgress: ws.capacityAssignmentProgress,
    ...(ws.capacityId ? { capacityRegion: ws.capacityRegion } : {}),
    oneLakeEndpoints: workspaceSpecific
      ? { blobEndpoint: `https://${names.fqdns.blob}`, dfsEndpoint: `https://${names.fqdns.dfs}` }
      : { blobEndpoint: `https://${region}-onelake.blob.fabric.microsoft.com`, dfsEndpoint: `https://${region}-onelake.dfs.fabric.microsoft.com` },
    ...(workspaceSpecific ? { apiEndpoint: `https://${names.fqdns.api}` } : {}),
  };
}

function renderPolicy(ws: LabWorkspace): AsSent<CommunicationPolicyJson> {
  return { inbound: { publicAccessRules: { defaultAction: ws.inboundDefaultAction } }, outbound: { publicAccessRules: { defaultAction: 'Allow' } } };
}

/** Checks a Fabric bearer token: it must be a Fabric-audience token from tenant 2. */
export function fabricAuth(ctx: { state: LabState; tokens: TokenStore }, authorization: string | undefined): { ok: true; info: TokenInfo } | { ok: false; answer: HttpAnswer } {
  const token = ctx.tokens.lookup(authorization);
  if (token.status !== 'ok') {
    if (token.status === 'missing') return { ok: false, answer: fabricError(401, 'Unauthorized', 'The request has no bearer token.', { 'www-authenticate': 'Bearer realm="", error="invalid_token"' }) };
    if (token.status === 'expired') return { ok: false, answer: fabricError(401, 'TokenExpired', 'Access token has expired, resubmit with a new access token.') };
    return { ok: false, answer: fabricError(401, 'Unauthorized', 'The access token is invalid.') };
  }
  if (token.info.audience !== 'fabric') return { ok: false, answer: fabricError(401, 'Unauthorized', 'The access token has been obtained for the wrong audience; use the Fabric scope of this cloud.') };
  if (!sameId(token.info.tenantId, ctx.state.provider.tenantId)) {
    return { ok: false, answer: fabricError(401, 'InvalidAuthenticationTokenTenant', `The access token is from tenant '${token.info.tenantId}'; this Fabric tenant is '${ctx.state.provider.tenantId}'.`) };
  }
  return { ok: true, info: token.info };
}

function forbidden(): HttpAnswer {
  return fabricError(403, 'InsufficientPrivileges', 'The caller does not have sufficient permissions to perform this operation.');
}

const WORKSPACE = /^\/v1\/workspaces\/([^/]+)$/i;
const POLICY = /^\/v1\/workspaces\/([^/]+)\/networking\/communicationPolicy$/i;
const CAPACITIES = /^\/v1\/capacities$/i;
const CAPACITY = /^\/v1\/capacities\/([^/]+)$/i;
const TENANT_SETTINGS = /^\/v1\/admin\/tenantsettings$/i;

/** Answers one Fabric REST request (non-GET methods were refused by the caller). */
export function fabricRequest(ctx: FabricContext, path: string, query: URLSearchParams, authorization: string | undefined): HttpAnswer {
  const auth = fabricAuth(ctx, authorization);
  if (!auth.ok) return auth.answer;
  const { state } = ctx;
  if (state.service.fabricFlaky) {
    const key = path.toLowerCase();
    if (!ctx.flakyPaths.has(key)) {
      ctx.flakyPaths.add(key);
      return fabricError(503, 'ServiceUnavailable', 'The service is temporarily unavailable. Retry the request.', { 'retry-after': '1' }, { isRetriable: true });
    }
  }
  if (state.service.providerForbidden) return forbidden();

  let m = WORKSPACE.exec(path);
  if (m) {
    const ws = workspaceById(state, decodeURIComponent(m[1]!));
    if (!ws) return fabricError(404, 'WorkspaceNotFound', 'The requested workspace was not found.');
    return { status: 200, body: renderWorkspace(state, ws, query.get('preferWorkspaceSpecificEndpoints')?.toLowerCase() === 'true') };
  }
  m = POLICY.exec(path);
  if (m) {
    const ws = workspaceById(state, decodeURIComponent(m[1]!));
    if (!ws) return fabricError(404, 'WorkspaceNotFound', 'The requested workspace was not found.');
    return { status: 200, body: renderPolicy(ws), headers: { etag: `"${ws.policyEtag}"` } };
  }
  if (CAPACITIES.test(path)) return { status: 200, body: fabricPage(ctx, '/v1/capacities', query, state.capacities) };
  m = CAPACITY.exec(path);
  if (m) {
    const capacity = state.capacities.find((c) => sameId(c.id, decodeURIComponent(m![1]!)));
    return capacity ? { status: 200, body: { ...capacity } } : fabricError(404, 'CapacityNotFound', 'The requested capacity was not found.');
  }
  if (TENANT_SETTINGS.test(path)) return { status: 200, body: fabricPage(ctx, '/v1/admin/tenantsettings', query, state.tenantSettings) };
  return fabricError(404, 'EntityNotFound', `The lab's Fabric API has no route for ${path}.`);
}

/** One page of a Fabric list: `continuationToken` (an opaque offset) and `continuationUri` while more follow. */
function fabricPage(ctx: FabricContext, path: string, query: URLSearchParams, items: object[]): Record<string, unknown> {
  const token = query.get('continuationToken');
  const offset = token ? Number(Buffer.from(decodeURIComponent(token), 'base64url').toString('utf8')) || 0 : 0;
  const body: Record<string, unknown> = { value: items.slice(offset, offset + ctx.pageSize).map((item) => ({ ...item })) };
  const next = nextSkip(ctx.listChaos, offset, ctx.pageSize, items.length);
  if (next !== undefined) {
    const continuation = Buffer.from(String(next), 'utf8').toString('base64url');
    body.continuationToken = continuation;
    body.continuationUri = `${ctx.baseUrl}${path}?continuationToken=${encodeURIComponent(continuation)}`;
  }
  return body;
}

/** Which workspace a host name (one of its five FQDNs) belongs to. */
export function workspaceOfHost(state: LabState, host: string): LabWorkspace | undefined {
  const name = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  const label = name.split('.')[0] ?? '';
  if (!/^[0-9a-f]{32}$/.test(label)) return undefined;
  const ws = workspaceByLabel(state, label);
  if (!ws) return undefined;
  const names = workspaceNames(ws.id);
  return ENDPOINT_KINDS.some((kind) => names.fqdns[kind] === name) ? ws : undefined;
}

/**
 * What the workspace FQDN answers. `public`: Fabric's public front end, which applies the
 * workspace's inbound policy first. `private`: the request arrived through the private endpoint.
 */
export function workspaceEndpointRequest(ctx: FabricContext, via: 'private' | 'public', host: string, path: string, query: URLSearchParams, authorization: string | undefined): HttpAnswer {
  const ws = workspaceOfHost(ctx.state, host);
  if (!ws) return fabricError(404, 'EntityNotFound', `No Fabric workspace answers for host '${host}'.`);
  if (via === 'public' && ws.inboundDefaultAction === 'Deny') return { status: 403, body: { ...INBOUND_DENIED }, headers: { 'x-ms-public-api-error-code': INBOUND_DENIED.errorCode } };
  // The workspace FQDN serves only this workspace's own APIs, and never the communication policy.
  if (POLICY.test(path)) return fabricError(403, 'Forbidden', 'The communication policy API is not served on the workspace-specific endpoint; call the Fabric API host.');
  const m = WORKSPACE.exec(path);
  if (!m || !sameId(decodeURIComponent(m[1]!), ws.id)) {
    return fabricError(404, 'EntityNotFound', 'The workspace-specific endpoint serves only its own workspace.');
  }
  const auth = fabricAuth(ctx, authorization);
  if (!auth.ok) return auth.answer;
  if (ctx.state.service.providerForbidden) return forbidden();
  return { status: 200, body: renderWorkspace(ctx.state, ws, query.get('preferWorkspaceSpecificEndpoints')?.toLowerCase() === 'true') };
}

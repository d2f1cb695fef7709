// The lab's identity authority (an imitation of Microsoft Entra's v2.0 endpoints) and its tokens.
// Tokens are opaque random strings bound to a tenant, a principal and an audience (ARM or Fabric);
// the ARM and Fabric routes look them up here. Client credentials only, as the doctor's
// `client-secret` credential uses; static tokens per tenant serve the `access-token` credential.
import { randomBytes, randomUUID } from 'node:crypto';
import type { LabState, LabTenant } from './state.js';

export type Audience = 'arm' | 'fabric';

export interface TokenInfo {
  tenantId: string;
  clientId: string;
  objectId: string;
  audience: Audience;
  expiresAt: number;
}

export interface LabScopes {
  arm: string;
  fabric: string;
}

export const LAB_SCOPES: LabScopes = {
  arm: 'https://management.lab.invalid/.default',
  fabric: 'https://api.fabric.lab.invalid/.default',
};

export class TokenStore {
  private readonly tokens = new Map<string, TokenInfo>();

  issue(tenant: LabTenant, audience: Audience, lifetimeSeconds: number): string {
    const token = `lab.${audience}.${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, { tenantId: tenant.tenantId, clientId: tenant.clientId, objectId: tenant.principalObjectId, audience, expiresAt: Date.now() + lifetimeSeconds * 1000 });
    return token;
  }

  /** The token behind an `Authorization` header: missing, unknown, expired, or its facts. */
  lookup(header: string | undefined): { status: 'missing' | 'invalid' | 'expired' } | { status: 'ok'; info: TokenInfo } {
    if (!header) return { status: 'missing' };
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match) return { status: 'invalid' };
    const info = this.tokens.get(match[1]!);
    if (!info) return { status: 'invalid' };
    if (info.expiresAt <= Date.now()) return { status: 'expired' };
    return { status: 'ok', info };
  }
}

export interface HttpAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

function aadError(status: number, error: string, code: number, description: string): HttpAnswer {
  const traceId = randomUUID();
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString()}`,
      error_codes: [code],
      timestamp: new Date().toISOString(),
      trace_id: traceId,
      correlation_id: randomUUID(),
      error_uri: 'https://login.microsoftonline.com/error?code=' + code,
    },
  };
}

function tenantById(state: LabState, tenantId: string): LabTenant | undefined {
  return [state.consumer, state.provider].find((t) => t.tenantId.toLowerCase() === tenantId.toLowerCase());
}

/**
 * The app a tenant knows by this client id: its own, unless a sign-in fault moved the provider app
 * to tenant 1 (`wrong-tenant`) or expired its secret (`secret-expired`).
 */
function registeredApp(state: LabState, tenant: LabTenant, clientId: string): { clientId: string; clientSecret: string; secretExpired: boolean } | undefined {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const fault = state.service.providerSignIn;
  const providerApp = same(clientId, state.provider.clientId);
  if (fault === 'wrong-tenant' && providerApp) {
    return tenant === state.consumer ? { clientId: state.provider.clientId, clientSecret: state.provider.clientSecret, secretExpired: false } : undefined;
  }
  if (!same(clientId, tenant.clientId)) return undefined;
  return { clientId: tenant.clientId, clientSecret: tenant.clientSecret, secretExpired: fault === 'secret-expired' && tenant === state.provider };
}

const OPENID = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/i;
const TOKEN = /^\/([^/]+)\/oauth2\/v2\.0\/token$/i;

export function isIdentityPath(path: string): boolean {
  return OPENID.test(path) || TOKEN.test(path);
}

export interface IdentityContext {
  state: LabState;
  tokens: TokenStore;
  scopes: LabScopes;
  /** https://127.0.0.1:PORT */
  authorityHost: string;
}

/** GET openid-configuration, POST token. Anything else: 405. */
export function identityRequest(ctx: IdentityContext, method: string, path: string, body: string): HttpAnswer {
  const openid = OPENID.exec(path);
  if (openid) {
    if (method !== 'GET') return { status: 405, body: { error: 'invalid_request', error_description: `${method} is not allowed here` }, headers: { allow: 'GET' } };
    const tenant = tenantById(ctx.state, openid[1]!);
    if (!tenant) return aadError(400, 'invalid_tenant', 90002, `Tenant '${openid[1]}' not found.`);
    const base = `${ctx.authorityHost}/${tenant.tenantId}`;
    return {
      status: 200,
      body: {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${base}/v2.0`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: `${ctx.authorityHost}/oidc/userinfo`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid', 'oid'],
        kerberos_endpoint: `${base}/kerberos`,
        tenant_region_scope: 'EU',
        cloud_instance_name: 'lab.invalid',
        cloud_graph_host_name: 'graph.lab.invalid',
        msgraph_host: 'graph.lab.invalid',
        rbac_url: 'https://pas.lab.invalid',
      },
    };
  }
  const token = TOKEN.exec(path);
  if (!token) return { status: 404, body: { error: 'not_found' } };
  if (method !== 'POST') return { status: 405, body: { error: 'invalid_request', error_description: `${method} is not allowed on the token endpoint` }, headers: { allow: 'POST' } };
  const tenant = tenantById(ctx.state, token[1]!);
  if (!tenant) return aadError(400, 'invalid_request', 90002, `Tenant '${token[1]}' not found. Check to make sure you have the correct tenant ID.`);
  const form = new URLSearchParams(body);
  if (form.get('grant_type') !== 'client_credentials') {
    return aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${form.get('grant_type') ?? ''}'. The lab supports client_credentials only.`);
  }
  const clientId = form.get('client_id') ?? '';
  const app = registeredApp(ctx.state, tenant, clientId);
  if (!app) {
    return aadError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
  }
  if (form.has('client_assertion')) return aadError(401, 'invalid_client', 700027, 'Client assertion is not supported by the lab; use a client secret.');
  if (form.get('client_secret') === app.clientSecret && app.secretExpired) {
    return aadError(401, 'invalid_client', 7000222, `The provided client secret keys for app '${app.clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`);
  }
  if (form.get('client_secret') !== app.clientSecret) {
    return aadError(401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.');
  }
  const scopes = (form.get('scope') ?? '').split(/\s+/).filter(Boolean).map((s) => s.toLowerCase());
  const audience: Audience | undefined = scopes.includes(ctx.scopes.arm.toLowerCase()) ? 'arm' : scopes.includes(ctx.scopes.fabric.toLowerCase()) ? 'fabric' : undefined;
  if (!audience) {
    return aadError(400, 'invalid_scope', 1002012, `The provided value for scope ${form.get('scope') ?? ''} is not valid. The lab knows ${ctx.scopes.arm} and ${ctx.scopes.fabric}.`);
  }
  const lifetime = 3599;
  return {
    status: 200,
    body: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: ctx.tokens.issue(tenant, audience, lifetime) },
  };
}

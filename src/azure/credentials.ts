// One credential per side (provider = tenant 2, consumer = tenant 1), built from the config. Secrets
// come from environment variables or files the config names, never from the config itself. The
// identity library's own HTTP goes through the same guarded, logged transport as everything else.
import { readFileSync } from 'node:fs';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { createDefaultHttpClient, type HttpClient, type PipelineResponse } from '@azure/core-rest-pipeline';
import {
  AzureCliCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
  type TokenCredentialOptions,
} from '@azure/identity';
import type { CredentialConfig, ResolvedConfig } from '../config/types.js';
import type { RequestLogEntry } from '../engine/services.js';
import type { Target } from '../engine/types.js';
import { looksLikeSecret, registerSecret } from '../text/secrets.js';
import { guardedHttpClient } from './guard.js';
import { instrumentedHttpClient, withAgents } from './transport.js';
import { connectionsUp, destinationAgents } from './agents.js';
import { destinationFor } from '../net/destination.js';

import type { TenantSide } from '../engine/types.js';

export interface SideAuth {
  side: TenantSide;
  type: CredentialConfig['type'];
  /** The side's tenant when the config names it (targets' provider/consumer.tenantId). */
  tenantId?: string;
  credential: TokenCredential;
  /** Who the last token was for (upn, app id or object id), read from its claims; never the token. */
  principal(): string | undefined;
  /** Whether a token for this scope is in hand (not only asked for): a request for it goes out at once. */
  hasToken(scope: string): boolean;
}

/**
 * The tenant a target's side signs in to, when it is not the run's first one for that side: a fleet
 * whose targets span tenants gets a credential per tenant (`undefined`: the side's first tenant).
 */
export function otherTenantOf(config: ResolvedConfig, side: TenantSide, target: Target | undefined): string | undefined {
  const tenantId = target?.[side]?.tenantId?.toLowerCase();
  return tenantId && tenantId !== sideTenant(config, side).tenantId ? tenantId : undefined;
}

/** sideTenant's answers per config: every ARM and Fabric call of every target asks, a fleet's walk of its targets once. */
const sideTenants = new WeakMap<ResolvedConfig, Partial<Record<TenantSide, { tenantId?: string; others: string[] }>>>();

/** The tenant of a side: the first target that names one (other tenants get their own credential: otherTenantOf). */
export function sideTenant(config: ResolvedConfig, side: TenantSide): { tenantId?: string; others: string[] } {
  let known = sideTenants.get(config);
  if (!known) sideTenants.set(config, (known = {}));
  const cached = known[side];
  if (cached) return { tenantId: cached.tenantId, others: [...cached.others] };
  const ids = [...new Set(config.targets.map((t) => t[side]?.tenantId?.toLowerCase()).filter((id): id is string => !!id))];
  known[side] = { tenantId: ids[0], others: ids.slice(1) };
  return { tenantId: ids[0], others: ids.slice(1) };
}

/**
 * Builds the side's credential; undefined for `none`. Throws CredentialSetupError with the config
 * place on bad input. `tenantOverride` signs the same app in to another tenant (to tell a swapped
 * pair of tenant ids from an app that exists nowhere).
 */
export function createSideAuth(config: ResolvedConfig, side: TenantSide, log: RequestLogEntry[], runSignal?: AbortSignal, tenantOverride?: string): SideAuth | undefined {
  const spec = config.credentials[side];
  if (spec.type === 'none') return undefined;
  const configured = sideTenant(config, side);
  const tenantId = tenantOverride ?? configured.tenantId;
  const others = tenantOverride ? [] : configured.others;
  const place = `credentials.${side}`;
  const options: TokenCredentialOptions & { additionallyAllowedTenants?: string[]; disableInstanceDiscovery?: boolean } = {
    authorityHost: config.cloud.authorityHost,
    httpClient: metadataOnce(
      instrumentedHttpClient(guardedHttpClient(withAgents(createDefaultHttpClient(), destinationAgents(config)), { allowTokenRequests: true }), {
        service: `identity:${side}`,
        requestMs: config.timeouts.requestMs,
        log,
      }),
    ),
    ...(others.length ? { additionallyAllowedTenants: others } : {}),
    // A custom authority (sovereign, lab) cannot answer Microsoft's instance discovery.
    ...(config.cloud.name === 'custom' ? { disableInstanceDiscovery: true } : {}),
  };
  const needTenant = () => {
    if (!tenantId) throw new CredentialSetupError(`${place}: type ${spec.type} needs the side's tenant id (targets[].${side}.tenantId)`);
    return tenantId;
  };

  let credential: TokenCredential;
  switch (spec.type) {
    case 'default':
      credential = new DefaultAzureCredential({
        ...options,
        ...(tenantId ? { tenantId } : {}),
        ...(spec.managedIdentityClientId ? { managedIdentityClientId: spec.managedIdentityClientId } : {}),
      });
      break;
    case 'cli':
      credential = new AzureCliCredential({ ...options, ...(tenantId ? { tenantId } : {}) });
      break;
    case 'managed-identity':
      credential = spec.clientId ? new ManagedIdentityCredential({ ...options, clientId: spec.clientId }) : new ManagedIdentityCredential(options);
      break;
    case 'client-secret': {
      const secret = readSecret(place, 'secret', spec.secretEnv, spec.secretFile);
      credential = new ClientSecretCredential(needTenant(), spec.clientId, secret, options);
      break;
    }
    case 'client-certificate': {
      const certificate = readSecret(place, 'certificate', spec.certificateEnv, spec.certificateFile);
      const password = spec.certificatePasswordEnv ? readSecret(place, 'certificatePassword', spec.certificatePasswordEnv, undefined) : undefined;
      credential = new ClientCertificateCredential(
        needTenant(),
        spec.clientId,
        { certificate, ...(password ? { certificatePassword: password } : {}) } as { certificate: string },
        options,
      );
      break;
    }
    case 'workload-identity':
      credential = new WorkloadIdentityCredential({
        ...options,
        ...(tenantId ? { tenantId } : {}),
        ...(spec.clientId ? { clientId: spec.clientId } : {}),
        ...(spec.tokenFile ? { tokenFilePath: spec.tokenFile } : {}),
      });
      break;
    case 'access-token':
      credential = new StaticTokenCredential(config, place, spec);
      break;
    default:
      throw new Error(`${place}: unknown credential type ${JSON.stringify((spec as { type: unknown }).type)}`);
  }
  return trackPrincipal(side, spec.type, tenantId, sandboxed(config, spec.type, credential), runSignal);
}

/**
 * Whether a side's sign-in is this process's own HTTPS request (not another process such as az, nor
 * a chain of attempts such as DefaultAzureCredential): the run can then start it first and the rest
 * once that request is on the wire (the engine's head start).
 */
export function signsInHere(config: Pick<ResolvedConfig, 'credentials'>): boolean {
  return Object.values(config.credentials).some((spec) => SIGN_IN_HERE.has(spec.type));
}

const SIGN_IN_HERE = new Set<CredentialConfig['type']>(['client-secret', 'client-certificate', 'workload-identity', 'managed-identity']);

/**
 * The sign-in gets this long at most, in all, before the run goes on: an authority that does not
 * answer (no route to it from the jump VM) must not hold back the VM's own probes.
 */
export const SIGN_IN_HEAD_START_MAX_MS = 250;

/** When each config's wait for its sign-in ends: the run waits twice (before its checks load, and in the engine's head start), within one bound. */
const headStartEnds = new WeakMap<object, number>();

/**
 * Resolves once the sign-in's connections are up and the requests waiting for them are written, or
 * SIGN_IN_HEAD_START_MAX_MS after the config's first wait began: what the run loads or starts next
 * then overlaps the sign-in's round trip instead of delaying its requests. At once when this process
 * does not sign in.
 */
export async function signInOnTheWire(config: Pick<ResolvedConfig, 'credentials' | 'network' | 'tls'>): Promise<void> {
  if (!signsInHere(config)) return;
  let end = headStartEnds.get(config);
  if (end === undefined) headStartEnds.set(config, (end = performance.now() + SIGN_IN_HEAD_START_MAX_MS));
  const left = end - performance.now();
  let timer: NodeJS.Timeout | undefined;
  if (left > 0) await Promise.race([connectionsUp(config), new Promise<void>((resolve) => (timer = setTimeout(resolve, left)))]);
  clearTimeout(timer);
  // The connections are up; their requests are written in the callbacks that follow: those run first.
  await new Promise((resolve) => setImmediate(resolve));
}

/** The authority's metadata: OpenID configuration and instance discovery. */
const AUTHORITY_METADATA = /\/(\.well-known\/openid-configuration|discovery\/instance)$/i;

/**
 * The authority's metadata asked once per credential: the identity library fetches it for every
 * token request that starts before its first answer, so the two scopes of one credential each
 * fetched it. Every other request goes through; a failed answer is asked again next time.
 */
export function metadataOnce(inner: HttpClient): HttpClient {
  const answers = new Map<string, Promise<PipelineResponse>>();
  return {
    sendRequest(request) {
      if (request.method !== 'GET' || !AUTHORITY_METADATA.test(new URL(request.url).pathname)) return inner.sendRequest(request);
      let answer = answers.get(request.url);
      if (!answer) {
        answer = inner.sendRequest(request);
        answers.set(request.url, answer);
        answer.then(
          (response) => response.status >= 400 && answers.delete(request.url),
          () => answers.delete(request.url),
        );
      }
      return answer;
    },
  };
}

/**
 * In the sandbox, a sign-in that would leave loopback is refused with the reason before the identity
 * library tries (it would only report an unresolvable endpoint). `cli` and `default` may sign in
 * through another process (az, azd, PowerShell) whose connections no policy here can hold: refused.
 */
function sandboxed(config: ResolvedConfig, type: CredentialConfig['type'], credential: TokenCredential): TokenCredential {
  if (!config.network.sandbox) return credential;
  let reason: string | undefined;
  if (type === 'cli' || type === 'default') {
    reason = `sandbox: the ${type} credential may sign in through another process (az, azd, PowerShell) whose connections the sandbox cannot hold; refused`;
  } else if (type !== 'access-token' && type !== 'managed-identity') {
    const authority = new URL(config.cloud.authorityHost);
    const destination = destinationFor(authority.hostname, Number(authority.port) || 443, config);
    if (!destination.ok) reason = destination.reason;
  }
  if (!reason) return credential;
  const refusal = reason;
  return {
    getToken: async () => {
      throw new Error(refusal);
    },
  };
}

/** A credential that cannot be built from the config as written (an env var unset, a file missing or unreadable). */
export class CredentialSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialSetupError';
  }
}

/** A secret read where the config says; remembered by the scrubber so that no output ever shows it. */
function readSecret(place: string, name: string, env: string | undefined, file: string | undefined): string {
  if (env) {
    const value = process.env[env];
    if (!value) throw new CredentialSetupError(`${place}: the environment variable ${shownName(env)} (${name}Env) is not set or empty`);
    registerSecret(value);
    return value;
  }
  if (file) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'the file does not exist' : code === 'EACCES' || code === 'EPERM' ? 'the file may not be read by this user' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
      throw new CredentialSetupError(`${place}: cannot read ${name}File ${file}: ${why}`);
    }
    let value: string;
    try {
      value = decodeCredentialText(bytes).trim();
    } catch (error) {
      throw new CredentialSetupError(`${place}: cannot read ${name}File ${file}: ${(error as Error).message}`);
    }
    if (!value) throw new CredentialSetupError(`${place}: ${name}File ${file} is empty`);
    registerSecret(value);
    return value;
  }
  throw new CredentialSetupError(`${place}: name where the ${name} is (${name}Env or ${name}File); it is never read from the config itself`);
}

/**
 * A secret or token file's text. Windows PowerShell's `>` writes UTF-16 LE with a byte-order mark:
 * it is read as such (so are UTF-16 BE and UTF-8 with a BOM). UTF-16 without a mark cannot be told
 * apart reliably, so it is refused with the way to rewrite the file.
 */
export function decodeCredentialText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  if (bytes.includes(0)) {
    throw new Error(
      'it holds NUL bytes: UTF-16 without a byte-order mark? Write it again as UTF-8 ' +
        '(PowerShell: Set-Content -Encoding utf8 -NoNewline -Path FILE -Value $value)',
    );
  }
  return bytes.toString('utf8');
}

/** An environment variable's name as printed: one that looks like a pasted secret is not shown. */
function shownName(env: string): string {
  return looksLikeSecret(env) ? '(its name looks like a secret, so it is not shown: put the variable\'s name there, not its value)' : env;
}

/**
 * A bearer token as the user got it: the bare token or `az account get-access-token` JSON output
 * (`accessToken`, `expiresOn` or `expires_on`).
 */
export function parseAccessToken(text: string, place: string): AccessToken {
  const trimmed = text.trim();
  if (!trimmed) throw new CredentialSetupError(`${place}: the access token is empty`);
  if (!trimmed.startsWith('{')) return { token: trimmed, expiresOnTimestamp: Date.now() + 3600_000 };
  let parsed: { accessToken?: unknown; expires_on?: unknown; expiresOn?: unknown };
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    throw new CredentialSetupError(`${place}: the access token looks like JSON but does not parse`);
  }
  if (typeof parsed.accessToken !== 'string' || !parsed.accessToken) {
    throw new CredentialSetupError(`${place}: the JSON has no accessToken field (expected \`az account get-access-token\` output)`);
  }
  let expires = Date.now() + 3600_000;
  if (typeof parsed.expires_on === 'number' || (typeof parsed.expires_on === 'string' && /^\d+$/.test(parsed.expires_on))) {
    expires = Number(parsed.expires_on) * 1000;
  } else if (typeof parsed.expiresOn === 'string' && !Number.isNaN(Date.parse(parsed.expiresOn))) {
    expires = Date.parse(parsed.expiresOn);
  }
  return { token: parsed.accessToken, expiresOnTimestamp: expires };
}

/** `access-token`: one token for ARM, one for Fabric, chosen by the requested scope. */
class StaticTokenCredential implements TokenCredential {
  constructor(
    private readonly config: ResolvedConfig,
    private readonly place: string,
    private readonly spec: Extract<CredentialConfig, { type: 'access-token' }>,
  ) {}

  async getToken(scopes: string | string[]): Promise<AccessToken> {
    const scope = (Array.isArray(scopes) ? scopes[0] : scopes) ?? '';
    const { cloud } = this.config;
    const isFabric = sameScope(scope, cloud.fabricScope);
    if (!isFabric && !sameScope(scope, cloud.armScope)) {
      throw new Error(`${this.place}: an access token was asked for scope ${scope}, which is neither cloud.armScope nor cloud.fabricScope`);
    }
    const [kind, env, file] = isFabric ? ['fabricToken', this.spec.fabricTokenEnv, this.spec.fabricTokenFile] : ['armToken', this.spec.armTokenEnv, this.spec.armTokenFile];
    if (!env && !file) throw new CredentialSetupError(`${this.place}: no ${isFabric ? 'Fabric' : 'ARM'} token configured (${kind}Env or ${kind}File)`);
    return parseAccessToken(readSecret(this.place, kind, env, file), this.place);
  }
}

function sameScope(a: string, b: string): boolean {
  return a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();
}

/** The principal in a JWT's claims (upn, then app id, then object id); undefined for an opaque token. */
export function principalOf(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const name = [claims.upn, claims.unique_name, claims.preferred_username].find((v) => typeof v === 'string') as string | undefined;
    const app = typeof claims.appid === 'string' ? claims.appid : typeof claims.azp === 'string' ? claims.azp : undefined;
    const oid = typeof claims.oid === 'string' ? claims.oid : undefined;
    if (name) return oid ? `${name} (object id ${oid})` : name;
    if (app) return oid ? `application ${app} (object id ${oid})` : `application ${app}`;
    return oid ? `object id ${oid}` : undefined;
  } catch {
    return undefined;
  }
}

/** A cached token is reused until this close to its expiry. */
const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

function trackPrincipal(side: TenantSide, type: CredentialConfig['type'], tenantId: string | undefined, inner: TokenCredential, runSignal?: AbortSignal): SideAuth {
  let principal: string | undefined;
  // One request per scope, however many facts ask at once: the identity library would otherwise
  // send a token request (and a metadata request) for each caller that arrives before the first answer.
  // A failure is the answer for the rest of the run too: the side's credential check reports it and
  // blocks the side's other checks, so asking again for each later reader would only repeat the
  // refused request (three times for one expired secret, when the sign-in went out first).
  const tokens = new Map<string, Promise<AccessToken | null>>();
  const held = new Map<string, AccessToken>();
  const keyOf = (scopes: string | string[], options?: GetTokenOptions) => JSON.stringify([typeof scopes === 'string' ? [scopes] : scopes, options?.tenantId ?? null, options?.claims ?? null]);
  const fetch = async (key: string, scopes: string | string[], options?: GetTokenOptions) => {
    const token = await inner.getToken(scopes, options);
    if (token) held.set(key, token);
    // The tokens this run obtained are scrubbed from every output.
    registerSecret(token?.token);
    if (token) principal = principalOf(token.token) ?? principal;
    return token;
  };
  const credential: TokenCredential = {
    async getToken(scopes: string | string[], options?: GetTokenOptions) {
      // A scope asked as 'x' (the sign-in fact) and as ['x'] (the SDKs) is one request.
      const key = keyOf(scopes, options);
      const cached = tokens.get(key);
      if (cached) {
        const token = await cached;
        if (token && token.expiresOnTimestamp - Date.now() > TOKEN_REFRESH_MARGIN_MS) return token;
        if (tokens.get(key) !== cached) return credential.getToken(scopes, options);
      }
      // Bound to the run, not to the first caller: other callers wait for the same request.
      const { abortSignal: _signal, ...rest } = options ?? {};
      const pending = fetch(key, scopes, runSignal ? { ...rest, abortSignal: runSignal } : rest);
      tokens.set(key, pending);
      return pending;
    },
  };
  const hasToken = (scope: string) => {
    const token = held.get(keyOf(scope));
    return !!token && token.expiresOnTimestamp - Date.now() > TOKEN_REFRESH_MARGIN_MS;
  };
  return { side, type, ...(tenantId ? { tenantId } : {}), credential, principal: () => principal, hasToken };
}

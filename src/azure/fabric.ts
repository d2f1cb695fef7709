// Fabric REST through undici, per side: the side's token for the cloud's Fabric scope, the trusted
// CA, the read-only guard as a dispatcher interceptor, and the shared timeout/retry/log policy.
// Every call goes to cloud.fabricEndpoint (never a workspace FQDN: the communication policy is
// refused there).
import { Agent, type Dispatcher, request } from 'undici';
import type { ResolvedConfig } from '../config/types.js';
import type { Services } from '../engine/services.js';
import { FactUnavailableError } from '../engine/types.js';
import { sideAuth } from './arm.js';
import type { SideAuth, TenantSide } from './credentials.js';
import { readOnlyInterceptor } from './guard.js';
import { describeErrorBody, HttpStatusError, InvalidResponseError, MAX_BODY_BYTES, notJsonError, sendWithPolicy } from './http.js';
import { trustedSecureContext } from './tls.js';

export interface FabricResponse {
  body: unknown;
  requestId?: string;
}

export interface FabricClient {
  auth: SideAuth;
  /** GET `{fabricEndpoint}{path}` (path starts with /v1/); throws HttpStatusError on a non-2xx answer. */
  get(path: string, signal: AbortSignal): Promise<FabricResponse>;
  /** A list GET following `continuationUri` (same host only, bounded): every page's `value`. */
  list(path: string, signal: AbortSignal): Promise<{ value: unknown[]; requestId?: string; truncated?: boolean }>;
}

/** A bearer token source for the side's Fabric scope; resolves undefined when the side has no credential. */
export type TokenSource = (signal?: AbortSignal) => Promise<string | undefined>;

const MAX_PAGES = 20;

/** The side's Fabric token source (`token:<side>:fabric`), for the network probes too. Never log what it returns. */
export function fabricTokenSource(services: Services, config: ResolvedConfig, side: TenantSide): TokenSource {
  return services.shared(`token:${side}:fabric`, (): TokenSource => async (signal) => {
    const auth = sideAuth(services, config, side);
    if (!auth) return undefined;
    const token = await auth.credential.getToken(config.cloud.fabricScope, signal ? { abortSignal: signal } : {});
    return token?.token;
  });
}

export function fabricClient(services: Services, config: ResolvedConfig, side: TenantSide): FabricClient {
  return services.shared(`fabric:${side}`, (): FabricClient => {
    const auth = sideAuth(services, config, side);
    if (!auth) throw new FactUnavailableError({ kind: 'no-access', message: `no credential for the ${side} side; it is not contacted` });
    // The trusted roots as one ready context: a new connection does not parse them again.
    const secureContext = trustedSecureContext(config);
    const dispatcher: Dispatcher = new Agent(secureContext ? { connect: { secureContext } } : {}).compose(readOnlyInterceptor());
    const tokens = fabricTokenSource(services, config, side);
    const base = config.cloud.fabricEndpoint.replace(/\/+$/, '');
    const policy = { service: `fabric:${side}`, requestMs: config.timeouts.requestMs, log: services.requestLog };

    const getUrl = async (url: string, signal: AbortSignal): Promise<FabricResponse> => {
      const token = await tokens(signal);
      const result = await sendWithPolicy('GET', url, policy, signal, async (attemptSignal) => {
        const response = await request(url, {
          method: 'GET',
          dispatcher,
          signal: attemptSignal,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        });
        const header = (name: string) => {
          const value = response.headers[name];
          return Array.isArray(value) ? value[0] : value;
        };
        const text = await readCapped(response.body, url);
        return {
          status: response.statusCode,
          retryAfter: header('retry-after') ?? null,
          requestId: header('requestid') ?? header('x-ms-request-id'),
          text,
        };
      });
      let body: unknown;
      try {
        body = result.text ? JSON.parse(result.text) : undefined;
      } catch {
        if (result.status < 300) throw notJsonError(new URL(url).pathname, result.text, result.requestId);
      }
      if (result.status < 200 || result.status >= 300) {
        const error = body as { errorCode?: unknown; message?: unknown; requestId?: unknown } | undefined;
        const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
        throw new HttpStatusError(result.status, url, str(error?.errorCode), str(error?.message) ?? describeErrorBody(result.text), str(error?.requestId) ?? result.requestId);
      }
      const bodyRequestId = (body as { requestId?: unknown } | undefined)?.requestId;
      const requestId = result.requestId ?? (typeof bodyRequestId === 'string' ? bodyRequestId : undefined);
      return { body, ...(requestId ? { requestId } : {}) };
    };

    return {
      auth,
      get: (path, signal) => getUrl(`${base}${path}`, signal),
      async list(path, signal) {
        const value: unknown[] = [];
        let requestId: string | undefined;
        let url: string | undefined = `${base}${path}`;
        for (let page = 0; url; page++) {
          if (page >= MAX_PAGES) return { value, ...(requestId ? { requestId } : {}), truncated: true };
          const response = await getUrl(url, signal);
          requestId ??= response.requestId;
          const body = response.body as { value?: unknown; continuationUri?: unknown } | undefined;
          if (!body || !Array.isArray(body.value)) throw new InvalidResponseError(`the list ${path} has no field \`value\``, response.requestId, 'value');
          value.push(...body.value);
          url = typeof body.continuationUri === 'string' && body.continuationUri ? body.continuationUri : undefined;
          // The token goes only to the Fabric API host.
          if (url && new URL(url).origin !== new URL(base).origin) {
            throw new InvalidResponseError(`the list ${path} continues on another host (${new URL(url).host}); not followed`, response.requestId, 'continuationUri');
          }
        }
        return { value, ...(requestId ? { requestId } : {}) };
      },
    };
  });
}

async function readCapped(body: AsyncIterable<Buffer | Uint8Array> & { destroy?(): unknown }, url: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      body.destroy?.();
      throw new InvalidResponseError(`the answer from ${new URL(url).pathname} is over the ${MAX_BODY_BYTES}-byte cap`);
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

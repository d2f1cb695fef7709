// Fabric REST through undici, per side: the side's token for the cloud's Fabric scope, the run's
// trust store, the read-only guard as a dispatcher interceptor, and the shared timeout/retry/log policy.
// Every call goes to cloud.fabricEndpoint (never a workspace FQDN: the communication policy is
// refused there).
import type { Dispatcher } from 'undici';
import { undici } from '../net/undici.js';
import type { ResolvedConfig } from '../config/types.js';
import { serviceKey, type Services } from '../engine/services.js';
import { FactUnavailableError, type Target } from '../engine/types.js';
import { readBudget, sideAuth } from './arm.js';
import { otherTenantOf, type SideAuth } from './credentials.js';
import type { TenantSide } from '../engine/types.js';
import { readOnlyInterceptor } from './guard.js';
import { describeErrorBody, HttpStatusError, notJsonError, readBody, sendWithPolicy, type RequestPolicy } from './http.js';
import { collectPages, type ListResult } from './paging.js';
import { destinationConnector, warmConnection } from './agents.js';
import { tokenUrl } from './url.js';

export interface FabricResponse {
  body: unknown;
  requestId?: string;
}

export interface FabricClient {
  auth: SideAuth;
  /** GET `{fabricEndpoint}{path}` (path starts with /v1/); throws HttpStatusError on a non-2xx answer. */
  get(path: string, signal: AbortSignal): Promise<FabricResponse>;
  /**
   * A list GET read to its end through the one paging module (`continuationUri`, or
   * `continuationToken` on the same path; same host only). A list that cannot be read to its end
   * throws ListTruncated.
   */
  list(path: string, signal: AbortSignal, items?: (body: unknown) => unknown[] | undefined): Promise<ListResult>;
}

/** A bearer token source for the side's Fabric scope; resolves undefined when the side has no credential. */
export type TokenSource = (signal?: AbortSignal) => Promise<string | undefined>;

/** The key a side's Fabric token source is shared under (tests register their own source under it first). */
export function fabricTokenKey(side: TenantSide, tenant?: string) {
  return serviceKey<TokenSource>(`token:${side}:fabric${tenant ? `:${tenant}` : ''}`);
}

/** The side's Fabric token source (`token:<side>:fabric`), for the network probes too. Never log what it returns. */
export function fabricTokenSource(services: Services, config: ResolvedConfig, side: TenantSide, target?: Target): TokenSource {
  const tenant = otherTenantOf(config, side, target);
  return services.shared(fabricTokenKey(side, tenant), (): TokenSource => async (signal) => {
    const auth = sideAuth(services, config, side, target);
    if (!auth) return undefined;
    const token = await auth.credential.getToken(config.cloud.fabricScope, signal ? { abortSignal: signal } : {});
    return token?.token;
  });
}

export function fabricClient(services: Services, config: ResolvedConfig, side: TenantSide, target?: Target): FabricClient {
  const tenant = otherTenantOf(config, side, target);
  return services.shared(serviceKey<FabricClient>(`fabric:${side}${tenant ? `:${tenant}` : ''}`), (): FabricClient => {
    const auth = sideAuth(services, config, side, target);
    if (!auth) throw new FactUnavailableError({ kind: 'no-access', message: `no credential for the ${side} side; it is not contacted` });
    // Connections go where destinationFor says (connect-to, the sandbox), with the trusted roots.
    // undici loads with the side's first Fabric request at the latest (src/net/undici.ts).
    let client: Promise<{ request: typeof import('undici').request; dispatcher: Dispatcher }> | undefined;
    const httpClient = () =>
      (client ??= Promise.all([undici(), destinationConnector(config)]).then(([{ Agent, request }, connect]) => ({ request, dispatcher: new Agent({ connect }).compose(readOnlyInterceptor()) })));
    const tokens = fabricTokenSource(services, config, side, target);
    const base = config.cloud.fabricEndpoint.replace(/\/+$/, '');
    const policy: RequestPolicy = { service: `fabric:${side}`, requestMs: config.timeouts.requestMs, log: services.requestLog, reads: readBudget(services, config) };

    const getUrl = async (url: string, signal: AbortSignal): Promise<FabricResponse & { bytes: number }> => {
      // A read that will wait for the side's token has its connection opened meanwhile.
      if (!auth.hasToken(config.cloud.fabricScope)) warmConnection(config, url);
      const token = await tokens(signal);
      const { request, dispatcher } = await httpClient();
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
        const requestId = header('requestid') ?? header('x-ms-request-id');
        const text = await readBody(response.body, url, policy, requestId ? { requestId } : {});
        return { status: response.statusCode, retryAfter: header('retry-after') ?? null, requestId, text };
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
      return { body, bytes: Buffer.byteLength(result.text), ...(requestId ? { requestId } : {}) };
    };

    return {
      auth,
      get: async (path, signal) => getUrl(tokenUrl(base, path, 'fabric'), signal),
      list: async (path, signal, items) =>
        collectPages({
          what: `Fabric: the list ${path}`,
          style: 'fabric',
          firstUrl: tokenUrl(base, path, 'fabric'),
          fetchPage: (url) => getUrl(url, signal),
          ...(items ? { items } : {}),
        }),
    };
  });
}

// ARM per side: the generated network and private DNS clients (one per subscription), and a plain
// ARM GET for resources no generated SDK covers (Microsoft.Fabric/privateLinkServicesForFabric),
// all on one guarded, logged transport with the side's own credential and the cloud's scope.
import type { NetworkManagementClient } from '@azure/arm-network';
import type { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import { bearerTokenAuthenticationPolicy, createDefaultHttpClient, createPipelineFromOptions, createPipelineRequest, type HttpClient, type Pipeline, type PipelinePolicy } from '@azure/core-rest-pipeline';
import type { ResolvedConfig } from '../config/types.js';
import { serviceKey, type Services } from '../engine/services.js';
import { FactUnavailableError } from '../engine/types.js';
import type { Target } from '../engine/types.js';
import { createSideAuth, otherTenantOf, type SideAuth } from './credentials.js';
import type { TenantSide } from '../engine/types.js';
import { ArmReadBudget } from './budget.js';
import { guardedHttpClient } from './guard.js';
import { describeErrorBody, HttpStatusError, InvalidResponseError, notJsonError, RunReadBudget } from './http.js';
import { collectPages, DEFAULT_LIST_LIMITS, type ListResult } from './paging.js';
import { instrumentedHttpClient, withAgents } from './transport.js';
import { destinationAgents, warmConnection } from './agents.js';
import { tokenUrl } from './url.js';

export interface ArmResponse {
  /** The wire JSON, exactly as ARM sent it (with `properties`). */
  body: unknown;
  requestId?: string;
}

export interface ArmSide {
  auth: SideAuth;
  /** The generated clients load with their first use (armClients), not before the run's first request. */
  network(subscriptionId: string): Promise<NetworkManagementClient>;
  dns(subscriptionId: string): Promise<PrivateDnsManagementClient>;
  /** GET `{armEndpoint}{path}?api-version=…`; throws HttpStatusError on a non-2xx answer. */
  getJson(path: string, apiVersion: string, signal: AbortSignal): Promise<ArmResponse>;
  /**
   * A list GET read to its end through the one paging module (`nextLink` on the same ARM host):
   * every page's wire `value`. A list that cannot be read to its end throws ListTruncated.
   * `top` asks for pages of that size (where the API takes `$top`).
   */
  listJson(path: string, apiVersion: string, signal: AbortSignal, options?: { top?: number; maxPages?: number }): Promise<ArmList>;
}

export type ArmList = ListResult;

/**
 * The side's credential for the target's tenant, one per tenant for the run (`auth:<side>`, and
 * `auth:<side>:<tenant>` for a fleet's further tenants); undefined when the side has none.
 */
export function sideAuth(services: Services, config: ResolvedConfig, side: TenantSide, target?: Target): SideAuth | undefined {
  const tenant = otherTenantOf(config, side, target);
  return services.shared(serviceKey<SideAuth | undefined>(`auth:${side}${tenant ? `:${tenant}` : ''}`), () => createSideAuth(config, side, services.requestLog, services.signal, tenant));
}

/** The side's ARM clients, one set per run (`arm:<side>`). Throws no-access when the side has no credential. */
export function armSide(services: Services, config: ResolvedConfig, side: TenantSide, target?: Target): ArmSide {
  const tenant = otherTenantOf(config, side, target);
  return services.shared(serviceKey<ArmSide>(`arm:${side}${tenant ? `:${tenant}` : ''}`), () => {
    const auth = sideAuth(services, config, side, target);
    if (!auth) throw new FactUnavailableError({ kind: 'no-access', message: `no credential for the ${side} side; it is not contacted` });
    const httpClient: HttpClient = instrumentedHttpClient(guardedHttpClient(withAgents(createDefaultHttpClient(), destinationAgents(config))), {
      service: `arm:${side}`,
      requestMs: config.timeouts.requestMs,
      log: services.requestLog,
      // One budget per run for both sides: each subscription has its own state inside.
      budget: services.shared(ARM_READ_BUDGET, () => new ArmReadBudget()),
      reads: readBudget(services, config),
    });
    const options = {
      endpoint: config.cloud.armEndpoint,
      // The scope does not follow the endpoint by itself (sovereign clouds, the lab).
      credentials: { scopes: [config.cloud.armScope] },
      httpClient,
      // Retries (429/503 with Retry-After, bounded) happen once, in our transport.
      retryOptions: { maxRetries: 0 },
    };
    const networks = new Map<string, Promise<NetworkManagementClient>>();
    const zones = new Map<string, Promise<PrivateDnsManagementClient>>();
    // The plain GETs need a pipeline with the side's token, not a generated client (2 MB of code).
    const plain = createPipelineFromOptions({ retryOptions: options.retryOptions });
    plain.addPolicy(bearerTokenAuthenticationPolicy({ credential: auth.credential, scopes: options.credentials.scopes }));
    // A read that will wait for the side's token has its connection opened meanwhile (warmConnection).
    const warm: PipelinePolicy = {
      name: 'xtdWarmConnection',
      sendRequest: (request, next) => {
        if (!auth.hasToken(config.cloud.armScope)) warmConnection(config, request.url);
        return next(request);
      },
    };
    plain.addPolicy(warm, { phase: 'Serialize' });
    const armBase = config.cloud.armEndpoint.replace(/\/+$/, '');
    const fetchJson = async (url: string, signal: AbortSignal): Promise<ArmResponse & { bytes: number }> => {
      const response = await plain.sendRequest(httpClient, createPipelineRequest({ url, method: 'GET', abortSignal: signal }));
      const requestId = response.headers.get('x-ms-request-id') ?? undefined;
      const text = response.bodyAsText ?? '';
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        if (response.status < 300) throw notJsonError(new URL(url).pathname, text, requestId);
      }
      if (response.status < 200 || response.status >= 300) {
        const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
        const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
        throw new HttpStatusError(response.status, url, str(error?.code), str(error?.message) ?? describeErrorBody(text), requestId);
      }
      return { body, bytes: Buffer.byteLength(text), ...(requestId ? { requestId } : {}) };
    };
    return {
      auth,
      network(subscriptionId) {
        let client = networks.get(subscriptionId);
        if (!client) networks.set(subscriptionId, (client = armClients().then(({ NetworkManagementClient }) => withPolicy(new NetworkManagementClient(auth.credential, subscriptionId, options), warm))));
        return client;
      },
      dns(subscriptionId) {
        let client = zones.get(subscriptionId);
        if (!client) zones.set(subscriptionId, (client = armClients().then(({ PrivateDnsManagementClient }) => withPolicy(new PrivateDnsManagementClient(auth.credential, subscriptionId, options), warm))));
        return client;
      },
      async getJson(path, apiVersion, signal) {
        return fetchJson(`${tokenUrl(armBase, path, 'arm')}?api-version=${encodeURIComponent(apiVersion)}`, signal);
      },
      async listJson(path, apiVersion, signal, options = {}) {
        const top = options.top ? `&%24top=${options.top}` : '';
        return collectPages({
          what: `the list ${path}`,
          style: 'arm',
          firstUrl: `${tokenUrl(armBase, path, 'arm')}?api-version=${encodeURIComponent(apiVersion)}${top}`,
          fetchPage: (url) => fetchJson(url, signal),
          ...(options.maxPages ? { limits: { ...DEFAULT_LIST_LIMITS, maxPages: options.maxPages } } : {}),
        });
      },
    };
  });
}

/** A generated client with one more policy, before its token is asked for (the Serialize phase runs before Sign). */
function withPolicy<C extends { pipeline: Pipeline }>(client: C, policy: PipelinePolicy): C {
  client.pipeline.addPolicy(policy, { phase: 'Serialize' });
  return client;
}

let loadingClients: Promise<{ NetworkManagementClient: typeof NetworkManagementClient; PrivateDnsManagementClient: typeof PrivateDnsManagementClient }> | undefined;

/**
 * The generated network and private DNS clients (most of the Azure SDK's code), loaded once: with
 * their first read, or during the sign-in's round trip (the engine's head start), never before a
 * run's first request nor in the middle of its first wave of reads.
 */
export function armClients() {
  return (loadingClients ??= Promise.all([import('@azure/arm-network'), import('@azure/arm-privatedns')]).then(([network, dns]) => ({
    NetworkManagementClient: network.NetworkManagementClient,
    PrivateDnsManagementClient: dns.PrivateDnsManagementClient,
  })));
}

const ARM_READ_BUDGET = serviceKey<ArmReadBudget>('arm:read-budget');
const READ_BUDGET = serviceKey<RunReadBudget>('run:read-budget');

/** The run's budget of bytes read (limits.readMB), shared by ARM, Fabric and Resource Graph, both sides. */
export function readBudget(services: Services, config: ResolvedConfig): RunReadBudget {
  return services.shared(READ_BUDGET, () => new RunReadBudget(config.limits.readMB));
}

type RawCallback = (raw: { parsedBody?: unknown; bodyAsText?: string | null; headers?: { get(name: string): string | undefined } }) => void;

/** Runs one generated-SDK GET and returns the wire JSON it received (not the flattened model). */
export async function armRead(call: (options: { abortSignal: AbortSignal; onResponse: RawCallback }) => Promise<unknown>, signal: AbortSignal): Promise<ArmResponse> {
  let captured: ArmResponse | undefined;
  let notJson: InvalidResponseError | undefined;
  try {
    await call({
      abortSignal: signal,
      onResponse: (raw) => {
        const text = raw.bodyAsText ?? '';
        if (text.trim() && !parses(text)) notJson = notJsonError('ARM', text, requestIdOf(raw).requestId);
        captured = { body: wireBody(raw), ...requestIdOf(raw) };
      },
    });
  } catch (error) {
    // The SDK's own complaint about an unparsable body says less than ours.
    throw notJson ?? error;
  }
  if (notJson) throw notJson;
  if (!captured) throw new InvalidResponseError('the SDK returned without a response');
  return captured;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function wireBody(raw: { parsedBody?: unknown; bodyAsText?: string | null }): unknown {
  if (typeof raw.bodyAsText === 'string' && raw.bodyAsText) {
    try {
      return JSON.parse(raw.bodyAsText);
    } catch {
      return raw.parsedBody;
    }
  }
  return raw.parsedBody;
}

function requestIdOf(raw: { headers?: { get(name: string): string | undefined } }): { requestId?: string } {
  const id = raw.headers?.get?.('x-ms-request-id');
  return id ? { requestId: id } : {};
}

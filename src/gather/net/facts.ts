// The data-plane probe facts: the VM's own observations, the ground truth. TCP, TLS and HTTPS start
// at once with the run and never wait for a check (a topology opinion, a DNS verdict); when DNS is
// wrong they connect to the endpoint's IP from ARM, so one run shows every problem. Only the public
// probe is lazy: it runs when its check is about to.
import { defineFact, type GatherContext } from '../../engine/define.js';
import { unavailable } from '../../engine/types.js';
import { workspaceNames } from '../../fabric/workspace.js';
import { ADDRESS_SOURCE_FACT, addressesFor, chooseAddress, type ApiAddress } from './address.js';
import { trustStore, type TrustStore } from '../../net/trust.js';
import { probeHttps, type HttpsProbeResult } from './https.js';
import { publicResolver, resolvePublic, type PublicResolution } from './public-resolve.js';
import { probeTcp, type TcpProbeResult } from './tcp.js';
import { probeTls, type TlsProbeResult } from './tls.js';
import { fabricToken, providerFabricTokenSource } from './token.js';

export const HTTPS_PORT = 443;

/** The run's one trust store (the control plane's too), shared by every probe. */
function sharedRoots(ctx: GatherContext): TrustStore {
  return trustStore(ctx.config);
}

/** What a probe needs from the roots: the PEMs (for the evidence) and the shared context. */
function probeTrust(roots: TrustStore) {
  return { ca: roots.ca, secureContext: roots.secureContext() };
}

function apiFqdn(ctx: GatherContext): string {
  return workspaceNames(ctx.target.workspaceId).fqdns.api;
}

/** The request every HTTPS probe sends: the workspace, on its own FQDN (the path keeps the dashed GUID). */
export function workspacePath(workspaceId: string): string {
  return `/v1/workspaces/${workspaceNames(workspaceId).workspaceId}`;
}

export const apiAddressFact = defineFact({
  id: 'local.apiAddress',
  version: 1,
  description: "where the probes connect: the address the system resolver gives for the workspace API FQDN, or the endpoint's IP from ARM when DNS does not give it",
  async gather(ctx): Promise<ApiAddress> {
    const fqdn = apiFqdn(ctx);
    const resolved = await ctx.require(ADDRESS_SOURCE_FACT);
    const addresses = addressesFor(resolved, fqdn);
    if (!addresses) unavailable('invalid-response', `${ADDRESS_SOURCE_FACT} has no entry for ${fqdn}`);
    const ips = await ctx.fact('consumer.endpointIps');
    const endpointIps = ips.ok ? (ips.value.byFqdn[fqdn] ?? []) : [];
    const chosen = chooseAddress(fqdn, addresses, endpointIps);
    if (!chosen) unavailable('network', `the system resolver gives no address for ${fqdn}`, { details: { fqdn } });
    return { fqdn, addresses, ...chosen };
  },
});

export const tcp443Fact = defineFact({
  id: 'local.tcp443',
  version: 1,
  description: 'a TCP connection to the API FQDN address on port 443',
  async gather(ctx): Promise<TcpProbeResult> {
    const api = await ctx.require(apiAddressFact.id);
    return ctx.services.limit('net', () =>
      probeTcp({ address: api.address, port: HTTPS_PORT, names: [api.fqdn], config: ctx.config, timeoutMs: ctx.config.probes.timeoutMs, signal: ctx.signal }),
    );
  },
});

export type TlsFact = TlsProbeResult & { extraCa: TrustStore['extra'] };

export const tlsFact = defineFact({
  id: 'local.tls',
  version: 1,
  description: 'a TLS handshake with the API FQDN as SNI, and its certificate',
  async gather(ctx): Promise<TlsFact> {
    const api = await ctx.require(apiAddressFact.id);
    const roots = sharedRoots(ctx);
    const result = await ctx.services.limit('net', () =>
      probeTls({ address: api.address, port: HTTPS_PORT, servername: api.fqdn, config: ctx.config, ...probeTrust(roots), timeoutMs: ctx.config.probes.timeoutMs, signal: ctx.signal }),
    );
    return { ...result, extraCa: roots.extra };
  },
});

export const httpsFact = defineFact({
  id: 'local.https',
  version: 1,
  description: 'GET /v1/workspaces/{id} on the workspace API FQDN, over the address the system resolver gives',
  async gather(ctx): Promise<HttpsProbeResult> {
    const api = await ctx.require(apiAddressFact.id);
    return getWorkspace(ctx, api.fqdn, api.address, sharedRoots(ctx));
  },
});

/** `GET /v1/workspaces/{id}` to `address` with SNI `fqdn`, with the provider's token when there is one. */
async function getWorkspace(ctx: GatherContext, fqdn: string, address: string, roots: TrustStore): Promise<HttpsProbeResult> {
  const token = await fabricToken(providerFabricTokenSource(ctx.services, ctx.config, ctx.target), ctx.signal);
  return ctx.services.limit('net', () =>
    probeHttps({
      fqdn,
      address,
      path: workspacePath(ctx.target.workspaceId),
      config: ctx.config,
      ...probeTrust(roots),
      timeoutMs: ctx.config.probes.timeoutMs,
      signal: ctx.signal,
      token,
      requestLog: ctx.services.requestLog,
    }),
  );
}

export interface PublicProbe {
  fqdn: string;
  resolution: PublicResolution;
  /** The public address the request went to; absent when there was none. */
  address?: string;
  https?: HttpsProbeResult;
}

export const publicProbeFact = defineFact({
  id: 'public.probe',
  version: 1,
  description: 'the API FQDN resolved through public DNS, and GET /v1/workspaces/{id} sent to that public address',
  lazy: true,
  async gather(ctx): Promise<PublicProbe> {
    const fqdn = apiFqdn(ctx);
    const servers = ctx.config.dns.publicServers;
    if (servers.length === 0) unavailable('not-configured', 'no public DNS servers are configured (dns.publicServers)');
    const resolution = await ctx.services.limit('dns', () => resolvePublic(publicResolver(ctx.services, ctx.config), fqdn, servers, ctx.signal));
    // Only a public address tests the public path: a private one would go through the endpoint.
    const address = resolution.addresses.find((a) => a.class === 'public')?.address;
    if (!address) return { fqdn, resolution };
    const https = await getWorkspace(ctx, fqdn, address, sharedRoots(ctx));
    return { fqdn, resolution, address, https };
  },
});

export const NET_FACTS = [apiAddressFact, tcp443Fact, tlsFact, httpsFact, publicProbeFact];

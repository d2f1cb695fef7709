// The data-plane probe facts: the VM's own observations, the ground truth. Every probe starts at once
// with the run and never waits for a check (a topology opinion, a DNS verdict); only its verdict
// does. TCP, TLS and HTTPS start with the private address the VM's resolver gives, before ARM's
// endpoint IPs are known; when ARM says DNS is wrong they connect to the endpoint's IP from ARM, so
// one run shows every problem. The three share one connection per target (probeConnection).
import type { TLSSocket } from 'node:tls';
import { defineFact, type GatherContext } from '../../engine/define.js';
import { serviceKey } from '../../engine/services.js';
import { unavailable } from '../../engine/types.js';
import { workspaceNames } from '../../fabric/workspace.js';
import { ADDRESS_SOURCE_FACT, addressesFor, chooseAddress, earlyAddress, type ApiAddress } from './address.js';
import { trustStore, type TrustStore } from '../../net/trust.js';
import { probeHttps, type HttpsProbeResult } from './https.js';
import { publicResolver, resolvePublic, type PublicResolution } from './public-resolve.js';
import { connectTcp, type TcpProbeResult } from './tcp.js';
import { handshakeTls, type TlsProbeResult } from './tls.js';
import { fabricToken, providerFabricTokenSource } from './token.js';

export const HTTPS_PORT = 443;

/** The run's one trust store (the control plane's too), shared by every probe. */
function sharedRoots(ctx: GatherContext): TrustStore {
  return trustStore(ctx.config);
}

/** What a probe needs from the roots: the PEMs (for the evidence) and the shared context (`classic`: the public path's, trust.ts). */
function probeTrust(roots: TrustStore, groups?: 'classic') {
  return { ca: roots.ca, secureContext: roots.secureContext(groups) };
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
    const early = earlyAddress(addresses);
    if (early === undefined || early === chosen.address) return { fqdn, addresses, ...chosen, ...(early ? { early } : {}) };
    const reason = `${chosen.reason} (the probes had started at ${early}, the DNS answer, before ARM's endpoint IPs were known; that probe was dropped)`;
    return { fqdn, addresses, ...chosen, reason, early };
  },
});

/**
 * The private address the probes start with before `local.apiAddress` is known (it waits for ARM):
 * the DNS answer's, read from the same fact. Undefined when there is none; the probe then waits.
 */
async function earlyProbeAddress(ctx: GatherContext, fqdn: string): Promise<string | undefined> {
  const resolved = await ctx.fact(ADDRESS_SOURCE_FACT);
  const addresses = resolved.ok ? addressesFor(resolved.value, fqdn) : undefined;
  return addresses && earlyAddress(addresses);
}

/**
 * One connection per target for the three private-path probes: TCP connects, TLS shakes hands over
 * that socket, and the HTTPS request goes over it too (one handshake, not three). Each stage is
 * timed on its own; each probe's fact keeps its meaning (connect time; handshake and certificate;
 * the HTTP status). The sandbox holds at the socket: the TCP stage asks destinationFor first.
 */
interface ProbeConnection {
  tcp: TcpProbeResult;
  tls: TlsProbeResult;
  /** The open TLS socket (authorized or not), once, for the HTTPS request; undefined after, or when there is none. */
  take(): TLSSocket | undefined;
}

function probeConnection(ctx: GatherContext, api: Pick<ApiAddress, 'fqdn' | 'address'>): Promise<ProbeConnection> {
  const { services, config } = ctx;
  return services.shared(serviceKey<Promise<ProbeConnection>>(`probe-connection:${api.fqdn.toLowerCase()}|${api.address}`), () =>
    services.limit('net', async (): Promise<ProbeConnection> => {
      const input = { address: api.address, port: HTTPS_PORT, config, timeoutMs: config.probes.timeoutMs, signal: services.signal };
      const tcp = await connectTcp({ ...input, names: [api.fqdn] });
      if (!tcp.socket) {
        // No connection, no handshake: the TLS probe ends the way the connection did.
        const { destination, connectMs, error } = tcp.result;
        const outcome = tcp.result.outcome as Exclude<TcpProbeResult['outcome'], 'open'>;
        const tls: TlsProbeResult = { address: api.address, port: HTTPS_PORT, servername: api.fqdn, ...(destination ? { destination } : {}), outcome, ...(connectMs !== undefined ? { handshakeMs: connectMs } : {}), ...(error ? { error } : {}) };
        return { tcp: tcp.result, tls, take: () => undefined };
      }
      const tls = await handshakeTls({ ...input, servername: api.fqdn, ...probeTrust(sharedRoots(ctx)), socket: tcp.socket });
      return { tcp: tcp.result, tls: tls.result, take: holdForRequest(tls.socket, config.probes.timeoutMs, services.signal) };
    }),
  );
}

/**
 * Keeps a handshaken socket for the HTTPS request (which first waits for its token) at most
 * `holdMs`; it never keeps the process alive. The request then connects anew if it is gone.
 */
function holdForRequest(socket: TLSSocket | undefined, holdMs: number, signal: AbortSignal): () => TLSSocket | undefined {
  let held = socket;
  if (!held) return () => undefined;
  const drop = () => {
    clearTimeout(timer);
    signal.removeEventListener('abort', drop);
    held?.destroy();
    held = undefined;
  };
  const timer = setTimeout(drop, holdMs);
  timer.unref();
  held.unref();
  held.on('error', () => {});
  held.once('close', drop);
  signal.addEventListener('abort', drop, { once: true });
  return () => {
    const taken = held;
    held = undefined;
    clearTimeout(timer);
    signal.removeEventListener('abort', drop);
    taken?.removeListener('close', drop);
    taken?.ref();
    return taken;
  };
}

/**
 * A probe fact on the target's one connection (its TCP stage, its TLS stage, or the request over
 * it). `probe` runs at an address with its own signal: it starts at once at the DNS answer's private
 * address, and is kept when `local.apiAddress` (which waits for ARM) settles on that address;
 * otherwise it is aborted and the probe runs again at the chosen address.
 */
function probeFact<const Id extends string, T>(id: Id, description: string, probe: (ctx: GatherContext, at: Pick<ApiAddress, 'fqdn' | 'address'>, signal: AbortSignal) => Promise<T>) {
  return defineFact({
    id,
    version: 1,
    description,
    async gather(ctx): Promise<T> {
      const early = await earlyProbeAddress(ctx, apiFqdn(ctx));
      const abortEarly = new AbortController();
      const started = early === undefined ? undefined : probe(ctx, { fqdn: apiFqdn(ctx), address: early }, AbortSignal.any([ctx.signal, abortEarly.signal]));
      started?.catch(() => {});
      try {
        const api = await ctx.require(apiAddressFact.id);
        if (started && api.address === early) return await started;
        abortEarly.abort();
        return await probe(ctx, api, ctx.signal);
      } catch (error) {
        abortEarly.abort();
        throw error;
      }
    },
  });
}

export const tcp443Fact = probeFact('local.tcp443', 'a TCP connection to the API FQDN address on port 443', async (ctx, at): Promise<TcpProbeResult> => (await probeConnection(ctx, at)).tcp);

export type TlsFact = TlsProbeResult & { extraCa: TrustStore['extra'] };

export const tlsFact = probeFact(
  'local.tls',
  "a TLS handshake with the API FQDN as SNI (over the TCP probe's connection), and its certificate",
  async (ctx, at): Promise<TlsFact> => ({ ...(await probeConnection(ctx, at)).tls, extraCa: sharedRoots(ctx).extra }),
);

export const httpsFact = probeFact(
  'local.https',
  "GET /v1/workspaces/{id} on the workspace API FQDN, over the address the system resolver gives (and the TLS probe's connection)",
  async (ctx, at, signal): Promise<HttpsProbeResult> => getWorkspace(ctx, at.fqdn, at.address, probeTrust(sharedRoots(ctx)), signal, (await probeConnection(ctx, at)).take),
);

/**
 * `GET /v1/workspaces/{id}` to `address` with SNI `fqdn`, with the provider's token when there is one;
 * over the socket `open` gives (taken once the token is there), else a connection of its own.
 */
async function getWorkspace(
  ctx: GatherContext,
  fqdn: string,
  address: string,
  trust: ReturnType<typeof probeTrust>,
  signal: AbortSignal,
  open?: () => TLSSocket | undefined,
): Promise<HttpsProbeResult> {
  const token = await fabricToken(providerFabricTokenSource(ctx.services, ctx.config, ctx.target), signal);
  signal.throwIfAborted();
  const socket = open?.();
  return ctx.services.limit('net', () =>
    probeHttps({
      fqdn,
      address,
      path: workspacePath(ctx.target.workspaceId),
      config: ctx.config,
      ...trust,
      timeoutMs: ctx.config.probes.timeoutMs,
      signal,
      token,
      requestLog: ctx.services.requestLog,
      ...(socket ? { socket } : {}),
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

/** The public path: `fqdn` through public DNS, then the workspace request to the public address it gives. */
async function probePublicPath(ctx: GatherContext, fqdn: string): Promise<PublicProbe> {
  const servers = ctx.config.dns.publicServers;
  if (servers.length === 0) unavailable('not-configured', 'no public DNS servers are configured (dns.publicServers)');
  const resolution = await ctx.services.limit('dns', () => resolvePublic(publicResolver(ctx.services, ctx.config), fqdn, servers, ctx.signal));
  // Only a public address tests the public path: a private one would go through the endpoint.
  const address = resolution.addresses.find((a) => a.class === 'public')?.address;
  if (!address) return { fqdn, resolution };
  // The classic groups' small ClientHello: exposure must show wherever any client gets through (trust.ts).
  const https = await getWorkspace(ctx, fqdn, address, probeTrust(sharedRoots(ctx), 'classic'), ctx.signal);
  return { fqdn, resolution, address, https };
}

export const publicProbeFact = defineFact({
  id: 'public.probe',
  version: 1,
  description: 'the API FQDN resolved through public DNS, and GET /v1/workspaces/{id} sent to that public address (TLS with the classic key-exchange groups, the ClientHello every client can send)',
  gather: (ctx): Promise<PublicProbe> => probePublicPath(ctx, apiFqdn(ctx)),
});

export const NET_FACTS = [apiAddressFact, tcp443Fact, tlsFact, httpsFact, publicProbeFact];

// Resolving the API FQDN the way the internet does, for the public-path probe: ask the public
// servers in dns.publicServers. The resolver is a per-run service so tests (and the stub resolver in
// src/dns, once merged) can stand in: services.shared(PUBLIC_RESOLVE_SERVICE, () => resolve).
import { Resolver } from 'node:dns/promises';
import type { ResolvedConfig } from '../../config/types.js';
import type { Services } from '../../engine/services.js';
import { classifyAddress, type ClassifiedAddress } from './address.js';
import { destinationFor } from './destination.js';

/** A and AAAA for `name` from `servers`; throws an error with a `code` (ENOTFOUND, ETIMEOUT…) when there is none. */
export type PublicResolve = (name: string, servers: string[], signal: AbortSignal) => Promise<string[]>;

export const PUBLIC_RESOLVE_SERVICE = 'dns:public-resolve';

export interface PublicResolution {
  /** `no-egress`: the servers could not be reached (or the sandbox refused them); `no-answer`: they answered without an address. */
  outcome: 'answer' | 'no-answer' | 'no-egress' | 'error';
  servers: string[];
  addresses: ClassifiedAddress[];
  error?: { code?: string; message: string };
}

/** Node's resolver pointed at the given servers: real queries, no hosts file, no OS cache. */
export function nodePublicResolve(config: Pick<ResolvedConfig, 'dns' | 'network'>): PublicResolve {
  return async (name, servers, signal) => {
    // The servers go through connect-to and the sandbox like every other destination.
    const reachable: string[] = [];
    const refused: string[] = [];
    for (const server of servers) {
      const { host, port } = splitServer(server);
      const dest = destinationFor(host, port, config, []);
      if (dest.ok) reachable.push(net6(dest.host, dest.port));
      else refused.push(dest.reason);
    }
    if (reachable.length === 0) throw Object.assign(new Error(refused.join('; ')), { code: 'SANDBOX' });
    const resolver = new Resolver({ timeout: config.dns.timeoutMs, tries: config.dns.retries + 1 });
    resolver.setServers(reachable);
    const cancel = () => resolver.cancel();
    signal.addEventListener('abort', cancel, { once: true });
    try {
      const [v4, v6] = await Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)]);
      const addresses = [...(v4.status === 'fulfilled' ? v4.value : []), ...(v6.status === 'fulfilled' ? v6.value : [])];
      if (addresses.length > 0) return addresses;
      // Both failed or both empty: report the A query's reason (the one a client tries first).
      throw v4.status === 'rejected' ? v4.reason : v6.status === 'rejected' ? v6.reason : Object.assign(new Error(`no address for ${name}`), { code: 'ENODATA' });
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  };
}

/** `host`, `host:port`, `[v6]`, `[v6]:port` → host and port (53 by default). */
export function splitServer(server: string): { host: string; port: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(server);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] ? Number(bracketed[2]) : 53 };
  const hostPort = /^([^:]+):(\d+)$/.exec(server);
  if (hostPort) return { host: hostPort[1]!, port: Number(hostPort[2]) };
  return { host: server, port: 53 };
}

function net6(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function publicResolver(services: Services, config: Pick<ResolvedConfig, 'dns' | 'network'>): PublicResolve {
  return services.shared<PublicResolve>(PUBLIC_RESOLVE_SERVICE, () => nodePublicResolve(config));
}

const NO_EGRESS = new Set(['ETIMEOUT', 'ETIMEDOUT', 'ECONNREFUSED', 'ECONNRESET', 'ENETUNREACH', 'EHOSTUNREACH', 'SANDBOX']);
const NO_ANSWER = new Set(['ENOTFOUND', 'ENODATA', 'ESERVFAIL', 'EREFUSED', 'NXDOMAIN', 'SERVFAIL', 'REFUSED']);

/** Resolves and names the outcome; never throws for a DNS failure (the probe reports it). */
export async function resolvePublic(resolve: PublicResolve, name: string, servers: string[], signal: AbortSignal): Promise<PublicResolution> {
  try {
    const addresses = await resolve(name, servers, signal);
    if (addresses.length === 0) return { outcome: 'no-answer', servers, addresses: [] };
    return { outcome: 'answer', servers, addresses: addresses.map((address) => ({ address, class: classifyAddress(address) })) };
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    const code = err.code;
    const outcome = code && NO_EGRESS.has(code) ? 'no-egress' : code && NO_ANSWER.has(code) ? 'no-answer' : 'error';
    return { outcome, servers, addresses: [], error: { ...(code ? { code } : {}), message: err.message } };
  }
}

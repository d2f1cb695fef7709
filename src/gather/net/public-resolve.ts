// Resolving the API FQDN the way the internet does, for the public-path probe: ask the public
// servers in dns.publicServers. The resolver is a per-run service so tests can stand in:
// services.shared(PUBLIC_RESOLVE_SERVICE, () => resolve).
import type { ResolvedConfig } from '../../config/types.js';
import { resolveName, type DnsAnswer } from '../../dns/resolver.js';
import { serviceKey, type Services } from '../../engine/services.js';
import { classifyAddress, type ClassifiedAddress } from '../../dns/classify.js';

/** A and AAAA for `name` from `servers`; throws an error with a `code` (ENOTFOUND, ETIMEOUT…) when there is none. */
export type PublicResolve = (name: string, servers: string[], signal: AbortSignal) => Promise<string[]>;

export const PUBLIC_RESOLVE_SERVICE = serviceKey<PublicResolve>('dns:public-resolve');

export interface PublicResolution {
  /** `no-egress`: the servers could not be reached (or the sandbox refused them); `no-answer`: they answered without an address. */
  outcome: 'answer' | 'no-answer' | 'no-egress' | 'error';
  servers: string[];
  addresses: ClassifiedAddress[];
  error?: { code?: string; message: string };
}

/**
 * The project's stub resolver (src/dns) asked at each public server in turn: validated answers, the
 * servers through connect-to and the sandbox like every other destination.
 */
export function stubPublicResolve(config: Pick<ResolvedConfig, 'dns' | 'network'>): PublicResolve {
  return async (name, servers, signal) => {
    const failures: Array<{ code: string; message: string }> = [];
    for (const server of servers) {
      const answers = await Promise.all(
        (['A', 'AAAA'] as const).map((type) => resolveName(name, { type, server, timeoutMs: config.dns.timeoutMs, retries: config.dns.retries, signal, config })),
      );
      const addresses = answers.flatMap((a) => a.addresses.map((x) => x.address));
      if (addresses.length > 0) return addresses;
      const first = answers[0]!;
      failures.push({ code: failureCode(first), message: `${server}: ${first.error ?? first.rcode}` });
    }
    const code = failures.every((f) => f.code === 'ETIMEOUT' || f.code === 'SANDBOX') ? (failures[0]?.code ?? 'ENODATA') : (failures.find((f) => f.code !== 'ETIMEOUT' && f.code !== 'SANDBOX')?.code ?? 'ENODATA');
    throw Object.assign(new Error(failures.map((f) => f.message).join('; ') || `no address for ${name}`), { code });
  };
}

function failureCode(answer: DnsAnswer): string {
  if (answer.rcode === 'TIMEOUT') return 'ETIMEOUT';
  if (answer.rcode === 'ERROR') return /sandbox/i.test(answer.error ?? '') ? 'SANDBOX' : 'EDNSERROR';
  if (answer.rcode === 'NOERROR') return 'ENODATA';
  return answer.rcode;
}

export function publicResolver(services: Services, config: Pick<ResolvedConfig, 'dns' | 'network'>): PublicResolve {
  return services.shared(PUBLIC_RESOLVE_SERVICE, () => stubPublicResolve(config));
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

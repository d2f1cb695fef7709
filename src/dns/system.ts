// What applications see: the OS resolver through dns.lookup (getaddrinfo: hosts file, OS cache,
// nsswitch). It cannot be pointed at a server, so tests and the lab inject the lookup function.
import dns from 'node:dns';
import { classified, type ClassifiedAddress } from './classify.js';

/** dns.lookup's shape with `all: true` (callback style, so `dns.lookup` itself fits). */
export type LookupFn = (
  hostname: string,
  options: { all: true; family?: number; order?: 'verbatim' | 'ipv4first' | 'ipv6first' },
  callback: (error: NodeJS.ErrnoException | null, addresses: Array<{ address: string; family: number }>) => void,
) => void;

export interface SystemAnswer {
  name: string;
  /** `os` for dns.lookup; `server <spec>` when a configured server stands in for it (the lab). */
  via: string;
  addresses: ClassifiedAddress[];
  ms: number;
  /** getaddrinfo's code (ENOTFOUND, EAI_AGAIN...) when the lookup failed. */
  code?: string;
  error?: string;
  /** Present when a server stands in for the system resolver (then the chain is known). */
  chain?: string[];
}

const CODE_MEANING: Record<string, string> = {
  ENOTFOUND: 'the name does not exist or has no address (NXDOMAIN or no data)',
  EAI_AGAIN: 'temporary failure: the resolver timed out or answered SERVFAIL',
  ENODATA: 'the name has no address record',
  ESERVFAIL: 'the server answered SERVFAIL',
  ETIMEOUT: 'the resolver timed out',
};

/** The operating system's resolver (getaddrinfo through dns.lookup), as a LookupFn. */
export const osLookup: LookupFn = (hostname, options, callback) => dns.lookup(hostname, options, callback);

export function systemLookup(name: string, lookupFn: LookupFn = osLookup): Promise<SystemAnswer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const ms = () => Math.round(performance.now() - started);
    try {
      lookupFn(name, { all: true, family: 0, order: 'verbatim' }, (error, addresses) => {
        if (error) {
          const code = error.code ?? 'ERROR';
          resolve({ name, via: 'os', addresses: [], ms: ms(), code, error: `${code}: ${CODE_MEANING[code] ?? error.message}` });
          return;
        }
        const unique = [...new Set((addresses ?? []).map((entry) => entry.address))];
        resolve({ name, via: 'os', addresses: classified(unique), ms: ms() });
      });
    } catch (error) {
      resolve({ name, via: 'os', addresses: [], ms: ms(), code: 'ERROR', error: (error as Error).message });
    }
  });
}

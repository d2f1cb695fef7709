// The stub resolver: asks one server directly (never the hosts file or the OS cache), falls back to
// TCP on a truncated answer, and follows CNAME chains itself when a server returns only the CNAME.
import { randomInt } from 'node:crypto';
import type { ResolvedConfig } from '../config/types.js';
import { destinationFor } from '../net/destination.js';
import { classified, type ClassifiedAddress } from './classify.js';
import { DnsError } from './errors.js';
import { buildQuery, isValidDnsName, normalizeName, type DnsResponse, type QueryType } from './packet.js';
import { formatServer, parseServer, type DnsServer } from './server.js';
import { tcpExchange, udpExchange } from './transport.js';

export const MAX_CNAME_HOPS = 8;

/**
 * Besides the DNS rcodes (NOERROR, NXDOMAIN, SERVFAIL, REFUSED...), `rcode` is `TIMEOUT` when no
 * answer came and `ERROR` when none could be used (malformed, network error, refused by the sandbox).
 */
export interface DnsAnswer {
  name: string;
  server: string;
  type: QueryType;
  rcode: string;
  /** The asked name, then each CNAME target in order, ending at the name that holds the addresses. */
  chain: string[];
  addresses: ClassifiedAddress[];
  ms: number;
  truncatedRetriedOverTcp?: boolean;
  /** What went wrong, in words (timeout, malformed answer, CNAME loop, too many hops, sandbox). */
  error?: string;
}

export interface ResolveOptions {
  type: QueryType;
  server: string | DnsServer;
  timeoutMs?: number;
  retries?: number;
  signal?: AbortSignal;
  config: Pick<ResolvedConfig, 'network' | 'dns'>;
}

/** Walks the CNAMEs in one answer from `start`; returns the names visited after `start`. */
function walkChain(response: DnsResponse, start: string, seen: Set<string>): { names: string[]; loop?: string } {
  const names: string[] = [];
  let current = start;
  for (;;) {
    const cname = response.answers.find((record) => record.type === 'CNAME' && record.name === current);
    if (!cname) return { names };
    if (seen.has(cname.data)) return { names, loop: cname.data };
    seen.add(cname.data);
    names.push(cname.data);
    current = cname.data;
  }
}

/**
 * Whether `response` is a negative answer for `name` itself: the SOA of a zone holding `name` in its
 * authority section (RFC 2308 §2.2, NODATA after a CNAME chain, as BIND and 168.63.129.16 answer).
 * Asking again for `name` would only hear the same.
 */
function saysNoData(response: DnsResponse, name: string): boolean {
  return response.soaOwners.some((zone) => zone === '.' || zone === name || name.endsWith(`.${zone}`));
}

async function exchange(
  name: string,
  options: Required<Pick<ResolveOptions, 'type' | 'timeoutMs' | 'retries'>> & { signal?: AbortSignal },
  destination: DnsServer,
): Promise<{ response: DnsResponse; overTcp: boolean }> {
  const expected = { id: randomInt(0, 65536), name, type: options.type };
  const query = buildQuery(expected);
  const exchangeOptions = { timeoutMs: options.timeoutMs, retries: options.retries, ...(options.signal ? { signal: options.signal } : {}) };
  const udp = await udpExchange(query, expected, destination, exchangeOptions);
  if (!udp.truncated) return { response: udp, overTcp: false };
  // A truncated answer may hold a partial record set: discard it and ask again over TCP.
  const tcp = await tcpExchange(query, expected, destination, exchangeOptions);
  if (tcp.truncated) throw new DnsError('malformed', 'malformed DNS answer: TC bit set on a TCP answer');
  return { response: tcp, overTcp: true };
}

export async function resolveName(asked: string, options: ResolveOptions): Promise<DnsAnswer> {
  const started = performance.now();
  const name = normalizeName(asked);
  const timeoutMs = options.timeoutMs ?? options.config.dns.timeoutMs;
  const retries = options.retries ?? options.config.dns.retries;
  let server: DnsServer;
  try {
    server = typeof options.server === 'string' ? parseServer(options.server) : options.server;
  } catch (error) {
    const ms = Math.round(performance.now() - started);
    return { name, server: String(options.server), type: options.type, rcode: 'ERROR', chain: [name], addresses: [], ms, error: (error as Error).message };
  }
  const answer: DnsAnswer = { name, server: formatServer(server), type: options.type, rcode: 'ERROR', chain: [name], addresses: [], ms: 0 };
  const done = (extra: Partial<DnsAnswer>): DnsAnswer => ({ ...answer, ...extra, ms: Math.round(performance.now() - started) });

  if (!isValidDnsName(name)) return done({ error: `${JSON.stringify(asked)} is not a valid DNS name` });
  const destination = destinationFor(server.host, server.port, options.config);
  if (!destination.ok) return done({ error: destination.reason });

  const seen = new Set([name]);
  let current = name;
  let overTcpAny = false;
  let hops = 0;
  for (;;) {
    let result: { response: DnsResponse; overTcp: boolean };
    try {
      result = await exchange(current, { type: options.type, timeoutMs, retries, ...(options.signal ? { signal: options.signal } : {}) }, destination);
    } catch (error) {
      const dnsError = error instanceof DnsError ? error : new DnsError('network', (error as Error).message);
      const tcp = overTcpAny ? { truncatedRetriedOverTcp: true } : {};
      return done({ rcode: dnsError.kind === 'timeout' ? 'TIMEOUT' : 'ERROR', error: dnsError.message, ...tcp });
    }
    const { response, overTcp } = result;
    overTcpAny ||= overTcp;
    const walked = walkChain(response, current, seen);
    answer.chain.push(...walked.names);
    hops += walked.names.length;
    const tcp = overTcpAny ? { truncatedRetriedOverTcp: true } : {};
    if (walked.loop) {
      return done({ rcode: response.rcode, error: `CNAME loop: ${[...answer.chain, walked.loop].join(' → ')}`, ...tcp });
    }
    if (hops > MAX_CNAME_HOPS) {
      return done({ rcode: response.rcode, error: `CNAME chain longer than ${MAX_CNAME_HOPS} hops: ${answer.chain.join(' → ')}`, ...tcp });
    }
    const final = answer.chain[answer.chain.length - 1]!;
    const addresses = response.answers.filter((record) => record.type === options.type && record.name === final).map((record) => record.data);
    // A server that returns only the CNAME (an authoritative one, e.g. Knot) leaves the rest to us; one
    // that followed the chain to a name with no such record says so with that name's zone's SOA.
    if (addresses.length === 0 && response.rcode === 'NOERROR' && final !== current && !saysNoData(response, final)) {
      current = final;
      continue;
    }
    return done({ rcode: response.rcode, addresses: classified(addresses), ...tcp });
  }
}

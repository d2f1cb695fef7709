// The DNS facts of the jump VM.
export { dnsServersFact, type DnsServersFact, type DnsServerEntry, type GetServersFn } from './servers.js';
export { systemResolveFact, type SystemResolveFact } from './system-resolve.js';
export { directResolveFact, type DirectResolveFact } from './direct-resolve.js';

export * from './read.js';

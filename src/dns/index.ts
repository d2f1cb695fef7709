// The stub resolver's public surface.
export { classifyAddress, classified, type AddressClass, type ClassifiedAddress } from './classify.js';
export { DnsError, type DnsErrorKind } from './errors.js';
export { buildQuery, validateResponse, isValidDnsName, normalizeName, type DnsResponse, type QueryType } from './packet.js';
export { resolveName, MAX_CNAME_HOPS, type DnsAnswer, type ResolveOptions } from './resolver.js';
export { parseServer, formatServer, ServerSpecError, type DnsServer } from './server.js';
export { systemLookup, type LookupFn, type SystemAnswer } from './system.js';
export { udpExchange, tcpExchange } from './transport.js';

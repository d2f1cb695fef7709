// Loaded before every test file: nothing a test does may leave loopback. A DNS lookup of a name the
// hosts file does not answer, a TCP connection, a UDP datagram or a connected UDP socket to an address off loopback throws
// here instead of sending anything, so a test that forgets to inject its resolver fails loudly.
// (Names in TCP connects are judged by the lookup guard when they resolve.)
import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';

const LOCAL_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);

function isLoopbackAddress(host: string): boolean {
  const family = net.isIP(host);
  if (family === 4) return host.startsWith('127.');
  if (family === 6) return host === '::1' || host.toLowerCase().startsWith('::ffff:127.');
  return false;
}

function allowedHost(host: unknown): boolean {
  if (typeof host !== 'string' || host === '') return true; // a Unix socket path, or Node's default (localhost)
  const name = host.toLowerCase().replace(/\.$/, '');
  return LOCAL_NAMES.has(name) || isLoopbackAddress(name);
}

export class EgressError extends Error {
  constructor(what: string) {
    super(`test egress guard: ${what} would leave loopback`);
    this.name = 'EgressError';
  }
}

const originalLookup = dns.lookup;
(dns as { lookup: unknown }).lookup = function guardedLookup(hostname: string, ...rest: unknown[]) {
  if (!allowedHost(hostname)) throw new EgressError(`dns.lookup(${JSON.stringify(hostname)})`);
  return (originalLookup as (...a: unknown[]) => unknown).call(dns, hostname, ...rest);
};
const originalPromisesLookup = dns.promises.lookup;
(dns.promises as { lookup: unknown }).lookup = async function guardedLookup(hostname: string, ...rest: unknown[]) {
  if (!allowedHost(hostname)) throw new EgressError(`dns.promises.lookup(${JSON.stringify(hostname)})`);
  return (originalPromisesLookup as (...a: unknown[]) => unknown).call(dns.promises, hostname, ...rest);
};

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const first = args[0];
  const options = (Array.isArray(first) ? first[0] : first) as { host?: string; path?: string } | number | string;
  const host = typeof options === 'object' && options !== null ? (options.path ? '' : options.host) : typeof args[1] === 'string' ? args[1] : undefined;
  // Names are caught by the lookup guard when they resolve; nock's mock sockets also pass through
  // here with the mocked host name, so only address literals are judged at connect time.
  if (typeof host === 'string' && net.isIP(host) && !isLoopbackAddress(host)) throw new EgressError(`a TCP connection to ${host}`);
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

// A connected UDP socket sends with no address: the address is judged when it connects.
const originalUdpConnect = dgram.Socket.prototype.connect;
/** The address a dgram `send` or `connect` names: its first string argument after the first. */
const udpAddress = (args: unknown[]) => args.find((a, i) => i > 0 && typeof a === 'string') as string | undefined;

dgram.Socket.prototype.connect = function guardedUdpConnect(this: dgram.Socket, ...args: unknown[]) {
  const address = udpAddress(args);
  if (address !== undefined && !allowedHost(address)) throw new EgressError(`a UDP socket connected to ${address}`);
  return (originalUdpConnect as (...a: unknown[]) => void).apply(this, args);
} as typeof dgram.Socket.prototype.connect;

const originalSend = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function guardedSend(this: dgram.Socket, ...args: unknown[]) {
  const address = udpAddress(args);
  if (address !== undefined && !allowedHost(address)) throw new EgressError(`a UDP datagram to ${address}`);
  return (originalSend as (...a: unknown[]) => void).apply(this, args);
} as typeof dgram.Socket.prototype.send;

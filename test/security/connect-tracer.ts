// Loaded into a CLI child with `--import`: records every attempt to reach the network (a TCP or TLS
// connect, a UDP datagram or connected UDP socket, an OS name lookup) to $XTD_TRACE_FILE, loopback included, and refuses
// it. A sandboxed run that keeps its promise leaves the file empty.
import { appendFileSync } from 'node:fs';
import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';

const file = process.env.XTD_TRACE_FILE;
if (!file) throw new Error('connect-tracer: set XTD_TRACE_FILE');

function attempt(what: string): Error {
  appendFileSync(file!, `${what}\n`);
  return Object.assign(new Error(`connect-tracer: ${what} refused`), { code: 'ETRACED' });
}

for (const target of [dns, dns.promises] as Array<Record<string, unknown>>) {
  for (const name of ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname']) {
    if (typeof target[name] !== 'function') continue;
    target[name] = (host: unknown) => {
      throw attempt(`dns.${name}(${JSON.stringify(host)})`);
    };
  }
}

net.Socket.prototype.connect = function tracedConnect(this: net.Socket, ...args: unknown[]) {
  const first = (Array.isArray(args[0]) ? args[0][0] : args[0]) as { host?: string; port?: number; path?: string } | number;
  const where = typeof first === 'object' ? (first.path ?? `${first.host ?? 'localhost'}:${first.port}`) : `${String(args[1] ?? 'localhost')}:${String(first)}`;
  throw attempt(`tcp ${where}`);
} as typeof net.Socket.prototype.connect;

dgram.Socket.prototype.send = function tracedSend(this: dgram.Socket, ...args: unknown[]) {
  const address = args.find((a, i) => i > 0 && typeof a === 'string');
  throw attempt(`udp ${String(address)}`);
} as typeof dgram.Socket.prototype.send;

dgram.Socket.prototype.connect = function tracedUdpConnect(this: dgram.Socket, ...args: unknown[]) {
  throw attempt(`udp connect ${String(args[1] ?? 'localhost')}:${String(args[0])}`);
} as typeof dgram.Socket.prototype.connect;

// The sandbox at the socket for the service clients: every connection the Azure SDK pipelines (ARM,
// sign-in, the instance metadata service) and undici (Fabric) open asks destinationFor first, as the
// probes and the DNS resolver do. connect-to decides where it really goes; in sandbox mode anything
// not mapped to loopback is refused before a connection attempt or a name lookup. Every TLS connection
// checks the certificate's name on its X509Certificate (net/peer-certificate.ts), as the probes do.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { buildConnector } from 'undici';
import type { ResolvedConfig } from '../config/types.js';
import { destinationFor } from '../net/destination.js';
import { checkNameOnX509 } from '../net/peer-certificate.js';
import { trustStore } from '../net/trust.js';
import { undici } from '../net/undici.js';

type NetworkConfig = Pick<ResolvedConfig, 'network' | 'tls'>;

/** A connection the sandbox refused; no packet was sent. */
export class SandboxRefusedError extends Error {
  readonly code = 'ERR_SANDBOX_REFUSED';
  constructor(reason: string) {
    super(reason);
    this.name = 'SandboxRefusedError';
  }
}

export interface DestinationAgents {
  http: http.Agent;
  https: https.Agent;
}

type Callback = (error: Error | null, socket?: Duplex) => void;
type ConnectOptions = { host?: string | null; port?: number | string | null; servername?: string };

const agents = new WeakMap<object, WeakMap<object, DestinationAgents>>();
/**
 * Per configured network: the agents' connections being opened, and who waits for none to be left
 * (connectionsUp).
 */
interface Opening {
  pending: number;
  started: boolean;
  waiters: Array<() => void>;
}
const openings = new WeakMap<object, Opening>();

function openingOf(config: NetworkConfig): Opening {
  let opening = openings.get(config.network);
  if (!opening) openings.set(config.network, (opening = { pending: 0, started: false, waiters: [] }));
  return opening;
}

/** Counts a connection of the agents while it opens (TCP connected, or TLS done: its request is written next). */
function tracked<S extends net.Socket>(config: NetworkConfig, socket: S, up: 'connect' | 'secureConnect'): S {
  const opening = openingOf(config);
  opening.pending++;
  opening.started = true;
  let done = false;
  const settle = () => {
    if (done) return;
    done = true;
    if (--opening.pending === 0) for (const wake of opening.waiters.splice(0)) wake();
  };
  socket.once(up, settle).once('error', settle).once('close', settle);
  return socket;
}

/**
 * Resolves once the agents have opened a connection and none is still opening. A run starts the
 * sign-in first (one connection per tenant) and the rest of its facts after this (the engine's head
 * start), so their start-up work overlaps the sign-in's round trip instead of delaying its requests.
 */
export function connectionsUp(config: NetworkConfig): Promise<void> {
  const opening = openingOf(config);
  if (opening.started && opening.pending === 0) return Promise.resolve();
  return new Promise((resolve) => opening.waiters.push(resolve));
}

/**
 * Keep-alive agents for http: and https: whose every new connection goes where destinationFor says
 * (the SNI and certificate check stay on the name asked for), trusting the run's one trust store.
 * One pair per configured network and trust, shared by every client of the run.
 */
export function destinationAgents(config: NetworkConfig): DestinationAgents {
  let byTls = agents.get(config.network);
  if (!byTls) agents.set(config.network, (byTls = new WeakMap()));
  let pair = byTls.get(config.tls);
  if (!pair) {
    const plain = new http.Agent({ keepAlive: true });
    // The run's one trust store, as a ready context: a new connection does not parse the roots again.
    const secure = new https.Agent({ keepAlive: true, secureContext: trustStore(config).secureContext() });
    // Node's agents call createConnection(options, callback) for each new socket.
    const hooks = [
      [plain, (to: object) => tracked(config, net.connect(to as net.NetConnectOpts), 'connect')],
      [secure, (to: tls.ConnectionOptions) => takeWarm(config, to) ?? tracked(config, checkNameOnX509(tls.connect(to)), 'secureConnect')],
    ] as const;
    for (const [agent, open] of hooks) {
      Object.assign(agent, { createConnection: (options: ConnectOptions, callback?: Callback) => connectVia(config, options, callback, open) });
    }
    byTls.set(config.tls, (pair = { http: plain, https: secure }));
  }
  return pair;
}

function connectVia(config: NetworkConfig, options: ConnectOptions, callback: Callback | undefined, open: (options: tls.ConnectionOptions) => Duplex): Duplex | undefined {
  const host = options.host ?? 'localhost';
  const port = Number(options.port);
  const destination = destinationFor(host, port, config);
  if (!destination.ok) {
    // Node's agent takes the error from the callback; the request then fails with it.
    const error = new SandboxRefusedError(destination.reason);
    if (callback) queueMicrotask(() => callback(error));
    else throw error;
    return undefined;
  }
  const servername = options.servername ?? (net.isIP(host) ? undefined : host);
  return open({ ...options, host: destination.host, port: destination.port, ...(servername ? { servername } : {}) });
}

/**
 * undici's connector (for `new Agent({ connect })`) with the same rule: the destination decides the
 * address, the name asked for stays the SNI and the certificate's name.
 */
export async function destinationConnector(config: NetworkConfig): Promise<buildConnector.connector> {
  const { buildConnector } = await undici();
  const inner = buildConnector({ secureContext: trustStore(config).secureContext() });
  return (options, callback) => {
    const port = Number(options.port) || (options.protocol === 'http:' ? 80 : 443);
    const destination = destinationFor(options.hostname, port, config);
    if (!destination.ok) {
      queueMicrotask(() => callback(new SandboxRefusedError(destination.reason), null));
      return;
    }
    const servername = options.servername ?? (net.isIP(options.hostname) ? undefined : options.hostname);
    const named = servername ? { servername } : {};
    const warm = takeWarm(config, { host: destination.host, port: destination.port, ...named });
    if (!warm) {
      // undici's connector returns its socket (typed void; undici keeps it to abandon a cancelled
      // connect) before the handshake: in time for the name check's hook.
      const socket: unknown = inner({ ...options, hostname: destination.host, port: String(destination.port), ...named }, callback);
      if (socket instanceof tls.TLSSocket) checkNameOnX509(socket);
      return socket as ReturnType<buildConnector.connector>;
    }
    // undici wants the socket once it is connected.
    if (secured.has(warm)) return queueMicrotask(() => callback(null, warm));
    const onError = (error: Error) => callback(error, null);
    warm.once('error', onError).once('secureConnect', () => {
      warm.off('error', onError);
      callback(null, warm);
    });
  };
}

/** How long a connection opened ahead waits for its request before it is closed. */
const WARM_IDLE_MS = 5_000;
/** Connections opened ahead of their requests (warmConnection), per configured network, by destination and name. */
const warmed = new WeakMap<object, Map<string, tls.TLSSocket[]>>();
/** The warm connections whose handshake is done. */
const secured = new WeakSet<tls.TLSSocket>();

function warmKey(to: ConnectOptions): string {
  return `${to.host}|${Number(to.port)}|${to.servername ?? ''}`;
}

/**
 * Opens a connection to `url`'s destination for a request that is waiting for its token (ARM and
 * Fabric, src/azure/arm.ts and fabric.ts). When the token comes, the request finds its connection up:
 * the run's first wave of reads goes out at once, not one TLS handshake after another. The same
 * policy as every connection (destinationFor, the run's roots, the name asked for as SNI); one not
 * taken within WARM_IDLE_MS is closed, and none keeps the process alive.
 */
export function warmConnection(config: NetworkConfig, url: string): void {
  const target = URL.parse(url);
  if (target?.protocol !== 'https:') return;
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(target.port) || 443;
  const destination = destinationFor(host, port, config);
  if (!destination.ok) return;
  const servername = net.isIP(host) ? undefined : host;
  const to = { host: destination.host, port: destination.port, ...(servername ? { servername } : {}) };
  const socket = checkNameOnX509(tls.connect({ ...to, secureContext: trustStore(config).secureContext() }));
  socket.unref();
  let byKey = warmed.get(config.network);
  if (!byKey) warmed.set(config.network, (byKey = new Map()));
  const key = warmKey(to);
  const waiting = byKey.get(key) ?? [];
  byKey.set(key, waiting);
  waiting.push(socket);
  const drop = () => {
    const at = waiting.indexOf(socket);
    if (at >= 0) waiting.splice(at, 1);
  };
  socket.once('secureConnect', () => secured.add(socket));
  socket.once('error', drop).once('close', drop);
  setTimeout(() => {
    if (waiting.includes(socket)) {
      drop();
      socket.destroy();
    }
  }, WARM_IDLE_MS).unref();
}

/** A connection opened ahead for this destination and name, if one is waiting. */
function takeWarm(config: NetworkConfig, to: ConnectOptions): tls.TLSSocket | undefined {
  const socket = warmed.get(config.network)?.get(warmKey(to))?.shift();
  return socket?.ref();
}

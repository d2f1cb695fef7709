// One DNS exchange over UDP (one connected socket per server shared by the queries in flight, told apart by id;
// retries with the same id, so a late answer to an earlier try still counts) or over TCP (2-byte
// length framing, a new connection per try).
import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import { DnsError } from './errors.js';
import { tcpFrame, tcpMessageReader, validateResponse, type DnsResponse, type Expected } from './packet.js';
import type { DnsServer } from './server.js';

export interface ExchangeOptions {
  timeoutMs: number;
  /** Extra tries after the first. */
  retries: number;
  signal?: AbortSignal;
}

function abortError(): DnsError {
  return new DnsError('aborted', 'query aborted');
}

/**
 * The one way an exchange ends: the first outcome (answer, error, timeout, abort) wins, the timer,
 * the abort listener and the socket are released, later outcomes are ignored.
 */
function settleOnce(
  resolve: (response: DnsResponse) => void,
  reject: (error: DnsError) => void,
  signal: AbortSignal | undefined,
  release: () => void,
): (error: DnsError | undefined, response?: DnsResponse) => void {
  let done = false;
  const finish = (error: DnsError | undefined, response?: DnsResponse) => {
    if (done) return;
    done = true;
    signal?.removeEventListener('abort', onAbort);
    release();
    if (error) reject(error);
    else resolve(response!);
  };
  const onAbort = () => finish(abortError());
  signal?.addEventListener('abort', onAbort, { once: true });
  return finish;
}

/** How long a server's UDP socket stays open with no query in flight: the next burst of a run reuses it. */
export const UDP_IDLE_MS = 1000;

interface UdpWaiter {
  expected: Expected;
  /** The channel's stray count when this query began (its timeout message says how many came since). */
  straysAtStart: number;
  settle: (error: DnsError | undefined, response?: DnsResponse) => void;
}

/**
 * One UDP socket per server, shared by every query in flight to it and told apart by id: a fleet
 * asks thousands of questions, and a socket per question cost more than the question. The socket
 * never holds the process open and is closed once no query has been in flight for UDP_IDLE_MS
 * (so at the end of a run).
 */
class UdpChannel {
  private readonly socket: dgram.Socket;
  private readonly waiting = new Map<number, UdpWaiter>();
  private idle: NodeJS.Timeout | undefined;
  private closed = false;
  strays = 0;

  /** Queries sent before the socket is connected, sent once it is; undefined after. */
  private queued: { query: Buffer; onError: (error: Error) => void }[] | undefined = [];

  constructor(
    readonly server: DnsServer,
    private readonly onClosed: (channel: UdpChannel) => void,
  ) {
    this.socket = dgram.createSocket(net.isIP(server.host) === 6 ? 'udp6' : 'udp4');
    this.socket.unref();
    this.socket.on('message', (msg) => this.receive(msg));
    // A socket-level error ends every query on it; the next query opens a new socket. On a connected
    // socket that includes the server's port being closed (ICMP port unreachable: ECONNREFUSED), as
    // the OS's own stub resolver learns it, instead of waiting out every try.
    this.socket.on('error', (error) => this.close(new DnsError('network', `UDP to ${server.host}:${server.port}: ${error.message}`)));
    // Connected once: the kernel drops datagrams from any other source, and each send skips the
    // address lookup of an unconnected one (docs/dns.md).
    this.socket.connect(server.port, server.host, () => {
      const queued = this.queued ?? [];
      this.queued = undefined;
      if (!this.closed) for (const { query, onError } of queued) this.sendNow(query, onError);
    });
  }

  /** `wanted` when no query in flight on this socket uses it, else another free id. */
  freeId(wanted: number): number {
    let id = wanted;
    while (this.waiting.has(id)) id = randomInt(0, 65536);
    return id;
  }

  add(waiter: UdpWaiter): void {
    clearTimeout(this.idle);
    this.idle = undefined;
    this.waiting.set(waiter.expected.id, waiter);
  }

  remove(id: number): void {
    this.waiting.delete(id);
    if (this.waiting.size === 0 && !this.idle && !this.closed) {
      this.idle = setTimeout(() => this.close(), UDP_IDLE_MS);
      this.idle.unref();
    }
  }

  send(query: Buffer, onError: (error: Error) => void): void {
    if (this.queued) this.queued.push({ query, onError });
    else this.sendNow(query, onError);
  }

  private sendNow(query: Buffer, onError: (error: Error) => void): void {
    this.socket.send(query, (error) => {
      if (error) onError(error);
    });
  }

  private receive(msg: Buffer): void {
    // The socket is connected: the kernel hands it datagrams from its server only. One with an id
    // no query here is waiting for (a late answer to a query given up on, a spoof) is no answer.
    const waiter = msg.length >= 2 ? this.waiting.get(msg.readUInt16BE(0)) : undefined;
    if (!waiter) {
      this.strays++;
      return;
    }
    try {
      waiter.settle(undefined, validateResponse(msg, waiter.expected));
    } catch (error) {
      waiter.settle(error as DnsError);
    }
  }

  private close(error?: DnsError): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.idle);
    this.onClosed(this);
    for (const waiter of [...this.waiting.values()]) waiter.settle(error ?? new DnsError('network', `the UDP socket to ${this.server.host}:${this.server.port} was closed`));
    this.waiting.clear();
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }
}

/** The open channels, by server. */
const channels = new Map<string, UdpChannel>();

function channelFor(server: DnsServer): UdpChannel {
  const key = `${server.host.toLowerCase()}|${server.port}`;
  let channel = channels.get(key);
  if (!channel) {
    channel = new UdpChannel(server, (closed) => {
      if (channels.get(key) === closed) channels.delete(key);
    });
    channels.set(key, channel);
  }
  return channel;
}

/**
 * One exchange over the server's shared UDP socket. Retries go out with the same id, so a late
 * answer to an earlier try still counts; the id is changed only when another query in flight to the
 * same server already uses it.
 */
export function udpExchange(query: Buffer, expected: Expected, server: DnsServer, options: ExchangeOptions): Promise<DnsResponse> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(abortError());
    const channel = channelFor(server);
    const id = channel.freeId(expected.id);
    const wanted = id === expected.id ? expected : { ...expected, id };
    const packet = id === expected.id ? query : Buffer.from(query);
    if (packet !== query) packet.writeUInt16BE(id, 0);
    let tries = 0;
    let timer: NodeJS.Timeout | undefined;
    const waiter: UdpWaiter = {
      expected: wanted,
      straysAtStart: channel.strays,
      settle: settleOnce(resolve, reject, options.signal, () => {
        clearTimeout(timer);
        channel.remove(id);
      }),
    };
    const send = () => {
      tries++;
      channel.send(packet, (error) => waiter.settle(new DnsError('network', `UDP send to ${server.host}:${server.port} failed: ${error.message}`)));
      timer = setTimeout(() => {
        if (tries <= options.retries) return send();
        const strays = channel.strays - waiter.straysAtStart;
        const note = strays ? ` (${strays} stray packet(s) with another id ignored)` : '';
        waiter.settle(new DnsError('timeout', `no answer from ${server.host}:${server.port} over UDP after ${tries} ${tries === 1 ? 'try' : 'tries'} of ${options.timeoutMs} ms${note}`));
      }, options.timeoutMs);
    };
    channel.add(waiter);
    send();
  });
}

function tcpTry(query: Buffer, expected: Expected, server: DnsServer, options: ExchangeOptions): Promise<DnsResponse> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(abortError());
    const socket = net.connect({ host: server.host, port: server.port });
    let received = 0;
    const messages = tcpMessageReader();
    const finish = settleOnce(resolve, reject, options.signal, () => {
      clearTimeout(timer);
      socket.destroy();
    });
    const timer = setTimeout(
      () => finish(new DnsError('timeout', `no answer from ${server.host}:${server.port} over TCP within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );

    socket.on('connect', () => socket.write(tcpFrame(query)));
    socket.on('data', (chunk) => {
      received += chunk.length;
      const [answer] = messages(chunk);
      if (!answer) return;
      try {
        finish(undefined, validateResponse(answer, expected));
      } catch (error) {
        finish(error as DnsError);
      }
    });
    socket.on('end', () =>
      finish(new DnsError('network', `${server.host}:${server.port} closed the TCP connection after ${received} bytes, before a whole answer`)),
    );
    socket.on('error', (error) => finish(new DnsError('network', `TCP to ${server.host}:${server.port}: ${error.message}`)));
  });
}

/** TCP with a new connection per try; only timeouts and network errors are retried. */
export async function tcpExchange(query: Buffer, expected: Expected, server: DnsServer, options: ExchangeOptions): Promise<DnsResponse> {
  let last: DnsError | undefined;
  for (let attempt = 0; attempt <= options.retries; attempt++) {
    try {
      return await tcpTry(query, expected, server, options);
    } catch (error) {
      last = error as DnsError;
      if (last.kind !== 'timeout' && last.kind !== 'network') throw last;
    }
  }
  throw last!;
}

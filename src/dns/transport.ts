// One DNS exchange over UDP (retries on the same socket with the same id, so a late answer to an
// earlier try still counts) or over TCP (2-byte length framing, a new connection per try).
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

/** Addresses as a socket reports them (IPv4-mapped IPv6 included) compared with the server's. */
function sameHost(a: string, b: string): boolean {
  const strip = (x: string) => x.toLowerCase().replace(/^::ffff:(?=\d+\.)/, '');
  return strip(a) === strip(b);
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

export function udpExchange(query: Buffer, expected: Expected, server: DnsServer, options: ExchangeOptions): Promise<DnsResponse> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(abortError());
    const socket = dgram.createSocket(net.isIP(server.host) === 6 ? 'udp6' : 'udp4');
    let tries = 0;
    let timer: NodeJS.Timeout | undefined;
    let ignored = 0;
    const finish = settleOnce(resolve, reject, options.signal, () => {
      clearTimeout(timer);
      socket.close();
    });

    const send = () => {
      tries++;
      socket.send(query, server.port, server.host, (error) => {
        if (error) finish(new DnsError('network', `UDP send to ${server.host}:${server.port} failed: ${error.message}`));
      });
      timer = setTimeout(() => {
        if (tries <= options.retries) return send();
        const note = ignored ? ` (${ignored} stray packet(s) with another id or source ignored)` : '';
        finish(new DnsError('timeout', `no answer from ${server.host}:${server.port} over UDP after ${tries} ${tries === 1 ? 'try' : 'tries'} of ${options.timeoutMs} ms${note}`));
      }, options.timeoutMs);
    };

    socket.on('message', (msg, rinfo) => {
      // Someone else's packet (another source, another id) is not an answer to this query.
      const fromServer = rinfo.port === server.port && (net.isIP(server.host) === 0 || sameHost(rinfo.address, server.host));
      if (!fromServer || msg.length < 2 || msg.readUInt16BE(0) !== expected.id) {
        ignored++;
        return;
      }
      try {
        finish(undefined, validateResponse(msg, expected));
      } catch (error) {
        finish(error as DnsError);
      }
    });
    socket.on('error', (error) => finish(new DnsError('network', `UDP to ${server.host}:${server.port}: ${error.message}`)));
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

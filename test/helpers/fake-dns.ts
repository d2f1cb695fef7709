// A tiny DNS server on 127.0.0.1 (UDP and TCP on the same port) whose answers a test scripts:
// the handler gets the decoded query and returns the bytes to send (or nothing, to stay silent).
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import { tcpFrame, tcpMessageReader } from '../../src/dns/packet.js';

export interface FakeQuery {
  id: number;
  name: string;
  type: string;
  transport: 'udp' | 'tcp';
  /** How many queries this server has seen before this one (both transports). */
  index: number;
  raw: Buffer;
  /** The client's source port (UDP). */
  sourcePort?: number;
}

export type Reply = Buffer | undefined | { delayMs: number; packet: Buffer };
export type Handler = (query: FakeQuery) => Reply | Reply[];

export interface FakeDns {
  host: string;
  port: number;
  server: string;
  queries: FakeQuery[];
  close(): Promise<void>;
}

/** A response to `query` with these answers (records as dns-packet takes them). */
export function respond(query: FakeQuery, answers: dnsPacket.Answer[], extra: { rcode?: string; flags?: number; id?: number; authorities?: dnsPacket.Answer[] } = {}): Buffer {
  const packet = {
    type: 'response' as const,
    id: extra.id ?? query.id,
    // dns-packet encodes the rcode from the low 4 bits of flags, not from `rcode`.
    flags: (extra.flags ?? 0) | dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (RCODES[extra.rcode ?? 'NOERROR'] ?? 0),
    questions: [{ type: query.type as 'A', name: query.name, class: 'IN' as const }],
    answers,
    authorities: extra.authorities ?? [],
  };
  return dnsPacket.encode(packet as dnsPacket.Packet);
}

/** The SOA record a negative answer carries in its authority section for `zone` (RFC 2308). */
export function soaOf(zone: string): dnsPacket.Answer {
  return { type: 'SOA', name: zone, ttl: 60, class: 'IN', data: { mname: `ns1.${zone}`, rname: `hostmaster.${zone}`, serial: 1, refresh: 3600, retry: 300, expire: 2419200, minimum: 10 } };
}

const RCODES: Record<string, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };

export const TRUNCATED = dnsPacket.TRUNCATED_RESPONSE;

export async function startFakeDns(handler: Handler): Promise<FakeDns> {
  const queries: FakeQuery[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<net.Socket>();
  const handle = (raw: Buffer, transport: 'udp' | 'tcp', send: (packet: Buffer) => void, sourcePort?: number) => {
    const decoded = dnsPacket.decode(raw);
    const question = decoded.questions?.[0];
    const query: FakeQuery = { id: decoded.id ?? 0, name: question?.name ?? '', type: question?.type ?? 'A', transport, index: queries.length, raw, ...(sourcePort !== undefined ? { sourcePort } : {}) };
    queries.push(query);
    const replies = ([] as Reply[]).concat(handler(query));
    for (const reply of replies) {
      if (!reply) continue;
      if (Buffer.isBuffer(reply)) send(reply);
      else {
        const timer = setTimeout(() => {
          timers.delete(timer);
          send(reply.packet);
        }, reply.delayMs);
        timers.add(timer);
      }
    }
  };

  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const read = tcpMessageReader();
    socket.on('data', (chunk) => {
      for (const message of read(chunk)) {
        handle(message, 'tcp', (packet) => {
          if (!socket.destroyed) socket.write(tcpFrame(packet));
        });
      }
    });
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  const port = (tcp.address() as net.AddressInfo).port;
  const udp = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, '127.0.0.1', () => resolve());
  });
  udp.on('message', (msg, rinfo) => handle(msg, 'udp', (packet) => udp.send(packet, rinfo.port, rinfo.address), rinfo.port));

  return {
    host: '127.0.0.1',
    port,
    server: `127.0.0.1:${port}`,
    queries,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}

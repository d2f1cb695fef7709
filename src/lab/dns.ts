// The lab's DNS: recursive resolvers on loopback, each answering from the lab state as its real
// counterpart would (the whole CNAME chain in one answer, as 168.63.129.16 and BIND do). What each
// answers is computed by resolution.ts from the lab's ARM state:
//   ip:ADDRESS - the DNS server at that address as the jump VM reaches it (168.63.129.16 from the VM's
//                VNet, a forwarder VM, a resolver inbound endpoint, a firewall DNS proxy); silent when
//                that server does not answer;
//   vnet       - the VM's DNS path (its effective servers, first that answers);
//   vm         - the jump VM's own resolver (hosts file, OS cache): the path's answers plus any stale
//                entry, SERVFAIL when no server answers (as systemd-resolved or the Windows client do);
//   public     - public DNS: never sees the private zone.
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import { type DnsResult, normaliseName, type Resolution, resolveAt, resolveFromVm, soa, zoneOf } from './resolution.js';
import type { LabState } from './state.js';

export type { DnsResult } from './resolution.js';
export type DnsView = 'vnet' | 'vm' | 'public' | `ip:${string}`;

const RCODES = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

/** What the resolver of `view` answers for `name`/`type` (TIMEOUT: it does not answer). Pure, from the state. */
export function resolveName(state: LabState, view: DnsView, qname: string, qtype: string): Resolution {
  if (view === 'public') return resolveAt(state, { kind: 'public' }, qname, qtype);
  if (view === 'vnet') return resolveFromVm(state, qname, qtype);
  if (view.startsWith('ip:')) return resolveAt(state, { kind: 'server', ip: view.slice(3), fromVnetId: state.vmVnetId }, qname, qtype);
  const key = normaliseName(qname);
  const override = state.clientOverrides[key];
  const path = resolveFromVm(state, qname, qtype);
  if (path.rcode === 'TIMEOUT') return { rcode: 'SERVFAIL', answers: [], authorities: [] };
  if (!override) return path;
  // A stale cache or hosts entry: the chain it remembers ends at an old address.
  const cnames = path.answers.filter((a) => a.type === 'CNAME');
  const lastCname = cnames[cnames.length - 1] as dnsPacket.StringAnswer | undefined;
  const lastName = lastCname ? lastCname.data : qname.replace(/\.$/, '');
  const answers: dnsPacket.Answer[] = [...cnames];
  if (qtype === 'A' || qtype === 'ANY') for (const ip of override) answers.push({ type: 'A', name: lastName, ttl: 10, class: 'IN', data: ip });
  return { rcode: 'NOERROR', answers, authorities: answers.length ? [] : [soa(zoneOf(key))] } satisfies DnsResult;
}

/** Builds the wire answer for one query; null for a packet that is not a query we can read. */
export function answerQuery(state: LabState, view: DnsView, query: Buffer, transport: 'udp' | 'tcp'): { response?: Buffer; question?: string } | null {
  let decoded: dnsPacket.Packet;
  try {
    decoded = dnsPacket.decode(query);
  } catch {
    return null;
  }
  if (decoded.type !== 'query') return null;
  const rd = (decoded.flags ?? 0) & dnsPacket.RECURSION_DESIRED;
  const question = decoded.questions?.[0];
  const base = { type: 'response' as const, id: decoded.id ?? 0, questions: decoded.questions ?? [] };
  if (!question) {
    return { response: dnsPacket.encode({ ...base, flags: rd | dnsPacket.RECURSION_AVAILABLE | RCODES.FORMERR }) };
  }
  const label = `${question.type} ${question.name}`;
  if (transport === 'udp' && view !== 'public' && state.service.dnsTruncated) {
    return { response: dnsPacket.encode({ ...base, flags: rd | dnsPacket.RECURSION_AVAILABLE | dnsPacket.TRUNCATED_RESPONSE }), question: label };
  }
  const result = resolveName(state, view, question.name, question.type);
  // A server that does not answer: no packet at all (the client times out).
  if (result.rcode === 'TIMEOUT') return { question: label };
  const flags = rd | dnsPacket.RECURSION_AVAILABLE | RCODES[result.rcode];
  return { response: dnsPacket.encode({ ...base, flags, answers: result.answers, authorities: result.authorities }), question: label };
}

export interface DnsServerHandle {
  view: DnsView;
  port: number;
  address: string;
  close(): Promise<void>;
}

export interface DnsServerOptions {
  view: DnsView;
  state: () => LabState;
  onQuery?: (entry: { view: DnsView; transport: 'udp' | 'tcp'; question: string }) => void;
  host?: string;
}

/** Starts a UDP + TCP DNS server on one loopback port (retries when the TCP side of a free UDP port is taken). */
export async function startDnsServer(options: DnsServerOptions): Promise<DnsServerHandle> {
  const host = options.host ?? '127.0.0.1';
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, host, () => {
        udp.off('error', reject);
        resolve();
      });
    });
    const port = udp.address().port;
    const sockets = new Set<net.Socket>();
    const tcp = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      let buffer = Buffer.alloc(0);
      socket.on('data', (chunk) => {
        buffer = Buffer.concat([buffer, chunk]);
        while (buffer.length >= 2) {
          const length = buffer.readUInt16BE(0);
          if (buffer.length < 2 + length) break;
          const message = buffer.subarray(2, 2 + length);
          buffer = buffer.subarray(2 + length);
          const out = answerQuery(options.state(), options.view, message, 'tcp');
          if (!out) {
            socket.destroy();
            return;
          }
          if (out.question) options.onQuery?.({ view: options.view, transport: 'tcp', question: out.question });
          if (!out.response) continue;
          const frame = Buffer.alloc(2 + out.response.length);
          frame.writeUInt16BE(out.response.length, 0);
          out.response.copy(frame, 2);
          socket.write(frame);
        }
      });
    });
    const listening = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, host, () => resolve(true));
    });
    if (!listening) {
      udp.close();
      continue;
    }
    udp.on('message', (message, rinfo) => {
      const out = answerQuery(options.state(), options.view, message, 'udp');
      if (!out) return;
      if (out.question) options.onQuery?.({ view: options.view, transport: 'udp', question: out.question });
      if (out.response) udp.send(out.response, rinfo.port, rinfo.address);
    });
    udp.on('error', () => undefined);
    return {
      view: options.view,
      port,
      address: host,
      close: async () => {
        for (const socket of sockets) socket.destroy();
        await Promise.all([
          new Promise<void>((resolve) => udp.close(() => resolve())),
          new Promise<void>((resolve) => tcp.close(() => resolve())),
        ]);
      },
    };
  }
  throw new Error(`lab DNS (${options.view}): could not bind UDP and TCP on one loopback port after 20 tries`);
}

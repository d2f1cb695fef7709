// The lab's DNS: three recursive resolvers on loopback, each answering from the lab state as its
// real counterpart would (the whole CNAME chain in one answer, as 168.63.129.16 and BIND do):
//   vnet   - the VNet's resolver (Azure DNS, or the VNet's custom DNS server when it is set);
//   vm     - the jump VM's own resolver (hosts file, OS cache): the VNet's answers plus any stale entry;
//   public - public DNS: never sees the private zone.
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import { PRIVATELINK_ZONE, workspaceNames } from '../fabric/workspace.js';
import { type LabState, linkedZone } from './state.js';

export type DnsView = 'vnet' | 'vm' | 'public';

export interface DnsResult {
  rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL';
  answers: dnsPacket.Answer[];
  authorities: dnsPacket.Answer[];
}

const PUBLIC_ZONE = 'fabric.microsoft.com';
const PRIVATELINK_SUFFIX = `.${PRIVATELINK_ZONE}`;
const MAX_HOPS = 8;
const CNAME_TTL = 60;
const RCODES = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

type Step = { kind: 'cname'; target: string } | { kind: 'a'; ips: string[]; ttl: number } | { kind: 'nx'; zone: string };

function normalise(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** Does the VNet's resolver answer from the private zone? (zone linked, and a custom DNS server forwards). */
function privateZoneVisible(state: LabState): ReturnType<typeof linkedZone> {
  const vmVnet = state.vnets.find((v) => v.id === state.vmVnetId);
  const usesCustomDns = (vmVnet?.dnsServers.length ?? 0) > 0;
  if (usesCustomDns && !state.dnsForwarder.forwardsToAzure) return undefined;
  return linkedZone(state);
}

/** The public zone's workspace names: every workspace in tenant 2 has its CNAME into privatelink. */
const publicRecordCache = new WeakMap<LabState, Set<string>>();
function publicWorkspaceRecords(state: LabState): Set<string> {
  let records = publicRecordCache.get(state);
  if (!records) {
    records = new Set<string>();
    for (const ws of state.workspaces) for (const record of Object.values(workspaceNames(ws.id).records)) records.add(record);
    publicRecordCache.set(state, records);
  }
  return records;
}

function zoneOf(name: string): string {
  if (name === PRIVATELINK_ZONE || name.endsWith(PRIVATELINK_SUFFIX)) return PRIVATELINK_ZONE;
  if (name === PUBLIC_ZONE || name.endsWith(`.${PUBLIC_ZONE}`)) return PUBLIC_ZONE;
  if (name.endsWith('.trafficmanager.net')) return 'trafficmanager.net';
  return '';
}

function step(state: LabState, view: DnsView, name: string, publicRecords: Set<string>): Step {
  if (name.endsWith(PRIVATELINK_SUFFIX)) {
    const relative = name.slice(0, -PRIVATELINK_SUFFIX.length);
    const visible = view === 'public' ? undefined : privateZoneVisible(state);
    if (visible) {
      const record = visible.zone.aRecords.find((r) => r.name === relative);
      if (record) return { kind: 'a', ips: record.ips, ttl: record.ttl };
      // A linked zone is authoritative: a missing record is NXDOMAIN unless the link falls back to the internet.
      if (visible.link.resolutionPolicy !== 'NxDomainRedirect') return { kind: 'nx', zone: PRIVATELINK_ZONE };
    }
    if (publicRecords.has(relative)) return { kind: 'cname', target: state.frontEnd.name };
    return { kind: 'nx', zone: PUBLIC_ZONE };
  }
  if (name.endsWith(`.${PUBLIC_ZONE}`)) {
    const relative = name.slice(0, -PUBLIC_ZONE.length - 1);
    if (publicRecords.has(relative)) return { kind: 'cname', target: `${relative}${PRIVATELINK_SUFFIX}` };
    if (relative === 'api') return { kind: 'cname', target: state.frontEnd.name };
    return { kind: 'nx', zone: PUBLIC_ZONE };
  }
  if (name === state.frontEnd.name) return { kind: 'a', ips: [state.frontEnd.ip], ttl: 60 };
  return { kind: 'nx', zone: zoneOf(name) };
}

function soa(zone: string): dnsPacket.Answer {
  return {
    type: 'SOA',
    name: zone || '.',
    ttl: 60,
    class: 'IN',
    data: {
      mname: zone === PRIVATELINK_ZONE ? 'azureprivatedns.net' : 'ns1-lab.azure-dns.com',
      rname: 'azureprivatedns-host.microsoft.com',
      serial: 1,
      refresh: 3600,
      retry: 300,
      expire: 2419200,
      minimum: 10,
    },
  };
}

/** What the resolver of `view` answers for `name`/`type`: pure, from the state. */
export function resolveName(state: LabState, view: DnsView, qname: string, qtype: string): DnsResult {
  const publicRecords = publicWorkspaceRecords(state);
  const answers: dnsPacket.Answer[] = [];
  let current = qname.replace(/\.$/, '');
  const seen = new Set<string>();
  for (let hop = 0; hop <= MAX_HOPS; hop++) {
    const key = normalise(current);
    if (seen.has(key)) return { rcode: 'SERVFAIL', answers, authorities: [] };
    seen.add(key);
    if (view === 'vm' && state.clientOverrides[key]) {
      // A stale cache or hosts entry: the chain it remembers ends at an old address.
      const ips = state.clientOverrides[key]!;
      const chained = resolveName(state, 'vnet', current, 'A');
      const cnames = chained.answers.filter((a) => a.type === 'CNAME');
      const lastCname = cnames[cnames.length - 1] as dnsPacket.StringAnswer | undefined;
      const lastName = lastCname ? lastCname.data : current;
      answers.push(...cnames);
      if (qtype === 'A' || qtype === 'ANY') for (const ip of ips) answers.push({ type: 'A', name: lastName, ttl: 10, class: 'IN', data: ip });
      return { rcode: 'NOERROR', answers, authorities: answers.length ? [] : [soa(zoneOf(key))] };
    }
    const next = step(state, view, key, publicRecords);
    if (next.kind === 'nx') return { rcode: 'NXDOMAIN', answers, authorities: [soa(next.zone)] };
    if (next.kind === 'cname') {
      answers.push({ type: 'CNAME', name: current, ttl: CNAME_TTL, class: 'IN', data: next.target });
      if (qtype === 'CNAME') return { rcode: 'NOERROR', answers, authorities: [] };
      current = next.target;
      continue;
    }
    if (qtype === 'A' || qtype === 'ANY') {
      for (const ip of next.ips) answers.push({ type: 'A', name: current, ttl: next.ttl, class: 'IN', data: ip });
      return { rcode: 'NOERROR', answers, authorities: [] };
    }
    // NODATA: the name exists but has no record of this type (e.g. AAAA).
    return { rcode: 'NOERROR', answers, authorities: [soa(zoneOf(key))] };
  }
  return { rcode: 'SERVFAIL', answers, authorities: [] };
}

/** Builds the wire answer for one query; null for a packet that is not a query we can read. */
export function answerQuery(state: LabState, view: DnsView, query: Buffer, transport: 'udp' | 'tcp'): { response: Buffer; question?: string } | null {
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
      udp.send(out.response, rinfo.port, rinfo.address);
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

// The lab's DNS servers over the wire (dns-packet, UDP and TCP, loopback only): the healthy chain
// and what each DNS-affecting fault makes the VNet's resolver, the VM's resolver and public DNS say.
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import { afterEach, describe, expect, test } from 'vitest';
// The client's TCP framing is the doctor's (src/dns/packet.ts); the lab's server frames on its own,
// so this also holds the two to each other.
import { tcpFrame, tcpMessageReader } from '../../src/dns/packet.js';
import { workspaceNames } from '../../src/fabric/workspace.js';
import { startLab, type Lab } from '../../src/lab/server.js';

type Transport = 'udp' | 'tcp';

async function query(server: string, name: string, type: 'A' | 'AAAA', transport: Transport): Promise<dnsPacket.Packet> {
  const [host, port] = [server.slice(0, server.lastIndexOf(':')), Number(server.slice(server.lastIndexOf(':') + 1))];
  const id = Math.floor(Math.random() * 65535);
  const message = dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] });
  if (transport === 'udp') {
    const socket = dgram.createSocket('udp4');
    try {
      return await new Promise((resolve, reject) => {
        socket.on('message', (buf) => resolve(dnsPacket.decode(buf)));
        socket.on('error', reject);
        socket.send(message, port, host);
      });
    } finally {
      socket.close();
    }
  }
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, host);
    const messages = tcpMessageReader();
    socket.on('connect', () => socket.write(tcpFrame(message)));
    socket.on('data', (chunk) => {
      const [answer] = messages(chunk);
      if (answer) {
        socket.end();
        resolve(dnsPacket.decode(answer));
      }
    });
    socket.on('error', reject);
  });
}

function summary(packet: dnsPacket.Packet) {
  const rcode = (packet as { rcode?: string }).rcode;
  const answers = packet.answers ?? [];
  return {
    rcode,
    tc: Boolean((packet.flags ?? 0) & dnsPacket.TRUNCATED_RESPONSE),
    chain: answers.filter((a) => a.type === 'CNAME').map((a) => (a as dnsPacket.StringAnswer).data),
    addresses: answers.filter((a) => a.type === 'A').map((a) => (a as dnsPacket.StringAnswer).data),
  };
}

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

async function ask(faults: string[], view: 'vnet' | 'vm' | 'public', kind: 'api' | 'dfs' = 'api', transport: Transport = 'udp', type: 'A' | 'AAAA' = 'A', targets = 1, target = 0) {
  lab = await startLab({ faults, targets, seed: 'dns-tests' });
  const t = lab.state.targets[target]!;
  const names = workspaceNames(t.workspaceId);
  const packet = await query(lab.addresses.dns[view], names.fqdns[kind], type, transport);
  const result = summary(packet);
  const pe = lab.state.endpoints.find((e) => e.id === t.privateEndpointId);
  return { lab, names, packet, result, endpointIp: pe?.ips[kind] };
}

describe('lab DNS', () => {
  test('healthy: the VNet resolver answers the whole chain into privatelink and the endpoint IP, over UDP and TCP', async () => {
    for (const transport of ['udp', 'tcp'] as const) {
      const { names, result, endpointIp } = await ask([], 'vnet', 'api', transport);
      expect(result).toEqual({ rcode: 'NOERROR', tc: false, chain: [`${names.records.api}.privatelink.fabric.microsoft.com`], addresses: [endpointIp] });
      await lab!.stop();
      lab = undefined;
    }
  });

  test('healthy: the VM resolver agrees; public DNS answers the public front end through the privatelink CNAME', async () => {
    const vm = await ask([], 'vm', 'dfs');
    expect(vm.result.addresses).toEqual([vm.endpointIp]);
    const publicFrontEnd = lab!.state.frontEnd;
    await lab!.stop();
    lab = undefined;
    const pub = await ask([], 'public', 'api');
    expect(pub.result.chain).toEqual([`${pub.names.records.api}.privatelink.fabric.microsoft.com`, publicFrontEnd.name]);
    expect(pub.result.addresses).toEqual([publicFrontEnd.ip]);
    expect(pub.result.addresses[0]).toMatch(/^20\./);
  });

  test('AAAA: the chain with no address (NODATA), with the privatelink zone\'s SOA as BIND answers it', async () => {
    // test/integration/dns-bind.test.ts holds BIND to the same shape; the resolver then asks once.
    for (const view of ['vnet', 'vm', 'public'] as const) {
      const { packet, result } = await ask([], view, 'api', 'udp', 'AAAA');
      expect(result.rcode).toBe('NOERROR');
      expect(result.addresses).toEqual([]);
      expect(result.chain.length).toBeGreaterThanOrEqual(1);
      const last = result.chain[result.chain.length - 1]!;
      const soa = (packet.authorities ?? []).filter((a) => a.type === 'SOA').map((a) => a.name);
      expect(soa).toHaveLength(1);
      expect(last === soa[0] || last.endsWith(`.${soa[0]}`)).toBe(true);
      await lab!.stop();
      lab = undefined;
    }
  });

  for (const fault of ['zone-unlinked', 'zone-missing', 'dns-forwarder-public']) {
    test(`${fault}: the VNet resolver answers the public IP`, async () => {
      const { result } = await ask([fault], 'vnet');
      expect(result.rcode).toBe('NOERROR');
      expect(result.addresses).toEqual([lab!.state.frontEnd.ip]);
      expect(result.chain[1]).toBe(lab!.state.frontEnd.name);
    });
  }

  test('record-missing: NXDOMAIN after the CNAME into privatelink; the other names still resolve', async () => {
    const { result, names } = await ask(['record-missing'], 'vnet');
    expect(result).toEqual({ rcode: 'NXDOMAIN', tc: false, chain: [`${names.records.api}.privatelink.fabric.microsoft.com`], addresses: [] });
    const dfs = summary(await query(lab!.addresses.dns.vnet, names.fqdns.dfs, 'A', 'udp'));
    expect(dfs.addresses).toHaveLength(1);
  });

  test('other-endpoints-missing: the API name resolves, the other four are NXDOMAIN', async () => {
    const { result, names } = await ask(['other-endpoints-missing'], 'vnet');
    expect(result.addresses).toHaveLength(1);
    for (const kind of ['compute', 'onelake', 'dfs', 'blob'] as const) {
      expect(summary(await query(lab!.addresses.dns.vnet, names.fqdns[kind], 'A', 'udp')).rcode).toBe('NXDOMAIN');
    }
  });

  test('record-wrong-ip: a private address that is not the endpoint\'s', async () => {
    const { result, endpointIp } = await ask(['record-wrong-ip'], 'vnet');
    expect(result.addresses).toHaveLength(1);
    expect(result.addresses[0]).toMatch(/^10\./);
    expect(result.addresses[0]).not.toBe(endpointIp);
  });

  test('stale-client-cache: only the VM\'s resolver answers an old private IP', async () => {
    const { result, endpointIp } = await ask(['stale-client-cache'], 'vm');
    expect(result.addresses).toHaveLength(1);
    expect(result.addresses[0]).toMatch(/^10\./);
    expect(result.addresses[0]).not.toBe(endpointIp);
    const t = lab!.state.targets[0]!;
    const direct = summary(await query(lab!.addresses.dns.vnet, workspaceNames(t.workspaceId).fqdns.api, 'A', 'udp'));
    expect(direct.addresses).toEqual([endpointIp]);
  });

  test('dns-truncated: TC with no answers over UDP, the full answer over TCP; public DNS unaffected', async () => {
    const { result, names, endpointIp } = await ask(['dns-truncated'], 'vnet', 'api', 'udp');
    expect(result).toMatchObject({ tc: true, addresses: [], chain: [] });
    const tcp = summary(await query(lab!.addresses.dns.vnet, names.fqdns.api, 'A', 'tcp'));
    expect(tcp.addresses).toEqual([endpointIp]);
    const pub = summary(await query(lab!.addresses.dns.public, names.fqdns.api, 'A', 'udp'));
    expect(pub.tc).toBe(false);
  });

  test('pe-missing: the records left behind still answer the old private IPs', async () => {
    const { result } = await ask(['pe-missing'], 'vnet');
    expect(result.addresses).toHaveLength(1);
    expect(result.addresses[0]).toMatch(/^10\./);
  });

  test('in a fleet, record-missing@2 touches target 2 only', async () => {
    const second = await ask(['record-missing@2'], 'vnet', 'api', 'udp', 'A', 3, 1);
    expect(second.result.rcode).toBe('NXDOMAIN');
    const first = summary(await query(lab!.addresses.dns.vnet, workspaceNames(lab!.state.targets[0]!.workspaceId).fqdns.api, 'A', 'udp'));
    expect(first.addresses).toHaveLength(1);
  });

  test('unknown names are NXDOMAIN; DNS queries are counted', async () => {
    lab = await startLab();
    const result = summary(await query(lab.addresses.dns.vnet, 'nothing.example.invalid', 'A', 'udp'));
    expect(result.rcode).toBe('NXDOMAIN');
    expect(lab.requestCounts().byService['dns-vnet']).toBe(1);
  });
});

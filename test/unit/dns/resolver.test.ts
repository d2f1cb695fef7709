// The resolver against scripted dns-packet servers on 127.0.0.1 (real sockets, loopback only).
import { afterEach, describe, expect, it } from 'vitest';
import { testConfig } from '../../../src/config/defaults.js';
import { MAX_CNAME_HOPS, resolveName } from '../../../src/dns/resolver.js';
import { systemLookup, type LookupFn } from '../../../src/dns/system.js';
import { buildQuery } from '../../../src/dns/packet.js';
import { udpExchange } from '../../../src/dns/transport.js';
import { respond, soaOf, startFakeDns, TRUNCATED, type FakeDns, type Handler } from '../../helpers/fake-dns.js';

// Generous per-try time: these tests expect answers, and a loaded 2-core CI machine stalls timers.
// Tests about retries and timeouts set their own.
const config = testConfig({ dns: { timeoutMs: 2000, retries: 2 } });
let fake: FakeDns | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function serve(handler: Handler): Promise<FakeDns> {
  fake = await startFakeDns(handler);
  return fake;
}

describe('resolveName', () => {
  it('follows a CNAME itself when the server returns only the CNAME', async () => {
    const server = await serve((q) =>
      q.name === 'a.example.com'
        ? respond(q, [{ type: 'CNAME', name: 'a.example.com', data: 'a.privatelink.example.com' }])
        : respond(q, [{ type: 'A', name: 'a.privatelink.example.com', data: '10.1.2.3' }]),
    );
    const answer = await resolveName('A.Example.com.', { type: 'A', server: server.server, config });
    expect(answer).toMatchObject({
      name: 'a.example.com',
      rcode: 'NOERROR',
      chain: ['a.example.com', 'a.privatelink.example.com'],
      addresses: [{ address: '10.1.2.3', class: 'private' }],
    });
    expect(server.queries.map((q) => q.name)).toEqual(['a.example.com', 'a.privatelink.example.com']);
  });

  it('stops at the CNAME when the server says the chain ends with no such record (SOA of the last name\'s zone)', async () => {
    // As BIND and 168.63.129.16 answer AAAA for a name whose privatelink A has no AAAA beside it.
    const server = await serve((q) =>
      respond(q, [{ type: 'CNAME', name: 'a.example.com', data: 'a.privatelink.example.com' }], { authorities: [soaOf('privatelink.example.com')] }),
    );
    const answer = await resolveName('a.example.com', { type: 'AAAA', server: server.server, config });
    expect(answer).toMatchObject({ rcode: 'NOERROR', chain: ['a.example.com', 'a.privatelink.example.com'], addresses: [] });
    expect(server.queries.map((q) => q.name)).toEqual(['a.example.com']);
  });

  it('still asks for the last name when the SOA is of a zone that does not hold it', async () => {
    // An authoritative server for example.com only, pointing out of its zone: its SOA says nothing of the target.
    const server = await serve((q) =>
      q.name === 'a.example.com'
        ? respond(q, [{ type: 'CNAME', name: 'a.example.com', data: 'a.example.net' }], { authorities: [soaOf('example.com')] })
        : respond(q, [{ type: 'AAAA', name: 'a.example.net', data: 'fd00::5' }]),
    );
    const answer = await resolveName('a.example.com', { type: 'AAAA', server: server.server, config });
    expect(answer).toMatchObject({ rcode: 'NOERROR', chain: ['a.example.com', 'a.example.net'], addresses: [{ address: 'fd00::5' }] });
    expect(server.queries.map((q) => q.name)).toEqual(['a.example.com', 'a.example.net']);
  });

  it('a datagram from another source never reaches the query (the socket is connected to its server)', async () => {
    const dgram = await import('node:dgram');
    const server = await serve(() => undefined); // the real server stays silent
    const intruder = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => intruder.bind(0, '127.0.0.1', () => resolve()));
    const pending = resolveName('spoofed.example.com', { type: 'A', server: server.server, config, timeoutMs: 300, retries: 0 });
    // An answer with the right id, from another port, to the resolver's source port.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const query = server.queries[0]!;
    intruder.send(respond(query, [{ type: 'A', name: query.name, data: '203.0.113.66' }]), query.sourcePort!, '127.0.0.1');
    const answer = await pending;
    intruder.close();
    expect(answer.rcode).toBe('TIMEOUT');
    expect(answer.addresses).toEqual([]);
  });

  it('a closed server port ends the query at once with the refusal, not after every try', async () => {
    // The UDP socket is connected: the ICMP port-unreachable reaches it as ECONNREFUSED.
    const dgram = await import('node:dgram');
    const probe = dgram.createSocket('udp4');
    const port = await new Promise<number>((resolve) => probe.bind(0, '127.0.0.1', () => resolve(probe.address().port)));
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const answer = await resolveName('closed.example.com', { type: 'A', server: `127.0.0.1:${port}`, config: testConfig({ dns: { timeoutMs: 60_000, retries: 2 } }) });
    expect(answer.rcode).toBe('ERROR');
    expect(answer.error).toMatch(/ECONNREFUSED/);
  });

  it('detects a loop spread over several queries', async () => {
    const server = await serve((q) =>
      respond(q, [{ type: 'CNAME', name: q.name, data: q.name === 'a.example.com' ? 'b.example.com' : 'a.example.com' }]),
    );
    const answer = await resolveName('a.example.com', { type: 'A', server: server.server, config });
    expect(answer.error).toBe('CNAME loop: a.example.com → b.example.com → a.example.com');
    expect(answer.addresses).toEqual([]);
  });

  it(`stops after ${MAX_CNAME_HOPS} hops`, async () => {
    const server = await serve((q) => {
      const n = Number(/^h(\d+)\./.exec(q.name)?.[1] ?? 0);
      return respond(q, [{ type: 'CNAME', name: q.name, data: `h${n + 1}.example.com` }]);
    });
    const answer = await resolveName('h0.example.com', { type: 'A', server: server.server, config });
    expect(answer.error).toMatch(/CNAME chain longer than 8 hops/);
    expect(server.queries.length).toBe(MAX_CNAME_HOPS + 1);
  });

  it('retries with the same id and accepts a late answer to the first try', async () => {
    const server = await serve((q) =>
      // Answer only the first try, late: after the second try has been sent.
      q.index === 0 ? { delayMs: 300, packet: respond(q, [{ type: 'A', name: q.name, data: '10.0.0.9' }]) } : undefined,
    );
    const answer = await resolveName('late.example.com', { type: 'A', server: server.server, config, timeoutMs: 200 });
    expect(answer.rcode).toBe('NOERROR');
    expect(answer.addresses).toEqual([{ address: '10.0.0.9', class: 'private' }]);
    expect(server.queries.length).toBeGreaterThanOrEqual(2);
    expect(new Set(server.queries.map((q) => q.id)).size).toBe(1);
  });

  it('ignores a packet with another id and takes the real answer', async () => {
    const server = await serve((q) => [
      respond(q, [{ type: 'A', name: q.name, data: '20.0.0.1' }], { id: (q.id + 1) % 65536 }),
      respond(q, [{ type: 'A', name: q.name, data: '10.0.0.1' }]),
    ]);
    const answer = await resolveName('id.example.com', { type: 'A', server: server.server, config });
    expect(answer.addresses).toEqual([{ address: '10.0.0.1', class: 'private' }]);
  });

  it('queries in flight to one server share one UDP socket, each taking the answer with its id', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `n${i}.example.com`);
    // Answered in reverse order of arrival: each query must still get its own answer.
    const server = await serve((q) => ({ delayMs: 200 - q.index * 5, packet: respond(q, [{ type: 'A', name: q.name, data: `10.0.0.${Number(q.name.slice(1, q.name.indexOf('.'))) + 1}` }]) }));
    const answers = await Promise.all(names.map((name) => resolveName(name, { type: 'A', server: server.server, config })));
    expect(answers.map((a) => a.addresses[0]?.address)).toEqual(names.map((_, i) => `10.0.0.${i + 1}`));
    expect(new Set(server.queries.map((q) => q.sourcePort)).size).toBe(1);
    expect(new Set(server.queries.map((q) => q.id)).size).toBe(names.length);
  });

  it('a query whose id is already in flight to the same server goes out with another id', async () => {
    const server = await serve((q) => ({ delayMs: 100, packet: respond(q, [{ type: 'A', name: q.name, data: q.name.startsWith('a.') ? '10.0.0.1' : '10.0.0.2' }]) }));
    const ask = (name: string) => {
      const expected = { id: 4242, name, type: 'A' as const };
      return udpExchange(buildQuery(expected), expected, { host: server.host, port: server.port }, { timeoutMs: 2000, retries: 0 });
    };
    const [a, b] = await Promise.all([ask('a.example.com'), ask('b.example.com')]);
    expect(a.answers.map((r) => r.data)).toEqual(['10.0.0.1']);
    expect(b.answers.map((r) => r.data)).toEqual(['10.0.0.2']);
    expect(new Set(server.queries.map((q) => q.id)).size).toBe(2);
  });

  it('times out after 1 + retries tries', async () => {
    const server = await serve(() => undefined);
    const answer = await resolveName('silent.example.com', { type: 'A', server: server.server, config, timeoutMs: 50, retries: 2 });
    expect(answer.rcode).toBe('TIMEOUT');
    expect(answer.error).toMatch(/after 3 tries of 50 ms/);
    expect(server.queries.length).toBe(3);
  });

  it('discards a truncated UDP answer and asks again over TCP', async () => {
    const server = await serve((q) =>
      q.transport === 'udp'
        ? respond(q, [{ type: 'A', name: q.name, data: '10.9.9.9' }], { flags: TRUNCATED })
        : respond(q, [
            { type: 'A', name: q.name, data: '10.0.0.1' },
            { type: 'A', name: q.name, data: '10.0.0.2' },
          ]),
    );
    const answer = await resolveName('tc.example.com', { type: 'A', server: server.server, config });
    expect(answer.truncatedRetriedOverTcp).toBe(true);
    expect(answer.addresses.map((a) => a.address)).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(server.queries.map((q) => q.transport)).toEqual(['udp', 'tcp']);
  });

  it('a malformed answer is an error saying what was wrong', async () => {
    const server = await serve((q) => {
      const good = respond(q, [{ type: 'A', name: q.name, data: '10.0.0.5' }]);
      const bad = Buffer.from(good.subarray(0, good.length - 1));
      bad.writeUInt16BE(3, good.length - 6);
      return bad;
    });
    const answer = await resolveName('short.example.com', { type: 'A', server: server.server, config });
    expect(answer.rcode).toBe('ERROR');
    expect(answer.error).toMatch(/^malformed DNS answer: /);
    expect(answer.addresses).toEqual([]);
  });

  it('AAAA answers are classified', async () => {
    const server = await serve((q) => respond(q, [{ type: 'AAAA', name: q.name, data: 'fd00::5' }, { type: 'AAAA', name: q.name, data: '2603:1030::1' }]));
    const answer = await resolveName('v6.example.com', { type: 'AAAA', server: server.server, config });
    expect(answer.addresses).toEqual([
      { address: 'fd00::5', class: 'private' },
      { address: '2603:1030::1', class: 'public' },
    ]);
  });

  it('the sandbox refuses a server that is not loopback, without sending', async () => {
    const sandboxed = testConfig({ network: { sandbox: true, connectTo: [] } });
    const answer = await resolveName('x.example.com', { type: 'A', server: '10.0.0.4', config: sandboxed });
    expect(answer.rcode).toBe('ERROR');
    expect(answer.error).toMatch(/^sandbox: 10\.0\.0\.4:53 is not mapped by connect-to/);
  });

  it('connect-to maps the Azure resolver onto a loopback server', async () => {
    const server = await serve((q) => respond(q, [{ type: 'A', name: q.name, data: '10.0.0.7' }]));
    const mapped = testConfig({ network: { sandbox: true, connectTo: [`168.63.129.16:53:127.0.0.1:${server.port}`] } });
    const answer = await resolveName('x.example.com', { type: 'A', server: '168.63.129.16', config: mapped });
    expect(answer.server).toBe('168.63.129.16');
    expect(answer.addresses).toEqual([{ address: '10.0.0.7', class: 'private' }]);
  });

  it('a bad server spec is an answer with the reason, not a throw', async () => {
    const answer = await resolveName('x.example.com', { type: 'A', server: '127.0.0.1:99999', config });
    expect(answer).toMatchObject({ rcode: 'ERROR', error: expect.stringMatching(/port "99999" is not 1-65535/) });
  });

  it('an invalid name is refused before any packet', async () => {
    const answer = await resolveName('bad name', { type: 'A', server: '127.0.0.1:1', config });
    expect(answer.error).toMatch(/not a valid DNS name/);
  });
});

describe('systemLookup', () => {
  it('returns every address, classified, from an injected lookup', async () => {
    const lookup: LookupFn = (name, options, callback) => {
      expect(options.all).toBe(true);
      callback(null, [
        { address: '10.0.0.5', family: 4 },
        { address: 'fd00::5', family: 6 },
        { address: '10.0.0.5', family: 4 },
      ]);
    };
    const answer = await systemLookup('x.example.com', lookup);
    expect(answer).toMatchObject({ name: 'x.example.com', via: 'os', addresses: [{ address: '10.0.0.5', class: 'private' }, { address: 'fd00::5', class: 'private' }] });
  });

  it('turns ENOTFOUND into an explained answer', async () => {
    const lookup: LookupFn = (_name, _options, callback) => callback(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }), []);
    const answer = await systemLookup('x.example.com', lookup);
    expect(answer.addresses).toEqual([]);
    expect(answer.code).toBe('ENOTFOUND');
    expect(answer.error).toMatch(/does not exist/);
  });

  it('uses the real dns.lookup for a name the hosts file answers', async () => {
    const answer = await systemLookup('localhost');
    expect(answer.addresses.length).toBeGreaterThan(0);
    expect(answer.addresses.every((a) => a.class === 'special')).toBe(true);
  });
});

// The resolver against a real BIND on a loopback port, one assertion per harness case
// (test/fixtures/dns/cases.tsv). named is started here and stopped in afterAll.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config/defaults.js';
import { resolveName, type DnsAnswer } from '../../src/dns/index.js';
import { buildQuery } from '../../src/dns/packet.js';
import { udpExchange } from '../../src/dns/transport.js';
import { startNamed, type NamedServer } from '../helpers/named.js';

const SUFFIX = 'w.api.fabric.microsoft.com';
const PRIVATELINK = 'w.api.privatelink.fabric.microsoft.com';
const CASES = {
  OK: '1b2c3d4e5f604a7b8c9d0e1f2a3b4c5d.z1b',
  PUBLIC: '2a3b4c5d6e7f40818a9b0c1d2e3f4a5b.z2a',
  DANGLING: '3c4d5e6f7a8b49c0ad1e2f3a4b5c6d7e.z3c',
  NX: '00000000000000000000000000000000.z00',
  SERVFAIL: '5f0a1b2c3d4e4f5a8b6c7d8e9f0a1b2c.z5f',
  CGNAT: '8b9c0d1e2f3a4b5c8d6e7f8091a2b3c4.z8b',
  LOOP: 'abababababab4bab8abababababababa.zab',
  TC: '7c8d9e0f1a2b4c3d9e4f5a6b7c8d9e0f.z7c',
  TCONLY: '4d5e6f7a8b9c40d1ae2f3a4b5c6d7e8f.z4d',
  AAAA: '6d7e8f9a0b1c4d2e8f3a4b5c6d7e8f90.z6d',
  AAAAPUB: '6e7f8a9b0c1d4e2f8a3b4c5d6e7f8a9b.z6e',
  DROP: '9e0f1a2b3c4d4e5f8a6b7c8d9e0f1a2b.z9e',
} as const;

let named: NamedServer;
const config = testConfig({ dns: { timeoutMs: 1500, retries: 1 } });

function ask(kind: keyof typeof CASES, type: 'A' | 'AAAA' = 'A'): Promise<DnsAnswer> {
  return resolveName(`${CASES[kind]}.${SUFFIX}`, { type, server: `${named.host}:${named.port}`, config });
}

beforeAll(async () => {
  named = await startNamed();
});
afterAll(async () => {
  await named?.stop();
});

describe('resolver against BIND', () => {
  it('OK: CNAME into privatelink, private A', async () => {
    const answer = await ask('OK');
    expect(answer.rcode).toBe('NOERROR');
    expect(answer.chain).toEqual([`${CASES.OK}.${SUFFIX}`, `${CASES.OK}.${PRIVATELINK}`]);
    expect(answer.addresses).toEqual([{ address: '10.0.0.5', class: 'private' }]);
    expect(answer.error).toBeUndefined();
    expect(answer.server).toBe(`127.0.0.1:${named.port}`);
  });

  it('PUBLIC: the chain leaves privatelink for a public front end', async () => {
    const answer = await ask('PUBLIC');
    expect(answer.rcode).toBe('NOERROR');
    expect(answer.chain).toEqual([`${CASES.PUBLIC}.${SUFFIX}`, `${CASES.PUBLIC}.${PRIVATELINK}`, 'fabric-prod-westeurope.trafficmanager.net']);
    expect(answer.addresses).toEqual([{ address: '20.42.0.10', class: 'public' }]);
  });

  it('DANGLING: NXDOMAIN after the CNAME, the chain kept', async () => {
    const answer = await ask('DANGLING');
    expect(answer.rcode).toBe('NXDOMAIN');
    expect(answer.chain).toEqual([`${CASES.DANGLING}.${SUFFIX}`, `${CASES.DANGLING}.${PRIVATELINK}`]);
    expect(answer.addresses).toEqual([]);
  });

  it('NX: NXDOMAIN, no chain', async () => {
    const answer = await ask('NX');
    expect(answer.rcode).toBe('NXDOMAIN');
    expect(answer.chain).toEqual([`${CASES.NX}.${SUFFIX}`]);
    expect(answer.addresses).toEqual([]);
  });

  it('SERVFAIL: a zone that failed to load', async () => {
    const answer = await ask('SERVFAIL');
    expect(answer.rcode).toBe('SERVFAIL');
    expect(answer.addresses).toEqual([]);
  });

  it('CGNAT: 100.64/10 is private', async () => {
    const answer = await ask('CGNAT');
    expect(answer.rcode).toBe('NOERROR');
    expect(answer.addresses).toEqual([{ address: '100.64.1.5', class: 'private' }]);
  });

  it('LOOP: the CNAME loop is detected and named', async () => {
    const answer = await ask('LOOP');
    expect(answer.rcode).toBe('SERVFAIL');
    expect(answer.addresses).toEqual([]);
    expect(answer.error).toMatch(/^CNAME loop: /);
    expect(answer.error).toContain(`${CASES.LOOP}.${PRIVATELINK}`);
  });

  it('TC: 100 records, truncated over UDP, complete over TCP', async () => {
    const answer = await ask('TC');
    expect(answer.rcode).toBe('NOERROR');
    expect(answer.truncatedRetriedOverTcp).toBe(true);
    const expected = Array.from({ length: 100 }, (_, i) => `10.0.1.${i + 1}`);
    expect(answer.addresses.map((a) => a.address).sort()).toEqual(expected.sort());
    expect(answer.addresses.every((a) => a.class === 'private')).toBe(true);
  });

  it('TCONLY: a small answer that is always truncated over UDP', async () => {
    const answer = await ask('TCONLY');
    expect(answer.truncatedRetriedOverTcp).toBe(true);
    expect(answer.addresses).toEqual([{ address: '10.0.0.7', class: 'private' }]);
  });

  it('OK asked for AAAA: BIND follows the chain and says NODATA with the privatelink zone\'s SOA, so the resolver asks once', async () => {
    // The shape the resolver relies on to skip asking for the CNAME's target again (RFC 2308 §2.2).
    const name = `${CASES.OK}.${SUFFIX}`;
    const expected = { id: 4242, name, type: 'AAAA' as const };
    const response = await udpExchange(buildQuery(expected), expected, { host: named.host, port: named.port }, { timeoutMs: 1500, retries: 1 });
    expect(response.rcode).toBe('NOERROR');
    expect(response.answers).toEqual([{ name, type: 'CNAME', data: `${CASES.OK}.${PRIVATELINK}`, ttl: expect.any(Number) }]);
    expect(response.soaOwners).toEqual(['privatelink.fabric.microsoft.com']);
    const answer = await ask('OK', 'AAAA');
    expect(answer).toMatchObject({ rcode: 'NOERROR', chain: [name, `${CASES.OK}.${PRIVATELINK}`], addresses: [] });
  });

  it('AAAA: a ULA address is private', async () => {
    const answer = await ask('AAAA', 'AAAA');
    expect(answer.rcode).toBe('NOERROR');
    expect(answer.addresses).toEqual([{ address: 'fd00:10::6', class: 'private' }]);
    expect((await ask('AAAA', 'A')).addresses).toEqual([{ address: '10.0.0.6', class: 'private' }]);
  });

  it('AAAAPUB: a public AAAA; the A query is NOERROR with no data', async () => {
    const answer = await ask('AAAAPUB', 'AAAA');
    expect(answer.addresses).toEqual([{ address: '2603:1030:20e:3::23c', class: 'public' }]);
    const a = await ask('AAAAPUB', 'A');
    expect(a.rcode).toBe('NOERROR');
    expect(a.addresses).toEqual([]);
    expect(a.error).toBeUndefined();
  });

  it('DROP: no answer at all is a TIMEOUT after every try', async () => {
    const answer = await ask('DROP');
    expect(answer.rcode).toBe('TIMEOUT');
    expect(answer.addresses).toEqual([]);
    expect(answer.error).toMatch(/no answer from 127\.0\.0\.1:\d+ over UDP after 2 tries/);
  });
});

// The public-path resolver: Node's resolver pointed at a loopback DNS server (dns-packet) through
// connect-to, the sandbox refusing unmapped public servers, and the outcome names.
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../src/config/defaults.js';
import { stubPublicResolve, resolvePublic, type PublicResolve } from '../../../src/gather/net/public-resolve.js';
import { FQDN } from './servers.js';

let server: dgram.Socket;
let port: number;
const queries: string[] = [];

beforeAll(async () => {
  server = dgram.createSocket('udp4');
  server.on('message', (message, rinfo) => {
    const query = dnsPacket.decode(message);
    const question = query.questions![0]!;
    queries.push(`${question.type} ${question.name}`);
    const known = question.name.toLowerCase() === FQDN;
    const response = dnsPacket.encode({
      id: query.id,
      type: 'response',
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (known ? 0 : 3), // rcode 3: NXDOMAIN
      questions: [question],
      answers: known && question.type === 'A' ? [{ type: 'A', name: question.name, ttl: 60, data: '20.50.1.2' }] : [],
    });
    server.send(response, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const signal = new AbortController().signal;

function resolver(connectTo: string[]): PublicResolve {
  return stubPublicResolve(testConfig({ network: { connectTo, sandbox: true }, dns: { timeoutMs: 1000, retries: 0 } }));
}

describe('stubPublicResolve', () => {
  it('asks the public server where connect-to maps it and classifies the answer', async () => {
    queries.length = 0;
    const resolve = resolver([`198.51.100.53:53:127.0.0.1:${port}`]);
    const result = await resolvePublic(resolve, FQDN, ['198.51.100.53'], signal);
    expect(result).toEqual({ outcome: 'answer', servers: ['198.51.100.53'], addresses: [{ address: '20.50.1.2', class: 'public' }] });
    expect(queries).toContain(`A ${FQDN}`);
  });

  it('names NXDOMAIN as no-answer', async () => {
    const resolve = resolver([`198.51.100.53:53:127.0.0.1:${port}`]);
    const result = await resolvePublic(resolve, 'nothing.example.test', ['198.51.100.53'], signal);
    expect(result.outcome).toBe('no-answer');
    expect(result.error?.code).toBe('NXDOMAIN');
  });

  it('refuses unmapped public servers in sandbox mode: no-egress, no query sent', async () => {
    queries.length = 0;
    const result = await resolvePublic(resolver([]), FQDN, ['1.1.1.1', '[2606:4700::1111]:53'], signal);
    expect(result.outcome).toBe('no-egress');
    expect(result.error?.code).toBe('SANDBOX');
    expect(result.error?.message).toContain('1.1.1.1:53 is not mapped');
    expect(queries).toEqual([]);
  });
});

describe('resolvePublic outcomes', () => {
  const failing = (code: string): PublicResolve => async () => {
    throw Object.assign(new Error(code), { code });
  };
  it.each([
    ['ETIMEOUT', 'no-egress'],
    ['ECONNREFUSED', 'no-egress'],
    ['ENOTFOUND', 'no-answer'],
    ['ENODATA', 'no-answer'],
    ['ESERVFAIL', 'no-answer'],
    ['EBADRESP', 'error'],
  ])('%s is %s', async (code, outcome) => {
    expect((await resolvePublic(failing(code), FQDN, ['1.1.1.1'], signal)).outcome).toBe(outcome);
  });
});

// Fuzzing the decoder/validator: random bytes, truncated and mutated real answers. Every input must
// end in a validated answer or a DnsError('malformed') with a message, never another exception, and
// a validated answer never holds an address that is not one. The seed is printed to replay a failure.
import net from 'node:net';
import dnsPacket from 'dns-packet';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../src/config/defaults.js';
import { DnsError } from '../../../src/dns/errors.js';
import { validateResponse } from '../../../src/dns/packet.js';
import { resolveName } from '../../../src/dns/resolver.js';
import { respond, startFakeDns, type FakeDns } from '../../helpers/fake-dns.js';

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
console.log(`dns fuzz seed: ${seed} (replay with FUZZ_SEED=${seed})`);

const expected = { id: 0x1234, name: 'x.z12.w.api.fabric.microsoft.com', type: 'A' as const };
const base = dnsPacket.encode({
  type: 'response',
  id: expected.id,
  flags: dnsPacket.RECURSION_DESIRED,
  questions: [{ type: 'A', name: expected.name, class: 'IN' }],
  answers: [
    { type: 'CNAME', name: expected.name, class: 'IN', ttl: 60, data: 'x.z12.w.api.privatelink.fabric.microsoft.com' },
    { type: 'A', name: 'x.z12.w.api.privatelink.fabric.microsoft.com', class: 'IN', ttl: 10, data: '10.0.0.5' },
    { type: 'AAAA', name: 'x.z12.w.api.privatelink.fabric.microsoft.com', class: 'IN', ttl: 10, data: 'fd00::5' },
  ],
  authorities: [{ type: 'SOA', name: 'fabric.microsoft.com', ttl: 60, data: { mname: 'ns1', rname: 'h', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 1 } }],
} as dnsPacket.Packet);

function outcome(buf: Buffer): 'answer' | 'malformed' {
  try {
    const response = validateResponse(buf, expected);
    for (const record of response.answers) {
      if (record.type === 'A') expect(net.isIP(record.data)).toBe(4);
      if (record.type === 'AAAA') expect(net.isIP(record.data)).toBe(6);
      expect(record.data).not.toContain('undefined');
    }
    return 'answer';
  } catch (error) {
    if (!(error instanceof DnsError) || error.kind !== 'malformed' || !/^malformed DNS answer: \S/.test(error.message)) {
      throw new Error(`not a clear malformed-answer error for ${buf.toString('hex')}: ${String(error)}`);
    }
    return 'malformed';
  }
}

const mutation = fc.record({ index: fc.nat(), value: fc.integer({ min: 0, max: 255 }) });

describe('decoder fuzz', () => {
  it('the untouched answer validates', () => {
    expect(outcome(base)).toBe('answer');
  });

  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 600 }), (bytes) => void outcome(Buffer.from(bytes))), { seed, numRuns: 3000 });
  });

  it('every truncation of a real answer', () => {
    for (let length = 0; length < base.length; length++) expect(outcome(base.subarray(0, length))).toBe('malformed');
  });

  it('mutated real answers (1-8 bytes changed)', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 8 }), (mutations) => {
        const buf = Buffer.from(base);
        for (const m of mutations) buf[m.index % buf.length] = m.value;
        outcome(buf);
      }),
      { seed, numRuns: 5000 },
    );
  });

  it('mutated answers with bytes inserted or removed', () => {
    fc.assert(
      fc.property(fc.nat(), fc.uint8Array({ minLength: 0, maxLength: 8 }), fc.nat({ max: 8 }), (at, insert, remove) => {
        const cut = at % base.length;
        outcome(Buffer.concat([base.subarray(0, cut), Buffer.from(insert), base.subarray(Math.min(base.length, cut + remove))]));
      }),
      { seed, numRuns: 3000 },
    );
  });
});

describe('resolver fuzz over UDP', () => {
  let fake: FakeDns | undefined;
  afterAll(async () => fake?.close());

  it('every mutated answer from a server ends in an answer or a clear error', async () => {
    let mutate: (buf: Buffer) => Buffer = (buf) => buf;
    fake = await startFakeDns((q) => mutate(respond(q, [{ type: 'A', name: q.name, data: '10.0.0.5' }])));
    const config = testConfig({ dns: { timeoutMs: 100, retries: 0 } });
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        // Keep the id (bytes 0-1) so the packet is taken as the answer rather than ignored as stray.
        mutate = (buf) => {
          const out = Buffer.from(buf);
          for (const m of mutations) out[2 + (m.index % (out.length - 2))] = m.value;
          return out;
        };
        const answer = await resolveName('fuzz.example.com', { type: 'A', server: fake!.server, config });
        expect(['NOERROR', 'NXDOMAIN', 'SERVFAIL', 'ERROR', 'TIMEOUT', 'FORMERR', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'].concat(
          Array.from({ length: 16 }, (_, i) => `RCODE_${i}`),
        )).toContain(answer.rcode);
        if (answer.rcode === 'ERROR' || answer.rcode === 'TIMEOUT') expect(answer.error).toBeTruthy();
        for (const address of answer.addresses) expect(net.isIP(address.address)).not.toBe(0);
      }),
      { seed, numRuns: 150 },
    );
  });
});

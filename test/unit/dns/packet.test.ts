import dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { DnsError } from '../../../src/dns/errors.js';
import { buildQuery, tcpFrame, tcpMessageReader, validateResponse } from '../../../src/dns/packet.js';

const expected = { id: 4242, name: 'x.example.com', type: 'A' as const };

function response(over: Partial<dnsPacket.Packet> & { rcode?: string } = {}): Buffer {
  return dnsPacket.encode({
    type: 'response',
    id: 4242,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: 'A', name: 'x.example.com', class: 'IN' }],
    answers: [{ type: 'A', name: 'x.example.com', class: 'IN', ttl: 10, data: '10.0.0.5' }],
    ...over,
  } as dnsPacket.Packet);
}

function malformedMessage(buf: Buffer): string {
  try {
    validateResponse(buf, expected);
  } catch (error) {
    expect(error).toBeInstanceOf(DnsError);
    expect((error as DnsError).kind).toBe('malformed');
    return (error as Error).message;
  }
  throw new Error('expected a malformed-answer error');
}

describe('buildQuery', () => {
  it('sets RD and asks one IN question', () => {
    const decoded = dnsPacket.decode(buildQuery(expected));
    expect(decoded.id).toBe(4242);
    expect(decoded.flags! & dnsPacket.RECURSION_DESIRED).toBeTruthy();
    expect(decoded.questions).toEqual([{ name: 'x.example.com', type: 'A', class: 'IN' }]);
  });
});

describe('validateResponse', () => {
  it('accepts a good answer, normalising names', () => {
    const ok = validateResponse(
      response({ questions: [{ type: 'A', name: 'X.Example.COM', class: 'IN' }], answers: [{ type: 'A', name: 'X.EXAMPLE.com', ttl: 5, data: '10.0.0.5' }] }),
      expected,
    );
    expect(ok).toMatchObject({ rcode: 'NOERROR', truncated: false, answers: [{ name: 'x.example.com', type: 'A', data: '10.0.0.5' }] });
  });

  it('reports the rcode and TC bit', () => {
    expect(validateResponse(response({ flags: 3, answers: [] }), expected).rcode).toBe('NXDOMAIN');
    expect(validateResponse(response({ flags: dnsPacket.TRUNCATED_RESPONSE, answers: [] }), expected).truncated).toBe(true);
  });

  it('a packet shorter than a header', () => {
    expect(malformedMessage(Buffer.from([1, 2, 3]))).toMatch(/3 bytes, shorter than a DNS header/);
  });

  it('a wrong id', () => {
    expect(malformedMessage(response({ id: 1 }))).toMatch(/id 1, expected 4242/);
  });

  it('the QR bit not set', () => {
    expect(malformedMessage(response({ type: 'query' }))).toMatch(/QR bit not set/);
  });

  it('another question', () => {
    expect(malformedMessage(response({ questions: [{ type: 'A', name: 'y.example.com', class: 'IN' }] }))).toMatch(/question is for "y.example.com"/);
    expect(malformedMessage(response({ questions: [{ type: 'AAAA', name: 'x.example.com', class: 'IN' }] }))).toMatch(/question type AAAA/);
    expect(malformedMessage(response({ questions: [] }))).toMatch(/0 questions/);
  });

  it('an A record whose data is 3 bytes long is an error, never 10.0.0.undefined', () => {
    const good = response();
    // The A record is last: its rdlength sits 6 bytes from the end. Make it 3 and drop a byte.
    const bad = Buffer.from(good.subarray(0, good.length - 1));
    bad.writeUInt16BE(3, good.length - 6);
    const message = malformedMessage(bad);
    expect(message).toMatch(/answer record 1 says 3 bytes of data but only 3 remain|A with 3 bytes of data, expected 4/);
    expect(message).not.toContain('undefined"');
  });

  it('an A record with 5 bytes of data is not read as an address', () => {
    const good = response();
    const bad = Buffer.concat([good, Buffer.from([7])]);
    bad.writeUInt16BE(5, good.length - 6);
    expect(malformedMessage(bad)).toMatch(/answer record 1 is A with 5 bytes of data, expected 4/);
  });

  it('a CNAME pointing nowhere', () => {
    expect(malformedMessage(response({ answers: [{ type: 'CNAME', name: 'x.example.com', data: 'bad name!' }] }))).toMatch(/CNAME for x.example.com points to/);
  });

  it('an answer in another class', () => {
    expect(malformedMessage(response({ answers: [{ type: 'A', name: 'x.example.com', class: 'CH', data: '10.0.0.5' }] }))).toMatch(/class CH/);
  });

  it('garbage', () => {
    const message = malformedMessage(Buffer.from('0123456789abcdefghijklmnop'));
    expect(message).toMatch(/^malformed DNS answer: /);
  });
});

describe('DNS over TCP framing', () => {
  it('prefixes the length in two bytes, big-endian', () => {
    expect([...tcpFrame(Buffer.from([7, 8, 9]))]).toEqual([0, 3, 7, 8, 9]);
    expect(tcpFrame(Buffer.alloc(300)).readUInt16BE(0)).toBe(300);
  });

  it('reads messages split over chunks and several in one chunk, in order', () => {
    const a = Buffer.from('first');
    const b = Buffer.from('second message');
    const stream = Buffer.concat([tcpFrame(a), tcpFrame(b), tcpFrame(a)]);
    const read = tcpMessageReader();
    expect(read(stream.subarray(0, 1))).toEqual([]);
    expect(read(stream.subarray(1, 6))).toEqual([]);
    expect(read(stream.subarray(6, 12)).map(String)).toEqual(['first']);
    expect(read(stream.subarray(12)).map(String)).toEqual(['second message', 'first']);
  });
});

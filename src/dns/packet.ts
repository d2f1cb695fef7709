// Building queries and validating answers. dns-packet decodes whatever it is given (a short A record
// becomes `10.0.0.undefined`), so every answer is checked here before anything trusts it
// (docs/reference.md §4): decode.bytes, id, QR, opcode, question, rcode, record data.
import net from 'node:net';
import dnsPacket from 'dns-packet';
import { DnsError } from './errors.js';

export type QueryType = 'A' | 'AAAA';

export interface Expected {
  id: number;
  name: string;
  type: QueryType;
}

/** One answer record we use: an address or a CNAME target, owner and target normalised. */
export interface AnswerRecord {
  name: string;
  type: 'A' | 'AAAA' | 'CNAME';
  data: string;
  ttl: number;
}

export interface DnsResponse {
  id: number;
  /** NOERROR, NXDOMAIN, SERVFAIL, REFUSED... as dns-packet names them. */
  rcode: string;
  truncated: boolean;
  answers: AnswerRecord[];
  /** Owners of the SOA records in the authority section: the zones a negative answer speaks for (RFC 2308). */
  soaOwners: string[];
}

/** Lower case, no trailing dot: DNS names compare case-insensitively. */
export function normalizeName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') && lower.length > 1 ? lower.slice(0, -1) : lower;
}

/** Dot-separated labels of 1-63 letters, digits, `-` or `_`, neither starting nor ending with `-` (one pass, no split). */
const NAME = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/i;

/** A name we can put in a query: 1-253 characters, labels of 1-63 letters, digits, `-` or `_`. */
export function isValidDnsName(name: string): boolean {
  const n = normalizeName(name);
  return n.length >= 1 && n.length <= 253 && NAME.test(n);
}

/** EDNS with a 1232-byte payload (the DNS flag day size) so ordinary answers fit without TCP. */
export function buildQuery(expected: Expected): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id: expected.id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: expected.type, name: expected.name, class: 'IN' }],
    // dns-packet encodes the DO bit from `flags`; flag_do is what it decodes into.
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
  });
}

function malformed(why: string): DnsError {
  return new DnsError('malformed', `malformed DNS answer: ${why}`);
}

interface LooseRecord {
  name?: unknown;
  type?: unknown;
  class?: unknown;
  ttl?: unknown;
  data?: unknown;
}

const SECTIONS = ['answer', 'authority', 'additional'] as const;
const FIXED_RDLENGTH: Record<number, { type: string; length: number }> = { 1: { type: 'A', length: 4 }, 28: { type: 'AAAA', length: 16 } };

/** Skips a (possibly compressed) name; returns the offset after it. */
function skipName(buf: Buffer, start: number): number {
  let offset = start;
  for (;;) {
    if (offset >= buf.length) throw malformed(`a name at byte ${start} runs past the end of the packet`);
    const length = buf[offset]!;
    if (length === 0) return offset + 1;
    if ((length & 0xc0) === 0xc0) {
      if (offset + 2 > buf.length) throw malformed(`a compression pointer at byte ${offset} is cut off`);
      return offset + 2;
    }
    if (length & 0xc0) throw malformed(`unknown label type 0x${length.toString(16)} at byte ${offset}`);
    offset += 1 + length;
  }
}

/**
 * dns-packet ignores RDLENGTH for A and AAAA (it reads 4 or 16 bytes whatever the record says), so a
 * short record decodes as `10.0.0.undefined` and a long one shifts every later record. Walk the raw
 * sections first and check each record's length against the packet and its type.
 */
function checkRecordLengths(buf: Buffer): void {
  const counts = [buf.readUInt16BE(6), buf.readUInt16BE(8), buf.readUInt16BE(10)];
  let offset = 12;
  for (let q = 0; q < buf.readUInt16BE(4); q++) {
    offset = skipName(buf, offset) + 4;
    if (offset > buf.length) throw malformed('the question runs past the end of the packet');
  }
  SECTIONS.forEach((section, index) => {
    for (let r = 0; r < counts[index]!; r++) {
      const start = offset;
      offset = skipName(buf, offset);
      if (offset + 10 > buf.length) throw malformed(`${section} record ${r + 1} (byte ${start}) is cut off before its data length`);
      const type = buf.readUInt16BE(offset);
      const rdlength = buf.readUInt16BE(offset + 8);
      offset += 10;
      if (offset + rdlength > buf.length) {
        throw malformed(`${section} record ${r + 1} says ${rdlength} bytes of data but only ${buf.length - offset} remain`);
      }
      const fixed = FIXED_RDLENGTH[type];
      if (fixed && rdlength !== fixed.length) {
        throw malformed(`${section} record ${r + 1} is ${fixed.type} with ${rdlength} bytes of data, expected ${fixed.length}`);
      }
      offset += rdlength;
    }
  });
}

/** Decodes and checks one answer; throws DnsError('malformed') saying what was wrong. */
export function validateResponse(buf: Buffer, expected: Expected): DnsResponse {
  if (buf.length < 12) throw malformed(`${buf.length} bytes, shorter than a DNS header (12)`);
  checkRecordLengths(buf);
  let packet: ReturnType<typeof dnsPacket.decode>;
  try {
    packet = dnsPacket.decode(buf);
  } catch (error) {
    throw malformed(`could not be decoded (${(error as Error).message})`);
  }
  if (dnsPacket.decode.bytes > buf.length) {
    throw malformed(`records run past the end of the packet (${dnsPacket.decode.bytes} bytes read, ${buf.length} received)`);
  }
  if (packet.id !== expected.id) throw malformed(`id ${packet.id}, expected ${expected.id}`);
  if (packet.type !== 'response') throw malformed('QR bit not set (a query, not a response)');
  const opcode = (packet as { opcode?: unknown }).opcode;
  if (opcode !== 'QUERY') throw malformed(`opcode ${String(opcode)}, expected QUERY`);
  const rcode = (packet as { rcode?: unknown }).rcode;
  if (typeof rcode !== 'string') throw malformed('no rcode');

  const questions = packet.questions ?? [];
  if (questions.length !== 1) throw malformed(`${questions.length} questions, expected 1`);
  const question = questions[0]!;
  if (typeof question.name !== 'string' || normalizeName(question.name) !== normalizeName(expected.name)) {
    throw malformed(`question is for ${JSON.stringify(question.name)}, expected ${expected.name}`);
  }
  if (question.type !== expected.type) throw malformed(`question type ${String(question.type)}, expected ${expected.type}`);
  if (question.class !== 'IN') throw malformed(`question class ${String(question.class)}, expected IN`);

  const answers: AnswerRecord[] = [];
  for (const raw of (packet.answers ?? []) as LooseRecord[]) {
    if (raw.type !== 'A' && raw.type !== 'AAAA' && raw.type !== 'CNAME') continue; // RRSIG etc.: not ours
    if (typeof raw.name !== 'string' || !raw.name) throw malformed(`a ${raw.type} record has no owner name`);
    const owner = normalizeName(raw.name);
    if (raw.class !== 'IN') throw malformed(`${raw.type} record for ${owner} has class ${String(raw.class)}, expected IN`);
    const ttl = typeof raw.ttl === 'number' && Number.isFinite(raw.ttl) ? raw.ttl : 0;
    if (raw.type === 'CNAME') {
      if (typeof raw.data !== 'string' || !isValidDnsName(raw.data)) {
        throw malformed(`CNAME for ${owner} points to ${JSON.stringify(raw.data)}, not a host name`);
      }
      answers.push({ name: owner, type: 'CNAME', data: normalizeName(raw.data), ttl });
      continue;
    }
    const family = raw.type === 'A' ? 4 : 6;
    if (typeof raw.data !== 'string' || net.isIP(raw.data) !== family) {
      throw malformed(`${raw.type} record for ${owner} holds ${JSON.stringify(raw.data)}, not an IPv${family} address (wrong record length?)`);
    }
    answers.push({ name: owner, type: raw.type, data: raw.data, ttl });
  }
  const soaOwners: string[] = [];
  for (const raw of (packet.authorities ?? []) as LooseRecord[]) {
    if (raw.type === 'SOA' && typeof raw.name === 'string' && raw.class === 'IN') soaOwners.push(normalizeName(raw.name));
  }
  return { id: packet.id, rcode, truncated: Boolean((packet as { flag_tc?: unknown }).flag_tc), answers, soaOwners };
}

/**
 * A DNS message as sent over TCP: its length in two bytes, then the message (RFC 1035 4.2.2). The
 * lab's server and the tests' fake one frame on their own, so that they check this code.
 */
export function tcpFrame(message: Buffer): Buffer {
  const frame = Buffer.alloc(2 + message.length);
  frame.writeUInt16BE(message.length, 0);
  message.copy(frame, 2);
  return frame;
}

/**
 * The reading side of tcpFrame: give it each chunk a TCP socket delivers, and it answers the DNS
 * messages that chunk completed, in order (none while a message is still partial).
 */
export function tcpMessageReader(): (chunk: Buffer) => Buffer[] {
  let buffer = Buffer.alloc(0);
  return (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    const messages: Buffer[] = [];
    while (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
      messages.push(buffer.subarray(2, 2 + buffer.readUInt16BE(0)));
      buffer = buffer.subarray(2 + buffer.readUInt16BE(0));
    }
    return messages;
  };
}

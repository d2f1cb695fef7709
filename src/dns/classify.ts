// Address classification with net.BlockList (no dependencies): is an answer a private endpoint's
// address, something that can never be one (loopback, link-local...), or a public front end?
import net from 'node:net';

export type AddressClass = 'private' | 'special' | 'public' | 'invalid';

/** RFC 1918, CGNAT 100.64/10 (some VNets use it) and IPv6 ULA: where a private endpoint lives. */
const PRIVATE = new net.BlockList();
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');

/** Addresses that are neither a private endpoint nor a public front end. */
const SPECIAL = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8], // "this network"
  ['127.0.0.0', 8], // loopback (a hosts-file entry, a local proxy)
  ['169.254.0.0', 16], // link-local
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  SPECIAL.addSubnet(prefix, bits, 'ipv4');
}
for (const [prefix, bits] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['2001:db8::', 32], // documentation
  ['100::', 64], // discard
] as const) {
  SPECIAL.addSubnet(prefix, bits, 'ipv6');
}

/** IPv4-mapped IPv6 (::ffff:a.b.c.d) is classified as the IPv4 address it carries. */
function unmapped(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match ? match[1]! : address;
}

export function classifyAddress(input: string): AddressClass {
  const address = unmapped(input);
  const family = net.isIP(address);
  if (family === 0) return 'invalid';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (PRIVATE.check(address, type)) return 'private';
  if (SPECIAL.check(address, type)) return 'special';
  return 'public';
}

export interface ClassifiedAddress {
  address: string;
  class: AddressClass;
}

export function classified(addresses: string[]): ClassifiedAddress[] {
  return addresses.map((address) => ({ address, class: classifyAddress(address) }));
}

/** `10.1.0.0/16` → its address and length; undefined when it is not a CIDR prefix. */
function parsePrefix(cidr: string): { address: string; bits: number; type: 'ipv4' | 'ipv6' } | undefined {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(cidr.trim());
  if (!match) return undefined;
  const family = net.isIP(match[1]!);
  const bits = Number(match[2]);
  if (family === 0 || bits > (family === 4 ? 32 : 128)) return undefined;
  return { address: match[1]!, bits, type: family === 4 ? 'ipv4' : 'ipv6' };
}

/** Whether an address lies in a CIDR prefix (route tables, VNet address spaces); false when either does not parse. */
export function inPrefix(input: string, cidr: string): boolean {
  const prefix = parsePrefix(cidr);
  const address = unmapped(input);
  if (!prefix || net.isIP(address) !== (prefix.type === 'ipv4' ? 4 : 6)) return false;
  const list = new net.BlockList();
  list.addSubnet(prefix.address, prefix.bits, prefix.type);
  return list.check(address, prefix.type);
}

/** The length of a CIDR prefix (for longest-prefix match); -1 when it does not parse. */
export function prefixLength(cidr: string): number {
  return parsePrefix(cidr)?.bits ?? -1;
}

import { describe, expect, it } from 'vitest';
import { classifyAddress } from '../../../src/dns/classify.js';
import { formatServer, parseServer } from '../../../src/dns/server.js';

describe('classifyAddress', () => {
  it.each([
    ['10.0.0.5', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.1.5', 'private'],
    ['100.127.255.255', 'private'],
    ['100.128.0.1', 'public'],
    ['fd00:10::6', 'private'],
    ['fc00::1', 'private'],
    ['127.0.0.1', 'special'],
    ['169.254.169.254', 'special'],
    ['0.0.0.0', 'special'],
    ['224.0.0.251', 'special'],
    ['::1', 'special'],
    ['fe80::1', 'special'],
    ['::ffff:10.0.0.5', 'private'],
    ['::ffff:127.0.0.1', 'special'],
    ['20.42.0.10', 'public'],
    ['168.63.129.16', 'public'],
    ['2603:1030:20e:3::23c', 'public'],
    ['10.0.0.undefined', 'invalid'],
    ['', 'invalid'],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });
});

describe('parseServer', () => {
  it.each([
    ['10.0.0.4', { host: '10.0.0.4', port: 53 }],
    ['127.0.0.1:5353', { host: '127.0.0.1', port: 5353 }],
    ['[::1]:5353', { host: '::1', port: 5353 }],
    ['[fd00::53]', { host: 'fd00::53', port: 53 }],
    ['fd00::53', { host: 'fd00::53', port: 53 }],
    ['dns.internal.example:53', { host: 'dns.internal.example', port: 53 }],
  ])('%s', (spec, expected) => {
    expect(parseServer(spec)).toEqual(expected);
  });

  it.each([
    ['', /empty/],
    ['127.0.0.1:0', /port "0" is not 1-65535/],
    ['127.0.0.1:99999', /not 1-65535/],
    ['127.0.0.1:abc', /not 1-65535/],
    ['[10.0.0.1]:53', /not an IPv6 address/],
    ['a:b:c', /needs brackets|neither/],
    ['bad host!', /neither an IP address nor a host name/],
  ])('rejects %j with a clear message', (spec, message) => {
    expect(() => parseServer(spec)).toThrow(message);
  });

  it('formats back, leaving out port 53 and bracketing IPv6 with a port', () => {
    expect(formatServer({ host: '10.0.0.4', port: 53 })).toBe('10.0.0.4');
    expect(formatServer({ host: '::1', port: 5353 })).toBe('[::1]:5353');
    expect(formatServer({ host: '127.0.0.1', port: 5353 })).toBe('127.0.0.1:5353');
  });
});

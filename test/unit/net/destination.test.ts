// connect-to: the first rule in the list's order decides, whatever the index that finds it (a fleet's
// lab config holds ~1000 rules, looked up by host).
import { describe, expect, it } from 'vitest';
import { destinationFor } from '../../../src/net/destination.js';

const config = (connectTo: string[], sandbox = false) => ({ network: { connectTo, sandbox } });

describe('destinationFor', () => {
  it('takes the first matching rule in list order, by host, by other name, by any host, by port', () => {
    const rules = config([
      'a.test:443:127.0.0.1:1001',
      ':53:127.0.0.1:1053',
      'b.test::127.0.0.1:1002',
      'a.test::127.0.0.1:1003',
      '10.0.0.4:443:127.0.0.1:1004',
      '::127.0.0.1:1005',
    ]);
    expect(destinationFor('a.test', 443, rules)).toEqual({ ok: true, host: '127.0.0.1', port: 1001, mapped: true });
    expect(destinationFor('A.TEST', 80, rules)).toEqual({ ok: true, host: '127.0.0.1', port: 1003, mapped: true });
    expect(destinationFor('a.test', 53, rules)).toEqual({ ok: true, host: '127.0.0.1', port: 1053, mapped: true });
    // The address's own rule comes after the FQDN's: the FQDN's (listed first) wins.
    expect(destinationFor('10.0.0.4', 443, rules, ['b.test'])).toEqual({ ok: true, host: '127.0.0.1', port: 1002, mapped: true });
    expect(destinationFor('10.0.0.4', 443, rules)).toEqual({ ok: true, host: '127.0.0.1', port: 1004, mapped: true });
    expect(destinationFor('c.test', 8443, rules)).toEqual({ ok: true, host: '127.0.0.1', port: 1005, mapped: true });
  });

  it('keeps the host and port a rule leaves empty; without a rule, the sandbox refuses what is not loopback', () => {
    expect(destinationFor('a.test', 443, config(['a.test:443::8443']))).toEqual({ ok: true, host: 'a.test', port: 8443, mapped: true });
    expect(destinationFor('a.test', 443, config(['b.test:443:127.0.0.1:1'], true))).toMatchObject({ ok: false, reason: expect.stringContaining('not mapped by connect-to') });
    expect(destinationFor('a.test', 443, config(['a.test:443:10.0.0.1:1'], true))).toMatchObject({ ok: false, reason: expect.stringContaining('not loopback') });
    expect(destinationFor('127.0.0.1', 443, config([], true))).toEqual({ ok: true, host: '127.0.0.1', port: 443, mapped: false });
  });
});

import { describe, expect, it } from 'vitest';
import { tlsFinding } from '../../../checks/local/tls.js';
import type { TlsFact } from '../../../src/gather/net/facts.js';

const base: TlsFact = { servername: 'x.fabric.microsoft.com', address: '10.0.0.4', port: 443, outcome: 'handshake-ok', authorized: false, authorizationError: 'SELF_SIGNED_CERT_IN_CHAIN', chainTrust: 'untrusted', extraCa: [] } as unknown as TlsFact;

describe('local.tls fix', () => {
  it('an intercepting proxy: exclude Fabric from inspection or give the doctor its CA (a change on the proxy: no command)', () => {
    const finding = tlsFinding(base);
    expect(finding.status).toBe('fail');
    expect(finding.fix!.summary).toMatch(/\*\.fabric\.microsoft\.com/);
    expect(finding.fix!.summary).toMatch(/tls\.caFile/);
    expect(finding.fix!.steps).toEqual([]);
  });
});

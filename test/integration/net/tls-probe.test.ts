// The TLS probe against real TLS servers on 127.0.0.1: valid, wrong name, expired, untrusted CA.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadTrust, machineRoots } from '../../../src/net/trust.js';
import { probeTls, type TlsConnect } from '../../../src/gather/net/tls.js';
import { FactUnavailableError } from '../../../src/engine/types.js';
import { FQDN, makeCertificates, startResettingServer, startTlsServer, type Running } from './servers.js';

let certs: Awaited<ReturnType<typeof makeCertificates>>;
let running: Running | undefined;
beforeAll(async () => {
  certs = await makeCertificates();
});
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const network = { connectTo: [] as string[], sandbox: true };

async function probe(leaf: { cert: string; key: string }, options: { chain?: string[]; trust?: string[]; servername?: string } = {}) {
  running = await startTlsServer(leaf, options.chain);
  return probeTls({
    address: '127.0.0.1',
    port: running.port,
    servername: options.servername ?? FQDN,
    config: { network },
    ca: [...machineRoots().roots, ...(options.trust ?? [certs.ca.cert])],
    timeoutMs: 5000,
  });
}

describe('probeTls', () => {
  it('accepts a valid certificate for the FQDN from a trusted CA', async () => {
    const result = await probe(certs.valid);
    expect(result.outcome).toBe('handshake-ok');
    expect(result.authorized).toBe(true);
    expect(result.chainTrust).toBe('trusted');
    expect(result.authorizationError).toBeUndefined();
    expect(result.nameMatch).toEqual({ ok: true });
    expect(result.validity?.ok).toBe(true);
    expect(result.certificate?.subject.CN).toBe(FQDN);
    expect(result.certificate?.issuer).toEqual({ CN: 'Lab Root CA', O: 'xtenant-doctor lab' });
    expect(result.certificate?.subjectAltNames).toEqual([`DNS:${FQDN}`]);
    expect(result.certificate?.fingerprint256).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);
    expect(result.destination).toEqual({ host: '127.0.0.1', port: running!.port, mapped: false });
  });

  it('accepts a wildcard certificate covering the FQDN', async () => {
    const result = await probe(certs.wildcard);
    expect(result.nameMatch).toEqual({ ok: true });
    expect(result.authorized).toBe(true);
  });

  it('reports a certificate for another name as a name mismatch, with its SANs', async () => {
    const result = await probe(certs.wrongName);
    expect(result.outcome).toBe('handshake-ok');
    expect(result.authorizationError).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(result.chainTrust).toBe('trusted');
    expect(result.nameMatch?.ok).toBe(false);
    expect(result.nameMatch?.error).toContain(FQDN);
    expect(result.certificate?.subjectAltNames).toEqual(['DNS:portal.example.net', 'DNS:www.example.net']);
  });

  it('reports an expired certificate with its dates', async () => {
    const result = await probe(certs.expired);
    expect(result.authorized).toBe(false);
    expect(result.authorizationError).toBe('CERT_HAS_EXPIRED');
    expect(result.chainTrust).toBe('trusted');
    expect(result.validity).toMatchObject({ ok: false, expired: true, notYetValid: false });
    expect(new Date(result.certificate!.validTo).getTime()).toBeLessThan(Date.now());
  });

  it('still finds an expired certificate from an untrusted CA untrusted', async () => {
    const now = Date.now();
    const stale = await certs.proxyCa.issue({ commonName: FQDN, dnsNames: [FQDN], notBefore: new Date(now - 40 * 86400e3), notAfter: new Date(now - 10 * 86400e3) });
    const result = await probe(stale);
    expect(result.authorizationError).toBe('CERT_HAS_EXPIRED');
    expect(result.validity?.expired).toBe(true);
    expect(result.chainTrust).toBe('untrusted');
  });

  it('names the untrusted issuer of an intercepting proxy (leaf only)', async () => {
    const result = await probe(certs.intercepted);
    expect(result.authorized).toBe(false);
    expect(result.authorizationError).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(result.chainTrust).toBe('untrusted');
    expect(result.nameMatch).toEqual({ ok: true });
    expect(result.certificate?.issuer).toEqual({ CN: 'Contoso Inspection CA', O: 'Contoso Proxy' });
  });

  it('names the untrusted root when the proxy sends its chain', async () => {
    const result = await probe(certs.intercepted, { chain: [certs.proxyCa.cert] });
    expect(result.authorized).toBe(false);
    expect(result.authorizationError).toBe('SELF_SIGNED_CERT_IN_CHAIN');
    expect(result.chain?.map((c) => c.subject.CN)).toEqual([FQDN, 'Contoso Inspection CA']);
  });

  it('trusts the proxy once its CA is given through tls.caFile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xtd-ca-'));
    const file = join(dir, 'proxy-ca.pem');
    writeFileSync(file, certs.proxyCa.cert);
    const roots = loadTrust({ tls: { caFile: file } });
    expect(roots.extra).toHaveLength(1);
    expect(roots.extra[0]!.subject).toContain('Contoso Inspection CA');
    running = await startTlsServer(certs.intercepted);
    const result = await probeTls({ address: '127.0.0.1', port: running.port, servername: FQDN, config: { network }, ca: roots.ca, timeoutMs: 5000 });
    expect(result.authorized).toBe(true);
  });

  it('reports a connection reset during the handshake as reset', async () => {
    running = await startResettingServer();
    const result = await probeTls({ address: '127.0.0.1', port: running.port, servername: FQDN, config: { network }, ca: machineRoots().roots, timeoutMs: 5000 });
    expect(result.outcome).toBe('reset');
    expect(result.certificate).toBeUndefined();
  });

  it('refuses an unmapped private address in sandbox mode without connecting', async () => {
    const connect = vi.fn<TlsConnect>((options) => tls.connect(options));
    const result = await probeTls({ address: '10.255.255.1', port: 443, servername: FQDN, config: { network }, ca: [], timeoutMs: 5000, connect });
    expect(result.outcome).toBe('sandbox-refused');
    expect(result.error?.message).toContain('not mapped by connect-to');
    expect(connect).not.toHaveBeenCalled();
  });
});

describe('loadTrust', () => {
  it('names tls.caFile when the file cannot be read', async () => {
    let error: unknown;
    try {
      loadTrust({ tls: { caFile: '/nonexistent/ca.pem' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FactUnavailableError);
    expect((error as Error).message).toContain('tls.caFile /nonexistent/ca.pem');
  });

  it('names tls.ca when it holds no certificate', async () => {
    expect(() => loadTrust({ tls: { ca: 'not a pem' } })).toThrow(/tls.ca: no PEM certificate/);
  });

  it('keeps the default roots beside the extra CA', async () => {
    const roots = loadTrust({ tls: { ca: certs.ca.cert } });
    expect(roots.ca.length).toBe(machineRoots().roots.length + 1);
    expect(roots.extra[0]).toMatchObject({ source: 'tls.ca' });
  });
});

// The certificate maker (the lab's, also used by the TLS probe tests): a CA that is a CA, server
// certificates it signs with DNS and IP names and the validity asked for.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCertificateAuthority, serialNumber } from '../../src/lab/certs.js';

describe('certs', async () => {
  const ca = await createCertificateAuthority('Lab Root CA', { organization: 'Lab' });

  it('makes a self-signed CA certificate', () => {
    const cert = new X509Certificate(ca.cert);
    expect(cert.ca).toBe(true);
    expect(cert.subject).toBe('CN=Lab Root CA\nO=Lab');
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(ca.key).toContain('BEGIN PRIVATE KEY');
  });

  it('issues a server certificate with DNS and IP names, signed by the CA', async () => {
    const leaf = await ca.issue({ commonName: 'api.lab.test', dnsNames: ['api.lab.test', '*.w.lab.test'], ipAddresses: ['127.0.0.1', '::1'] });
    const cert = new X509Certificate(leaf.cert);
    const caCert = new X509Certificate(ca.cert);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.subjectAltName).toBe('DNS:api.lab.test, DNS:*.w.lab.test, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(cert.checkHost('x.w.lab.test')).toBe('*.w.lab.test');
    expect(cert.checkHost('a.b.w.lab.test')).toBeUndefined();
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkPrivateKey(createPrivateKey(leaf.key))).toBe(true);
  });

  it('honours the validity dates (expired certificates for tests)', async () => {
    const now = Date.now();
    const cert = new X509Certificate((await ca.issue({ commonName: 'old.lab.test', notBefore: new Date(now - 4 * 86400e3), notAfter: new Date(now - 86400e3) })).cert);
    expect(new Date(cert.validTo).getTime()).toBeLessThan(now);
    expect(cert.issuer).toBe('CN=Lab Root CA\nO=Lab');
  });

  it('issues with the key of another certificate (the lab\'s per-group certificates share one)', async () => {
    const first = await ca.issue({ dnsNames: ['*.z01.w.lab.test'] });
    const second = await ca.issue({ dnsNames: ['*.z02.w.lab.test'], keyOf: first });
    const cert = new X509Certificate(second.cert);
    expect(second.key).toBe(first.key);
    expect(cert.checkPrivateKey(createPrivateKey(first.key))).toBe(true);
    expect(cert.verify(new X509Certificate(ca.cert).publicKey)).toBe(true);
    expect(cert.subjectAltName).toBe('DNS:*.z02.w.lab.test');
  });

  it('serial numbers are minimal positive DER integers (a leading 0x00 before a byte under 0x80 is illegal padding)', () => {
    for (let i = 0; i < 2000; i++) {
      const first = Number.parseInt(serialNumber().slice(0, 2), 16);
      expect(first).toBeGreaterThanOrEqual(0x01);
      expect(first).toBeLessThanOrEqual(0x7f);
    }
  });
});

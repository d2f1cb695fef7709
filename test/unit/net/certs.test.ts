// The certificate maker: a CA that is a CA, server certificates it signs with DNS and IP names.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCa, expiredValidity, issueCertificate } from '../../../src/gather/net/certs.js';

describe('certs', () => {
  const ca = createCa({ commonName: 'Lab Root CA', organization: 'Lab' });

  it('makes a self-signed CA certificate', () => {
    const cert = new X509Certificate(ca.cert);
    expect(cert.ca).toBe(true);
    expect(cert.subject).toBe('CN=Lab Root CA\nO=Lab');
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(ca.key).toContain('BEGIN PRIVATE KEY');
  });

  it('issues a server certificate with DNS and IP names, signed by the CA', () => {
    const leaf = issueCertificate(ca, { commonName: 'api.lab.test', altNames: ['api.lab.test', '*.w.lab.test', '127.0.0.1', '::1'] });
    const cert = new X509Certificate(leaf.cert);
    const caCert = new X509Certificate(ca.cert);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.subjectAltName).toBe('DNS:api.lab.test, DNS:*.w.lab.test, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(cert.checkHost('x.w.lab.test')).toBe('*.w.lab.test');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkPrivateKey(createPrivateKey(leaf.key))).toBe(true);
  });

  it('honours the validity dates (expired certificates for tests)', () => {
    const { notBefore, notAfter } = expiredValidity(3);
    const cert = new X509Certificate(issueCertificate(ca, { commonName: 'old.lab.test', notBefore, notAfter }).cert);
    expect(new Date(cert.validTo).getTime()).toBeLessThan(Date.now());
    expect(cert.issuer).toBe('CN=Lab Root CA\nO=Lab');
  });

  it('self-signs a server certificate when no CA is given', () => {
    const cert = new X509Certificate(issueCertificate(undefined, { commonName: 'self.lab.test' }).cert);
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.subjectAltName).toBe('DNS:self.lab.test');
  });
});

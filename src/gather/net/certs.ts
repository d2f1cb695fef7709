// Makes X.509 certificates: a throwaway CA and server certificates it signs. Used by the TLS probe's
// tests and by the lab (a private CA the doctor trusts through tls.ca/tls.caFile, as behind a
// TLS-inspecting proxy). Node can verify certificates but has no API to create them, so node-forge
// builds and signs them; the RSA keys come from node:crypto (native, fast).
import { X509Certificate, generateKeyPairSync, randomBytes } from 'node:crypto';
import net from 'node:net';
import forge from 'node-forge';

export interface DistinguishedName {
  commonName: string;
  organization?: string;
}

export interface KeyAndCertificate {
  /** PEM certificate. */
  cert: string;
  /** PEM private key (PKCS#8). */
  key: string;
}

export interface CertificateAuthority extends KeyAndCertificate {
  subject: DistinguishedName;
}

export interface CaOptions extends Partial<DistinguishedName> {
  notBefore?: Date;
  notAfter?: Date;
}

export interface ServerCertOptions {
  commonName: string;
  organization?: string;
  /** Subject alternative names: DNS names (wildcards allowed) and IP addresses, told apart by net.isIP. */
  altNames?: string[];
  notBefore?: Date;
  notAfter?: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A self-signed CA certificate with its key (valid from yesterday for a year unless told otherwise). */
export function createCa(options: CaOptions = {}): CertificateAuthority {
  const subject = { commonName: options.commonName ?? 'xtenant-doctor test CA', organization: options.organization ?? 'xtenant-doctor' };
  const { privateKey, publicKey, keyPem } = newKeyPair();
  const cert = baseCertificate(publicKey, subject, subject, options.notBefore, options.notAfter ?? new Date(Date.now() + 365 * DAY_MS));
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(privateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keyPem, subject };
}

/** A server certificate signed by `ca` (or self-signed when `ca` is omitted). */
export function issueCertificate(ca: CertificateAuthority | undefined, options: ServerCertOptions): KeyAndCertificate {
  const subject = { commonName: options.commonName, organization: options.organization };
  const { privateKey, publicKey, keyPem } = newKeyPair();
  const issuer = ca?.subject ?? subject;
  const cert = baseCertificate(publicKey, subject, issuer, options.notBefore, options.notAfter ?? new Date(Date.now() + 90 * DAY_MS));
  const altNames = (options.altNames ?? [options.commonName]).map((name) =>
    net.isIP(name) ? { type: 7, ip: name } : { type: 2, value: name },
  );
  const caCert = ca ? forge.pki.certificateFromPem(ca.cert) : undefined;
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
    { name: 'subjectKeyIdentifier' },
    ...(caCert ? [{ name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() }] : []),
  ]);
  const signingKey = ca ? forge.pki.privateKeyFromPem(ca.key) : privateKey;
  cert.sign(signingKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keyPem };
}

/** Dates for a certificate that expired `daysAgo` days ago (valid for the 30 days before). */
export function expiredValidity(daysAgo = 1): { notBefore: Date; notAfter: Date } {
  const notAfter = new Date(Date.now() - daysAgo * DAY_MS);
  return { notBefore: new Date(notAfter.getTime() - 30 * DAY_MS), notAfter };
}

/** Parses a PEM certificate with Node (a cheap self-check for callers that write certificates to disk). */
export function parseCertificate(pem: string): X509Certificate {
  return new X509Certificate(pem);
}

function newKeyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; keyPem: string } {
  const { privateKey: keyPem } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const privateKey = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const publicKey = forge.pki.setRsaPublicKey(privateKey.n, privateKey.e);
  return { privateKey, publicKey, keyPem };
}

function baseCertificate(
  publicKey: forge.pki.rsa.PublicKey,
  subject: DistinguishedName,
  issuer: DistinguishedName,
  notBefore = new Date(Date.now() - DAY_MS),
  notAfter: Date,
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // A positive serial: the first byte's high bit clear.
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject(attributes(subject));
  cert.setIssuer(attributes(issuer));
  return cert;
}

function attributes(name: DistinguishedName): forge.pki.CertificateField[] {
  return [
    { name: 'commonName', value: name.commonName },
    ...(name.organization ? [{ name: 'organizationName', value: name.organization }] : []),
  ];
}

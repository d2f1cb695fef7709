// Throwaway X.509 certificates, made in memory: a certificate authority and the server certificates
// it issues. The lab uses them for its HTTPS endpoints and listeners; tests use them for TLS probes.
// Keys and signatures come from node:crypto (fast, native); node-forge only builds the certificates.
import { constants, createPrivateKey, generateKeyPair, privateEncrypt, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

const generateRsa = promisify(generateKeyPair);

export interface KeyAndCertificate {
  /** PEM of the certificate. */
  cert: string;
  /** PEM (PKCS#8) of its private key. */
  key: string;
}

export interface CertificateAuthority extends KeyAndCertificate {
  commonName: string;
  /** Issues a server certificate for these DNS names and IP addresses. */
  issue(options: IssueOptions): Promise<KeyAndCertificate>;
}

export interface IssueOptions {
  /** DNS names for the subjectAltName (a wildcard covers exactly one label, as RFC 6125 says). */
  dnsNames?: string[];
  ipAddresses?: string[];
  commonName?: string;
  notBefore?: Date;
  notAfter?: Date;
  /** Reuse this certificate's key instead of making a new one (the lab's per-group certificates share one). */
  keyOf?: KeyAndCertificate;
}

const DAY = 24 * 60 * 60 * 1000;

async function newKeyPair(): Promise<{ privatePem: string; publicPem: string }> {
  const { privateKey, publicKey } = await generateRsa('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privatePem: privateKey, publicPem: publicKey };
}

/** DER prefix of a SHA-256 DigestInfo (RFC 8017, 9.2 note 1): the hash follows. */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * A forge-compatible signer with the key held by node:crypto: RSASSA-PKCS1-v1_5 over the digest
 * forge computed (forge's own RSA in JavaScript costs tens of ms per certificate).
 */
function nativeSigner(privatePem: string): forge.pki.rsa.PrivateKey {
  const key = createPrivateKey(privatePem);
  return {
    sign(md: forge.md.MessageDigest): string {
      const digestInfo = Buffer.concat([SHA256_DIGEST_INFO, Buffer.from(md.digest().getBytes(), 'binary')]);
      return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString('binary');
    },
  } as unknown as forge.pki.rsa.PrivateKey; // forge's certificate.sign() calls only sign() on the key: the rest of its RSA key type is never used
}

/**
 * 16 random bytes whose first is 0x01-0x7f: forge writes the serial's bytes as they are into a DER
 * INTEGER, which must be positive (high bit clear) and minimal (no leading 0x00 before a byte
 * under 0x80). A leading 0x00 made OpenSSL refuse the certificate ("asn1 encoding routines::
 * illegal padding") once in 32; with a certificate per workspace group a lab hit it often.
 */
export function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

/** Makes a new self-signed certificate authority (valid from an hour ago for `days` days). */
export async function createCertificateAuthority(commonName: string, options: { days?: number; organization?: string } = {}): Promise<CertificateAuthority> {
  const days = options.days ?? 7;
  const keys = await newKeyPair();
  const privateKey = nativeSigner(keys.privatePem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicPem);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(Date.now() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(Date.now() + days * DAY);
  const subject = [{ name: 'commonName', value: commonName }, { name: 'organizationName', value: options.organization ?? 'xtenant-doctor lab' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(privateKey, forge.md.sha256.create());
  const caPem = forge.pki.certificateToPem(cert);

  return {
    commonName,
    cert: caPem,
    key: keys.privatePem,
    async issue(options: IssueOptions): Promise<KeyAndCertificate> {
      // A shared key's public half is read from its certificate (by forge: no key parsing in OpenSSL).
      const keys = options.keyOf
        ? { privatePem: options.keyOf.key, publicKey: forge.pki.certificateFromPem(options.keyOf.cert).publicKey }
        : await newKeyPair().then((made) => ({ privatePem: made.privatePem, publicKey: forge.pki.publicKeyFromPem(made.publicPem) }));
      const leaf = forge.pki.createCertificate();
      leaf.publicKey = keys.publicKey;
      leaf.serialNumber = serialNumber();
      leaf.validity.notBefore = options.notBefore ?? new Date(Date.now() - 60 * 60 * 1000);
      leaf.validity.notAfter = options.notAfter ?? new Date(Date.now() + 2 * DAY);
      const leafName = options.commonName ?? options.dnsNames?.[0] ?? options.ipAddresses?.[0] ?? 'lab';
      leaf.setSubject([{ name: 'commonName', value: leafName }]);
      leaf.setIssuer(cert.subject.attributes);
      const altNames = [
        ...(options.dnsNames ?? []).map((value) => ({ type: 2, value })),
        ...(options.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
      ];
      leaf.setExtensions([
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames },
        { name: 'subjectKeyIdentifier' },
        { name: 'authorityKeyIdentifier', keyIdentifier: cert.generateSubjectKeyIdentifier().getBytes() },
      ]);
      leaf.sign(privateKey, forge.md.sha256.create());
      return { cert: forge.pki.certificateToPem(leaf), key: keys.privatePem };
    },
  };
}

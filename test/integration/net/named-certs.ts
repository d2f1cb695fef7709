// Certificates with names no certificate library writes on request: multi-valued RDNs, repeated
// types, BMP and Universal strings, unknown attribute types, escapes and control characters. node-forge
// builds each certificate; its names are then replaced in the DER (forge writes one attribute per RDN
// and only the types it knows) and it is signed by node:crypto.
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import forge from 'node-forge';
import { serialNumber, type KeyAndCertificate } from '../../../src/lab/certs.js';

const { asn1 } = forge;

/** One attribute: a type (a short name forge knows, or a dotted OID) and its value, as an ASN.1 string type. */
export interface Attribute {
  type: string;
  value: string;
  /** UTF8String unless told: 'printable', 'ia5', 'bmp' (UTF-16BE), 'universal' (UTF-32BE), 't61' (Latin-1). */
  as?: 'utf8' | 'printable' | 'ia5' | 'bmp' | 'universal' | 't61';
}

/** A name: its RDNs in order, each a set of one or more attributes. */
export type Name = Attribute[][];

const OIDS: Record<string, string> = { CN: '2.5.4.3', O: '2.5.4.10', OU: '2.5.4.11', C: '2.5.4.6', L: '2.5.4.7', ST: '2.5.4.8', serialNumber: '2.5.4.5' };

/** A string type as its bytes, read back from its DER (forge's typings name neither T61String nor UniversalString, and it writes a BMPString's text as it likes). */
function universal(tag: number, content: Buffer): forge.asn1.Asn1 {
  const length = content.length < 0x80 ? Buffer.from([content.length]) : Buffer.from([0x82, content.length >> 8, content.length & 0xff]);
  return asn1.fromDer(forge.util.createBuffer(Buffer.concat([Buffer.from([tag]), length, content]).toString('binary')));
}

function stringValue(attribute: Attribute): forge.asn1.Asn1 {
  const value = attribute.value;
  switch (attribute.as ?? 'utf8') {
    case 'printable':
      return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.PRINTABLESTRING, false, value);
    case 'ia5':
      return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.IA5STRING, false, value);
    case 't61':
      return universal(0x14, Buffer.from(value, 'latin1'));
    case 'bmp':
      return universal(0x1e, Buffer.from(value, 'utf16le').swap16());
    case 'universal': {
      const points = [...value].map((c) => c.codePointAt(0)!);
      const bytes = Buffer.alloc(points.length * 4);
      points.forEach((p, i) => bytes.writeUInt32BE(p, i * 4));
      return universal(0x1c, bytes);
    }
    default:
      return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, forge.util.encodeUtf8(value));
  }
}

function nameAsn1(name: Name): forge.asn1.Asn1 {
  return asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.SEQUENCE,
    true,
    name.map((rdn) =>
      asn1.create(
        asn1.Class.UNIVERSAL,
        asn1.Type.SET,
        true,
        rdn.map((attribute) =>
          asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
            asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(OIDS[attribute.type] ?? attribute.type).getBytes()),
            stringValue(attribute),
          ]),
        ),
      ),
    ),
  );
}

export interface NamedCertificate extends KeyAndCertificate {
  name: Name;
  /** forge's view, for the issuer's key identifier. */
  forgeCert: forge.pki.Certificate;
}

export interface MakeOptions {
  subject: Name;
  /** Self-signed when absent. */
  issuer?: NamedCertificate;
  /** The issuer's name as this certificate writes it, when not the issuer's own (a name OpenSSL finds equal, cased or spaced otherwise). */
  issuerName?: Name;
  /** A certificate authority (basicConstraints cA, keyCertSign). */
  ca?: boolean;
  dnsNames?: string[];
  ipAddresses?: string[];
  notBefore?: Date;
  notAfter?: Date;
  /** Reuse this certificate's key (a renewed root keeps its key). */
  keyOf?: NamedCertificate;
}

const DAY = 86400e3;

/** A certificate with exactly these names, signed by `issuer` (or by itself). */
export function makeNamedCertificate(options: MakeOptions): NamedCertificate {
  const keys = options.keyOf
    ? { privateKey: options.keyOf.key, publicKey: forge.pki.certificateFromPem(options.keyOf.cert).publicKey }
    : (() => {
        const made = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
        return { privateKey: made.privateKey, publicKey: forge.pki.publicKeyFromPem(made.publicKey) };
      })();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - 3600e3);
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + 2 * DAY);
  // Placeholders: the real names are written into the DER below.
  cert.setSubject([{ name: 'commonName', value: 'placeholder' }]);
  cert.setIssuer([{ name: 'commonName', value: 'placeholder' }]);
  const altNames = [...(options.dnsNames ?? []).map((value) => ({ type: 2, value })), ...(options.ipAddresses ?? []).map((ip) => ({ type: 7, ip }))];
  const ownKeyId = cert.generateSubjectKeyIdentifier().getBytes();
  const issuerKeyId = options.issuer ? options.issuer.forgeCert.generateSubjectKeyIdentifier().getBytes() : ownKeyId;
  cert.setExtensions([
    options.ca ? { name: 'basicConstraints', cA: true, critical: true } : { name: 'basicConstraints', cA: false },
    options.ca ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true } : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    ...(options.ca ? [] : [{ name: 'extKeyUsage', serverAuth: true }]),
    ...(altNames.length ? [{ name: 'subjectAltName', altNames }] : []),
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: issuerKeyId },
  ]);
  cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption!;
  cert.signatureOid = forge.pki.oids.sha256WithRSAEncryption!;
  // The TBSCertificate, as forge would sign it (the first part of its certificate).
  const tbs = (forge.pki.certificateToAsn1(cert).value as forge.asn1.Asn1[])[0]!;
  const fields = tbs.value as forge.asn1.Asn1[];
  // version, serialNumber, signature, issuer, validity, subject, …
  fields[3] = nameAsn1(options.issuerName ?? (options.issuer ? options.issuer.name : options.subject));
  fields[5] = nameAsn1(options.subject);
  const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');
  const signerKey = createPrivateKey(options.issuer ? options.issuer.key : keys.privateKey);
  const signature = sign('sha256', tbsDer, signerKey);
  const certificate = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    tbs,
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(forge.pki.oids.sha256WithRSAEncryption!).getBytes()),
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
    ]),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\u0000${signature.toString('binary')}`),
  ]);
  const der = Buffer.from(asn1.toDer(certificate).getBytes(), 'binary');
  const pem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
  return { cert: pem, key: keys.privateKey, name: options.subject, forgeCert: cert };
}

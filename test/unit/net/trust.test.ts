// The one trust store: Node's roots, the operating system's and the config's, de-duplicated, built
// once per configured trust and handed to every client as the same context.
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadTrust, machineRoots, nameKey, rootIndex, trustStore } from '../../../src/net/trust.js';
import { createCertificateAuthority } from '../../../src/lab/certs.js';
import { makeNamedCertificate } from '../../integration/net/named-certs.js';

describe('machineRoots', () => {
  it("adds the system store's roots to Node's, counting the ones only the system has", async () => {
    const node = await createCertificateAuthority('Node Bundled Test Root');
    const system = await createCertificateAuthority('Corporate Inspection Root');
    // The system store repeats Node's root, formatted differently.
    const sources = (kind: 'default' | 'system') => (kind === 'default' ? [node.cert] : [node.cert.replace(/\n/g, '\r\n'), system.cert]);
    const roots = machineRoots(sources);
    expect(roots.roots).toEqual([node.cert, system.cert]);
    expect(roots.systemOnly).toBe(1);
  });

  it("keeps Node's roots when the system store cannot be read", () => {
    const roots = machineRoots((kind) => {
      if (kind === 'system') throw new Error('no store');
      return ['-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----'];
    });
    expect(roots).toEqual({ roots: ['-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----'], systemOnly: 0 });
  });
});

describe('loadTrust', () => {
  it('a root only in the system store is in the context every client uses', async () => {
    const system = await createCertificateAuthority('Corporate Inspection Root');
    const store = loadTrust({ tls: {} }, { ca: (kind) => (kind === 'system' ? [system.cert] : []) });
    expect(store.ca).toEqual([system.cert]);
    expect(store.systemOnly).toBe(1);
    expect(store.extra).toEqual([]);
    // One context: built once, shared by every client.
    expect(store.secureContext()).toBe(store.secureContext());
  });

  it('adds tls.ca after the machine roots and names it in the evidence', async () => {
    const extra = await createCertificateAuthority('Lab Extra CA');
    const store = loadTrust({ tls: { ca: extra.cert } }, { ca: () => [] });
    expect(store.ca).toEqual([extra.cert.trim()]);
    expect(store.extra).toEqual([expect.objectContaining({ source: 'tls.ca', subject: expect.stringContaining('Lab Extra CA') })]);
  });

  it('trustStore is one per configured trust', () => {
    const tls = {};
    expect(trustStore({ tls })).toBe(trustStore({ tls }));
    expect(trustStore({ tls })).not.toBe(trustStore({ tls: {} }));
  });
});

describe('rootIndex', () => {
  it("holds each of this machine's roots, and finds each self-issued one its own issuer", () => {
    const ca = machineRoots().roots;
    const index = rootIndex(ca);
    const missing: string[] = [];
    for (const pem of ca) {
      const root = new X509Certificate(pem);
      if (!index.holds(root)) missing.push(`not held: ${root.subject}`);
      if (root.checkIssued(root) && !index.issuersOf(root).some((r) => r.fingerprint256 === root.fingerprint256)) missing.push(`not its own issuer: ${root.subject}`);
    }
    expect(ca.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  it('keys a name as OpenSSL compares it: case, outer and repeated spaces and the string type aside', () => {
    const root = makeNamedCertificate({ subject: [[{ type: 'CN', value: 'Contoso Root' }], [{ type: 'O', value: 'Contoso' }]], ca: true });
    const leaf = makeNamedCertificate({ subject: [[{ type: 'CN', value: 'leaf' }]], issuer: root, issuerName: [[{ type: 'CN', value: ' contoso   ROOT', as: 'printable' }], [{ type: 'O', value: 'CONTOSO', as: 'bmp' }]] });
    const other = makeNamedCertificate({ subject: [[{ type: 'CN', value: 'Contoso Root 2' }], [{ type: 'O', value: 'Contoso' }]], ca: true });
    const der = (pem: string) => new X509Certificate(pem).raw;
    expect(nameKey(der(leaf.cert), 'issuer')).toBe(nameKey(der(root.cert), 'subject'));
    expect(nameKey(der(other.cert), 'subject')).not.toBe(nameKey(der(root.cert), 'subject'));
    expect(rootIndex([other.cert, root.cert]).issuersOf(new X509Certificate(leaf.cert)).map((r) => r.subject)).toEqual([new X509Certificate(root.cert).subject]);
  });

  it('picks a valid root of the name over an expired one, else the one that expires last', () => {
    const now = Date.now();
    const current = makeNamedCertificate({ subject: [[{ type: 'CN', value: 'Renewed Root' }]], ca: true });
    const expired = makeNamedCertificate({ subject: current.name, ca: true, keyOf: current, notBefore: new Date(now - 30 * 86400e3), notAfter: new Date(now - 2 * 86400e3) });
    const older = makeNamedCertificate({ subject: current.name, ca: true, keyOf: current, notBefore: new Date(now - 30 * 86400e3), notAfter: new Date(now - 20 * 86400e3) });
    const leaf = new X509Certificate(makeNamedCertificate({ subject: [[{ type: 'CN', value: 'leaf' }]], issuer: current }).cert);
    const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;
    expect(rootIndex([expired.cert, current.cert]).issuerOf(leaf, new Date())?.fingerprint256).toBe(fingerprint(current.cert));
    expect(rootIndex([current.cert, expired.cert]).issuerOf(leaf, new Date())?.fingerprint256).toBe(fingerprint(current.cert));
    expect(rootIndex([older.cert, expired.cert]).issuerOf(leaf, new Date())?.fingerprint256).toBe(fingerprint(expired.cert));
    expect(rootIndex([older.cert]).issuerOf(new X509Certificate(current.cert), new Date())).toBeDefined();
    expect(rootIndex([]).issuerOf(leaf, new Date())).toBeUndefined();
  });

  it('reads no name from a PEM that is not a certificate, and still answers', () => {
    const root = makeNamedCertificate({ subject: [[{ type: 'CN', value: 'Root' }]], ca: true });
    const leaf = new X509Certificate(makeNamedCertificate({ subject: [[{ type: 'CN', value: 'leaf' }]], issuer: root }).cert);
    const broken = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    expect(nameKey(Buffer.from('3003020100', 'hex'), 'subject')).not.toBe(nameKey(leaf.raw, 'subject'));
    expect(rootIndex([broken, root.cert]).issuersOf(leaf)).toHaveLength(1);
  });
});

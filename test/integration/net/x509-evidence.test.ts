// The TLS probe's evidence comes from X509Certificate objects (src/gather/net/tls.ts): this proves it
// equal to what Node's legacy peer-certificate objects give, on real handshakes. For each server, one
// handshake: Node's `getPeerCertificate(true)` first (the legacy object, summarised as the probe did
// before), then the probe's own path on the same socket (`peerCertificate`, `peerChain`, `summarize`,
// `checkNameOnX509`). Names, chains, dates, serials, fingerprints and the name check's verdict must match.
import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import type { DetailedPeerCertificate, PeerCertificate } from 'node:tls';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SANS, peerChain, summarize, type CertificateSummary } from '../../../src/gather/net/tls.js';
import { checkNameOnX509, legacyName, peerCertificate } from '../../../src/net/peer-certificate.js';
import { rootIndex } from '../../../src/net/trust.js';
import { startLab, type Lab } from '../../../src/lab/server.js';
import { workspaceNames } from '../../../src/fabric/workspace.js';
import { FQDN, makeCertificates, startTlsServer, type Running } from './servers.js';
import { makeNamedCertificate, type Name, type NamedCertificate } from './named-certs.js';

// --- The oracle: the probe's summaries as they were built from Node's legacy object. ---

function legacyNameParts(name: PeerCertificate['subject'] | undefined) {
  const pick = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(', ') : value);
  const parts: { CN?: string; O?: string } = {};
  const cn = pick(name?.CN);
  const o = pick(name?.O);
  if (cn) parts.CN = cn;
  if (o) parts.O = o;
  return parts;
}

/** The probe's SAN pick, as it was: those that cover the host first, at most MAX_SANS. */
function legacySans(text: string, servername: string) {
  const covers = (san: string) => {
    if (!san.startsWith('DNS:')) return false;
    const name = san.slice(4).toLowerCase();
    const h = servername.toLowerCase();
    return name === h || (name.startsWith('*.') && h.slice(h.indexOf('.')) === name.slice(1));
  };
  const covering: string[] = [];
  const others: string[] = [];
  const all = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const san of all) {
    if (covering.length < MAX_SANS && covers(san)) covering.push(san);
    else if (others.length < MAX_SANS) others.push(san);
  }
  return { names: [...covering, ...others].slice(0, MAX_SANS), total: all.length };
}

function legacySummary(cert: PeerCertificate, servername: string): CertificateSummary {
  const iso = (text: string) => (Number.isNaN(new Date(text).getTime()) ? text : new Date(text).toISOString());
  const { names, total } = legacySans(cert.subjectaltname ?? '', servername);
  return {
    subject: legacyNameParts(cert.subject),
    issuer: legacyNameParts(cert.issuer),
    subjectAltNames: names,
    ...(total > MAX_SANS ? { subjectAltNamesTotal: total } : {}),
    validFrom: iso(cert.valid_from),
    validTo: iso(cert.valid_to),
    fingerprint256: cert.fingerprint256,
    serialNumber: cert.serialNumber,
  };
}

/** The legacy chain, leaf first, up to its first repeat (the self-signed root's link to itself). */
function legacyChain(leaf: DetailedPeerCertificate): DetailedPeerCertificate[] {
  const chain: DetailedPeerCertificate[] = [];
  const seen = new Set<string>();
  for (let cert: DetailedPeerCertificate | undefined = leaf; cert?.raw && !seen.has(cert.fingerprint256); cert = cert.issuerCertificate) {
    seen.add(cert.fingerprint256);
    chain.push(cert);
  }
  return chain;
}

// --- One handshake, both views. ---

interface Views {
  legacy: { chain: CertificateSummary[]; names: unknown[]; identity: string | undefined };
  x509: { chain: CertificateSummary[]; names: unknown[]; identity: string | undefined };
}

const servers: Running[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function bothViews(port: number, servername: string, ca: string[], host = '127.0.0.1'): Promise<Views> {
  const socket = tls.connect({ host, port, ...(net.isIP(servername) ? {} : { servername }), ca, rejectUnauthorized: false, checkServerIdentity: () => undefined });
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', () => resolve());
    socket.once('error', reject);
  });
  try {
    // Legacy first: getPeerX509Certificate() takes the certificates from the connection.
    const legacyLeaf = socket.getPeerCertificate(true);
    const legacy = legacyChain(legacyLeaf);
    const legacyError = tls.checkServerIdentity(servername, legacyLeaf);
    const leaf = peerCertificate(socket);
    expect(leaf, 'the X509Certificate of the leaf').toBeDefined();
    const chain = peerChain(leaf!, rootIndex(ca), new Date());
    const seen = new Set<string>();
    const x509 = chain.filter((c) => !seen.has(c.fingerprint256) && seen.add(c.fingerprint256));
    checkNameOnX509(socket);
    const x509Error = tls.checkServerIdentity(servername, socket.getPeerCertificate(true));
    return {
      legacy: {
        chain: legacy.map((c) => legacySummary(c, servername)),
        names: legacy.flatMap((c) => [{ ...c.subject }, { ...c.issuer }]),
        identity: legacyError?.message,
      },
      x509: {
        chain: x509.map((c) => summarize(c, servername)),
        names: x509.flatMap((c) => [{ ...legacyName(c.subject) }, { ...legacyName(c.issuer) }]),
        identity: x509Error?.message,
      },
    };
  } finally {
    socket.destroy();
  }
}

async function serve(leaf: { cert: string; key: string }, chain: string[] = []): Promise<number> {
  const running = await startTlsServer(leaf, chain);
  servers.push(running);
  return running.port;
}

function expectSame(views: Views) {
  expect(views.x509.chain).toEqual(views.legacy.chain);
  expect(views.x509.names).toEqual(views.legacy.names);
  expect(views.x509.identity).toEqual(views.legacy.identity);
  return views;
}

// --- The certificates. ---

const HOSTILE: Name = [
  [{ type: 'C', value: 'NL', as: 'printable' }],
  [{ type: 'O', value: 'Contoso, "Proxy" + Co; <b>\\ #1 = x' }],
  [{ type: 'OU', value: ' leading and trailing ' }],
  [{ type: 'OU', value: '#hash first' }],
  [{ type: 'CN', value: 'Inspection CA\n::set-env name=X::1 \u0001\u007f\u001b[2J' }],
];

describe('the probe\'s evidence from X509Certificate equals the legacy objects\'', () => {
  let certs: Awaited<ReturnType<typeof makeCertificates>>;
  let lab: Lab | undefined;
  beforeAll(async () => {
    certs = await makeCertificates();
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('for the lab\'s listener (leaf sent, root from the store)', async () => {
    lab = await startLab({ targets: 2 });
    const config = lab.configJson();
    const fqdn = workspaceNames(lab.state.workspaces[0]!.id).fqdns.api;
    // The private listener, as the connect-to rule for the target's private API address names it.
    const [, , host, port] = config.network.connectTo.find((rule) => rule.startsWith('10.'))!.split(':');
    const views = expectSame(await bothViews(Number(port), fqdn, [lab.caPem], host));
    expect(views.x509.chain).toHaveLength(2);
  });

  it('for the probe tests\' certificates: valid, wildcard, other name, expired, a proxy\'s with and without its chain', async () => {
    const trust = [certs.ca.cert];
    const cases: Array<[{ cert: string; key: string }, string[], string[]]> = [
      [certs.valid, [], trust],
      [certs.wildcard, [], trust],
      [certs.wrongName, [], trust],
      [certs.expired, [], trust],
      [certs.intercepted, [], trust],
      [certs.intercepted, [certs.proxyCa.cert], trust],
      [certs.intercepted, [certs.proxyCa.cert], [certs.proxyCa.cert]],
      [certs.valid, [certs.ca.cert], trust],
    ];
    for (const [leaf, chain, ca] of cases) {
      const views = expectSame(await bothViews(await serve(leaf, chain), FQDN, ca));
      expect(views.x509.chain.length).toBeGreaterThan(0);
    }
  });

  it('for hostile names: escapes, control characters, multi-valued and repeated RDNs, string types, unknown types', async () => {
    const root = makeNamedCertificate({ subject: HOSTILE, ca: true });
    const subjects: Name[] = [
      [[{ type: 'CN', value: FQDN }, { type: 'O', value: 'multi + valued, RDN' }]],
      [[{ type: 'CN', value: 'first' }], [{ type: 'CN', value: FQDN }], [{ type: 'CN', value: 'third\\' }]],
      [[{ type: 'CN', value: 'a' }, { type: 'CN', value: 'b' }], [{ type: 'O', value: 'trailing backslash \\' }]],
      [[{ type: 'CN', value: 'Ünïcödé ‮ bidi ☃ \u0001', as: 'bmp' }], [{ type: 'O', value: '𝔘niversal 😀 ', as: 'universal' }]],
      [[{ type: 'CN', value: 'caf\u00e9', as: 't61' }], [{ type: '1.2.3.4.5', value: 'unknown type' }], [{ type: 'serialNumber', value: '42', as: 'printable' }]],
      [[{ type: 'CN', value: '' }], [{ type: 'O', value: ' ' }]],
      [],
    ];
    for (const subject of subjects) {
      const leaf = makeNamedCertificate({ subject, issuer: root, dnsNames: subject.length ? [] : [FQDN] });
      expectSame(await bothViews(await serve(leaf), FQDN, [root.cert]));
      expectSame(await bothViews(await serve(leaf, [root.cert]), 'other.example', []));
    }
  });

  it('for many SANs, IP SANs and SANs with commas and quotes, with every name check verdict', async () => {
    const dnsNames = [...Array.from({ length: 40 }, (_, i) => `host${i}.example.net`), 'x"y, z.example', FQDN, `*.${FQDN.split('.').slice(1).join('.')}`];
    const leaf = certs.ca.issue({ commonName: 'many', dnsNames, ipAddresses: ['127.0.0.1', '::1', '10.0.0.4'] });
    const port = await serve(await leaf);
    for (const servername of [FQDN, 'host7.example.net', 'nope.example.org', '127.0.0.1']) expectSame(await bothViews(port, servername, [certs.ca.cert]));
    const cnOnly = makeNamedCertificate({ subject: [[{ type: 'CN', value: FQDN }], [{ type: 'CN', value: '*.example.org' }]], issuer: makeNamedCertificate({ subject: [[{ type: 'CN', value: 'r' }]], ca: true }) });
    const cnPort = await serve(cnOnly);
    for (const servername of [FQDN, 'a.example.org', 'b.example.com']) expectSame(await bothViews(cnPort, servername, []));
  });

  it('for self-signed leaves, chains sent out of order or twice, intermediates and renewed roots in the store', async () => {
    const selfSigned = makeNamedCertificate({ subject: [[{ type: 'CN', value: FQDN }]], dnsNames: [FQDN] });
    expectSame(await bothViews(await serve(selfSigned), FQDN, []));
    expectSame(await bothViews(await serve(selfSigned), FQDN, [selfSigned.cert]));

    const root = makeNamedCertificate({ subject: [[{ type: 'CN', value: 'Root' }], [{ type: 'O', value: 'Lab' }]], ca: true });
    const other = makeNamedCertificate({ subject: [[{ type: 'CN', value: 'Unrelated' }]], ca: true });
    const intermediate = makeNamedCertificate({ subject: [[{ type: 'CN', value: 'Intermediate' }]], issuer: root, ca: true });
    const leaf = makeNamedCertificate({ subject: [[{ type: 'CN', value: FQDN }]], issuer: intermediate, dnsNames: [FQDN] });
    const sent: string[][] = [[], [intermediate.cert], [root.cert, intermediate.cert], [other.cert, intermediate.cert, root.cert], [intermediate.cert, intermediate.cert]];
    for (const chain of sent) {
      for (const ca of [[], [root.cert], [intermediate.cert, root.cert], [other.cert]]) {
        const views = expectSame(await bothViews(await serve(leaf, chain), FQDN, ca));
        expect(views.x509.chain[0]!.subject.CN).toBe(FQDN);
      }
    }

    // The leaf names its issuer cased and spaced otherwise, and as a PrintableString: OpenSSL compares names canonically.
    const spaced = makeNamedCertificate({ subject: [[{ type: 'CN', value: FQDN }]], issuer: root, issuerName: [[{ type: 'CN', value: '  ROOT ', as: 'printable' }], [{ type: 'O', value: 'lab' }]], dnsNames: [FQDN] });
    for (const ca of [[root.cert], [other.cert, root.cert]]) {
      const views = expectSame(await bothViews(await serve(spaced), FQDN, ca));
      expect(views.x509.chain.map((c) => c.subject.CN)).toEqual([FQDN, 'Root']);
    }

    // A root renewed with its key: the expired one and the current one share the name.
    const renewed = makeNamedCertificate({ subject: root.name, ca: true, keyOf: root, notBefore: new Date(Date.now() - 20 * 86400e3), notAfter: new Date(Date.now() - 86400e3) });
    for (const ca of [[renewed.cert, root.cert], [root.cert, renewed.cert], [renewed.cert]]) {
      expectSame(await bothViews(await serve(leaf, [intermediate.cert]), FQDN, ca));
    }
  });

  it('parses a name exactly as Node holds it, on the hostile root', () => {
    const root = makeNamedCertificate({ subject: HOSTILE, ca: true });
    const name = legacyName(new X509Certificate(root.cert).subject);
    expect({ ...name }).toEqual({ C: 'NL', O: 'Contoso, "Proxy" + Co; <b>\\ #1 = x', OU: [' leading and trailing ', '#hash first'], CN: 'Inspection CA\n::set-env name=X::1 \u0001\u007f\u001b[2J' });
  });
});

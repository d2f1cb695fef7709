// The one trust store of a run: every HTTPS connection the tool makes (ARM, Fabric, sign-in and the
// probes) trusts the same roots: Node's bundled ones (with NODE_EXTRA_CA_CERTS), the operating
// system's store (`tls.getCACertificates('system')`, Node 22.15+ and 24: the Windows certificate
// store, the macOS keychain, OpenSSL's files on Linux), and what the config adds (`tls.ca`,
// `tls.caFile`). A TLS-inspecting proxy whose root IT rolled out to the machine is then trusted by
// the control plane exactly as by the probes: they cannot disagree about it.
//
// Built once per configured trust: parsing the ~260 roots for every connection is what made a
// fleet CPU-bound, so every client gets the same ready TLS context (the Azure SDK's keep-alive agents
// in src/azure/agents.ts hold it). The TLS probe completes a presented chain from the same roots
// (`rootIndex`), indexed once per list by subject.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import type { ResolvedConfig } from '../config/types.js';
import { unavailable } from '../engine/types.js';

export interface ExtraRoot {
  source: 'tls.ca' | 'tls.caFile';
  subject: string;
  fingerprint256: string;
}

export interface TrustStore {
  /** Every trusted root as PEM (for evidence and for `tls.connect({ ca })`, which replaces the defaults). */
  ca: string[];
  /** What the config added, for the evidence: where it came from and whom it names. */
  extra: ExtraRoot[];
  /** How many roots came from the operating system's store and not from Node's own. */
  systemOnly: number;
  /**
   * The roots as one TLS context, built on first use. `classic`: the same roots, offering only the
   * classic key-exchange groups (CLASSIC_GROUPS), for the public-path probe.
   */
  secureContext(groups?: 'classic'): tls.SecureContext;
}

/**
 * The key-exchange groups of a ClientHello without a post-quantum hybrid share: the smallest hello,
 * the one every client sends (curl and OpenSSL 3.0 among them). Node 24 (OpenSSL 3.5) otherwise
 * offers X25519MLKEM768 first, as browsers do: a ClientHello past 1,200 bytes, which some middleboxes
 * drop. The public-path probe asks whether anyone can reach the workspace, so it must get through
 * wherever a client can; its handshake also costs ~0.3 ms less CPU (no ML-KEM key to make).
 */
export const CLASSIC_GROUPS = 'X25519:P-256:P-384:P-521';

export interface MachineRoots {
  roots: string[];
  systemOnly: number;
}

type CaSource = (kind: 'default' | 'system') => string[];

const nodeCa: CaSource = (kind) => (typeof tls.getCACertificates === 'function' ? tls.getCACertificates(kind) : kind === 'default' ? [...tls.rootCertificates] : []);

/**
 * What this machine trusts: Node's roots and the system's, de-duplicated. The same certificate often
 * sits in both stores (and several times in the system's) formatted differently: compared without
 * whitespace, or a TLS context would parse each one again.
 */
export function machineRoots(read: CaSource = nodeCa): MachineRoots {
  const roots: string[] = [];
  // Node formats its own lists alike, so most repeats match verbatim; only the rest are normalised.
  const verbatim = new Set<string>();
  const firstTime = (pem: string) => {
    if (verbatim.has(pem)) return false;
    verbatim.add(pem);
    return true;
  };
  let normalised: Set<string> | undefined;
  const normalise = (pem: string) => pem.replace(/\s+/g, '');
  const add = (pem: string) => {
    if (!firstTime(pem)) return false;
    normalised ??= new Set(roots.map(normalise));
    const key = normalise(pem);
    if (normalised.has(key)) return false;
    normalised.add(key);
    roots.push(pem);
    return true;
  };
  for (const pem of read('default')) if (firstTime(pem)) roots.push(pem);
  let systemOnly = 0;
  try {
    for (const pem of read('system')) if (add(pem)) systemOnly++;
  } catch {
    // No readable system store: Node's own roots still stand.
  }
  return { roots, systemOnly };
}

/** The machine's roots, read once per process (every run of a process trusts the same machine). */
let machine: MachineRoots | undefined;

/** The machine's roots, read on first use and kept. */
function machineRootsNow(): MachineRoots {
  return (machine ??= machineRoots(nodeCa));
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Builds the trust store for a config. A `tls.caFile` that cannot be read or a `tls.ca` that holds
 * no certificate is an error fact naming the setting: connecting without the CA the user meant would
 * report a false "untrusted" failure.
 */
export function loadTrust(config: Pick<ResolvedConfig, 'tls'>, options: { read?: (path: string) => string; ca?: CaSource } = {}): TrustStore {
  const read = options.read ?? ((path: string) => readFileSync(path, 'utf8'));
  const extra: ExtraRoot[] = [];
  const pems: string[] = [];
  const add = (source: ExtraRoot['source'], text: string, where: string) => {
    const blocks = text.match(PEM_BLOCK) ?? [];
    if (blocks.length === 0) unavailable('error', `${where}: no PEM certificate (-----BEGIN CERTIFICATE-----) found`);
    for (const pem of blocks) {
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(pem);
      } catch (error) {
        unavailable('error', `${where}: a certificate could not be parsed: ${(error as Error).message}`);
      }
      extra.push({ source, subject: cert.subject.replace(/\n/g, ', '), fingerprint256: cert.fingerprint256 });
      pems.push(pem);
    }
  };
  if (config.tls.ca) add('tls.ca', config.tls.ca, 'tls.ca');
  if (config.tls.caFile) {
    let text: string;
    try {
      text = read(config.tls.caFile);
    } catch (error) {
      unavailable('error', `tls.caFile ${config.tls.caFile}: cannot be read: ${(error as Error).message}`);
    }
    add('tls.caFile', text, `tls.caFile ${config.tls.caFile}`);
  }
  const roots = options.ca ? machineRoots(options.ca) : machineRootsNow();
  const ca = [...roots.roots, ...pems];
  const contexts: { default?: tls.SecureContext; classic?: tls.SecureContext } = {};
  // Node's own roots are already parsed in Node's default context: only the rest is added to it.
  const added = [...roots.roots.slice(roots.roots.length - roots.systemOnly), ...pems];
  const build = (groups: { ecdhCurve?: string }) => (options.ca ? tls.createSecureContext({ ca, ...groups }) : withRoots(added, ca, groups));
  const secureContext = (groups?: 'classic') =>
    groups === 'classic' ? (contexts.classic ??= build({ ecdhCurve: CLASSIC_GROUPS })) : (contexts.default ??= build({}));
  return {
    ca,
    extra,
    systemOnly: roots.systemOnly,
    secureContext,
  };
}

/**
 * Node's default context (its bundled roots and NODE_EXTRA_CA_CERTS, parsed once per process) with
 * `added` on top: the same roots as `tls.createSecureContext({ ca })` without parsing Node's again.
 * `addCACert` is what Node's own `ca` option calls; without it, the whole list is parsed.
 */
function withRoots(added: string[], ca: string[], groups: { ecdhCurve?: string }): tls.SecureContext {
  const context = tls.createSecureContext(groups);
  const native = (context as { context?: { addCACert?: (pem: string) => void } }).context;
  if (typeof native?.addCACert !== 'function') return tls.createSecureContext({ ca, ...groups });
  for (const pem of added) native.addCACert(pem);
  return context;
}

const stores = new WeakMap<object, TrustStore>();

/** The run's trust store: one per configured `tls` (a run has one), built on first use. */
export function trustStore(config: Pick<ResolvedConfig, 'tls'>): TrustStore {
  let store = stores.get(config.tls);
  if (!store) stores.set(config.tls, (store = loadTrust(config)));
  return store;
}

/**
 * The trusted roots as OpenSSL's store finds them: by the issuer's name, then `X509Certificate.checkIssued`
 * (names, key identifiers, key usage: what `X509_check_issued` compares; no signature check). The TLS
 * probe completes a chain with it as Node's `getPeerCertificate(true)` does from the context's store
 * (`peerChain` in src/gather/net/tls.ts says where the two differ: a root that may not sign certificates).
 */
export interface RootIndex {
  /** Every root that issued `cert`, in the list's order. */
  issuersOf(cert: X509Certificate): X509Certificate[];
  /**
   * The root OpenSSL's `X509_STORE_CTX_get1_issuer` picks: the first that issued `cert` and is valid
   * at `now`, else the one that expires last. (OpenSSL's store orders roots of one name by its sort,
   * not by the list: two valid roots of one name and key could be taken in another order there.)
   */
  issuerOf(cert: X509Certificate, now: Date): X509Certificate | undefined;
  /** Whether `cert` is one of the roots. */
  holds(cert: X509Certificate): boolean;
}

interface IndexedRoot {
  pem: string;
  parsed?: X509Certificate | null;
}

const indexes = new WeakMap<readonly string[], Map<string, IndexedRoot[]>>();

/**
 * The roots of `ca` by subject, built on first use and kept as long as the list lives (a run's store
 * keeps one list). Each PEM's subject is read from its DER, and only the roots of a name asked for are
 * parsed: for the 265 roots of the development machine, 3–14 ms once, where parsing them all took
 * 11–18 ms and kept every root's native copy.
 */
export function rootIndex(ca: readonly string[]): RootIndex {
  let bySubject = indexes.get(ca);
  if (!bySubject) {
    bySubject = new Map();
    for (const pem of ca) {
      const key = nameKeyOfPem(pem);
      const list = bySubject.get(key);
      if (list) list.push({ pem });
      else bySubject.set(key, [{ pem }]);
    }
    indexes.set(ca, bySubject);
  }
  const index = bySubject;
  const parsed = (root: IndexedRoot): X509Certificate | undefined => {
    if (root.parsed === undefined) {
      try {
        root.parsed = new X509Certificate(root.pem);
      } catch {
        root.parsed = null;
      }
    }
    return root.parsed ?? undefined;
  };
  // A root whose name could not be read from its DER is a candidate for every name, and a name that
  // could not be read has every root as a candidate: parsed, `checkIssued` decides.
  const candidates = (key: string) =>
    (key === UNREADABLE ? [...index.values()].flat() : [...(index.get(key) ?? []), ...(index.get(UNREADABLE) ?? [])]).map(parsed).filter((root) => root !== undefined);
  const issuersOf = (cert: X509Certificate) => candidates(nameKey(cert.raw, 'issuer')).filter((root) => cert.checkIssued(root));
  return {
    issuersOf,
    issuerOf(cert, now) {
      let latest: X509Certificate | undefined;
      for (const root of issuersOf(cert)) {
        if (new Date(root.validFrom) <= now && now <= new Date(root.validTo)) return root;
        if (!latest || new Date(root.validTo) > new Date(latest.validTo)) latest = root;
      }
      return latest;
    },
    holds: (cert) => candidates(nameKey(cert.raw, 'subject')).some((root) => root.fingerprint256 === cert.fingerprint256),
  };
}

const UNREADABLE = '\u0000unreadable';

function nameKeyOfPem(pem: string): string {
  const body = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem)?.[1];
  return body ? nameKey(Buffer.from(body, 'base64'), 'subject') : UNREADABLE;
}

/**
 * A key for a certificate's issuer or subject name that two names OpenSSL finds equal (`X509_NAME_cmp`
 * compares them canonically: values trimmed, inner spaces folded, ASCII lower-cased) always share: each
 * attribute's type and its value so folded, sorted. It may join names OpenSSL tells apart (the order of
 * the attributes is lost): `checkIssued` decides among them.
 */
export function nameKey(der: Uint8Array, which: 'issuer' | 'subject'): string {
  try {
    const certificate = readTlv(der, 0);
    const tbs = readTlv(der, certificate.start);
    let at = tbs.start;
    // version [0] (optional), serialNumber, signature, issuer, validity, subject
    if (der[at] === 0xa0) at = readTlv(der, at).end;
    for (let skip = 0; skip < 2; skip++) at = readTlv(der, at).end;
    let name = readTlv(der, at);
    if (which === 'subject') name = readTlv(der, readTlv(der, name.end).end);
    if (der[name.at] !== 0x30) return UNREADABLE;
    const entries: string[] = [];
    for (let rdn = name.start; rdn < name.end; rdn = readTlv(der, rdn).end) {
      const set = readTlv(der, rdn);
      for (let atv = set.start; atv < set.end; atv = readTlv(der, atv).end) {
        const pair = readTlv(der, atv);
        const type = readTlv(der, pair.start);
        const value = readTlv(der, type.end);
        entries.push(`${Buffer.from(der.subarray(type.start, type.end)).toString('hex')}=${stringValue(der, value)}`);
      }
    }
    return entries.sort().join('\n');
  } catch {
    return UNREADABLE;
  }
}

interface Tlv {
  at: number;
  start: number;
  end: number;
}

function readTlv(der: Uint8Array, at: number): Tlv {
  if (at + 2 > der.length) throw new RangeError('DER: truncated');
  let length = der[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4 || start + bytes > der.length) throw new RangeError('DER: bad length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[start + i]!;
    start += bytes;
  }
  const end = start + length;
  if (end > der.length) throw new RangeError('DER: truncated');
  return { at, start, end };
}

/** A name's value as text for the key: the string types decoded and folded, any other type as hex. */
function stringValue(der: Uint8Array, value: Tlv): string {
  const bytes = Buffer.from(der.subarray(value.start, value.end));
  let text: string;
  switch (der[value.at]) {
    case 0x0c: // UTF8String
      text = bytes.toString('utf8');
      break;
    case 0x12: // NumericString
    case 0x13: // PrintableString
    case 0x14: // T61String (OpenSSL reads it as Latin-1)
    case 0x16: // IA5String
    case 0x1a: // VisibleString
      text = bytes.toString('latin1');
      break;
    case 0x1e: // BMPString (UTF-16BE)
      text = Buffer.from(bytes).swap16().toString('utf16le');
      break;
    case 0x1c: {
      // UniversalString (UTF-32BE)
      const points: number[] = [];
      for (let i = 0; i + 3 < bytes.length; i += 4) points.push(bytes.readUInt32BE(i));
      text = String.fromCodePoint(...points.filter((p) => p <= 0x10ffff));
      break;
    }
    default:
      return `#${der[value.at]!.toString(16)}:${bytes.toString('hex')}`;
  }
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

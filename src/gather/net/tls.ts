// The TLS probe: a handshake with SNI = the workspace FQDN, then the three questions a client asks
// (is the chain trusted, is the certificate valid today, does it name this host), answered separately
// so the report can say which one failed. The handshake itself never rejects: an untrusted chain is
// evidence to collect (whose certificate is it? a TLS-inspecting proxy's), not an error to throw.
import { X509Certificate } from 'node:crypto';
import type net from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import type { ResolvedConfig } from '../../config/types.js';
import { destinationFor } from '../../net/destination.js';
import { checkNameOnX509, legacyName, peerCertificate, type LegacyName } from '../../net/peer-certificate.js';
import { rootIndex, type RootIndex } from '../../net/trust.js';
import { waitForSocket, type ConnectFailure, type SocketError } from './socket.js';
import type { ProbeDestination } from './tcp.js';

export type TlsConnect = (options: tls.ConnectionOptions) => TLSSocket;

export const defaultTlsConnect: TlsConnect = (options) => tls.connect(options);

export interface NameParts {
  CN?: string;
  O?: string;
}

export interface CertificateSummary {
  subject: NameParts;
  issuer: NameParts;
  /** The names that match the host first, then others, at most MAX_SANS. */
  subjectAltNames: string[];
  /** How many names the certificate has when there were more than MAX_SANS. */
  subjectAltNamesTotal?: number;
  validFrom: string;
  validTo: string;
  fingerprint256: string;
  serialNumber: string;
}

export type TlsOutcome = 'handshake-ok' | 'sandbox-refused' | ConnectFailure;

export interface TlsProbeResult {
  address: string;
  port: number;
  servername: string;
  destination?: ProbeDestination;
  outcome: TlsOutcome;
  handshakeMs?: number;
  error?: SocketError;
  protocol?: string;
  /** Node's verdict (chain, dates, then name) against the trusted roots, and its first error code. */
  authorized?: boolean;
  authorizationError?: string;
  /** Whether the chain leads to a trusted root; `unknown` when a date error hid the answer. */
  chainTrust?: ChainTrust;
  /** tls.checkServerIdentity(servername, certificate). */
  nameMatch?: { ok: boolean; error?: string };
  validity?: { ok: boolean; notYetValid: boolean; expired: boolean; checkedAt: string };
  /** The leaf certificate. */
  certificate?: CertificateSummary;
  /** The chain as presented (leaf first), as far as the server sent it or the store completed it. */
  chain?: CertificateSummary[];
}

export interface TlsProbeInput {
  address: string;
  port: number;
  servername: string;
  config: Pick<ResolvedConfig, 'network'>;
  /** Every trusted root (the run's trust store, src/net/trust.ts). */
  ca: string[];
  /** The same roots as a ready TLS context (shared across probes); `ca` is then not parsed again. */
  secureContext?: tls.SecureContext;
  timeoutMs: number;
  signal?: AbortSignal;
  connect?: TlsConnect;
  now?: () => Date;
}

export async function probeTls(input: TlsProbeInput): Promise<TlsProbeResult> {
  const { result, socket } = await handshakeTls(input);
  socket?.destroy();
  return result;
}

/**
 * The TLS probe, its socket left open after a handshake (the caller owns it). Given `socket` (the
 * TCP probe's open connection), the handshake goes over it and `handshakeMs` times the TLS stage
 * alone; else it opens its own connection and the time includes connecting.
 */
export async function handshakeTls(input: TlsProbeInput & { socket?: net.Socket }): Promise<{ result: TlsProbeResult; socket?: TLSSocket }> {
  const base = { address: input.address, port: input.port, servername: input.servername };
  const destination = destinationFor(input.address, input.port, input.config, [input.servername]);
  if (!destination.ok) {
    input.socket?.destroy();
    return { result: { ...base, outcome: 'sandbox-refused', error: { code: 'SANDBOX', message: destination.reason } } };
  }
  const dest = { host: destination.host, port: destination.port, mapped: destination.mapped };
  // Node's name check runs on the leaf's X509Certificate (checkNameOnX509); its verdict is kept here.
  let checked: { error: Error | undefined } | undefined;
  const socket = checkNameOnX509(
    (input.connect ?? defaultTlsConnect)({
      ...(input.socket ? { socket: input.socket } : { host: dest.host, port: dest.port }),
      servername: input.servername,
      ...(input.secureContext ? { secureContext: input.secureContext } : { ca: input.ca }),
      // Verified below, step by step, so a failure can be explained instead of thrown.
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
      checkServerIdentity: (host, cert) => {
        const error = tls.checkServerIdentity(host, cert);
        checked = { error };
        return error;
      },
    }),
  );
  const ready = await waitForSocket(socket, 'secureConnect', input.timeoutMs, input.signal);
  const captured = checked;
  if (!ready.ok) return { result: { ...base, destination: dest, outcome: ready.outcome, handshakeMs: ready.ms, error: ready.error } };
  try {
    const leaf = peerCertificate(socket);
    const now = input.now?.() ?? new Date();
    // Node checks the name only when the chain passed (and not on a resumed session); otherwise here,
    // by the same function on the same fields.
    const identityError = captured ? captured.error : leaf ? tls.checkServerIdentity(input.servername, socket.getPeerCertificate(true)) : new Error('the server sent no certificate');
    const notYetValid = leaf ? new Date(leaf.validFrom) > now : false;
    const expired = leaf ? new Date(leaf.validTo) < now : false;
    const roots = rootIndex(input.ca);
    const chain = leaf ? peerChain(leaf, roots, now) : [];
    const result: TlsProbeResult = {
      ...base,
      destination: dest,
      outcome: 'handshake-ok',
      handshakeMs: ready.ms,
      protocol: socket.getProtocol() ?? undefined,
      authorized: socket.authorized,
      ...(socket.authorizationError ? { authorizationError: String(socket.authorizationError) } : {}),
      chainTrust: resolveUnknown(chainTrust(socket.authorized, socket.authorizationError ? String(socket.authorizationError) : undefined), chain, roots),
      nameMatch: identityError ? { ok: false, error: identityError.message } : { ok: true },
      validity: { ok: !notYetValid && !expired, notYetValid, expired, checkedAt: now.toISOString() },
      ...(chain.length ? summarizeChain(chain, input.servername) : {}),
    };
    return { result, socket };
  } catch (error) {
    socket.destroy();
    throw error;
  }
}

/** Certificates of a chain kept at most: more than a server could sensibly send, fewer than a hostile one might. */
const MAX_CHAIN = 32;

/**
 * The chain as Node's `getPeerCertificate(true)` links it, from X509Certificates: the leaf, then
 * among the certificates the server sent (in any order) the one that issued the last so far
 * (`checkIssued`), again and again (with Node's quirk below); then, while the last is not
 * self-issued, its issuer from the trusted roots (as OpenSSL's store finds it: `RootIndex.issuerOf`).
 * No signature is checked here.
 */
export function peerChain(leaf: X509Certificate, roots: RootIndex, now: Date): X509Certificate[] {
  const sent: X509Certificate[] = [];
  // X509Certificate links the rest of what the server sent by position, whoever issued what.
  for (let cert = leaf.issuerCertificate; cert && sent.length < MAX_CHAIN; cert = cert.issuerCertificate) sent.push(cert);
  const chain = [leaf];
  let top = leaf;
  while (chain.length < MAX_CHAIN) {
    const i = sent.findIndex((ca) => top.checkIssued(ca));
    if (i === -1) break;
    top = sent.splice(i, 1)[0]!;
    chain.push(top);
    // As Node does: its loop ends when the issuer it took was the last of those left (the index it
    // took equals the shorter list's length), so a root sent before its intermediate is not linked.
    if (i === sent.length) break;
  }
  // One difference: OpenSSL's store also takes a root whose key usage forbids signing certificates
  // (it checks names and key ids only), which `checkIssued` refuses; such a root fails verification
  // anyway, and Node's chain would end with it (or, were it the top, with it twice).
  while (chain.length < MAX_CHAIN && !top.checkIssued(top)) {
    const issuer = roots.issuerOf(top, now);
    if (!issuer) break;
    chain.push(issuer);
    top = issuer;
  }
  return chain;
}

export type ChainTrust = 'trusted' | 'untrusted' | 'unknown';

/** OpenSSL stops at the first error; these codes are about dates, not about who signed. */
const DATE_ERRORS = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

/**
 * Node verifies the chain first and checks the name only when the chain passed, so a name error
 * means the chain is trusted; a date error leaves the chain's trust unknown.
 */
export function chainTrust(authorized: boolean, authorizationError: string | undefined): ChainTrust {
  if (authorized || authorizationError === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'trusted';
  if (authorizationError && DATE_ERRORS.has(authorizationError)) return 'unknown';
  return 'untrusted';
}

/**
 * When a date error hid OpenSSL's verdict on the chain, decide it here, dates aside: each presented
 * certificate is signed by the next, and the top one is a trusted root or is signed by one. An
 * expired certificate from a proxy's CA is then still named as the proxy's.
 */
function resolveUnknown(trust: ChainTrust, chain: X509Certificate[], roots: RootIndex): ChainTrust {
  if (trust !== 'unknown' || !chain.length) return trust;
  try {
    const presented: X509Certificate[] = [];
    const seen = new Set<string>();
    for (const cert of chain) {
      if (seen.has(cert.fingerprint256)) break;
      seen.add(cert.fingerprint256);
      presented.push(cert);
    }
    for (let i = 0; i + 1 < presented.length; i++) {
      if (!presented[i]!.checkIssued(presented[i + 1]!) || !presented[i]!.verify(presented[i + 1]!.publicKey)) return 'untrusted';
    }
    const top = presented[presented.length - 1]!;
    const trusted = roots.holds(top) || roots.issuersOf(top).some((root) => top.verify(root.publicKey));
    return trusted ? 'trusted' : 'untrusted';
  } catch {
    return 'unknown';
  }
}

/** SANs kept per certificate: a shared front-end certificate can name thousands of hosts. */
export const MAX_SANS = 20;

/** Subject and issuer CN and O, SANs, dates and fingerprint: what names a certificate to a person. */
export function summarize(cert: X509Certificate, servername?: string): CertificateSummary {
  // The names that cover the host come first, so the evidence keeps what matters when it is cut.
  const { names, total } = pickSans(cert.subjectAltName ?? '', servername);
  return {
    subject: nameParts(legacyName(cert.subject)),
    issuer: nameParts(legacyName(cert.issuer)),
    subjectAltNames: names,
    ...(total > MAX_SANS ? { subjectAltNamesTotal: total } : {}),
    validFrom: isoDate(cert.validFrom),
    validTo: isoDate(cert.validTo),
    fingerprint256: cert.fingerprint256,
    // Upper-case hex, as the legacy object's `serialNumber`.
    serialNumber: cert.serialNumber,
  };
}

/**
 * At most MAX_SANS names from Node's `subjectaltname` text ("DNS:a, DNS:b, …"), those that cover the
 * host first, and how many there are: one pass, keeping only what is returned.
 */
function pickSans(text: string, servername?: string): { names: string[]; total: number } {
  const covering: string[] = [];
  const others: string[] = [];
  let total = 0;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf(',', start);
    if (end === -1) end = text.length;
    const san = text.slice(start, end).trim();
    start = end + 1;
    if (!san) continue;
    total++;
    if (servername && covering.length < MAX_SANS && sanCovers(san, servername)) covering.push(san);
    else if (others.length < MAX_SANS) others.push(san);
  }
  // Copied out: a slice would keep the whole SAN text (tens of KB on a shared certificate) alive
  // as long as the evidence lives.
  return { names: [...covering, ...others].slice(0, MAX_SANS).map((name) => JSON.parse(JSON.stringify(name)) as string), total };
}

/** `DNS:*.example.com` covers `a.example.com` (one label), `DNS:a.example.com` covers itself. */
function sanCovers(san: string, host: string): boolean {
  if (!san.startsWith('DNS:')) return false;
  const name = san.slice(4).toLowerCase();
  const h = host.toLowerCase();
  if (name === h) return true;
  return name.startsWith('*.') && h.slice(h.indexOf('.')) === name.slice(1);
}

/** Summaries of the chain (leaf first), up to its first repeat and at most 10: the leaf's is the chain's first entry. */
function summarizeChain(chain: X509Certificate[], servername: string): { certificate: CertificateSummary; chain: CertificateSummary[] } {
  const summaries: CertificateSummary[] = [];
  const seen = new Set<string>();
  for (const cert of chain) {
    // A self-signed root is its own issuer: stop at the first repeat.
    if (seen.has(cert.fingerprint256) || summaries.length === 10) break;
    seen.add(cert.fingerprint256);
    summaries.push(summarize(cert, servername));
  }
  return { certificate: summaries[0]!, chain: summaries };
}

function nameParts(name: LegacyName | undefined): NameParts {
  const pick = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(', ') : value);
  const parts: NameParts = {};
  const cn = pick(name?.CN);
  const o = pick(name?.O);
  if (cn) parts.CN = cn;
  if (o) parts.O = o;
  return parts;
}

function isoDate(text: string | undefined): string {
  const date = text ? new Date(text) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : (text ?? '');
}

/** "CN=…, O=…" for messages. */
export function describeName(name: NameParts | undefined): string {
  const parts = [name?.CN ? `CN=${name.CN}` : '', name?.O ? `O=${name.O}` : ''].filter(Boolean);
  return parts.length ? parts.join(', ') : '(no CN or O)';
}

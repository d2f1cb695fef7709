// The TLS probe: a handshake with SNI = the workspace FQDN, then the three questions a client asks
// (is the chain trusted, is the certificate valid today, does it name this host), answered separately
// so the report can say which one failed. The handshake itself never rejects: an untrusted chain is
// evidence to collect (whose certificate is it? a TLS-inspecting proxy's), not an error to throw.
import { X509Certificate } from 'node:crypto';
import type net from 'node:net';
import tls, { type DetailedPeerCertificate, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { ResolvedConfig } from '../../config/types.js';
import { destinationFor } from '../../net/destination.js';
import { waitForSocket, type ConnectFailure, type SocketError } from './socket.js';
import type { ProbeDestination } from './tcp.js';

export type TlsConnect = (options: tls.ConnectionOptions) => TLSSocket;

export const defaultTlsConnect: TlsConnect = (options) => tls.connect(options);

/**
 * Node builds the whole detailed peer certificate (every certificate of the chain, three
 * fingerprints and the public key of each) for its own name check, which reads only the leaf's
 * subject and SANs (tls.checkServerIdentity). A connection that keeps no certificate (the HTTPS
 * probe's own) lets that check read the leaf alone: the same check and verdict, ~0.1-0.2 ms of CPU
 * less per handshake. The TLS probe keeps the detailed one (its evidence is the chain).
 */
export function nameCheckOnLeaf(socket: TLSSocket): TLSSocket {
  // Node's check calls `this.getPeerCertificate(true)`: this socket answers with the leaf alone
  // (defined, not assigned: the method's typed overloads promise the chain for `true`).
  Object.defineProperty(socket, 'getPeerCertificate', { value: () => tls.TLSSocket.prototype.getPeerCertificate.call(socket, false), configurable: true, writable: true });
  return socket;
}

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
  // Node builds the whole peer certificate (chain, every SAN) for its own name check: it is kept
  // here, with that check's verdict, instead of being built a second time.
  let checked: { peer: DetailedPeerCertificate; error: Error | undefined } | undefined;
  const socket = (input.connect ?? defaultTlsConnect)({
    ...(input.socket ? { socket: input.socket } : { host: dest.host, port: dest.port }),
    servername: input.servername,
    ...(input.secureContext ? { secureContext: input.secureContext } : { ca: input.ca }),
    // Verified below, step by step, so a failure can be explained instead of thrown.
    rejectUnauthorized: false,
    ALPNProtocols: ['http/1.1'],
    checkServerIdentity: (host, cert) => {
      const error = tls.checkServerIdentity(host, cert);
      checked = { peer: cert as DetailedPeerCertificate, error };
      return error;
    },
  });
  const ready = await waitForSocket(socket, 'secureConnect', input.timeoutMs, input.signal);
  // The socket keeps its options (and so the callback above) as long as it lives: let go of the certificate.
  const captured = checked;
  checked = undefined;
  if (!ready.ok) return { result: { ...base, destination: dest, outcome: ready.outcome, handshakeMs: ready.ms, error: ready.error } };
  try {
    // Node checks the name only when the chain passed; otherwise the certificate is built here.
    const peer = captured?.peer ?? socket.getPeerCertificate(true);
    const now = input.now?.() ?? new Date();
    const identityError = captured ? captured.error : peer && Object.keys(peer).length ? tls.checkServerIdentity(input.servername, peer) : new Error('the server sent no certificate');
    const notYetValid = peer?.valid_from ? new Date(peer.valid_from) > now : false;
    const expired = peer?.valid_to ? new Date(peer.valid_to) < now : false;
    const result: TlsProbeResult = {
      ...base,
      destination: dest,
      outcome: 'handshake-ok',
      handshakeMs: ready.ms,
      protocol: socket.getProtocol() ?? undefined,
      authorized: socket.authorized,
      ...(socket.authorizationError ? { authorizationError: String(socket.authorizationError) } : {}),
      chainTrust: resolveUnknown(chainTrust(socket.authorized, socket.authorizationError ? String(socket.authorizationError) : undefined), peer, input.ca),
      nameMatch: identityError ? { ok: false, error: identityError.message } : { ok: true },
      validity: { ok: !notYetValid && !expired, notYetValid, expired, checkedAt: now.toISOString() },
      ...(peer?.raw ? summarizeWithChain(peer, input.servername) : {}),
    };
    return { result, socket };
  } catch (error) {
    socket.destroy();
    throw error;
  }
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
function resolveUnknown(trust: ChainTrust, leaf: DetailedPeerCertificate | undefined, ca: string[]): ChainTrust {
  if (trust !== 'unknown' || !leaf?.raw) return trust;
  try {
    const presented: X509Certificate[] = [];
    const seen = new Set<string>();
    for (let cert: DetailedPeerCertificate | undefined = leaf; cert?.raw && !seen.has(cert.fingerprint256); cert = cert.issuerCertificate) {
      seen.add(cert.fingerprint256);
      presented.push(new X509Certificate(cert.raw));
    }
    for (let i = 0; i + 1 < presented.length; i++) {
      if (!presented[i]!.checkIssued(presented[i + 1]!) || !presented[i]!.verify(presented[i + 1]!.publicKey)) return 'untrusted';
    }
    const top = presented[presented.length - 1]!;
    const trusted = ca.some((pem) => {
      const root = new X509Certificate(pem);
      return root.fingerprint256 === top.fingerprint256 || (top.checkIssued(root) && top.verify(root.publicKey));
    });
    return trusted ? 'trusted' : 'untrusted';
  } catch {
    return 'unknown';
  }
}

/** SANs kept per certificate: a shared front-end certificate can name thousands of hosts. */
export const MAX_SANS = 20;

/** Subject and issuer CN and O, SANs, dates and fingerprint: what names a certificate to a person. */
export function summarize(cert: PeerCertificate, servername?: string): CertificateSummary {
  // The names that cover the host come first, so the evidence keeps what matters when it is cut.
  const { names, total } = pickSans(cert.subjectaltname ?? '', servername);
  return {
    subject: nameParts(cert.subject),
    issuer: nameParts(cert.issuer),
    subjectAltNames: names,
    ...(total > MAX_SANS ? { subjectAltNamesTotal: total } : {}),
    validFrom: isoDate(cert.valid_from),
    validTo: isoDate(cert.valid_to),
    fingerprint256: cert.fingerprint256,
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

/** The leaf's summary is the chain's first entry: summarised once (a SAN list can be long). */
function summarizeWithChain(leaf: DetailedPeerCertificate, servername: string): { certificate: CertificateSummary; chain: CertificateSummary[] } {
  const certificate = summarize(leaf, servername);
  return { certificate, chain: [certificate, ...chainOf(leaf.issuerCertificate, servername, new Set([leaf.fingerprint256]))] };
}

function chainOf(start: DetailedPeerCertificate | undefined, servername?: string, seen = new Set<string>()): CertificateSummary[] {
  const chain: CertificateSummary[] = [];
  let cert: DetailedPeerCertificate | undefined = start;
  // A self-signed root is its own issuer: stop at the first repeat.
  while (cert?.raw && !seen.has(cert.fingerprint256) && chain.length < 9) {
    seen.add(cert.fingerprint256);
    chain.push(summarize(cert, servername));
    cert = cert.issuerCertificate;
  }
  return chain;
}

function nameParts(name: PeerCertificate['subject'] | undefined): NameParts {
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

// The roots a probe trusts: Node's default store plus what the user gives (tls.ca, tls.caFile), as
// behind a TLS-inspecting proxy whose root the machine's administrators added.
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import tls from 'node:tls';
import type { ResolvedConfig } from '../../config/types.js';
import { unavailable } from '../../engine/types.js';

export interface TrustedRoots {
  /** Every root, for `tls.connect({ ca })` (which replaces the default store, so the defaults are included). */
  ca: string[];
  /**
   * The same roots as one TLS context, built on first use: parsing ~150 PEM roots for every
   * handshake is what made a fleet's probes CPU-bound.
   */
  secureContext?: () => tls.SecureContext;
  /** What the user added, for the evidence: where it came from and whom it names. */
  extra: Array<{ source: 'tls.ca' | 'tls.caFile'; subject: string; fingerprint256: string }>;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * What this machine trusts: Node's bundled roots and NODE_EXTRA_CA_CERTS, plus the operating system's
 * store (Windows certificate store, macOS keychain, /etc/ssl): a proxy root that IT rolled out to the
 * machine is trusted by its other applications, so the probe must not call it untrusted.
 */
export function defaultRoots(): string[] {
  if (typeof tls.getCACertificates !== 'function') return [...tls.rootCertificates];
  // The same certificate often sits in both stores (and several times in the system's), formatted
  // differently: compared without whitespace, or a TLS context would parse each one again (~10×).
  const roots = new Map<string, string>();
  const add = (pem: string) => {
    const key = pem.replace(/\s+/g, '');
    if (!roots.has(key)) roots.set(key, pem);
  };
  tls.getCACertificates('default').forEach(add);
  try {
    tls.getCACertificates('system').forEach(add);
  } catch {
    // No readable system store: Node's own roots still stand.
  }
  return [...roots.values()];
}

/**
 * Loads the configured extra CAs. A file that cannot be read or holds no certificate makes the fact
 * unavailable with a message naming the setting: probing without the CA the user meant would report a
 * false "untrusted" failure.
 */
export async function trustedRoots(config: Pick<ResolvedConfig, 'tls'>, read: (path: string) => Promise<string> = (p) => readFile(p, 'utf8')): Promise<TrustedRoots> {
  const extra: TrustedRoots['extra'] = [];
  const pems: string[] = [];
  const add = (source: 'tls.ca' | 'tls.caFile', text: string, where: string) => {
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
      text = await read(config.tls.caFile);
    } catch (error) {
      unavailable('error', `tls.caFile ${config.tls.caFile}: cannot be read: ${(error as Error).message}`);
    }
    add('tls.caFile', text, `tls.caFile ${config.tls.caFile}`);
  }
  const ca = [...defaultRoots(), ...pems];
  let context: tls.SecureContext | undefined;
  return { ca, extra, secureContext: () => (context ??= tls.createSecureContext({ ca })) };
}

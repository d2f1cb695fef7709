// The one trust store of a run: every HTTPS connection the tool makes (ARM, Fabric, sign-in and the
// probes) trusts the same roots: Node's bundled ones (with NODE_EXTRA_CA_CERTS), the operating
// system's store (`tls.getCACertificates('system')`, Node 22.15+ and 24: the Windows certificate
// store, the macOS keychain, OpenSSL's files on Linux), and what the config adds (`tls.ca`,
// `tls.caFile`). A TLS-inspecting proxy whose root IT rolled out to the machine is then trusted by
// the control plane exactly as by the probes: they cannot disagree about it.
//
// Built once per configured trust: parsing the ~260 roots for every connection is what made a
// fleet CPU-bound, so every client gets the same ready TLS context (the Azure SDK's keep-alive agents
// in src/azure/agents.ts hold it).
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
  /** The roots as one TLS context, built on first use. */
  secureContext(): tls.SecureContext;
}

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
  let context: tls.SecureContext | undefined;
  // Node's own roots are already parsed in Node's default context: only the rest is added to it.
  const added = [...roots.roots.slice(roots.roots.length - roots.systemOnly), ...pems];
  const secureContext = () => (context ??= options.ca ? tls.createSecureContext({ ca }) : withRoots(added, ca));
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
function withRoots(added: string[], ca: string[]): tls.SecureContext {
  const context = tls.createSecureContext();
  const native = (context as { context?: { addCACert?: (pem: string) => void } }).context;
  if (typeof native?.addCACert !== 'function') return tls.createSecureContext({ ca });
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

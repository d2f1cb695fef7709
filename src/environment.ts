// What a report records about where it ran: OS, Node, tool, resolvers, and the config with
// credentials reduced to their type. Never a secret, a token or an environment variable's value.
import dns from 'node:dns';
import os from 'node:os';
import type { ResolvedConfig } from './config/types.js';
import type { Vantage } from './engine/types.js';
import { toolInfo } from './version.js';

export function collectEnvironment(config: ResolvedConfig): Record<string, unknown> {
  return {
    os: { platform: process.platform, release: os.release(), arch: process.arch },
    hostname: os.hostname(),
    node: process.version,
    tool: toolInfo(),
    resolvers: { system: safeGetServers(), configured: config.dns.servers, public: config.dns.publicServers, azureVm: config.dns.azureVm },
    config: configSummary(config),
  };
}

/** The config as a support engineer may see it: credentials reduced to their type. */
export function configSummary(config: ResolvedConfig): Record<string, unknown> {
  return {
    source: config.source,
    // Ids and names, never secrets: replay rebuilds the targets from them (and --redact covers them).
    targets: config.targets,
    credentials: { provider: config.credentials.provider.type, consumer: config.credentials.consumer.type },
    cloud: config.cloud,
    dns: config.dns,
    probes: config.probes,
    network: { connectTo: config.network.connectTo, sandbox: config.network.sandbox },
    tls: { caFile: config.tls.caFile ? 'set' : 'none', ca: config.tls.ca ? 'set' : 'none' },
    checks: config.checks,
    plugins: config.plugins,
    concurrency: config.concurrency,
    timeouts: config.timeouts,
    limits: config.limits,
  };
}

function safeGetServers(): string[] {
  try {
    return dns.getServers();
  } catch {
    return [];
  }
}

/**
 * Where this run runs: `id` as given (`--vantage`, or XTENANT_DOCTOR_VANTAGE for a CI matrix), else
 * the host name; the VNet when every target's config names the same one (the jump VM's VNet).
 */
export function vantageOf(config: ResolvedConfig, startedAt: string, id?: string): Vantage {
  const host = os.hostname();
  const vnets = new Set(config.targets.map((t) => t.consumer?.vnetId?.toLowerCase()));
  const [vnet] = vnets;
  const vnetId = vnets.size === 1 && vnet ? config.targets[0]!.consumer!.vnetId! : undefined;
  const chosen = (id ?? process.env.XTENANT_DOCTOR_VANTAGE ?? '').trim();
  return { id: chosen || host, host, ...(vnetId ? { vnetId } : {}), startedAt };
}

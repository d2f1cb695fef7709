// How the run options turn into a ResolvedConfig: the file (or --workspace alone), flags on top.
import { existsSync } from 'node:fs';
import { ConfigError, DEFAULT_CONFIG_FILE, readConfigData, resolveConfig } from '../config/load.js';
import { validateConfig } from '../config/validate.js';
import type { ResolvedConfig } from '../config/types.js';
import { matchesPattern } from '../engine/status.js';
import { parseWorkspaceId } from '../fabric/workspace.js';
import { UsageError } from './errors.js';
import type { RunArgs } from './run-options.js';

/** The config a run uses: the file (or --workspace alone), with flags applied on top. */
export function configFromArgs(args: RunArgs): ResolvedConfig {
  let config: ResolvedConfig;
  if (args.workspace && !args.config) {
    const workspaceId = parseWorkspaceId(args.workspace);
    config = resolveConfig({ targets: [{ name: 'workspace', workspaceId }] }, 'flags');
  } else {
    const file = args.config ?? DEFAULT_CONFIG_FILE;
    if (!args.config && !existsSync(file)) {
      throw new UsageError(`no config: ./${DEFAULT_CONFIG_FILE} does not exist. Use -c FILE, --workspace <id> for a zero-config run, or \`xtenant-doctor init\`.`);
    }
    config = loadCheckedConfig(file);
    if (args.workspace) {
      const workspaceId = parseWorkspaceId(args.workspace);
      config.targets = config.targets.filter((t) => t.workspaceId === workspaceId);
      if (!config.targets.length) throw new UsageError(`--workspace ${args.workspace}: no target in ${file} has that workspace id`);
    }
  }
  return applyFlags(config, args);
}

/**
 * The config file, validated as `validate-config` does: an error stops the run (exit 2), except a
 * problem of one side's sign-in (a missing secret or token file), which that side's credential
 * check reports so the other side is still checked.
 */
function loadCheckedConfig(file: string): ResolvedConfig {
  const data = readConfigData(file);
  const config = resolveConfig(data, file);
  const stop = validateConfig(config, { raw: data }).filter((f) => f.level === 'error' && !f.signIn);
  if (stop.length) throw new ConfigError(file, stop.map(({ path, message }) => ({ path, message })));
  return config;
}

export function applyFlags(config: ResolvedConfig, args: RunArgs): ResolvedConfig {
  const next = structuredClone(config);
  if (args.target?.length) {
    next.targets = next.targets.filter((t) => args.target!.some((p) => matchesPattern(t.name, p)));
    if (!next.targets.length) throw new UsageError(`--target ${args.target.join(' ')}: no target matches (targets: ${config.targets.map((t) => t.name).join(', ')})`);
  }
  if (args.checks?.length) next.checks.only = args.checks;
  if (args.skip?.length) next.checks.skip = [...next.checks.skip, ...args.skip];
  if (args.dnsServer?.length) next.dns.servers = args.dnsServer;
  if (args.publicDnsServer?.length) next.dns.publicServers = args.publicDnsServer;
  if (args.azureVm !== undefined) next.dns.azureVm = args.azureVm;
  if (args.connectTo?.length) next.network.connectTo = [...next.network.connectTo, ...args.connectTo];
  if (args.caFile) next.tls = { ...next.tls, caFile: args.caFile };
  if (args.publicProbe !== undefined) next.probes.public = args.publicProbe;
  // Re-validate what flags may have broken (connect-to syntax, server syntax) with the file's rules.
  resolveConfig(toFileShape(next), args.config ?? 'flags');
  return next;
}

/** The resolved config back in the file's shape, to run it through the same validation. */
function toFileShape(config: ResolvedConfig): object {
  const { source: _source, cloud, tls, ...rest } = config;
  return {
    ...rest,
    cloud: cloud.name === 'custom' ? { name: 'custom', armEndpoint: cloud.armEndpoint, armScope: cloud.armScope, fabricEndpoint: cloud.fabricEndpoint, fabricScope: cloud.fabricScope, authorityHost: cloud.authorityHost } : cloud.name,
    tls: tls.caFile ? { caFile: tls.caFile } : {},
  };
}

// How the run options turn into a ResolvedConfig: the file (or --workspace alone), flags on top.
// `--workspace ID` without targets (no config, or a config of settings and credentials only) with a
// credential runs discover for that workspace (run-discover.ts), so zero config checks both tenants.
import { existsSync } from 'node:fs';
import { ConfigError, DEFAULT_CONFIG_FILE, readConfigData, resolveConfig } from '../config/load.js';
import { validateConfig } from '../config/validate.js';
import type { ResolvedConfig } from '../config/types.js';
import { matchesPattern } from '../text/glob.js';
import { parseWorkspaceId } from '../fabric/workspace.js';
import { UsageError } from './errors.js';
import type { RunArgs } from './run-options.js';

type Side = 'consumer' | 'provider';
const SIDES: readonly Side[] = ['consumer', 'provider'];

/** The config a run uses: the file (or --workspace alone), with flags applied on top. */
export async function configFromArgs(args: RunArgs, say: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<ResolvedConfig> {
  const flags = settingsFromFlags(args);
  let config: ResolvedConfig;
  if (args.workspace && !args.config) {
    config = await workspaceConfig({}, 'flags', parseWorkspaceId(args.workspace), args, flags, say);
  } else {
    const file = args.config ?? DEFAULT_CONFIG_FILE;
    if (!args.config && !existsSync(file)) {
      throw new UsageError(`no config: ./${DEFAULT_CONFIG_FILE} does not exist. Use -c FILE, --workspace <id> for a zero-config run, or \`xtenant-doctor init\`.`);
    }
    const data = readConfigData(file);
    if (args.workspace && isObject(data) && data.targets === undefined) {
      // Settings and credentials without targets: the targets come from discovery, as with no config.
      config = await workspaceConfig(data, file, parseWorkspaceId(args.workspace), args, flags, say);
    } else if (isObject(data) && data.targets === undefined) {
      throw new ConfigError(file, [{ path: '$', message: 'missing required key "targets" (a config without targets serves `discover`, and `run --workspace <id>`, which discovers that workspace\'s targets)' }]);
    } else {
      const named = SIDES.filter((side) => flags.tenants[side]);
      if (named.length) throw new UsageError(`${named.map((side) => `--${side}-tenant`).join(', ')}: ${file} has targets, which name their own tenants (targets[].${named[0]}.tenantId); the flag is for a run without targets`);
      config = checkedConfig(withSettings(data, flags), file, flags);
      if (args.workspace) {
        const workspaceId = parseWorkspaceId(args.workspace);
        config.targets = config.targets.filter((t) => t.workspaceId === workspaceId);
        if (!config.targets.length) throw new UsageError(`--workspace ${args.workspace}: no target in ${file} has that workspace id`);
      }
    }
  }
  return applyFlags(config, args);
}

/** What the credential, tenant and cloud flags set, validated (a bad value is a usage error naming its flag). */
/** A credential as a flag writes it: the type and FIELD=VALUE pairs, checked by the config schema after. */
export type CredentialSpec = { type: string } & Record<string, string>;

export interface FlagSettings {
  credentials: Partial<Record<Side, CredentialSpec>>;
  tenants: Partial<Record<Side, string>>;
  cloud?: string;
}

/**
 * `--consumer-credential TYPE[,FIELD=VALUE...]` is a config credential written on one line: the type
 * and field names are the config's (`credentials.consumer`), checked by the same schema. Secrets never
 * come on the command line: only the names of the variables or files that hold them (`*Env`, `*File`).
 */
export function settingsFromFlags(args: Pick<RunArgs, 'consumerCredential' | 'providerCredential' | 'consumerTenant' | 'providerTenant' | 'cloud'>): FlagSettings {
  const settings: FlagSettings = { credentials: {}, tenants: {} };
  for (const side of SIDES) {
    const text = side === 'consumer' ? args.consumerCredential : args.providerCredential;
    if (text !== undefined) settings.credentials[side] = parseCredentialFlag(`--${side}-credential`, text);
    const tenant = side === 'consumer' ? args.consumerTenant : args.providerTenant;
    if (tenant !== undefined) settings.tenants[side] = tenant.trim().toLowerCase();
  }
  if (args.cloud !== undefined) settings.cloud = args.cloud;
  // One schema for the file and the flags: what the config would refuse, the flags refuse, by flag name.
  const data = {
    targets: [{ name: 'flags', workspaceId: TENANT_PROBE_WORKSPACE, ...Object.fromEntries(SIDES.filter((s) => settings.tenants[s] !== undefined).map((s) => [s, { tenantId: settings.tenants[s] }])) }],
    credentials: settings.credentials,
    ...(settings.cloud !== undefined ? { cloud: settings.cloud } : {}),
  };
  try {
    resolveConfig(data, 'flags');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new UsageError(error.problems.map((p) => flagProblem(p.path, p.message, settings)).join('; '));
  }
  return settings;
}

/** A stand-in workspace id to validate the tenant flags in a target's place. */
const TENANT_PROBE_WORKSPACE = '00000000-0000-4000-8000-00000000f1a9';

function parseCredentialFlag(flag: string, text: string): CredentialSpec {
  const [type = '', ...fields] = text.split(',').map((part) => part.trim());
  if (!type) throw new UsageError(`${flag}: name a credential type (cli, managed-identity, default, client-secret, client-certificate, workload-identity, access-token, none)`);
  const spec: CredentialSpec = { type };
  for (const [i, field] of fields.entries()) {
    if (!field) continue;
    const eq = field.indexOf('=');
    const key = field.slice(0, eq);
    // Not echoed: a bare value here may be a secret pasted in place of the name of what holds it.
    if (eq <= 0) throw new UsageError(`${flag} ${type}: part ${i + 2} is not FIELD=VALUE (not shown: it may be a secret); e.g. clientId=<app id>,secretEnv=<variable name>`);
    if (key in spec) throw new UsageError(`${flag} ${type}: ${key} is given twice`);
    spec[key] = field.slice(eq + 1);
  }
  return spec;
}

/** A config problem found in what the flags set, said by the flag (`$.credentials.consumer.secretEnv` → `--consumer-credential ...: secretEnv: ...`). */
function flagProblem(path: string, message: string, settings: FlagSettings): string {
  for (const side of SIDES) {
    const credential = `$.credentials.${side}`;
    if (path === credential || path.startsWith(`${credential}.`)) {
      const field = path.slice(credential.length + 1);
      return `--${side}-credential ${settings.credentials[side]?.type ?? ''}: ${field ? `${field}: ` : ''}${message}`;
    }
    if (path === `$.targets[0].${side}.tenantId`) return `--${side}-tenant: ${message.replace(/^expected a GUID/, 'expected a tenant id, a GUID')}`;
  }
  if (path.startsWith('$.cloud')) return `--cloud: ${message}`;
  return `${path}: ${message}`;
}

/** The flags' settings over a config file's data: the flags win, as every flag does. */
function withSettings(data: unknown, flags: FlagSettings): unknown {
  if (!isObject(data)) return data;
  const credentials = Object.keys(flags.credentials).length ? { ...(isObject(data.credentials) ? data.credentials : {}), ...flags.credentials } : data.credentials;
  return { ...data, ...(credentials !== undefined ? { credentials } : {}), ...(flags.cloud !== undefined ? { cloud: flags.cloud } : {}) };
}

/**
 * `--workspace ID` without targets. With a credential for either tenant: discovery for that
 * workspace (tenant 1 by its private endpoint's DNS configuration, tenant 2 by its private link
 * service), and the targets it finds; nothing found is exit 2, never a quiet local-only run. Without
 * a credential: the local checks alone, as before (the summary says how to add the control plane).
 */
async function workspaceConfig(data: Record<string, unknown>, source: string, workspaceId: string, args: RunArgs, flags: FlagSettings, say: (line: string) => void): Promise<ResolvedConfig> {
  const settings = withSettings(data, flags) as Record<string, unknown>;
  // A side nobody gave a credential for is `none` by choice here (not a config that forgot it): its checks are skipped.
  const credentials = { consumer: { type: 'none' }, provider: { type: 'none' }, ...(isObject(settings.credentials) ? settings.credentials : {}) };
  const base = { ...settings, $schema: undefined, credentials };
  const { searchConfigData } = await import('../discover/build.js');
  const searchData = searchConfigData(base, flags.tenants);
  const search = resolveConfig(searchData, source);
  if (SIDES.every((side) => search.credentials[side].type === 'none')) {
    return checkedConfig({ ...base, targets: [{ name: 'workspace', workspaceId }] }, source, flags);
  }
  checkedConfig(searchData, source, flags, { signIn: true });
  for (const side of SIDES) {
    const type = search.credentials[side].type;
    // An app signs in to a named tenant; the others find theirs (az login, the managed identity's).
    if ((type === 'client-secret' || type === 'client-certificate') && !flags.tenants[side]) {
      throw new UsageError(`${flags.credentials[side] ? `--${side}-credential` : `${source}: credentials.${side}`} ${type} signs in to a named tenant: add --${side}-tenant <tenant ${side === 'consumer' ? 1 : 2} id>`);
    }
  }
  const { discoverWorkspaceTargets } = await import('./run-discover.js');
  // Discovery goes the way the run will: the same CA file, connect-to rules and DNS flags.
  const targets = await discoverWorkspaceTargets(applyFlags(search, { ...args, target: undefined }), workspaceId, say);
  return checkedConfig({ ...base, targets }, source, flags);
}

/**
 * A config's data, validated as `validate-config` does: an error stops the run (exit 2), except a
 * problem of one side's sign-in (a missing secret or token file), which that side's credential
 * check reports so the other side is still checked (`signIn`: those stop too, for a search that has
 * no check to report them). A problem in what a flag set is said by the flag.
 */
function checkedConfig(data: unknown, source: string, flags: FlagSettings, options: { signIn?: boolean } = {}): ResolvedConfig {
  const config = resolveConfig(data, source);
  const stop = validateConfig(config, { raw: data }).filter((f) => f.level === 'error' && (options.signIn || !f.signIn));
  if (!stop.length) return config;
  const fromFlag = (path: string) => SIDES.some((side) => flags.credentials[side] && (path === `$.credentials.${side}` || path.startsWith(`$.credentials.${side}.`)));
  if (!stop.some((f) => fromFlag(f.path))) throw new ConfigError(source, stop.map(({ path, message }) => ({ path, message })));
  throw new UsageError(stop.map((f) => (fromFlag(f.path) ? flagProblem(f.path, f.message, flags) : `${source}: ${f.path}: ${f.message}`)).join('; '));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
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

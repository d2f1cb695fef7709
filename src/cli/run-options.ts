// The options `run`, `demo` and `bundle` share (light: no config validator loaded to build --help).
import type { Argv } from 'yargs';
import { formatHelp } from '../../reports/formats.js';
import { DEFAULT_CONFIG_FILE } from '../config/defaults.js';
import { FAIL_ON_VALUES } from '../engine/status.js';

export const DEFAULT_OUT_DIR = 'xtenant-doctor-report';

export interface RunArgs {
  config?: string;
  workspace?: string;
  out?: string;
  format?: string[];
  checks?: string[];
  skip?: string[];
  target?: string[];
  failOn: string;
  exitCode: boolean;
  json?: boolean;
  verbose?: boolean;
  quiet?: boolean;
  color?: boolean;
  ascii?: boolean;
  dnsServer?: string[];
  publicDnsServer?: string[];
  azureVm?: boolean;
  connectTo?: string[];
  caFile?: string;
  publicProbe?: boolean;
  junitWarnAs?: string;
  vantage?: string;
  debug?: boolean;
  consumerCredential?: string;
  providerCredential?: string;
  consumerTenant?: string;
  providerTenant?: string;
  cloud?: string;
}

/** The options that name a credential, a tenant or a cloud without a config (run-config.ts). */
export const CREDENTIAL_OPTIONS = ['consumer-credential', 'provider-credential', 'consumer-tenant', 'provider-tenant', 'cloud'] as const;

/** `--format`, as run, demo, bundle, replay and merge take it (the formats are reports/formats.ts's). */
export const formatOption = { type: 'array', string: true, description: formatHelp(), coerce: splitList } as const;

/**
 * Every option of `run` (and `demo`, `bundle`), defined once, as yargs takes them: yargs is built
 * from this table (withRunOptions) and so is the launcher's parser for a plain `run` (parseRunArgs),
 * which must agree with yargs for everything it accepts (test/unit/cli/run-fast-parse.test.ts).
 */
export const RUN_OPTIONS = {
  config: { alias: 'c', type: 'string', description: `Config file (default: ./${DEFAULT_CONFIG_FILE} when it exists)` },
  workspace: { alias: 'w', type: 'string', description: 'Diagnose this workspace alone. Without targets (no config, or one without them) and with a credential, its private link is discovered in Azure and both tenants are checked; without a credential, from this machine only' },
  'consumer-credential': { type: 'string', description: "Tenant 1's credential as TYPE[,FIELD=VALUE...], the config's credentials.consumer on one line: cli, managed-identity[,clientId=ID], client-secret,clientId=ID,secretEnv=VAR (or secretFile=FILE), access-token,armTokenFile=FILE... Secrets never on the command line" },
  'consumer-tenant': { type: 'string', description: "Tenant 1's id (for --workspace without targets; client-secret and client-certificate need it)" },
  'provider-credential': { type: 'string', description: "Tenant 2's credential, as --consumer-credential" },
  'provider-tenant': { type: 'string', description: "Tenant 2's id (for --workspace without targets)" },
  cloud: { type: 'string', choices: ['public', 'usgov', 'china'], description: 'The Azure cloud (default: the config\'s, else public; custom endpoints only in a config)' },
  out: { alias: 'o', type: 'string', default: DEFAULT_OUT_DIR, description: 'Write the reports to this directory' },
  format: formatOption,
  checks: { type: 'array', string: true, description: 'Run only these checks: ids, globs (local.*) or sides', coerce: splitList },
  skip: { type: 'array', string: true, description: 'Skip these checks: ids, globs or sides', coerce: splitList },
  target: { type: 'array', string: true, description: 'Run only these targets (names or globs; repeatable)', coerce: splitList },
  'fail-on': { type: 'string', default: 'fail', choices: [...FAIL_ON_VALUES], description: 'What makes exit code 1: fail, warn, error, or a severity (fails at or above it)' },
  'exit-code': { type: 'boolean', default: true, description: 'Use --no-exit-code to exit 0 whatever the result (reports only)' },
  json: { type: 'boolean', description: 'Print the RunReport as JSON on stdout' },
  verbose: { alias: 'v', type: 'boolean', description: 'Show evidence and timings' },
  quiet: { alias: 'q', type: 'boolean', description: 'Print the verdict only' },
  color: { type: 'boolean', description: 'Force colours on or off (default: on a terminal, unless NO_COLOR is set)' },
  ascii: { type: 'boolean', description: 'ASCII marks (+ x ! ? -) instead of ✓ ✗ (default: on the Windows console host)' },
  'dns-server': { type: 'array', string: true, description: 'Ask these DNS servers directly (host, host:port, [v6]:port)', coerce: splitList },
  'public-dns-server': { type: 'array', string: true, description: 'Public DNS servers for the public-path probe', coerce: splitList },
  'azure-vm': { type: 'boolean', description: 'This machine is in Azure: also ask 168.63.129.16' },
  'connect-to': { type: 'array', string: true, description: 'curl-style HOST:PORT:HOST2:PORT2 override (repeatable)' },
  'ca-file': { type: 'string', description: 'Extra trusted root CAs (PEM), e.g. of a TLS-inspecting proxy' },
  'public-probe': { type: 'boolean', description: 'Also probe the public path (expects RequestDeniedByInboundPolicy)' },
  vantage: { type: 'string', description: 'Name this vantage point for `merge` (default: XTENANT_DOCTOR_VANTAGE, else the host name)' },
  'junit-warn-as': { type: 'string', choices: ['skipped', 'passed', 'failure'], default: 'skipped', description: 'How warnings appear in JUnit' },
} as const;

/** The run options on `y`; a command reads them as RunArgs through `declared` (args.ts). */
export function withRunOptions<T>(y: Argv<T>) {
  return y.options(RUN_OPTIONS);
}

/** One option of the table, as parseRunArgs reads it. */
interface RunOptionSpec {
  alias?: string;
  type: 'string' | 'boolean' | 'array';
  default?: string | boolean;
  choices?: readonly string[];
  coerce?: (values: string[] | undefined) => string[] | undefined;
}

const camelCase = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * A plain `run ...` parsed without yargs, for the launcher's fast path: long options as
 * `--name value` or `--name=value`, `--no-name` for a boolean, the one-letter aliases alone (`-c
 * FILE`, `-q`), list options once per value, and `--debug`. Anything else (help, an unknown or
 * repeated option, a bad choice, a positional, `--`, a value starting with `-` or empty, bundled
 * letters) returns undefined and yargs parses the whole line, with its own messages.
 */
export function parseRunArgs(args: readonly string[]): RunArgs | undefined {
  if (args[0] !== 'run') return undefined;
  const table: Readonly<Record<string, RunOptionSpec>> = RUN_OPTIONS;
  const byAlias = new Map<string, string>(Object.entries(table).flatMap(([name, spec]) => (spec.alias ? [[`-${spec.alias}`, name] as const] : [])));
  const parsed: Record<string, unknown> = {};
  const lists = new Map<string, string[]>();
  const seen = new Set<string>();
  for (let i = 1; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--debug') {
      if (seen.has('debug')) return undefined;
      seen.add('debug');
      parsed.debug = true;
      continue;
    }
    if (arg.startsWith('--no-')) {
      const name = arg.slice(5);
      if (!Object.hasOwn(table, name) || table[name]!.type !== 'boolean' || seen.has(name)) return undefined;
      seen.add(name);
      parsed[camelCase(name)] = false;
      continue;
    }
    let name: string | undefined;
    let value: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      if (eq >= 0) value = arg.slice(eq + 1);
    } else {
      name = byAlias.get(arg);
    }
    const spec = name !== undefined && Object.hasOwn(table, name) ? table[name] : undefined;
    if (!name || !spec || (seen.has(name) && spec.type !== 'array')) return undefined;
    seen.add(name);
    if (spec.type === 'boolean') {
      if (value !== undefined) return undefined;
      parsed[camelCase(name)] = true;
      continue;
    }
    if (value === undefined) value = args[++i];
    if (!value || value.startsWith('-')) return undefined;
    if (spec.type === 'array') {
      // yargs takes every following word into the list: one value at a time here.
      const next = args[i + 1];
      if (next !== undefined && !next.startsWith('-')) return undefined;
      lists.set(name, [...(lists.get(name) ?? []), value]);
      continue;
    }
    if (spec.choices && !spec.choices.includes(value)) return undefined;
    parsed[camelCase(name)] = value;
  }
  for (const [name, values] of lists) parsed[camelCase(name)] = table[name]!.coerce ? table[name]!.coerce(values) : values;
  for (const [name, spec] of Object.entries(table)) {
    if (spec.default !== undefined && !seen.has(name)) parsed[camelCase(name)] = spec.default;
  }
  // The table's defaults give these two; each other field is its option's own type (the test compares every field with yargs').
  const { failOn, exitCode } = parsed;
  if (typeof failOn !== 'string' || typeof exitCode !== 'boolean') return undefined;
  return { ...parsed, failOn, exitCode };
}

/** A repeatable option that also takes a comma-separated list: `--format json,md --format html`. */
export function splitList(values: string[] | undefined): string[] | undefined {
  return values?.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
}

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

/** The run options on `y`; a command reads them as RunArgs through `declared` (args.ts). */
export function withRunOptions<T>(y: Argv<T>) {
  return y
    .option('config', { alias: 'c', type: 'string', description: `Config file (default: ./${DEFAULT_CONFIG_FILE} when it exists)` })
    .option('workspace', { alias: 'w', type: 'string', description: 'Diagnose this workspace alone. Without targets (no config, or one without them) and with a credential, its private link is discovered in Azure and both tenants are checked; without a credential, from this machine only' })
    .option('consumer-credential', { type: 'string', description: "Tenant 1's credential as TYPE[,FIELD=VALUE...], the config's credentials.consumer on one line: cli, managed-identity[,clientId=ID], client-secret,clientId=ID,secretEnv=VAR (or secretFile=FILE), access-token,armTokenFile=FILE... Secrets never on the command line" })
    .option('consumer-tenant', { type: 'string', description: "Tenant 1's id (for --workspace without targets; client-secret and client-certificate need it)" })
    .option('provider-credential', { type: 'string', description: "Tenant 2's credential, as --consumer-credential" })
    .option('provider-tenant', { type: 'string', description: "Tenant 2's id (for --workspace without targets)" })
    .option('cloud', { type: 'string', choices: ['public', 'usgov', 'china'], description: 'The Azure cloud (default: the config\'s, else public; custom endpoints only in a config)' })
    .option('out', { alias: 'o', type: 'string', default: DEFAULT_OUT_DIR, description: 'Write the reports to this directory' })
    .option('format', formatOption)
    .option('checks', { type: 'array', string: true, description: 'Run only these checks: ids, globs (local.*) or sides', coerce: splitList })
    .option('skip', { type: 'array', string: true, description: 'Skip these checks: ids, globs or sides', coerce: splitList })
    .option('target', { type: 'array', string: true, description: 'Run only these targets (names or globs; repeatable)', coerce: splitList })
    .option('fail-on', { type: 'string', default: 'fail', choices: [...FAIL_ON_VALUES], description: 'What makes exit code 1: fail, warn, error, or a severity (fails at or above it)' })
    .option('exit-code', { type: 'boolean', default: true, description: 'Use --no-exit-code to exit 0 whatever the result (reports only)' })
    .option('json', { type: 'boolean', description: 'Print the RunReport as JSON on stdout' })
    .option('verbose', { alias: 'v', type: 'boolean', description: 'Show evidence and timings' })
    .option('quiet', { alias: 'q', type: 'boolean', description: 'Print the verdict only' })
    .option('color', { type: 'boolean', description: 'Force colours on or off (default: on a terminal, unless NO_COLOR is set)' })
    .option('ascii', { type: 'boolean', description: 'ASCII marks (+ x ! ? -) instead of ✓ ✗ (default: on the Windows console host)' })
    .option('dns-server', { type: 'array', string: true, description: 'Ask these DNS servers directly (host, host:port, [v6]:port)', coerce: splitList })
    .option('public-dns-server', { type: 'array', string: true, description: 'Public DNS servers for the public-path probe', coerce: splitList })
    .option('azure-vm', { type: 'boolean', description: 'This machine is in Azure: also ask 168.63.129.16' })
    .option('connect-to', { type: 'array', string: true, description: 'curl-style HOST:PORT:HOST2:PORT2 override (repeatable)' })
    .option('ca-file', { type: 'string', description: 'Extra trusted root CAs (PEM), e.g. of a TLS-inspecting proxy' })
    .option('public-probe', { type: 'boolean', description: 'Also probe the public path (expects RequestDeniedByInboundPolicy)' })
    .option('vantage', { type: 'string', description: 'Name this vantage point for `merge` (default: XTENANT_DOCTOR_VANTAGE, else the host name)' })
    .option('junit-warn-as', { type: 'string', choices: ['skipped', 'passed', 'failure'], default: 'skipped', description: 'How warnings appear in JUnit' });
}

/** A repeatable option that also takes a comma-separated list: `--format json,md --format html`. */
export function splitList(values: string[] | undefined): string[] | undefined {
  return values?.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
}

/** `--format`, as run, demo, bundle, replay and merge take it (the formats are reports/formats.ts's). */
export const formatOption = { type: 'array', string: true, description: formatHelp(), coerce: splitList } as const;


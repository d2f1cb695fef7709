// Reads, validates and resolves the config file. Every problem is reported at once, each with its
// JSON path, what was expected and what was found; the CLI turns ConfigError into exit 2.
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import type { ErrorObject } from 'ajv';
import { configValidator as validator } from './schema-validator.generated.js';
import { parseWorkspaceId, WorkspaceIdError } from '../fabric/workspace.js';
import { describeJsonError } from '../text/json.js';
import { parseConnectTo } from '../net/destination.js';
import { CLOUDS, DEFAULT_CONFIG_FILE, defaultConfig } from './defaults.js';
import { resolvePluginSpecifier } from './plugin-specifier.js';
import type { CloudEndpoints, CredentialConfig, ResolvedConfig, Target } from './types.js';

export { DEFAULT_CONFIG_FILE } from './defaults.js';
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

export interface ConfigProblem {
  /** JSONPath-like location, e.g. `$.targets[0].workspaceId`. */
  path: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: ConfigProblem[],
  ) {
    super(`${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The config file as written (before defaults). */
export type ConfigFile = {
  targets: Array<{ name: string; workspaceId: string; provider?: Target['provider']; consumer?: Target['consumer'] }>;
  credentials?: { provider?: CredentialConfig; consumer?: CredentialConfig };
  cloud?: 'public' | 'usgov' | 'china' | { name?: 'custom'; armEndpoint: string; armScope?: string; fabricEndpoint: string; fabricScope?: string; authorityHost: string; portalEndpoint?: string };
  dns?: Partial<ResolvedConfig['dns']>;
  probes?: Partial<ResolvedConfig['probes']>;
  network?: Partial<ResolvedConfig['network']>;
  tls?: { caFile?: string };
  checks?: Partial<ResolvedConfig['checks']>;
  plugins?: string[];
  concurrency?: Record<string, number>;
  timeouts?: Partial<ResolvedConfig['timeouts']>;
  limits?: Partial<ResolvedConfig['limits']>;
};

/** schema/config.schema.json compiled at build time (scripts/compile-schemas.mjs): no compiling at start. */
function validate(data: unknown): ErrorObject[] {
  return validator(data) ? [] : (validator.errors ?? []);
}

/** Reads a config file: size cap, BOM, JSON syntax with line and column, schema, then semantics. */
export function loadConfigFile(file: string): ResolvedConfig {
  return resolveConfig(readConfigData(file), file);
}

/** A config file's JSON as written (size cap, BOM, syntax with line and column), not yet validated. */
export function readConfigData(file: string): unknown {
  let bytes: Buffer;
  try {
    const size = statSync(file).size;
    if (size > MAX_CONFIG_BYTES) throw new ConfigError(file, [{ path: '$', message: `the file is ${size} bytes; a config is at most ${MAX_CONFIG_BYTES} bytes` }]);
    bytes = readFileSync(file);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file (create one with `xtenant-doctor init`, or use --workspace <id>)' : (error as Error).message;
    throw new ConfigError(file, [{ path: '$', message: reason }]);
  }
  return parseConfigJson(bytes.toString('utf8'), file);
}

export function parseConfigText(text: string, source: string): ResolvedConfig {
  return resolveConfig(parseConfigJson(text, source), source);
}

function parseConfigJson(text: string, source: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    throw new ConfigError(source, [{ path: '$', message: `invalid JSON: ${describeJsonError(body, error as Error)}` }]);
  }
  return data;
}

/** Validates a parsed config object and fills in defaults. */
export function resolveConfig(data: unknown, source: string): ResolvedConfig {
  const problems = collapseAlternatives(validate(data).filter((e) => e.keyword !== 'if'));
  problems.push(...semanticProblems(data));
  if (problems.length) throw new ConfigError(source, dedupe(problems));
  const file = data as ConfigFile;
  const base = defaultConfig();
  const baseDir = source === 'flags' ? process.cwd() : dirname(resolvePath(source));
  const config: ResolvedConfig = {
    ...base,
    source,
    targets: file.targets.map((t) => ({ ...t, workspaceId: parseWorkspaceId(t.workspaceId) })),
    credentials: {
      provider: file.credentials?.provider ?? base.credentials.provider,
      consumer: file.credentials?.consumer ?? base.credentials.consumer,
    },
    cloud: resolveCloud(file.cloud),
    dns: { ...base.dns, ...file.dns },
    probes: { ...base.probes, ...file.probes },
    network: { ...base.network, ...file.network },
    tls: file.tls?.caFile ? { caFile: resolvePath(baseDir, file.tls.caFile) } : {},
    checks: { ...base.checks, ...file.checks },
    plugins: (file.plugins ?? []).map((p) => resolvePluginSpecifier(baseDir, p)),
    concurrency: { ...base.concurrency, ...file.concurrency },
    timeouts: { ...base.timeouts, ...file.timeouts },
    limits: { ...base.limits, ...file.limits },
  };
  return config;
}

function resolveCloud(cloud: ConfigFile['cloud']): CloudEndpoints {
  if (cloud === undefined) return { ...CLOUDS.public };
  if (typeof cloud === 'string') return { ...CLOUDS[cloud] };
  const trim = (url: string) => url.replace(/\/+$/, '');
  return {
    name: 'custom',
    armEndpoint: trim(cloud.armEndpoint),
    armScope: cloud.armScope ?? `${trim(cloud.armEndpoint)}/.default`,
    fabricEndpoint: trim(cloud.fabricEndpoint),
    fabricScope: cloud.fabricScope ?? CLOUDS.public.fabricScope,
    authorityHost: trim(cloud.authorityHost),
    ...(cloud.portalEndpoint ? { portalEndpoint: trim(cloud.portalEndpoint) } : {}),
  };
}

/** What the schema cannot say: workspace ids in any accepted form, unique target names, connect-to. */
function semanticProblems(data: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!data || typeof data !== 'object') return problems;
  const file = data as Partial<ConfigFile>;
  const seen = new Map<string, number>();
  (Array.isArray(file.targets) ? file.targets : []).forEach((target, i) => {
    if (!target || typeof target !== 'object' || typeof target.workspaceId !== 'string') return;
    try {
      parseWorkspaceId(target.workspaceId);
    } catch (error) {
      if (!(error instanceof WorkspaceIdError)) throw error;
      problems.push({ path: `$.targets[${i}].workspaceId`, message: error.message });
    }
    const first = seen.get(target.name);
    if (first !== undefined) problems.push({ path: `$.targets[${i}].name`, message: `duplicate target name ${JSON.stringify(target.name)} (also $.targets[${first}].name)` });
    else seen.set(target.name, i);
  });
  const connectTo = file.network?.connectTo;
  (Array.isArray(connectTo) ? connectTo : []).forEach((spec, i) => {
    if (typeof spec !== 'string') return;
    try {
      parseConnectTo(spec);
    } catch (error) {
      problems.push({ path: `$.network.connectTo[${i}]`, message: (error as Error).message });
    }
  });
  return problems;
}

/**
 * Ajv reports every failed branch of a oneOf/anyOf; a person wants one line per place:
 * "needs exactly one of secretEnv, secretFile" or "expected X or Y".
 */
function collapseAlternatives(errors: ErrorObject[]): ConfigProblem[] {
  const alternatives = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  const inBranch = (e: ErrorObject) => alternatives.some((alt) => e !== alt && e.instancePath === alt.instancePath && e.schemaPath.startsWith(`${alt.schemaPath}/`));
  const problems: ConfigProblem[] = [];
  for (const error of errors) {
    if (inBranch(error)) continue;
    if (error.keyword !== 'oneOf' && error.keyword !== 'anyOf') {
      problems.push(toProblem(error));
      continue;
    }
    const branches = errors.filter((e) => e !== error && e.instancePath === error.instancePath && e.schemaPath.startsWith(`${error.schemaPath}/`));
    const path = pointerToPath(error.instancePath);
    const passing = (error.params as { passingSchemas?: number[] | null }).passingSchemas;
    if (branches.length && branches.every((b) => b.keyword === 'required')) {
      const keys = branches.map((b) => JSON.stringify((b.params as { missingProperty: string }).missingProperty));
      problems.push({ path, message: `needs ${error.keyword === 'oneOf' ? 'exactly one' : 'at least one'} of ${keys.join(', ')}` });
    } else if (passing && passing.length > 1) {
      problems.push({ path, message: 'matches more than one of the allowed forms: give only one' });
    } else {
      const expected = [...new Set(branches.map((b) => toProblem(b).message.replace(/, found .*$/s, '')))];
      problems.push({ path, message: `${expected.join(', or ')}; found ${describeFound(error.data)}` });
    }
  }
  return problems;
}

function toProblem(error: ErrorObject): ConfigProblem {
  const path = pointerToPath(error.instancePath);
  // Where a variable name is expected, a value that is not one may be the secret itself: never echo it.
  const found = /Env$/.test(error.instancePath) && typeof error.data === 'string' ? 'a value that is not a variable name (not shown: it may be the secret itself)' : describeFound(error.data);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      return { path: `${path}.${key}`, message: `unknown key ${JSON.stringify(key)}` };
    }
    case 'required':
      return { path, message: `missing required key ${JSON.stringify((error.params as { missingProperty: string }).missingProperty)}` };
    case 'enum':
      return { path, message: `expected one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}, found ${found}` };
    case 'const':
      return { path, message: `expected ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}, found ${found}` };
    case 'pattern':
      return { path, message: `expected ${describePattern(error)}, found ${found}` };
    case 'format':
      return { path, message: `expected a ${(error.params as { format: string }).format} (YYYY-MM-DD), found ${found}` };
    case 'type':
      return { path, message: `expected ${(error.params as { type: string }).type}, found ${found}` };
    case 'oneOf':
    case 'anyOf':
      return { path, message: `${error.message ?? 'does not match'} (${(error.parentSchema as { description?: string })?.description ?? 'see the schema'}), found ${found}` };
    default:
      return { path, message: `${error.message ?? 'invalid'}, found ${found}` };
  }
}

function describePattern(error: ErrorObject): string {
  const ref = (error.schemaPath.match(/definitions\/(\w+)/) ?? [])[1];
  const names: Record<string, string> = {
    guid: 'a GUID like 00000000-0000-0000-0000-000000000000',
    httpsUrl: 'an https:// URL',
    server: 'a DNS server as host, host:port or [IPv6]:port',
    resourceId: 'an Azure resource id like /subscriptions/<sub>/resourceGroups/<rg>/providers/<namespace>/<type>/<name>',
    glob: 'a check id, target name or side with at most 8 `*` wildcards',
  };
  return (ref && names[ref]) ?? `a string matching ${(error.params as { pattern: string }).pattern}`;
}

function describeFound(data: unknown): string {
  if (data === undefined) return 'nothing';
  if (data === null) return 'null';
  if (Array.isArray(data)) return `an array of ${data.length}`;
  if (typeof data === 'object') return 'an object';
  const text = JSON.stringify(data);
  return `${typeof data} ${text.length > 80 ? `${text.slice(0, 77)}...` : text}`;
}

function pointerToPath(pointer: string): string {
  if (!pointer) return '$';
  return (
    '$' +
    pointer
      .split('/')
      .slice(1)
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((part) => (/^\d+$/.test(part) ? `[${part}]` : /^[A-Za-z_$][\w$]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`))
      .join('')
  );
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

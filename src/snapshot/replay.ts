// Replay: today's checks evaluated on the facts a report recorded, with no network at all. The
// config is rebuilt from the report (its targets and the recorded config), the sandbox refuses every
// connection, and a process-wide guard refuses anything that would still try (offline.ts).
//
// Fact versions: a fact recorded by the same gatherer version is used as it is. One recorded by
// another version is upgraded when FACT_MIGRATIONS has the steps; otherwise it is treated as
// missing (the checks that need it `skip`, reason missing-fact, naming both versions). A recorded
// *unavailable* fact (forbidden, not found…) is kept whatever the version: it has no shape to change.
import { defaultConfig } from '../config/defaults.js';
import { ConfigError, resolveConfig } from '../config/load.js';
import type { CredentialConfig, ResolvedConfig } from '../config/types.js';
import type { CheckDef, FactDef } from '../engine/define.js';
import { runDiagnosis, type EngineEvent } from '../engine/run.js';
import { TENANT_SIDES, UNAVAILABLE_KINDS, type RecordedFact, type RunReport, type Target, type Unavailable, type UnavailableKind } from '../engine/types.js';
import { ReportFileError } from './load.js';
import { deriveMissingFacts, FACT_MIGRATIONS, type FactMigration } from './migrations.js';
import { withNetworkRefused } from './offline.js';
import { isJsonObject } from '../text/json.js';

export interface ReplayOptions {
  report: RunReport;
  /** The current catalogue: built-in checks plus plugins. */
  checks: CheckDef[];
  /** The current gatherers: only their versions are read (nothing is gathered). */
  facts: FactDef[];
  migrations?: Record<string, Record<number, FactMigration>>;
  onEvent?: (event: EngineEvent) => void;
  /** The replaying tool (default: the recording's). */
  tool?: { name: string; version: string };
  /** Where the recording came from, for the replay report's environment. */
  source?: string;
  now?: () => Date;
}

export interface IncompatibleFact {
  key: string;
  id: string;
  recordedVersion: number;
  currentVersion: number;
}

export interface ReplayOutcome {
  report: RunReport;
  /** Facts recorded by another gatherer version that could not be upgraded (replayed as missing). */
  incompatible: IncompatibleFact[];
  /** Connections something tried during the replay (all refused). Empty in a correct build. */
  refused: string[];
}

export async function replayReport(options: ReplayOptions): Promise<ReplayOutcome> {
  const { report } = options;
  const config = configFromReport(report, options.source);
  const upgraded = upgradeFacts(report.facts, options.facts, options.migrations ?? FACT_MIGRATIONS);
  const { incompatible } = upgraded;
  // An older recording lacks facts this tool derives (the endpoint's IPs): derived from what it holds.
  const recording = deriveMissingFacts(upgraded.facts, report.targets);
  const replayedAt = options.now?.() ?? new Date();
  const recordedAt = Number.isNaN(Date.parse(report.startedAt)) ? replayedAt : new Date(report.startedAt);

  return withNetworkRefused(async (guard) => {
    const replayed = await runDiagnosis({
      config,
      checks: options.checks,
      facts: options.facts,
      recording,
      onEvent: options.onEvent,
      failOn: report.failOn,
      tool: options.tool ?? report.tool,
      // Waivers are judged at the recording's time, so a replay gives the statuses the run gave.
      now: () => recordedAt,
      environment: {
        ...report.environment,
        replay: {
          source: options.source,
          recordedAt: report.startedAt,
          recordedBy: report.tool,
          replayedAt: replayedAt.toISOString(),
          ...(incompatible.length ? { incompatibleFacts: incompatible } : {}),
        },
      },
    });
    // The local checks' facts were observed where the recording ran: its vantage point stays.
    const vantage = report.vantage ? { vantage: report.vantage } : {};
    return { report: { ...replayed, startedAt: replayedAt.toISOString(), ...vantage }, incompatible, refused: [...guard.refused] };
  });
}

/**
 * The config the recording ran with, as far as the report tells it, with every connection refused.
 * The recorded sections the replay uses are validated like a config file (a recorded concurrency of
 * 0 would stall the engine): a ReportFileError names `file` and the place.
 */
export function configFromReport(report: RunReport, file = 'the recording'): ResolvedConfig {
  const config = defaultConfig();
  const recorded = asObject(asObject(report.environment)?.config);
  config.source = `replay of a report from ${report.startedAt}`;
  if (recorded) {
    validateRecordedConfig(report, recorded, file);
    for (const section of ['dns', 'probes', 'timeouts', 'concurrency'] as const) {
      const value = asObject(recorded[section]);
      if (value) Object.assign(config[section], value);
    }
    const checks = asObject(recorded.checks);
    if (checks) {
      for (const key of ['skip', 'only', 'waivers'] as const) if (Array.isArray(checks[key])) (config.checks[key] as unknown[]) = checks[key] as unknown[];
    }
    const cloud = asObject(recorded.cloud);
    if (cloud && typeof cloud.name === 'string') Object.assign(config.cloud, cloud);
    if (Array.isArray(recorded.plugins)) config.plugins = recorded.plugins.filter((p): p is string => typeof p === 'string');
    const credentials = asObject(recorded.credentials);
    for (const side of TENANT_SIDES) {
      const type = credentialType(credentials?.[side]);
      // Reduced to the type: enough for a check that asks which kind of identity was used.
      if (type) config.credentials[side] = { type } as CredentialConfig;
    }
  }
  const recordedTargets = Array.isArray(recorded?.targets) ? (recorded.targets as Target[]) : [];
  config.targets = report.targets.map((t) => {
    const full = recordedTargets.find((r) => r?.name === t.name) ?? recordedTargets.find((r) => r?.workspaceId === t.workspaceId && r?.name === undefined);
    return { ...(full ?? {}), name: t.name, workspaceId: t.workspaceId };
  });
  // No network: nothing is mapped, and the sandbox refuses whatever is not mapped.
  config.network = { connectTo: [], sandbox: true };
  return config;
}

const REPLAYED_SECTIONS = ['dns', 'probes', 'timeouts', 'concurrency', 'checks'] as const;

/** The sections a replay takes from the recording, checked against the config schema. */
function validateRecordedConfig(report: RunReport, recorded: Record<string, unknown>, file: string): void {
  const candidate: Record<string, unknown> = { targets: report.targets.map((t) => ({ name: t.name, workspaceId: t.workspaceId })) };
  for (const section of REPLAYED_SECTIONS) if (recorded[section] !== undefined) candidate[section] = recorded[section];
  try {
    resolveConfig(candidate, file);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const first = error.problems[0]!;
    const more = error.problems.length > 1 ? ` (and ${error.problems.length - 1} more)` : '';
    throw new ReportFileError(file, `the recorded config is not valid: environment.config${first.path.replace(/^\$/, '')}: ${first.message}${more}`);
  }
}

/** The recording with facts from other gatherer versions upgraded, or marked missing. */
export function upgradeFacts(
  recorded: Record<string, RecordedFact>,
  current: FactDef[],
  migrations: Record<string, Record<number, FactMigration>>,
): { facts: Record<string, RecordedFact>; incompatible: IncompatibleFact[] } {
  const versions = new Map(current.map((def) => [def.id, def.version]));
  const facts: Record<string, RecordedFact> = {};
  const incompatible: IncompatibleFact[] = [];
  for (const [key, raw] of Object.entries(recorded)) {
    const fact = soundFact(key, raw);
    const version = versions.get(fact.id);
    if (version === undefined || version === fact.version || !fact.result.ok) {
      facts[key] = fact;
      continue;
    }
    let value = fact.result.value;
    let at = fact.version;
    while (at < version && migrations[fact.id]?.[at]) value = migrations[fact.id]![at++]!(value);
    if (at === version) {
      facts[key] = { ...fact, version, result: { ok: true, value } };
      continue;
    }
    incompatible.push({ key, id: fact.id, recordedVersion: fact.version, currentVersion: version });
    facts[key] = {
      ...fact,
      result: {
        ok: false,
        unavailable: {
          kind: 'missing-fact',
          message: `the recording has ${fact.id} from gatherer version ${fact.version}; this tool reads version ${version} and cannot convert it (run the diagnosis again to gather it)`,
        },
      },
    };
  }
  return { facts, incompatible };
}

/**
 * A recorded fact in the exact RecordedFact shape. A report edited by hand or damaged in transit may
 * hold anything: extra or missing fields are mended where harmless (durationMs, key), and a result
 * that is neither `{ok: true, value}` nor a well-formed unavailable becomes an unavailable `error`
 * naming the damage, so the checks that read it say `error` instead of guessing.
 */
export function soundFact(key: string, raw: unknown): RecordedFact {
  const fact = asObject(raw) ?? {};
  const id = typeof fact.id === 'string' ? fact.id : key.split('@')[0]!;
  const version = Number.isInteger(fact.version) && (fact.version as number) >= 1 ? (fact.version as number) : undefined;
  const durationMs = typeof fact.durationMs === 'number' && fact.durationMs >= 0 ? fact.durationMs : 0;
  const base = { id, version: version ?? 1, key: typeof fact.key === 'string' ? fact.key : key, durationMs };
  const damaged = (problem: string): RecordedFact => ({
    ...base,
    result: { ok: false, unavailable: { kind: 'error', message: `the recording's fact ${key} is damaged (${problem}); run the diagnosis again to gather it` } },
  });
  if (version === undefined) return damaged(`version is ${JSON.stringify(fact.version)}, not a whole number from 1`);
  const result = asObject(fact.result);
  if (result?.ok === true && 'value' in result) return { ...base, result: { ok: true, value: result.value } };
  const unavailable = asObject(result?.unavailable);
  if (result?.ok === false && unavailable && UNAVAILABLE_KINDS.includes(unavailable.kind as UnavailableKind) && typeof unavailable.message === 'string') {
    const clean: Unavailable = { kind: unavailable.kind as UnavailableKind, message: unavailable.message };
    if (Number.isInteger(unavailable.httpStatus)) clean.httpStatus = unavailable.httpStatus as number;
    for (const field of ['requestId', 'code', 'neededRole'] as const) if (typeof unavailable[field] === 'string') clean[field] = unavailable[field] as string;
    const details = asObject(unavailable.details);
    if (details) clean.details = details;
    return { ...base, result: { ok: false, unavailable: clean } };
  }
  return damaged('its result is neither {ok: true, value} nor {ok: false, unavailable: {kind, message}}');
}

function credentialType(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const type = asObject(value)?.type;
  return typeof type === 'string' ? type : undefined;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return isJsonObject(value) ? value : undefined;
}

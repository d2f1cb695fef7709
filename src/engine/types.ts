// The shared vocabulary of the engine: checks, facts, findings and the RunReport.
// Everything here is plain data so a report is also a replayable snapshot.

export const SIDES = ['provider', 'consumer', 'local', 'public'] as const;
export type Side = (typeof SIDES)[number];
/** The sides that are tenants: each signs in with its own credential and reads its own control plane. */
export const TENANT_SIDES = ['provider', 'consumer'] as const;
export type TenantSide = (typeof TENANT_SIDES)[number];

export const STATUSES = ['pass', 'warn', 'fail', 'skip', 'error'] as const;
export type Status = (typeof STATUSES)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Why a check was skipped. `blocked`: a prerequisite failed; `waived`: a waiver hides a failure. */
export const SKIP_REASONS = ['blocked', 'not-applicable', 'not-selected', 'no-access', 'waived', 'missing-fact', 'interrupted'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** Why a fact could not be learned. */
export const UNAVAILABLE_KINDS = [
  'no-access', // the side has no credential: not contacted at all
  'not-configured', // the config does not say enough to look (e.g. no endpoint id)
  'forbidden', // 401/403
  'not-found', // 404: a fact in itself, so *-found checks can fail
  'throttled', // 429 after the retries
  'timeout',
  'network', // connection refused, reset, DNS failure of the API host, sandbox refusal
  'invalid-response', // a body that is not the expected shape
  'ambiguous', // several candidates, none chosen (e.g. two zones linked to the VNet)
  'missing-fact', // replay: the recording lacks this fact
  'error', // anything else
] as const;
export type UnavailableKind = (typeof UNAVAILABLE_KINDS)[number];

export interface Unavailable {
  kind: UnavailableKind;
  message: string;
  /** HTTP status when the fact came from an HTTP call. */
  httpStatus?: number;
  /** ARM `x-ms-request-id` / Fabric `RequestId`, kept for support. */
  requestId?: string;
  /** Error code from the service (e.g. AuthorizationFailed). */
  code?: string;
  /** The role that would have allowed the read (for forbidden). */
  neededRole?: string;
  /** Other structured details (candidates for `ambiguous`, the tenant for `forbidden`...). */
  details?: Record<string, unknown>;
}

/** A gathered fact: a value, or why there is none. Always plain JSON. */
export type FactResult<T = unknown> =
  | { ok: true; value: T }
  | { ok: false; unavailable: Unavailable };

/** Thrown by gatherers (and by `facts.require`) to turn a failure into a typed unavailable fact. */
export class FactUnavailableError extends Error {
  constructor(public readonly unavailable: Unavailable) {
    super(unavailable.message);
    this.name = 'FactUnavailableError';
  }
}

export function unavailable(kind: UnavailableKind, message: string, extra: Omit<Unavailable, 'kind' | 'message'> = {}): never {
  throw new FactUnavailableError({ kind, message, ...extra });
}

/**
 * Fact id → the type of its value: the one map checks read through. Empty here (the engine knows no
 * domain): the built-in facts fill it from their own definitions (src/gather/index.ts, by module
 * augmentation), so a gatherer's return type is the type every check reads.
 */
export interface FactTypes {}

/** A fact id the map knows: the ids a built-in check may list in `needs`. */
export type FactId = keyof FactTypes & string;

/**
 * The type of fact `K`'s value in map `M` (`unknown` for an id the map does not know). An indexed
 * access rather than a conditional type, so a check typed by a larger map (a plugin's) still is a
 * CheckDef of the built-in one.
 */
export type FactValue<K extends string, M = FactTypes> = (M & { [id: string]: unknown })[K];

/**
 * What a check's `run` sees: the gathered facts, synchronously, typed by the map. `Needs` are the ids
 * the check declared: reading any other is a compile error (and, at run time, an `error` finding).
 */
export interface FactReader<Needs extends string = string, M = FactTypes> {
  get<K extends Needs>(id: K): FactResult<FactValue<K, M>>;
  /**
   * The value, or the engine's default handling of an unavailable fact:
   * no-access → skip (no-access); not-configured → skip (not-applicable); anything else → error.
   */
  value<K extends Needs>(id: K): FactValue<K, M>;
}

// Targets are the config's: the engine diagnoses what the config names.
export type { ConsumerTarget, ProviderTarget, Target } from '../config/types.js';

/** A command that fixes a step, for each shell a jump VM has. Every known value is filled in. */
export interface FixCommands {
  bash: string;
  powershell: string;
}

/** One step of a fix: what to do, in which tenant, and the command that does it when there is one. */
export interface FixStep {
  text: string;
  /** The tenant the step runs in: provider = tenant 2, consumer = tenant 1. */
  tenant?: TenantSide;
  commands?: FixCommands;
}

/** A structured fix: a one-line summary and the steps to paste. */
export interface Fix {
  summary: string;
  steps: FixStep[];
}

/** A target's root cause: a non-pass result that nothing else explains, and what it explains. */
export interface RootCause {
  checkId: string;
  status: Status;
  /** In a merged report: the vantage point this cause was seen from (local and public checks). */
  vantage?: string;
  /** Check ids of this target whose non-pass status this one explains (they carry `explainedBy`). */
  explains: string[];
}

/** What a check returns: the status, a one-line message, evidence a person needs, and the fix. */
export interface Finding {
  status: Status;
  message: string;
  evidence?: Record<string, unknown>;
  /** The fix for this finding, narrowed by its evidence; without one a fail or warn gets the check's general fix. */
  fix?: Fix;
  skipReason?: SkipReason;
}

export interface CheckResult {
  checkId: string;
  title: string;
  side: Side;
  status: Status;
  severity: Severity;
  message: string;
  evidence: Record<string, unknown>;
  durationMs: number;
  docStep: string;
  skipReason?: SkipReason;
  blockedBy?: string;
  /** The structured fix (for a non-pass result that has one). */
  fix?: Fix;
  /** Check ids of the same target whose non-pass result explains this one (it is their symptom). */
  explainedBy?: string[];
  /** In a merged report: the vantage point (`Vantage.id`) this result was observed from. */
  vantage?: string;
  /** Present when a waiver applied (or had expired: then `expired` is true and the status is unchanged). */
  waiver?: { reason: string; expires: string; expired: boolean; originalStatus?: Status };
  /** The fact keys this result was computed from (into RunReport.facts). */
  facts: string[];
}

export interface TargetReport {
  name: string;
  workspaceId: string;
  fqdns: Record<string, string>;
  results: CheckResult[];
  /** The fail and error results nothing else explains, each with what it explains (always filled by the engine). */
  rootCauses: RootCause[];
  /** Fact id → key in RunReport.facts, so a replay finds this target's facts. */
  factRefs: Record<string, string>;
}

export interface RecordedFact {
  id: string;
  version: number;
  key: string;
  result: FactResult;
  durationMs: number;
}

export interface Summary {
  pass: number;
  warn: number;
  fail: number;
  skip: number;
  error: number;
  exitCode: number;
}

/** Where a run ran: the machine (and VNet, when known) whose DNS and network path the local checks saw. */
export interface Vantage {
  /** A short, unique name: `--vantage`, else the host name. */
  id: string;
  host: string;
  /** The VNet this machine sits in, when known (config `consumer.vnetId`, all targets agreeing). */
  vnetId?: string;
  startedAt: string;
}

export interface RunReport {
  schemaVersion: 1;
  tool: { name: string; version: string };
  startedAt: string;
  durationMs: number;
  /** true when the run was stopped (SIGINT/SIGTERM) before every check finished. */
  interrupted?: boolean;
  /** 'live' for a diagnosis, 'replay' for checks evaluated on recorded facts, 'merged' for `merge`. */
  mode: 'live' | 'replay' | 'merged';
  /** Where this run ran (live and replay). */
  vantage?: Vantage;
  /** A merged report: every vantage point it joins, in input order. */
  vantagePoints?: Vantage[];
  failOn: string;
  summary: Summary;
  targets: TargetReport[];
  facts: Record<string, RecordedFact>;
  environment: Record<string, unknown>;
}

// defineCheck and defineFact: the two things a check author (built-in or plugin) writes.
import type { ResolvedConfig } from '../config/types.js';
import type { Services } from './services.js';
import type { KnownValues } from '../fix/known.js';
import type { FactReader } from './types.js';
import type { CheckResult, FactResult, Finding, Fix, Severity, Side, Target } from './types.js';

/** What a gatherer sees: its target, the config, the shared clients, and other facts. */
export interface GatherContext {
  target: Target;
  config: ResolvedConfig;
  services: Services;
  /** Another fact for the same target (memoised; safe to call from many places). */
  fact<T = unknown>(id: string): Promise<FactResult<T>>;
  /** Another fact's value; if it is unavailable, this fact is unavailable for the same reason. */
  require<T = unknown>(id: string): Promise<T>;
  /** Aborted on timeout or interruption. Pass it to every I/O call. */
  signal: AbortSignal;
}

export interface FactDef<T = unknown> {
  /** e.g. `consumer.privateEndpoint`. Checks list these in `needs`. */
  id: string;
  /** Bump when the shape of the value changes; recorded in snapshots. */
  version: number;
  description: string;
  /** The tenant side whose credential this fact needs; without one the fact is `no-access`, nothing is sent. */
  side?: 'provider' | 'consumer';
  /**
   * The memo key: two targets with the same key share one gather (e.g. a resource id).
   * Default: the target's name.
   */
  key?(ctx: GatherContext): string | Promise<string>;
  /** Lazy facts (network probes) are gathered only when a check that needs them is about to run. */
  lazy?: boolean;
  /** Overall time for this fact, dependencies included. Default: the engine's factTimeoutMs. */
  timeoutMs?: number;
  /** Throw FactUnavailableError (see `unavailable()`) for a typed failure; anything else thrown is `error`. */
  gather(ctx: GatherContext): Promise<T>;
}

export function defineFact<T>(def: FactDef<T>): FactDef<T> {
  return def;
}

// FactReader lives with the engine's vocabulary (types.ts), so fix helpers read facts without
// importing the check definitions that import them.
export type { FactReader } from './types.js';

export interface CheckInput {
  target: Target;
  config: ResolvedConfig;
  facts: FactReader;
}

export interface CheckDef {
  /** Public contract: `<side>.<name>`, e.g. `consumer.zone-linked`. */
  id: string;
  title: string;
  side: Side;
  severity: Severity;
  /** Fact ids this check reads. */
  needs: string[];
  /** Prerequisite checks. A name without a side prefix is on this check's side. */
  after: string[];
  /** The setup step it verifies (e.g. "7", "3, 5", "prerequisite"). */
  docStep: string;
  tags?: string[];
  /** What it proves and why it matters. */
  explain: string;
  /**
   * The general fix, with every value the doctor knows filled in (`explain` shows it with none known).
   * A finding may give a fix narrowed by its evidence instead.
   */
  fix: Fix | ((known: KnownValues) => Fix);
  /** Return a reason string to skip the check as not-applicable for this config (e.g. an optional probe that is off). */
  applies?(input: { target: Target; config: ResolvedConfig }): true | string;
  run(input: CheckInput): Finding | Promise<Finding>;
  /**
   * Causality, declared beside the symptom: given this check's non-pass result and the target's other
   * results, the ids of the results whose problem explains this one (read from their evidence, never
   * from their ids alone). Only results that are themselves fail, warn or error can explain.
   */
  explainedBy?(input: { result: CheckResult; results: TargetResults; target: Target }): string[];
}

/** A target's results by check id, as the causality hooks see them. */
export interface TargetResults {
  get(checkId: string): CheckResult | undefined;
}

export function defineCheck(def: CheckDef): CheckDef {
  return def;
}

/** The sign-in check of a tenant side: every other check of that side depends on it. */
export function credentialCheckId(side: Side): string | undefined {
  return side === 'provider' || side === 'consumer' ? `${side}.credential` : undefined;
}

/**
 * A check's prerequisites, qualified: its `after`, plus its side's credential check when the
 * catalogue has one (so a side that cannot sign in is one finding, not an error on every check).
 */
export function prerequisitesOf(check: Pick<CheckDef, 'id' | 'side' | 'after'>, known: ReadonlySet<string>): string[] {
  const listed = check.after.map((name) => qualifyPrerequisite(check, name));
  const credential = credentialCheckId(check.side);
  if (!credential || credential === check.id || !known.has(credential) || listed.includes(credential)) return listed;
  return [credential, ...listed];
}

/** Resolves `after` names: a name without a side prefix is on the check's own side. */
export function qualifyPrerequisite(check: Pick<CheckDef, 'side'>, name: string): string {
  return name.includes('.') ? name : `${check.side}.${name}`;
}

/** A check's general fix for what is known (nothing, for `explain`). */
export function generalFix(check: Pick<CheckDef, 'fix'>, known: KnownValues): Fix {
  return typeof check.fix === 'function' ? check.fix(known) : check.fix;
}

// defineCheck and defineFact: the two things a check author (built-in or plugin) writes.
import type { ResolvedConfig } from '../config/types.js';
import type { Services } from './services.js';
import type { KnownValues } from '../fix/known.js';
import type { CheckResult, FactId, FactReader, FactResult, FactTypes, FactValue, Finding, Fix, Severity, Side, Target, TenantSide } from './types.js';

/** What a gatherer sees: its target, the config, the shared clients, and other facts. */
export interface GatherContext {
  target: Target;
  config: ResolvedConfig;
  services: Services;
  /**
   * Another fact for the same target (memoised; safe to call from many places), typed by the fact
   * map (`unknown` for an id it does not know, such as a plugin's own fact).
   */
  fact<K extends string>(id: K): Promise<FactResult<FactValue<K>>>;
  /** Another fact's value; if it is unavailable, this fact is unavailable for the same reason. */
  require<K extends string>(id: K): Promise<FactValue<K>>;
  /** Aborted on timeout or interruption. Pass it to every I/O call. */
  signal: AbortSignal;
}

export interface FactDef<T = unknown, Id extends string = string> {
  /** e.g. `consumer.privateEndpoint`. Checks list these in `needs`. */
  id: Id;
  /** Bump when the shape of the value changes; recorded in snapshots. */
  version: number;
  description: string;
  /** The tenant side whose credential this fact needs; without one the fact is `no-access`, nothing is sent. */
  side?: TenantSide;
  /**
   * The memo key: two targets with the same key share one gather (e.g. a resource id).
   * Default: the target's name.
   */
  key?(ctx: GatherContext): string | Promise<string>;
  /**
   * Started before the run's other facts (the sign-in): the others start once the engine's
   * `headStart` says its first request is on the wire, or once these have settled.
   */
  startsFirst?: boolean;
  /** Overall time for this fact, dependencies included. Default: the engine's factTimeoutMs. */
  timeoutMs?: number;
  /** Throw FactUnavailableError (see `unavailable()`) for a typed failure; anything else thrown is `error`. */
  gather(ctx: GatherContext): Promise<T>;
}

/**
 * A fact: its id and value type are inferred from the definition (the literal `id`, the return type of
 * `gather`), so the fact map (FactTypes) is derived from the definitions rather than written twice.
 */
export function defineFact<const Id extends string, T>(def: FactDef<T, Id>): FactDef<T, Id> {
  return def;
}

/** Fact id → value type of a list of fact definitions (how FactTypes is built from them). */
export type FactTypesOf<Facts extends readonly FactDef<unknown, string>[]> = {
  [F in Facts[number] as F['id']]: F extends FactDef<infer T, string> ? T : never;
};

// FactReader lives with the engine's vocabulary (types.ts), so fix helpers read facts without
// importing the check definitions that import them.
export type { FactId, FactReader, FactTypes, FactValue } from './types.js';

/** What a check's `run` sees; `facts` reads only the ids the check lists in `needs`. */
export interface CheckInput<Needs extends string = string, M = FactTypes> {
  target: Target;
  config: ResolvedConfig;
  facts: FactReader<Needs, M>;
}

/**
 * A check. `Needs` is the tuple of fact ids it reads (inferred by defineCheck) and `M` the fact map
 * they are typed by; the catalogue and the engine hold checks as `CheckDef` (any ids, values unknown).
 */
export interface CheckDef<Needs extends readonly string[] = readonly string[], M = FactTypes> {
  /** Public contract: `<side>.<name>`, e.g. `consumer.zone-linked`. */
  id: string;
  title: string;
  side: Side;
  severity: Severity;
  /** Fact ids this check reads: `facts.value`/`facts.get` accept only these. */
  needs: Needs;
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
  run(input: CheckInput<Needs[number], M>): Finding | Promise<Finding>;
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

/**
 * A built-in check (or a plugin's that reads only built-in facts): `needs` must name facts of the map,
 * and `facts.value(id)` returns the type that fact's gatherer returns. Reading a fact not listed in
 * `needs`, or treating its value as another shape, does not compile.
 */
export function defineCheck<const Needs extends readonly FactId[]>(def: CheckDef<Needs>): CheckDef<Needs> {
  return def;
}

/**
 * For checks that read facts of their own (a plugin's, a test's): `withFacts(facts).defineCheck`
 * types `needs` and `facts` by the built-in map plus the map of these definitions.
 */
export function withFacts<const Facts extends readonly FactDef<unknown, string>[]>(facts: Facts) {
  type M = FactTypes & FactTypesOf<Facts>;
  return {
    /** The definitions, to export as the plugin's `facts`. */
    facts,
    defineCheck<const Needs extends readonly (keyof M & string)[]>(def: CheckDef<Needs, M>): CheckDef<Needs, M> {
      return def;
    },
  };
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

// The scheduler: gathers facts once (memoised by key, shared across targets), runs each check as
// soon as its facts and prerequisites are ready, applies the blocking rule and waivers.
import type { ResolvedConfig } from '../config/types.js';
import { workspaceNames } from '../fabric/workspace.js';
import { knownValues, type KnownValues } from '../fix/known.js';
import { grantRoleFix } from '../fix/steps.js';
import { linkCauses } from './causality.js';
import { generalFix, prerequisitesOf, type CheckDef, type FactDef, type FactReader, type GatherContext } from './define.js';
import pLimit from 'p-limit';
import { createServices, type Services } from './services.js';

/** Targets diagnosed at once (config `concurrency.targets`). */
export const DEFAULT_TARGET_WINDOW = 16;
import { computeSummary } from './status.js';
import { matchesPattern } from '../text/glob.js';
import {
  FactUnavailableError,
  type CheckResult,
  type FactResult,
  type Finding,
  type Fix,
  type RecordedFact,
  type RunReport,
  type Target,
  type TargetReport,
  type Unavailable,
} from './types.js';

export type EngineEvent =
  | { type: 'check-start'; target: string; checkId: string }
  | { type: 'check-end'; target: string; result: CheckResult }
  /** A target is finished and judged: `report` is what the run's report holds at `index` of its targets. */
  | { type: 'target-end'; target: string; done: number; total: number; index: number; report: TargetReport };

/**
 * Where a run puts the facts it no longer needs in memory (the CLI's report spool, reports/stream.ts):
 * a fact gathered for one target only, once that target is finished and judged. The run's report
 * then lists only the facts it kept (`RunReport.facts`); report.json takes the others from the spill.
 */
export interface FactSpill {
  /** Takes a settled fact; false when it could not (the run then keeps it). */
  put(memoKey: string, fact: RecordedFact): boolean;
  /** A fact put earlier, read back: a later target asked for the same key. */
  get(memoKey: string): RecordedFact | undefined;
}

export interface EngineOptions {
  config: ResolvedConfig;
  /** The catalogue: built-in checks plus plugins, already validated. */
  checks: CheckDef[];
  /** Every fact a check or gatherer may ask for. */
  facts: FactDef[];
  services?: Services;
  /** Replay: facts come from this recording instead of the network. */
  recording?: Pick<RunReport, 'facts' | 'targets'>;
  onEvent?: (event: EngineEvent) => void;
  /** Facts of finished targets leave memory here (not in a replay). */
  factSpill?: FactSpill;
  signal?: AbortSignal;
  failOn?: string;
  tool?: { name: string; version: string };
  environment?: Record<string, unknown>;
  now?: () => Date;
  /**
   * Resolves when the facts that start first (`startsFirst`: the sign-in) have their first request
   * on the wire; the other facts start then (or when those have settled, whichever comes first).
   */
  headStart?: () => Promise<void>;
}

/** Thrown by FactReader.value for the engine to turn into skip or error. */
class UnavailableFactSignal extends Error {
  constructor(
    readonly factId: string,
    readonly unavailable: Unavailable,
  ) {
    super(unavailable.message);
  }
}

export async function runDiagnosis(options: EngineOptions): Promise<RunReport> {
  const startedAt = (options.now?.() ?? new Date()).toISOString();
  const started = performance.now();
  const run = createRunContext(options);
  let targetsDone = 0;
  // A fleet runs a window of targets at once: shared facts still load once, while what is in
  // flight (sockets, partial results) stays bounded whatever the number of targets.
  const window = pLimit(options.config.concurrency.targets ?? DEFAULT_TARGET_WINDOW);
  const targetReports = await Promise.all(
    options.config.targets.map((target, index) =>
      window(async () => {
        const report = await diagnoseTarget(run, target);
        targetsDone++;
        options.onEvent?.({ type: 'target-end', target: target.name, done: targetsDone, total: options.config.targets.length, index, report });
        spillFacts(run, report.factRefs);
        return report;
      }),
    ),
  );
  // Cancelled facts settle (their aborted requests logged) before the report: no request outlives
  // the run, and the request log the bundle keeps misses none the services saw.
  await Promise.allSettled(run.released);
  return assembleReport(run, targetReports, startedAt, ms(started));
}

/** What every target of a run shares: the clients, the memo of facts, the selection, the interruption. */
interface RunContext {
  options: EngineOptions;
  config: ResolvedConfig;
  signal: AbortSignal;
  services: Services;
  factDefs: Map<string, FactDef>;
  /** Facts memoised by `<fact id>@<key>` across targets. */
  memo: Map<string, Promise<RecordedFact>>;
  /** How many targets refer to each memoised fact (a fact is released only by its last user). */
  users: Map<string, number>;
  /** Cancelled facts still settling: the run waits for them before its report. */
  released: Array<Promise<RecordedFact>>;
  /** The texts of the facts kept in memory, each held once (toPlainJson). */
  strings: Map<string, string>;
  /** Memo keys of the facts whose texts are in `strings` already (a spilled run interns a fact when it is kept). */
  interned: Set<string>;
  recordedFacts: Record<string, RecordedFact>;
  /** Memo keys of facts put in `options.factSpill`: a later ask reads them back instead of gathering again. */
  spilled: Set<string>;
  selected: { run: CheckDef[]; skipped: CheckDef[] };
  /** Every check id of the catalogue (for the implicit credential prerequisite). */
  known: ReadonlySet<string>;
  interrupted: Promise<'interrupted'>;
  /** The head start of the facts that start first, waited for once per run. */
  headStart?: Promise<unknown>;
  /** The controllers of the facts being gathered: the run's abort aborts each (factController). */
  gathering: Set<AbortController>;
}

function createRunContext(options: EngineOptions): RunContext {
  const { config } = options;
  const runAbort = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, runAbort.signal]) : runAbort.signal;
  const gathering = new Set<AbortController>();
  signal.addEventListener('abort', () => {
    for (const controller of gathering) controller.abort(signal.reason);
    gathering.clear();
  }, { once: true });
  return {
    options,
    config,
    signal,
    services: options.services ?? createServices(config, signal),
    factDefs: new Map(options.facts.map((def) => [def.id, def])),
    memo: new Map(),
    users: new Map(),
    released: [],
    strings: new Map(),
    interned: new Set(),
    recordedFacts: {},
    spilled: new Set(),
    selected: selectChecks(options.checks, config),
    known: new Set(options.checks.map((c) => c.id)),
    interrupted: new Promise<'interrupted'>((resolve) => {
      if (signal.aborted) resolve('interrupted');
      signal.addEventListener('abort', () => resolve('interrupted'), { once: true });
    }),
    gathering,
  };
}

/**
 * A fact's own controller, aborted with the run: its signal is what the gatherer listens to (a
 * timeout or a release aborts the fact alone). One listener on the run's signal for all of them,
 * instead of AbortSignal.any per fact: Node follows a composite signal's sources through weak
 * references on every listener added, ~0.2 ms of CPU a target in a fleet.
 */
function factController(run: RunContext): { controller: AbortController; done: () => void } {
  const controller = new AbortController();
  if (run.signal.aborted) controller.abort(run.signal.reason);
  else run.gathering.add(controller);
  return { controller, done: () => run.gathering.delete(controller) };
}

/** One target: its facts started at once, its checks run as their prerequisites settle, its causes linked. */
async function diagnoseTarget(run: RunContext, target: Target): Promise<TargetReport> {
  const { options, config } = run;
  const factRefs: Record<string, string> = {};
  const { resolveFact, release } = targetFactResolver(run, target, factRefs);

  // Start every fact at once: a target's wall time is its longest dependent chain. Only verdicts
  // wait for prerequisites; a fact that only blocked checks wanted is cancelled (settleFacts).
  const wanting = new Map<string, number>();
  for (const check of run.selected.run) {
    if (appliesTo(check, target, config) !== true) continue;
    for (const id of check.needs) wanting.set(id, (wanting.get(id) ?? 0) + 1);
  }
  // The sign-in first: the rest of the start-up work then overlaps its round trip (headStart).
  const first = [...wanting.keys()].filter((id) => run.factDefs.get(id)?.startsFirst).map(resolveFact);
  if (first.length && !options.recording) await (run.headStart ??= Promise.race([options.headStart?.() ?? Promise.resolve(), Promise.allSettled(first)]));
  for (const id of wanting.keys()) void resolveFact(id);
  const judged = new Set<string>();
  const settleFacts = (check: CheckDef, result: CheckResult): CheckResult => {
    if (result.skipReason !== 'blocked') {
      for (const id of check.needs) judged.add(id);
      return result;
    }
    for (const id of check.needs) {
      const left = (wanting.get(id) ?? 1) - 1;
      wanting.set(id, left);
      if (left === 0 && !judged.has(id)) release(id);
    }
    return { ...result, facts: check.needs.map((id) => factRefs[id]).filter((ref): ref is string => ref !== undefined) };
  };

  const results = new Map<string, Promise<CheckResult>>();
  const finish = (result: CheckResult): CheckResult => {
    const waived = applyWaiver(result, target, config, options.now?.() ?? new Date());
    options.onEvent?.({ type: 'check-end', target: target.name, result: waived });
    return waived;
  };
  for (const check of run.selected.run) {
    // Prerequisites are registered before dependants run: `after` may name a later check.
    const pending = Promise.resolve().then(async () => {
      const outcome = await Promise.race([runCheck(run, target, check, results, resolveFact, factRefs), run.interrupted]);
      return finish(outcome === 'interrupted' ? interruptedResult(check) : settleFacts(check, outcome));
    });
    results.set(check.id, pending);
  }
  for (const check of run.selected.skipped) results.set(check.id, Promise.resolve(finish(notSelectedResult(check))));

  const ordered = await Promise.all(options.checks.filter((c) => results.has(c.id)).map((c) => results.get(c.id)!));
  const linked = linkCauses(target, ordered, options.checks);
  return {
    name: target.name,
    workspaceId: target.workspaceId,
    fqdns: { ...workspaceNames(target.workspaceId).fqdns },
    rootCauses: linked.rootCauses,
    results: linked.results,
    // A copy: the stores and deletes of recordFact and release leave the object in V8's dictionary
    // mode, which makes JSON.stringify fall off its fast path and serialise the whole target again.
    factRefs: { ...factRefs },
  };
}

/**
 * The target's fact lookup: memoised per target, gathered (or replayed) once per key for the run.
 * `release` cancels a fact no check will judge: aborted if still in flight and left off the report,
 * unless another fact asked for it or another target shares it.
 */
function targetFactResolver(
  run: RunContext,
  target: Target,
  factRefs: Record<string, string>,
): { resolveFact: (id: string) => Promise<FactResult>; release: (id: string) => void } {
  const { options, config } = run;
  const targetFacts = new Map<string, Promise<FactResult>>();
  const aborts = new Map<string, AbortController>();
  /** Facts another fact's gatherer asked for: someone depends on them, they are never released. */
  const asked = new Set<string>();
  const recordedTarget = options.recording?.targets.find((t) => t.name === target.name);

  const release = (id: string): void => {
    const memoKey = factRefs[id];
    if (options.recording || asked.has(id) || memoKey === undefined) return;
    const users = (run.users.get(memoKey) ?? 1) - 1;
    delete factRefs[id];
    targetFacts.delete(id);
    if (users > 0) {
      run.users.set(memoKey, users);
      return;
    }
    run.users.delete(memoKey);
    const settling = run.memo.get(memoKey);
    if (settling) run.released.push(settling);
    run.memo.delete(memoKey);
    delete run.recordedFacts[memoKey];
    aborts.get(id)?.abort();
  };

  const resolveFact = (id: string): Promise<FactResult> => {
    let pending = targetFacts.get(id);
    if (!pending) {
      pending = options.recording
        ? Promise.resolve(replayFact(id, recordedTarget?.factRefs, options.recording.facts, factRefs, run.recordedFacts))
        : gatherFact(id);
      targetFacts.set(id, pending);
    }
    return pending;
  };

  const gatherFact = async (id: string): Promise<FactResult> => {
    const def = run.factDefs.get(id);
    if (!def) return { ok: false, unavailable: { kind: 'error', message: `unknown fact ${id}` } };
    const { controller: factAbort, done } = factController(run);
    aborts.set(id, factAbort);
    const ask = (other: string): Promise<FactResult> => {
      asked.add(other);
      return resolveFact(other);
    };
    const ctx: GatherContext = {
      target,
      config,
      services: run.services,
      signal: factAbort.signal,
      fact: <T>(other: string) => ask(other) as Promise<FactResult<T>>,
      require: async <T>(other: string) => {
        const result = await ask(other);
        if (!result.ok) throw new FactUnavailableError(result.unavailable);
        return result.value as T;
      },
    };
    try {
      let key = target.name;
      if (def.side && config.credentials[def.side].type === 'none') {
        return await recordFact(run, def, key, factRefs, async () => {
          throw new FactUnavailableError({
            kind: 'no-access',
            message: `no credential for the ${def.side} side (tenant ${def.side === 'provider' ? 2 : 1}); it is not contacted`,
          });
        });
      }
      try {
        if (def.key) key = await def.key(ctx);
      } catch (error) {
        return await recordFact(run, def, key, factRefs, async () => {
          throw error;
        });
      }
      const timeoutMs = def.timeoutMs ?? config.timeouts.factMs;
      return await recordFact(run, def, key, factRefs, () =>
        withTimeout(def.gather(ctx), timeoutMs, { kind: 'timeout', message: `${def.description}: no answer within ${timeoutMs} ms` }, () => factAbort.abort()),
      );
    } finally {
      // Settled, or answered by the memo: the run's abort no longer concerns this gatherer.
      done();
    }
  };
  return { resolveFact, release };
}

/** Gathers a fact once per `<id>@<key>` for the whole run and records it for the report. */
async function recordFact(run: RunContext, def: FactDef, key: string, refs: Record<string, string>, gather: () => Promise<unknown>): Promise<FactResult> {
  const memoKey = `${def.id}@${key}`;
  refs[def.id] = memoKey;
  run.users.set(memoKey, (run.users.get(memoKey) ?? 0) + 1);
  let pending = run.memo.get(memoKey) ?? recallFact(run, memoKey);
  if (!pending) {
    const t0 = performance.now();
    const gathered: Promise<RecordedFact> = gather().then(
      // With a spill, a fact's texts are interned only if it outlives its target (spillFacts): most
      // leave memory with their target, and interning them cost ~0.3 ms of CPU a target for nothing.
      (value): RecordedFact => ({ id: def.id, version: def.version, key, result: { ok: true, value: toPlainJson(value, spillable(run) ? undefined : run.strings) }, durationMs: ms(t0) }),
      (error: unknown): RecordedFact => ({ id: def.id, version: def.version, key, result: { ok: false, unavailable: toUnavailable(error) }, durationMs: ms(t0) }),
    );
    // A released fact (cancelled, no longer in the memo) stays off the report.
    gathered.then((fact) => {
      if (run.memo.get(memoKey) === gathered) run.recordedFacts[memoKey] = fact;
    });
    run.memo.set(memoKey, gathered);
    pending = gathered;
  }
  return (await pending).result;
}

/**
 * A finished target's facts that no other target has used leave memory for the spill (what a fleet
 * keeps then grows with its shared facts, not with every target's evidence). A fact another target
 * used stays, as does one still settling (an interrupted run).
 */
function spillFacts(run: RunContext, refs: Record<string, string>): void {
  const spill = run.options.factSpill;
  if (!spill || !spillable(run)) return;
  for (const memoKey of Object.values(refs)) {
    const fact = run.recordedFacts[memoKey];
    if (!fact) continue;
    if (run.users.get(memoKey) !== 1 || !spill.put(memoKey, fact)) {
      // It stays in memory: now its texts are held once for the run.
      if (fact.result.ok && !run.interned.has(memoKey)) {
        run.interned.add(memoKey);
        try {
          internInPlace(fact.result.value, run.strings, 0);
        } catch {
          // A frozen value keeps its own texts: only memory is at stake.
        }
      }
      continue;
    }
    run.spilled.add(memoKey);
    run.users.delete(memoKey);
    run.memo.delete(memoKey);
    delete run.recordedFacts[memoKey];
  }
}

/** Whether this run's finished targets' facts leave memory (spillFacts). */
function spillable(run: RunContext): boolean {
  return !!run.options.factSpill && !run.options.recording;
}

/** A spilled fact a later target asks for again: read back and memoised, never gathered twice. */
function recallFact(run: RunContext, memoKey: string): Promise<RecordedFact> | undefined {
  if (!run.spilled.has(memoKey)) return undefined;
  const fact = run.options.factSpill?.get(memoKey);
  if (!fact) return undefined;
  const pending = Promise.resolve(fact);
  run.memo.set(memoKey, pending);
  run.recordedFacts[memoKey] = fact;
  return pending;
}

/** One check on one target: the blocking rule, applicability, its facts, then its own verdict. */
async function runCheck(
  run: RunContext,
  target: Target,
  check: CheckDef,
  results: Map<string, Promise<CheckResult>>,
  resolveFact: (id: string) => Promise<FactResult>,
  factRefs: Record<string, string>,
): Promise<CheckResult> {
  const { options, config } = run;
  const t0 = performance.now();
  const base = (finding: Finding, extra: Partial<CheckResult> = {}, facts?: FactReader): CheckResult => {
    // A fail or warn without a fix of its own gets the check's general one; an error gets only the
    // fix its finding names (the check did not learn what is wrong).
    const fix = finding.fix ?? (finding.status === 'fail' || finding.status === 'warn' ? generalFix(check, knownValues(target, config, facts)) : undefined);
    return {
      checkId: check.id,
      title: check.title,
      side: check.side,
      status: finding.status,
      severity: check.severity,
      message: finding.message,
      ...(fix ? { fix } : {}),
      evidence: finding.evidence ?? {},
      durationMs: ms(t0),
      docStep: check.docStep,
      ...(finding.skipReason ? { skipReason: finding.skipReason } : {}),
      facts: check.needs.map((id) => factRefs[id]).filter((ref): ref is string => ref !== undefined),
      ...extra,
    };
  };

  // The blocking rule: a failed, errored (or itself blocked) prerequisite blocks; other skips do not.
  for (const id of prerequisitesOf(check, run.known)) {
    const prerequisite = results.get(id);
    if (!prerequisite) continue;
    const before = await prerequisite;
    if (blocks(before)) {
      const root = before.blockedBy ?? before.checkId;
      return base(
        { status: 'skip', skipReason: 'blocked', message: `blocked by ${root}${root === before.checkId ? '' : ` (via ${before.checkId})`}` },
        { blockedBy: root },
      );
    }
  }
  const applies = appliesTo(check, target, config);
  if (applies !== true) return base({ status: 'skip', skipReason: 'not-applicable', message: applies });

  options.onEvent?.({ type: 'check-start', target: target.name, checkId: check.id });
  const gathered = await Promise.all(check.needs.map(async (id) => [id, await resolveFact(id)] as const));
  const facts = new Map<string, FactResult>(gathered);
  const reader: FactReader = {
    get: <T>(id: string) => (facts.get(id) ?? unknownFact(check, id)) as FactResult<T>,
    value: <T>(id: string) => {
      const result = facts.get(id) ?? unknownFact(check, id);
      if (!result.ok) throw new UnavailableFactSignal(id, result.unavailable);
      return result.value as T;
    },
  };
  try {
    return base(await check.run({ target, config, facts: reader }), {}, reader);
  } catch (error) {
    if (error instanceof UnavailableFactSignal) return base(findingForUnavailable(error.factId, error.unavailable, knownValues(target, config, reader)), {}, reader);
    return base({ status: 'error', message: `the check threw: ${errorMessage(error)}` });
  }
}

/** A prerequisite blocks when it failed or errored (also when a waiver hides that), or was blocked itself. */
function blocks(result: CheckResult): boolean {
  const status = result.waiver?.originalStatus ?? result.status;
  return status === 'fail' || status === 'error' || result.skipReason === 'blocked';
}

function assembleReport(run: RunContext, targets: TargetReport[], startedAt: string, durationMs: number): RunReport {
  const { options } = run;
  const failOn = options.failOn ?? 'fail';
  return {
    schemaVersion: 1,
    tool: options.tool ?? { name: 'xtenant-doctor', version: '0.0.0' },
    startedAt,
    durationMs,
    ...(run.signal.aborted && options.signal?.aborted ? { interrupted: true } : {}),
    mode: options.recording ? 'replay' : 'live',
    failOn,
    summary: computeSummary(targets.flatMap((t) => t.results), failOn),
    targets,
    facts: sortKeys(run.recordedFacts),
    environment: options.environment ?? {},
  };
}

/** A `--checks`/`--skip` pattern selects a check by id (with `*` globs) or by side. */
function selects(check: Pick<CheckDef, 'id' | 'side'>, pattern: string): boolean {
  return matchesPattern(check.id, pattern) || check.side === pattern;
}

function selectChecks(checks: CheckDef[], config: ResolvedConfig): { run: CheckDef[]; skipped: CheckDef[] } {
  const only = config.checks.only;
  const inScope = only.length ? checks.filter((c) => only.some((p) => selects(c, p))) : checks;
  const isSkipped = (c: CheckDef) => config.checks.skip.some((p) => selects(c, p));
  return { run: inScope.filter((c) => !isSkipped(c)), skipped: inScope.filter(isSkipped) };
}

/** The `checks.only` and `checks.skip` patterns that select no check of the catalogue (a typo runs nothing). */
export function unmatchedSelections(checks: ReadonlyArray<Pick<CheckDef, 'id' | 'side'>>, config: Pick<ResolvedConfig, 'checks'>): { only: string[]; skip: string[] } {
  const none = (patterns: string[]) => patterns.filter((p) => !checks.some((c) => selects(c, p)));
  return { only: none(config.checks.only), skip: none(config.checks.skip) };
}

function appliesTo(check: CheckDef, target: Target, config: ResolvedConfig): true | string {
  return check.applies ? check.applies({ target, config }) : true;
}

function replayFact(
  id: string,
  recordedRefs: Record<string, string> | undefined,
  recorded: Record<string, RecordedFact>,
  refs: Record<string, string>,
  out: Record<string, RecordedFact>,
): FactResult {
  const key = recordedRefs?.[id];
  const fact = key ? recorded[key] : undefined;
  if (!key || !fact) {
    return { ok: false, unavailable: { kind: 'missing-fact', message: `the recording has no fact ${id} for this target` } };
  }
  refs[id] = key;
  out[key] = fact;
  return fact.result;
}

/** The engine's default for a check that reads an unavailable fact with `value()`. */
export function findingForUnavailable(factId: string, u: Unavailable, known?: KnownValues): Finding {
  const evidence: Record<string, unknown> = { fact: factId, kind: u.kind };
  for (const field of ['httpStatus', 'code', 'requestId', 'neededRole'] as const) if (u[field] !== undefined) evidence[field] = u[field];
  if (u.details) evidence.details = u.details;
  switch (u.kind) {
    case 'no-access':
      return { status: 'skip', skipReason: 'no-access', message: u.message, evidence };
    case 'not-configured':
      return { status: 'skip', skipReason: 'not-applicable', message: u.message, evidence };
    case 'missing-fact':
      return { status: 'skip', skipReason: 'missing-fact', message: u.message, evidence };
    case 'forbidden':
      return {
        status: 'error',
        message: `could not read ${factId}: ${u.message}`,
        evidence,
        // neededRole is a phrase ("Reader on the private endpoint … in tenant 1"), not a bare role name.
        // A 401 is the token's fault (another tenant, another API, expired), never a missing role.
        ...(u.neededRole
          ? { fix: grantRoleFix(u, known) }
          : u.httpStatus === 401
            ? { fix: advice401() }
            : {}),
      };
    default:
      return { status: 'error', message: `could not read ${factId}: ${u.message}`, evidence };
  }
}

function advice401(): Fix {
  const summary = 'The service refused the token (HTTP 401; its message says why): give this side a credential for the tenant that holds the resource, and a token for this API that has not expired, then run again.';
  return { summary, steps: [] };
}

function applyWaiver(result: CheckResult, target: Target, config: ResolvedConfig, now: Date): CheckResult {
  const waiver = config.checks.waivers.find((w) => matchesPattern(result.checkId, w.check) && (!w.target || matchesPattern(target.name, w.target)));
  if (!waiver) return result;
  const expired = now.toISOString().slice(0, 10) > waiver.expires;
  if (expired) {
    return {
      ...result,
      message: `${result.message} (waiver expired on ${waiver.expires}: no longer applied)`,
      waiver: { reason: waiver.reason, expires: waiver.expires, expired: true },
    };
  }
  if (result.status !== 'fail' && result.status !== 'warn' && result.status !== 'error') return result;
  return {
    ...result,
    status: 'skip',
    skipReason: 'waived',
    message: `waived until ${waiver.expires}: ${waiver.reason} (was ${result.status}: ${result.message})`,
    waiver: { reason: waiver.reason, expires: waiver.expires, expired: false, originalStatus: result.status },
  };
}

function notSelectedResult(check: CheckDef): CheckResult {
  return {
    checkId: check.id,
    title: check.title,
    side: check.side,
    status: 'skip',
    severity: check.severity,
    message: 'skipped by the config (checks.skip)',
    evidence: {},
    durationMs: 0,
    docStep: check.docStep,
    skipReason: 'not-selected',
    facts: [],
  };
}

function interruptedResult(check: CheckDef): CheckResult {
  return { ...notSelectedResult(check), message: 'the run was interrupted before this check finished', skipReason: 'interrupted' };
}

function unknownFact(check: CheckDef, id: string): FactResult {
  return { ok: false, unavailable: { kind: 'error', message: `${check.id} reads ${id}, which it does not list in needs` } };
}

export function toUnavailable(error: unknown): Unavailable {
  if (error instanceof FactUnavailableError) return error.unavailable;
  return { kind: 'error', message: errorMessage(error) };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Settles as a timeout first, then aborts the work (so a gather that resolves on abort does not win). */
async function withTimeout<T>(work: Promise<T>, timeoutMs: number, timedOut: Unavailable, abort: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new FactUnavailableError(timedOut));
      queueMicrotask(abort);
    }, timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Facts must be plain JSON so that a report can be replayed: drop undefined, Dates become strings.
 * Each text is held once for the run (`strings`): a fleet's facts repeat the same ids, names and
 * addresses thousands of times. A value that is plain JSON already (what gatherers return) is kept
 * by reference, its texts swapped in place for the run's copies (equal strings: nothing a reader can
 * see); anything else (a Date, an undefined member, a class instance, a cycle) is copied through JSON.
 */
function toPlainJson(value: unknown, strings: Map<string, string> | undefined): unknown {
  if (value === undefined) return null;
  try {
    if (internInPlace(value, strings, 0)) return value;
  } catch {
    // A frozen object or an accessor refused the swap: the copy below decides.
  }
  const copy = JSON.stringify(value);
  return strings ? JSON.parse(copy, (_key, v: unknown) => (typeof v === 'string' ? intern(v, strings) : v)) : JSON.parse(copy);
}

function intern(text: string, strings: Map<string, string>): string {
  const known = strings.get(text);
  if (known !== undefined) return known;
  // The run's copy is a string of its own: a gatherer's text may be cut from a larger one (a body,
  // Node's SAN list) that it would keep alive. Slicing a concatenation makes V8 flatten it, a copy.
  const own = `${text}\0`.slice(0, -1);
  strings.set(own, own);
  return own;
}

/** Deeper than this, a value is copied through JSON (which refuses a cycle as it always did). */
const MAX_PLAIN_DEPTH = 64;

/** Whether `value` is plain JSON as it stands (JSON.stringify would give it back unchanged); interns its texts on the way when given `strings`. */
function internInPlace(value: unknown, strings: Map<string, string> | undefined, depth: number): boolean {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth > MAX_PLAIN_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string') {
        if (strings) value[i] = intern(item, strings);
      } else if (!internInPlace(item, strings, depth + 1)) return false;
    }
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if ((proto !== Object.prototype && proto !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (typeof item === 'string') {
      if (strings) record[key] = intern(item, strings);
    } else if (!internInPlace(item, strings, depth + 1)) return false;
  }
  return true;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

function ms(t0: number): number {
  return Math.round((performance.now() - t0) * 10) / 10;
}

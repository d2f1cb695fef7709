// Two snapshots compared: per target and check, the status changes, and the fact changes behind them
// (an IP changed, a record removed, a connection state changed), each with a readable path and the
// old and new value. Pure: reports in, a ReportDiff out; formatting is separate.
import type { CheckResult, FactResult, RecordedFact, RunReport, Status, TargetReport } from '../engine/types.js';
import { isJsonObject } from '../text/json.js';

export type ChangeKind = 'regression' | 'fix' | 'changed' | 'added' | 'removed';

export interface StatusView {
  status: Status;
  message: string;
  skipReason?: string;
  blockedBy?: string;
}

export interface FactChange {
  factId: string;
  /** Readable: `consumer.recordSets › <32 hex>.zcf.w.api › aRecords[0].ipv4Address` (the full record name). */
  path: string;
  change: 'changed' | 'added' | 'removed';
  before?: unknown;
  after?: unknown;
}

export interface CheckChange {
  target: string;
  checkId: string;
  kind: ChangeKind;
  before?: StatusView;
  after?: StatusView;
  /** The changes in the facts this check read (before or after). */
  factChanges: FactChange[];
}

export interface ReportDiff {
  before: { startedAt: string; mode: string; tool: string };
  after: { startedAt: string; mode: string; tool: string };
  targets: { added: string[]; removed: string[] };
  checks: CheckChange[];
  /** Fact changes that no status change explains (the checks that read them kept their status). */
  otherFactChanges: Array<{ target: string; usedBy: string[] } & FactChange>;
  counts: { regressions: number; fixes: number; changed: number; added: number; removed: number };
}

/** Badness: skip and pass are neutral; a fail is worse than an error (the answer is known and bad). */
const RANK: Record<Status, number> = { pass: 0, skip: 0, warn: 1, error: 2, fail: 3 };

/** Keys whose values change on every run without meaning anything. */
const VOLATILE_NAMES = /^(time|timestamp|date|startedAt|finishedAt|.*At|.*Time|lastModified.*|requestId|x-ms-request-id|correlationId|clientRequestId|ms|etag|eTag|ttl|expires|expiresOn|nonce)$/i;
/** Any camelCase duration (`durationMs`, `connectMs`, `handshakeMs`…): case-sensitive, so `items` is not one. */
const DURATION = /^[a-z][A-Za-z0-9]*Ms$/;
const isVolatile = (key: string) => VOLATILE_NAMES.test(key) || DURATION.test(key);

export function classify(before: Status, after: Status): ChangeKind | undefined {
  if (before === after) return undefined;
  if (after !== 'pass' && after !== 'skip' && RANK[after] > RANK[before]) return 'regression';
  if ((after === 'pass' || after === 'warn') && RANK[after] < RANK[before]) return 'fix';
  return 'changed';
}

export function diffReports(before: RunReport, after: RunReport): ReportDiff {
  const checks: CheckChange[] = [];
  const otherFactChanges: ReportDiff['otherFactChanges'] = [];
  const beforeTargets = new Map(before.targets.map((t) => [t.name, t]));
  const afterTargets = new Map(after.targets.map((t) => [t.name, t]));

  for (const target of after.targets) {
    const old = beforeTargets.get(target.name);
    if (!old) continue;
    const oldResults = new Map(old.results.map((r) => [r.checkId, r]));
    const newResults = new Map(target.results.map((r) => [r.checkId, r]));
    const factDiffs = new Map<string, FactChange[]>();
    const factChangesFor = (factId: string) => {
      let changes = factDiffs.get(factId);
      if (!changes) {
        changes = diffFact(factId, lookupFact(before, old, factId), lookupFact(after, target, factId));
        factDiffs.set(factId, changes);
      }
      return changes;
    };
    const explained = new Set<string>();

    for (const result of target.results) {
      const previous = oldResults.get(result.checkId);
      if (!previous) {
        checks.push({ target: target.name, checkId: result.checkId, kind: 'added', after: view(result), factChanges: [] });
        continue;
      }
      let kind = classify(previous.status, result.status);
      // Same status, another reason (blocked by something else, waived now): worth a line.
      if (!kind && (previous.skipReason !== result.skipReason || previous.blockedBy !== result.blockedBy)) kind = 'changed';
      if (!kind) continue;
      const factIds = usedFactIds(before, previous, after, result);
      const factChanges = factIds.flatMap((id) => factChangesFor(id));
      for (const id of factIds) explained.add(id);
      checks.push({ target: target.name, checkId: result.checkId, kind, before: view(previous), after: view(result), factChanges });
    }
    for (const result of old.results) {
      if (!newResults.has(result.checkId)) checks.push({ target: target.name, checkId: result.checkId, kind: 'removed', before: view(result), factChanges: [] });
    }

    // Facts that changed while every check reading them kept its status.
    const usedBy = new Map<string, Set<string>>();
    for (const [report, t] of [[before, old], [after, target]] as const) {
      for (const id of Object.keys(t.factRefs ?? {})) if (!usedBy.has(id)) usedBy.set(id, new Set());
      for (const result of t.results) for (const id of factIdsOf(report, result)) (usedBy.get(id) ?? usedBy.set(id, new Set()).get(id)!).add(result.checkId);
    }
    for (const [factId, users] of [...usedBy].sort(([a], [b]) => a.localeCompare(b))) {
      if (explained.has(factId)) continue;
      for (const change of factChangesFor(factId)) otherFactChanges.push({ target: target.name, usedBy: [...users].sort(), ...change });
    }
  }

  const count = (kind: ChangeKind) => checks.filter((c) => c.kind === kind).length;
  return {
    before: describe(before),
    after: describe(after),
    targets: {
      added: after.targets.filter((t) => !beforeTargets.has(t.name)).map((t) => t.name),
      removed: before.targets.filter((t) => !afterTargets.has(t.name)).map((t) => t.name),
    },
    checks,
    otherFactChanges,
    counts: { regressions: count('regression'), fixes: count('fix'), changed: count('changed'), added: count('added'), removed: count('removed') },
  };
}

/** Whether the diff shows a regression: the exit code's question. */
export function hasRegression(diff: ReportDiff): boolean {
  return diff.counts.regressions > 0;
}

export function isEmptyDiff(diff: ReportDiff): boolean {
  return !diff.checks.length && !diff.otherFactChanges.length && !diff.targets.added.length && !diff.targets.removed.length;
}

function describe(report: RunReport) {
  return { startedAt: report.startedAt, mode: report.mode, tool: `${report.tool?.name ?? 'xtenant-doctor'} ${report.tool?.version ?? ''}`.trim() };
}

function view(result: CheckResult): StatusView {
  return {
    status: result.status,
    message: result.message,
    ...(result.skipReason ? { skipReason: result.skipReason } : {}),
    ...(result.blockedBy ? { blockedBy: result.blockedBy } : {}),
  };
}

/** The fact ids a result read: from its fact keys (`<factId>@<key>`), resolved through the report. */
function factIdsOf(report: RunReport, result: CheckResult): string[] {
  return (result.facts ?? []).map((key) => report.facts[key]?.id ?? (key.includes('@') ? key.slice(0, key.indexOf('@')) : key));
}

function usedFactIds(before: RunReport, a: CheckResult, after: RunReport, b: CheckResult): string[] {
  return [...new Set([...factIdsOf(before, a), ...factIdsOf(after, b)])].sort();
}

function lookupFact(report: RunReport, target: TargetReport, factId: string): RecordedFact | undefined {
  const key = target.factRefs?.[factId];
  return key ? report.facts[key] : undefined;
}

/** The changes between two recordings of one fact, volatile fields ignored. */
export function diffFact(factId: string, before: RecordedFact | undefined, after: RecordedFact | undefined): FactChange[] {
  if (!before && !after) return [];
  if (!before) return [{ factId, path: factId, change: 'added', after: resultView(after!.result) }];
  if (!after) return [{ factId, path: factId, change: 'removed', before: resultView(before.result) }];
  const a = before.result;
  const b = after.result;
  if (a.ok && b.ok) {
    const out: FactChange[] = [];
    diffValues(a.value, b.value, [], (path, change, old, now) => out.push({ factId, path: formatPath(factId, path), change, ...(old !== undefined ? { before: old } : {}), ...(now !== undefined ? { after: now } : {}) }));
    return out;
  }
  if (!a.ok && !b.ok && a.unavailable.kind === b.unavailable.kind && a.unavailable.code === b.unavailable.code && a.unavailable.httpStatus === b.unavailable.httpStatus) return [];
  return [{ factId, path: factId, change: 'changed', before: resultView(a), after: resultView(b) }];
}

function resultView(result: FactResult): unknown {
  if (result.ok) return stripVolatile(result.value);
  const u = result.unavailable;
  return { unavailable: u.kind, message: u.message, ...(u.httpStatus ? { httpStatus: u.httpStatus } : {}), ...(u.code ? { code: u.code } : {}) };
}

type Emit = (path: string[], change: FactChange['change'], before?: unknown, after?: unknown) => void;

function diffValues(a: unknown, b: unknown, path: string[], emit: Emit): void {
  if (Array.isArray(a) && Array.isArray(b)) return diffArrays(a, b, path, emit);
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !isVolatile(k));
    for (const key of keys) {
      const step = [...path, `.${key}`];
      if (!(key in a)) emit(step, 'added', undefined, stripVolatile(b[key]));
      else if (!(key in b)) emit(step, 'removed', stripVolatile(a[key]), undefined);
      else diffValues(a[key], b[key], step, emit);
    }
    return;
  }
  if (!sameValue(a, b)) emit(path, 'changed', stripVolatile(a), stripVolatile(b));
}

/** Arrays of objects with a name (or id, fqdn…) are matched by it; others by position, primitives as sets. */
function diffArrays(a: unknown[], b: unknown[], path: string[], emit: Emit): void {
  const identity = identityField(a, b);
  if (identity) {
    const byId = (items: unknown[]) => new Map(items.map((item) => [String((item as Record<string, unknown>)[identity]).toLowerCase(), item]));
    const left = byId(a);
    const right = byId(b);
    for (const [id, item] of left) {
      const label = ` › ${shortName(String((item as Record<string, unknown>)[identity]))}`;
      if (!right.has(id)) emit([...path, label], 'removed', stripVolatile(item), undefined);
      else diffValues(item, right.get(id), [...path, label], emit);
    }
    for (const [id, item] of right) if (!left.has(id)) emit([...path, ` › ${shortName(String((item as Record<string, unknown>)[identity]))}`], 'added', undefined, stripVolatile(item));
    return;
  }
  if ([...a, ...b].every((item) => !isJsonObject(item) && !Array.isArray(item))) {
    // DNS answers and IP lists come in any order: compare as multisets.
    const removed = multisetMinus(a, b);
    const added = multisetMinus(b, a);
    if (removed.length === 1 && added.length === 1) return emit([...path, `[${a.findIndex((x) => sameValue(x, removed[0]))}]`], 'changed', removed[0], added[0]);
    for (const item of removed) emit([...path, `[${a.findIndex((x) => sameValue(x, item))}]`], 'removed', item, undefined);
    for (const item of added) emit([...path, `[${b.findIndex((x) => sameValue(x, item))}]`], 'added', undefined, item);
    return;
  }
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i >= a.length) emit([...path, `[${i}]`], 'added', undefined, stripVolatile(b[i]));
    else if (i >= b.length) emit([...path, `[${i}]`], 'removed', stripVolatile(a[i]), undefined);
    else diffValues(a[i], b[i], [...path, `[${i}]`], emit);
  }
}

const IDENTITY_FIELDS = ['name', 'fqdn', 'id', 'memberName', 'checkId', 'server', 'host'];

function identityField(a: unknown[], b: unknown[]): string | undefined {
  if (!a.length && !b.length) return undefined;
  if (![...a, ...b].every(isJsonObject)) return undefined;
  return IDENTITY_FIELDS.find((field) =>
    [a, b].every((side) => {
      const values = side.map((item) => (item as Record<string, unknown>)[field]);
      // Unique within each side, or matching would pair the wrong elements.
      return values.every((v) => typeof v === 'string') && new Set(values.map((v) => String(v).toLowerCase())).size === values.length;
    }),
  );
}

/** `consumer.recordSets › <record> › aRecords[0].ipv4Address`: a key after the fact id or a named element gets ` › `. */
function formatPath(factId: string, path: string[]): string {
  let out = factId;
  let afterSeparator = true;
  for (const step of path) {
    if (step.startsWith(' › ')) {
      out += step;
      afterSeparator = true;
      continue;
    }
    if (afterSeparator) out += step.startsWith('.') ? ` › ${step.slice(1)}` : ` › ${step}`;
    else out += step;
    afterSeparator = false;
  }
  return out;
}

/** Long names (resource ids, long keys) shortened to their telling end; workspace record names are not. */
export function shortName(name: string): string {
  // Kept whole (as the zone lists it): a shared zone holds one `….w.api` per workspace, so the
  // suffix alone would not say whose record changed.
  if (/^[0-9a-f]{32}\.z[0-9a-f]{2}\./i.test(name)) return name.replace(/\.fabric\.microsoft\.com$/i, '');
  if (name.startsWith('/subscriptions/')) return name.split('/').filter(Boolean).slice(-2).join('/');
  return name.length > 48 ? `…${name.slice(-40)}` : name;
}

function stripVolatile(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripVolatile);
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).filter(([k]) => !isVolatile(k)).map(([k, v]) => [k, stripVolatile(v)]));
  return value;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  return JSON.stringify(stripVolatile(a)) === JSON.stringify(stripVolatile(b));
}

function multisetMinus(a: unknown[], b: unknown[]): unknown[] {
  const rest = [...b];
  const out: unknown[] = [];
  for (const item of a) {
    const i = rest.findIndex((x) => sameValue(x, item));
    if (i >= 0) rest.splice(i, 1);
    else out.push(item);
  }
  return out;
}

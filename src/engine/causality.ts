// Causality: one problem, one root cause. Each symptom check declares, beside itself, when another
// result of the same target explains it (CheckDef.explainedBy, read from evidence). This module
// applies those declarations and lists what nothing else explains. Pure: results in, results out.
import type { CheckDef, TargetResults } from './define.js';
import type { CheckResult, RootCause, Status, Target } from './types.js';

/** Statuses that are a problem someone must look at: they can explain, be explained, be a root cause. */
const PROBLEM: ReadonlySet<Status> = new Set(['fail', 'warn', 'error']);
/** Statuses a root cause can have: a warning alone is not a cause of failure (docs/checks.md: record-stale has none). */
const CAUSE: ReadonlySet<Status> = new Set(['fail', 'error']);

export function isProblem(result: Pick<CheckResult, 'status'>): boolean {
  return PROBLEM.has(result.status);
}

/**
 * Sets `explainedBy` on each problem result whose check's hook names other problem results, and
 * returns the target's root causes: the fail and error results nothing explains, each with every
 * result it explains directly or through a chain. A cycle of mutual explanations (a hook mistake)
 * leaves its members as root causes rather than losing them.
 */
export function linkCauses(target: Target, results: CheckResult[], checks: readonly CheckDef[]): { results: CheckResult[]; rootCauses: RootCause[] } {
  const byId = new Map(results.map((r) => [r.checkId, r]));
  const view: TargetResults = { get: (id) => byId.get(id) };
  const hooks = new Map(checks.map((c) => [c.id, c.explainedBy]));
  const linked = results.map((result): CheckResult => {
    const { explainedBy: _recorded, ...rest } = result;
    const hook = hooks.get(result.checkId);
    if (!hook || !isProblem(result)) return rest;
    let named: string[];
    try {
      named = hook({ result: rest, results: view, target });
    } catch {
      // A hook that throws explains nothing; the result stays a root cause, which is the safe side.
      return rest;
    }
    const causes = [...new Set(named)].filter((id) => id !== result.checkId && byId.get(id) !== undefined && isProblem(byId.get(id)!));
    return causes.length ? { ...rest, explainedBy: causes } : rest;
  });
  return { results: linked, rootCauses: rootCausesOf(linked) };
}

/** The fail and error results nothing explains, in report order, with what each explains. */
export function rootCausesOf(results: readonly CheckResult[]): RootCause[] {
  const explainedBy = new Map(results.map((r) => [r.checkId, r.explainedBy ?? []]));
  // The roots a result leads back to, following explainedBy (a visited set stops cycles).
  const rootsOf = (id: string, seen: Set<string>): string[] => {
    if (seen.has(id)) return [];
    seen.add(id);
    const parents = explainedBy.get(id) ?? [];
    if (parents.length === 0) return [id];
    return parents.flatMap((parent) => rootsOf(parent, seen));
  };
  const causes = results.filter((r) => CAUSE.has(r.status));
  const roots = new Map<string, Set<string>>();
  for (const result of causes) if (!result.explainedBy?.length) roots.set(result.checkId, new Set());
  for (const result of results) {
    if (!result.explainedBy?.length || !isProblem(result)) continue;
    const reached = [...new Set(rootsOf(result.checkId, new Set()))].filter((id) => id !== result.checkId && roots.has(id));
    if (reached.length === 0 && CAUSE.has(result.status)) roots.set(result.checkId, new Set()); // only a cycle explains it
    for (const root of reached) roots.get(root)!.add(result.checkId);
  }
  return causes
    .filter((r) => roots.has(r.checkId))
    .map((r) => ({ checkId: r.checkId, status: r.status, explains: results.filter((x) => roots.get(r.checkId)!.has(x.checkId)).map((x) => x.checkId) }));
}

// The status model: counts, the gate (--fail-on) and the exit codes of docs/design.md.
import { SEVERITIES, type CheckResult, type Severity, type Status, type Summary } from './types.js';

export const EXIT = { ok: 0, gateFailed: 1, usage: 2, notEvaluated: 3, sigint: 130, sigterm: 143 } as const;

export const FAIL_ON_VALUES = ['fail', 'warn', 'error', ...SEVERITIES] as const;
export type FailOn = (typeof FAIL_ON_VALUES)[number];

/**
 * Whether a result trips the gate. `fail` (default): any fail; `warn`: fails and warns; `error`: fails
 * and errors; a severity (`critical`…`info`): fails at or above that severity.
 */
export function tripsGate(result: Pick<CheckResult, 'status' | 'severity'>, failOn: string): boolean {
  const status: Status = result.status;
  if (failOn === 'warn') return status === 'fail' || status === 'warn';
  if (failOn === 'error') return status === 'fail' || status === 'error';
  const threshold = SEVERITIES.indexOf(failOn as Severity);
  if (threshold >= 0) return status === 'fail' && SEVERITIES.indexOf(result.severity) <= threshold;
  return status === 'fail';
}

export function computeSummary(results: Array<Pick<CheckResult, 'status' | 'severity'>>, failOn: string): Summary {
  const summary: Summary = { pass: 0, warn: 0, fail: 0, skip: 0, error: 0, exitCode: EXIT.ok };
  for (const result of results) summary[result.status]++;
  if (results.some((r) => tripsGate(r, failOn))) summary.exitCode = EXIT.gateFailed;
  else if (summary.error > 0) summary.exitCode = EXIT.notEvaluated;
  return summary;
}

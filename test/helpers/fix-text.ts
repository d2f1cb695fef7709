// A fix as one string (its summary, step texts and bash commands), for tests that look for words in it.
import { generalFix, type CheckDef } from '../../src/engine/define.js';
import type { Fix } from '../../src/engine/types.js';
import { knownValues } from '../../src/fix/known.js';

export function fixText(fix: Fix | undefined): string {
  if (!fix) return '';
  return [fix.summary, ...fix.steps.flatMap((s) => [s.text, ...(s.commands ? [s.commands.bash] : [])])].join('\n');
}

/** A check's general fix with nothing known, as `explain` shows it. */
export function generalFixText(check: CheckDef): string {
  return fixText(generalFix(check, knownValues(undefined)));
}

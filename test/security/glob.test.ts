// Waiver, --checks and --target patterns come from configs and recordings: the glob matcher must
// agree with the obvious regex on ordinary input and never backtrack on hostile input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesPattern } from '../../src/text/glob.js';

function byRegex(value: string, pattern: string): boolean {
  const escaped = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, 's').test(value);
}

describe('matchesPattern', () => {
  it('agrees with the anchored regex it replaces', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '.', '-', '+'), maxLength: 12 });
    const pattern = fc.string({ unit: fc.constantFrom('a', 'b', '.', '*', '+'), maxLength: 8 });
    fc.assert(fc.property(text, pattern, (v, p) => matchesPattern(v, p) === byRegex(v, p)), { numRuns: 3000 });
  });

  it('keeps the cases the catalogue relies on', () => {
    expect(matchesPattern('local.dns-private', 'local.*')).toBe(true);
    expect(matchesPattern('local.dns-private', '*.dns-*')).toBe(true);
    expect(matchesPattern('ab', 'a*b*')).toBe(true);
    expect(matchesPattern('aXb', 'a*a*b')).toBe(false);
    expect(matchesPattern('aba', 'ab*ba')).toBe(false);
  });

  // A backtracking regex takes exponential time here (the test would hit its timeout, not an assertion).
  it('ends at once on a recorded glob of many stars', { timeout: 10_000 }, () => {
    const pattern = `${'*a'.repeat(60)}*b`;
    const value = 'a'.repeat(5000);
    expect(matchesPattern(value, pattern)).toBe(false);
  });
});


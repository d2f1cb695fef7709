// `--target NAME` (repeatable, comma lists, globs) runs a subset of a fleet's targets; no match is
// a usage error that lists the targets there are.
import { describe, expect, it } from 'vitest';
import { applyFlags } from '../../../src/cli/run-config.js';
import { UsageError } from '../../../src/cli/errors.js';
import type { RunArgs } from '../../../src/cli/run-options.js';
import { testConfig } from '../../../src/config/defaults.js';

const ids = ['cfafbeb1-8037-4d0c-896e-a46fb27ff227', '0b1c2d3e-4f50-4617-8899-aabbccddeeff', '11111111-2222-4333-8444-555555555555', '99999999-8888-4777-8666-555555555555'];
const fleet = testConfig({ targets: ['prod-weu-1', 'prod-weu-2', 'prod-neu-1', 'test-weu-1'].map((name, i) => ({ name, workspaceId: ids[i]! })) });
const args = (target?: string[]): RunArgs => ({ failOn: 'fail', exitCode: true, ...(target ? { target } : {}) });
const names = (target: string[]) => applyFlags(fleet, args(target)).targets.map((t) => t.name);

describe('--target', () => {
  it('keeps every target without the flag', () => {
    expect(applyFlags(fleet, args()).targets).toHaveLength(4);
  });

  it('selects by exact name, by glob, and by several (repeated) names, keeping the config order', () => {
    expect(names(['prod-neu-1'])).toEqual(['prod-neu-1']);
    expect(names(['prod-weu-*'])).toEqual(['prod-weu-1', 'prod-weu-2']);
    expect(names(['*-weu-1'])).toEqual(['prod-weu-1', 'test-weu-1']);
    expect(names(['test-weu-1', 'prod-weu-2'])).toEqual(['prod-weu-2', 'test-weu-1']);
    expect(names(['prod-*', 'prod-weu-1'])).toEqual(['prod-weu-1', 'prod-weu-2', 'prod-neu-1']);
  });

  it('does not treat a name as a prefix or a regular expression', () => {
    expect(() => names(['prod'])).toThrow(UsageError);
    expect(() => names(['prod-weu-.'])).toThrow(UsageError);
  });

  it('says which targets exist when nothing matches, and leaves the config untouched', () => {
    expect(() => names(['staging-*'])).toThrow(/--target staging-\*: no target matches \(targets: prod-weu-1, prod-weu-2, prod-neu-1, test-weu-1\)/);
    expect(fleet.targets).toHaveLength(4);
  });
});

// A CLI run's young generation stops growing at its bound. Measured in a child process (V8's flags
// are process-wide): the same allocation of surviving objects, with and without the bound.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/cli.js';

const MODULE = pathToFileURL(join(ROOT, 'dist/src/cli/young-generation.js')).href;

/**
 * The new space's size (MB) while allocating objects of which many survive a scavenge, as a fleet's
 * are: the smallest size seen over the second half of the rounds. V8 may let the new space run past
 * its capacity for a few rounds while a major collection is under way (measured: 8 -> 21.5 -> 4 MB
 * with growth stopped), so one reading at an arbitrary moment is not its size; growth, unlike that
 * excess, lasts.
 */
function newSpaceMb(bound: number | undefined): number {
  const script = `
    import v8 from 'node:v8';
    const { boundYoungGeneration } = await import(${JSON.stringify(MODULE)});
    ${bound === undefined ? '' : `boundYoungGeneration(${bound});`}
    const kept = [];
    const sizes = [];
    for (let round = 0; round < 200; round++) {
      const batch = [];
      for (let i = 0; i < 20000; i++) batch.push({ i, text: 'target ' + round + '/' + i });
      kept.push(batch);
      if (kept.length > 20) kept.shift();
      await new Promise((done) => setImmediate(done));
      sizes.push(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
    }
    process.stdout.write(String(Math.min(...sizes.slice(100)) / 1048576));
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(child.status, child.stderr).toBe(0);
  return Number(child.stdout);
}

describe('boundYoungGeneration', () => {
  it('keeps the new space at its bound where it would grow past it', { timeout: 60_000 }, () => {
    const unbounded = newSpaceMb(undefined);
    const bounded = newSpaceMb(2);
    // Two semi-spaces of 2 MB, and one more doubling at most before the observer runs.
    expect(bounded).toBeLessThanOrEqual(8);
    expect(unbounded).toBeGreaterThan(bounded);
  });
});

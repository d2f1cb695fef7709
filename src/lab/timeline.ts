// The depth of a run from the lab's request timeline: how many round trips the doctor made one after
// another. Subtracting wall times at two latencies under-counts (work overlaps the waits); the
// timeline counts the chain itself.
import type { LabRequestLogEntry } from './server.js';

type Timed = Pick<LabRequestLogEntry, 'startMs' | 'endMs'>;

/**
 * The longest chain of requests in which each starts after the previous one ended: the number of
 * round trips in a row. Entries without times (DNS, the metadata service) are not counted.
 */
export function requestDepth(entries: readonly Timed[]): number {
  const timed = entries
    .filter((e): e is Required<Timed> => e.startMs !== undefined && e.endMs !== undefined)
    .sort((a, b) => a.endMs - b.endMs);
  // depth[i]: the longest chain ending with timed[i]; the sort puts every possible predecessor first.
  const depth: number[] = [];
  timed.forEach((entry, i) => {
    let before = 0;
    for (let j = 0; j < i && timed[j]!.endMs <= entry.startMs; j++) before = Math.max(before, depth[j]!);
    depth.push(before + 1);
  });
  return Math.max(0, ...depth);
}

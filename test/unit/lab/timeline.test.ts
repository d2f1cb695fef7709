import { describe, expect, it } from 'vitest';
import { requestDepth } from '../../../src/lab/timeline.js';

describe('requestDepth', () => {
  it('counts requests one after another, not requests side by side', () => {
    // Sign-in metadata, then the token, then three reads at once, then a probe after the reads.
    const log = [
      { startMs: 0, endMs: 10 },
      { startMs: 11, endMs: 20 },
      { startMs: 21, endMs: 30 },
      { startMs: 21, endMs: 31 },
      { startMs: 22, endMs: 29 },
      { startMs: 31, endMs: 40 },
    ];
    expect(requestDepth(log)).toBe(4);
    expect(requestDepth(log.map((e) => ({ startMs: 0, endMs: e.endMs })))).toBe(1);
  });

  it('a request that starts before the previous one ended does not extend the chain', () => {
    expect(requestDepth([{ startMs: 0, endMs: 10 }, { startMs: 9, endMs: 20 }])).toBe(1);
    expect(requestDepth([{ startMs: 0, endMs: 10 }, { startMs: 10, endMs: 20 }])).toBe(2);
  });

  it('finds the longest chain whatever the order of the log, and skips untimed entries', () => {
    const log = [{ startMs: 50, endMs: 60 }, {}, { startMs: 0, endMs: 5 }, { startMs: 6, endMs: 49 }, { startMs: 1, endMs: 2 }, { startMs: 3, endMs: 4 }];
    expect(requestDepth(log)).toBe(4);
    expect(requestDepth([])).toBe(0);
    expect(requestDepth([{}, {}])).toBe(0);
  });
});

// A fleet's run keeps its memory near its live data: V8 doubles the young generation (its two
// semi-spaces) whenever many objects survive a scavenge, as a window of targets in flight makes
// them do, up to 64 MB a semi-space on a large machine (measured: 128 MB of new space in a
// 200-target lab run whose live heap was under 50 MB). `--max-semi-space-size` would bound it, but
// V8 reads that flag only when the process starts, and the launcher has no portable way to pass it
// (a shebang takes one argument on Linux; the Windows shims and the single executable none). The
// growth factor, though, is read at each growth: once the young generation reaches the bound,
// growth is turned off. Measured with the lab (200 targets): peak RSS 309 -> ~210 MB, the same CPU.
// The old generation, too, may grow by up to 4x between major collections; during a run it grows
// by a quarter (--heap-growing-percent, also read at each growth). Measured with the lab (1000
// targets at 50 ms): peak RSS 370 -> 294 MB, CPU 29.8 -> 32.4 s (one run each, load average ~6).
// Since report.json is written as the run goes (reports/stream.ts) the live data is smaller, and the
// bounds were measured again (lab, 50 ms, quiet machine): 16 MB semi-spaces and 50 % growth against
// 8 MB and 25 %: 200 targets 2.70-2.95 s, 13.6-14.7 ms CPU/target, 180-182 MB against 3.0-3.2 s,
// 15.5-16.7 ms, 159-161 MB (three interleaved runs each); 1000 targets 11.5 s, 10.8 ms, 269 MB
// against 12.1 s, 12.3 ms, 234 MB.
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

/** The largest semi-space a CLI run lets the young generation grow to (MB). */
export const MAX_SEMI_SPACE_MB = 16;
/** How much the old generation may grow between major collections during a run (%). */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Bounds the heap's growth for a run: the old generation grows by HEAP_GROWING_PERCENT, the young
 * generation stops at MAX_SEMI_SPACE_MB. Returns the function that restores V8's defaults.
 */
export function boundHeapGrowth(): () => void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  const unbound = boundYoungGeneration();
  return () => {
    unbound();
    v8.setFlagsFromString('--heap-growing-percent=0');
    v8.setFlagsFromString('--semi-space-growth-factor=2');
  };
}

/** Stops the young generation's growth once a semi-space reaches `maxSemiSpaceMb`; returns the stop of the watch. */
export function boundYoungGeneration(maxSemiSpaceMb = MAX_SEMI_SPACE_MB): () => void {
  // V8 reports the new space as both semi-spaces.
  const limit = 2 * maxSemiSpaceMb * 1024 * 1024;
  const reached = () => (v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0) >= limit;
  const stopGrowth = () => v8.setFlagsFromString('--semi-space-growth-factor=1');
  if (reached()) {
    stopGrowth();
    return () => undefined;
  }
  // After each garbage collection (the young generation grows only then).
  const observer = new PerformanceObserver(() => {
    if (!reached()) return;
    stopGrowth();
    observer.disconnect();
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}

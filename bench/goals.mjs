// The bench's own verdict: each goal of issues 8, 16 and 19 beside the figure that decides it, read
// from the scenario lines `bench/run.mjs` printed (pure: no I/O), and the machine's pace that hour.
// This machine's speed moves every figure by up to three quarters from hour to hour
// (docs/performance.md), so the verdict carries `node -e 0` and a run of one target with it.

/**
 * Targets of a lab fleet report that say something false: a target the lab broke (a fault `NAME@K`
 * breaks target K, counted from 1) without a root cause, or any other target with a fail, error or
 * warn. A fault without `@K` breaks the whole lab: no target is expected to pass then.
 */
export function falseResults(report, faults) {
  if (faults.some((fault) => !fault.includes('@'))) return [];
  const broken = new Set(faults.map((fault) => Number(fault.split('@')[1]) - 1));
  return report.targets
    .map((target, i) => ({ target, i }))
    .filter(({ target, i }) =>
      broken.has(i) ? !target.rootCauses?.length : target.results.some((r) => r.status === 'fail' || r.status === 'error' || r.status === 'warn'),
    )
    .map(({ target }) => target.name);
}

/** Each goal the printed scenarios decide, with the figure; goals whose scenario did not run are left out. */
export function judgeGoals(lines) {
  const scenario = (name) => lines.filter((line) => line.scenario === name);
  const fleetOf = (targets) => scenario('fleet').find((line) => line.targets === targets);
  const goals = [];
  const goal = (issue, text, measured, met) => goals.push({ issue, goal: text, measured, met });

  const [single] = scenario('single-target');
  if (single) {
    const secrets = Math.min(...single['client-secret'].depth);
    const tokens = Math.min(...single['access-token'].depth);
    goal(19, 'depth with client secrets: 3 round trips in a row (the fewest of the runs)', `${secrets} (seen: ${single['client-secret'].depth.join(', ')})`, secrets <= 3);
    goal(19, 'depth with access tokens: 1', `${tokens} (seen: ${single['access-token'].depth.join(', ')})`, tokens <= 1);
  }
  const [zone] = scenario('shared-zone');
  if (zone) {
    const same = JSON.stringify(zone.controlPlaneRequests.zone5) === JSON.stringify(zone.controlPlaneRequests.zone5000);
    goal(19, 'one target in a 5,000-record zone within 1.2x of a 5-record zone, the same requests', `${zone.ratio}x, ${same ? 'the same' : 'other'} requests`, zone.ratio <= 1.2 && same);
  }
  for (const [targets, wallMs, rssMb] of [
    [200, 3000, 200],
    [1000, 15000, 300],
  ]) {
    const line = fleetOf(targets);
    if (!line) continue;
    goal(19, `${targets} targets at 50 ms: wall < ${wallMs / 1000} s`, `${(line.wallMs / 1000).toFixed(2)} s`, line.wallMs < wallMs);
    goal(19, `${targets} targets: peak RSS < ${rssMb} MB`, `${line.peakRssMb} MB`, line.peakRssMb < rssMb);
    goal(19, `${targets} targets: no false result`, line.falseResults.length ? line.falseResults.join(', ') : 'none', line.falseResults.length === 0);
    if (line.cpuMsPerTargetBeyondFirst !== undefined) {
      goal(
        19,
        `${targets} targets: CPU per target <= 10 ms (what a target adds to a run of one)`,
        `${line.cpuMsPerTargetBeyondFirst} ms (start included: ${line.cpuMsPerTarget} ms)`,
        line.cpuMsPerTargetBeyondFirst <= 10,
      );
    }
  }
  const [cold] = scenario('cold-start');
  if (cold) {
    goal(19, '`run`: first request <= 180 ms after start', `${cold.medianMs.runFirstRequest} ms`, cold.medianMs.runFirstRequest <= 180);
    goal(19, '`validate-config` <= 120 ms', `${cold.medianMs.validateConfig} ms`, cold.medianMs.validateConfig <= 120);
    goal(19, '`--version` <= 1.3x `node -e 0`', `${cold.ratio.version}x`, cold.ratio.version <= 1.3);
  }
  const [reports] = scenario('reports');
  if (reports) {
    goal(8, 'every format for 1000 targets < 2 s, report.html < 10 MB', `${(reports.totalMs / 1000).toFixed(2)} s, ${reports.formats.html.mb} MB`, reports.totalMs < 2000 && reports.formats.html.mb < 10);
  }
  const [recordings] = scenario('recordings');
  if (recordings) {
    const cases = Object.values(recordings.cases);
    const worst = { wallMs: Math.max(...cases.map((c) => c.wallMs)), maxRssMb: Math.max(...cases.map((c) => c.maxRssMb)) };
    goal(
      16,
      'hostile recordings: exit 2, each < 10 s and < 300 MB',
      `exits ${[...new Set(cases.map((c) => c.exit))].join(', ')}; at most ${worst.wallMs} ms, ${worst.maxRssMb} MB`,
      cases.every((c) => c.exit === 2 && c.wallMs < 10_000 && c.maxRssMb < 300),
    );
  }
  const machine = {
    ...(cold ? { nodeMs: cold.medianMs.node } : {}),
    ...(fleetOf(1) ? { oneTargetCpuMs: fleetOf(1).cpuMsPerTarget } : {}),
  };
  return { scenario: 'goals', machine, met: goals.filter((g) => g.met).length, of: goals.length, goals };
}

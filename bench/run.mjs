#!/usr/bin/env node
// `npm run bench`: the figures of issues 8 and 19, measured in one run, one JSON line per scenario on stdout,
// and a last line, `goals`: each goal beside the figure that decides it, met or not (bench/goals.mjs).
// The lab runs in this process (loopback only); the doctor runs as a child process, the way a user
// runs it, so its wall time and peak RSS are its own. Every child has a deadline: the bench stops
// by itself. Wall times depend on the machine: compare runs on the same one.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NODE = process.execPath;
const CLI = path.join(ROOT, 'bin', 'xtenant-doctor.cjs');
const RSS_PROBE = path.join(ROOT, 'bench', 'rss-probe.mjs');
const CHILD_DEADLINE_MS = 120_000;
/** The faults of the larger fleets (`fleet`, `warm`): two targets with a root cause each, so a false result would show. */
const FLEET_FAULTS = ['record-missing@7', 'connection-pending@42'];
/** Control-plane services in the lab's request counts (DNS and the workspace listeners are not). */
const CONTROL_PLANE = ['identity', 'arm', 'fabric'];

const { startLab } = await import(path.join(ROOT, 'dist/src/lab/server.js'));
const { requestDepth } = await import(path.join(ROOT, 'dist/src/lab/timeline.js'));
const { writeReports, FORMATS } = await import(path.join(ROOT, 'dist/reports/index.js'));
const { falseResults, judgeGoals } = await import('./goals.mjs');

const work = await mkdtemp(path.join(os.tmpdir(), 'xtenant-doctor-bench-'));
/** Every scenario line printed, for the verdict at the end (bench/goals.mjs). */
const printed = [];
const emit = (line) => {
  printed.push(line);
  process.stdout.write(`${JSON.stringify(line)}\n`);
};
const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Runs a child to completion (killed at the deadline); wall time from spawn to exit. */
function runChild(args, { env = {}, deadlineMs = CHILD_DEADLINE_MS } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(NODE, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - t0;
      if (signal) return reject(new Error(`${args.join(' ')}: killed by ${signal} (deadline ${deadlineMs} ms)\n${stderr}`));
      const rss = /XTD_BENCH_MAXRSS_KB=(\d+)/.exec(stderr);
      const cpu = /XTD_BENCH_CPU_US=(\d+)/.exec(stderr);
      resolve({ code, wallMs, spawnedAt: t0, stdout, stderr, ...(rss ? { maxRssMb: Number(rss[1]) / 1024 } : {}), ...(cpu ? { cpuMs: Number(cpu[1]) / 1000 } : {}) });
    });
  });
}

function controlPlane(before, after) {
  const by = {};
  for (const service of CONTROL_PLANE) by[service] = (after.byService[service] ?? 0) - (before.byService[service] ?? 0);
  return { total: Object.values(by).reduce((a, b) => a + b, 0), ...by };
}

/**
 * One `run -c` of the doctor against a lab; returns wall time, requests, the depth of its request
 * timeline (round trips in a row, from the lab's log), the doctor's CPU time and peak RSS, the report.
 */
async function diagnoseLab(lab, name, { credentials, deadlineMs } = {}) {
  const dir = path.join(work, name);
  const config = await lab.writeConfig(dir, credentials ? { credentials } : undefined);
  const out = path.join(dir, 'report');
  const before = lab.requestCounts();
  const logStart = lab.requestLog().length;
  const args = ['--import', RSS_PROBE, CLI, 'run', '-c', config, '--quiet', '--format', 'json', '--out', out, '--no-exit-code'];
  const child = await runChild(args, deadlineMs ? { deadlineMs } : {});
  if (child.code !== 0) throw new Error(`${name}: the doctor exited ${child.code}\n${child.stdout}\n${child.stderr}`);
  const requests = controlPlane(before, lab.requestCounts());
  const timeline = lab.requestLog().slice(logStart).filter((e) => !e.probe);
  const depth = requestDepth(timeline);
  // The doctor's start: from its spawn to the first HTTP request the lab saw (both on this process's clock).
  const firstRequestMs = Math.min(...timeline.filter((e) => e.startMs !== undefined).map((e) => lab.timelineOrigin + e.startMs)) - child.spawnedAt;
  const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
  return { ...child, requests, depth, firstRequestMs, report, reportPath: path.join(out, 'report.json') };
}

const counts = (summary) => ({ pass: summary.pass, warn: summary.warn, fail: summary.fail, error: summary.error });

async function withLab(options, fn) {
  const lab = await startLab(options);
  try {
    return await fn(lab);
  } finally {
    await lab.stop();
  }
}

/**
 * One target at 50 ms, with client secrets and with access tokens: the depth of the request timeline
 * (the longest chain of requests each starting after the previous one ended, from the lab's log),
 * the requests, and the doctor's CPU time. Best of RUNS for times (noise only adds), the median too.
 */
async function singleTarget() {
  const RUNS = 5;
  const LATENCY = 50;
  const by = {};
  for (const credentials of ['client-secret', 'access-token']) {
    by[credentials] = await withLab({ latencyMs: LATENCY }, async (lab) => {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await diagnoseLab(lab, `single-${credentials}-${i}`, { credentials }));
      return {
        depth: [...new Set(runs.map((r) => r.depth))].sort((a, b) => a - b),
        wallMs: round(Math.min(...runs.map((r) => r.wallMs)), 0),
        medianWallMs: round(median(runs.map((r) => r.wallMs)), 0),
        engineMs: round(Math.min(...runs.map((r) => r.report.durationMs)), 0),
        firstRequestMs: round(median(runs.map((r) => r.firstRequestMs)), 0),
        cpuMs: round(Math.min(...runs.map((r) => r.cpuMs)), 0),
        requests: runs[0].requests,
        summary: counts(runs[0].report.summary),
      };
    });
  }
  emit({ scenario: 'single-target', runs: RUNS, latencyMs: LATENCY, ...by, target: 'depth 3 with client secrets, 1 with access tokens' });
}

/**
 * Fleets of 1, 200 and 1000 targets at 50 ms (one run each, two faults in the larger ones): wall time,
 * requests and CPU per target, peak RSS, and the verdicts (a false result would show in the counts).
 * CPU per target is the run's CPU over its targets, start included; `cpuMsPerTargetBeyondFirst` is
 * what each target adds to a run of one ((CPU(N) - CPU(1)) / (N - 1)): the start is paid once.
 */
async function fleet() {
  const LATENCY = 50;
  let report200;
  let cpuMsOfOne;
  for (const targets of [1, 200, 1000]) {
    const faults = targets > 1 ? FLEET_FAULTS : [];
    await withLab({ targets, latencyMs: LATENCY, faults }, async (lab) => {
      // A thousand targets on a loaded machine can take minutes: a deadline of its own.
      const run = await diagnoseLab(lab, `fleet-${targets}`, { deadlineMs: 300_000 });
      if (targets === 200) report200 = run.report;
      if (targets === 1) cpuMsOfOne = run.cpuMs;
      emit({
        scenario: 'fleet',
        targets,
        latencyMs: LATENCY,
        faults,
        wallMs: round(run.wallMs, 0),
        engineMs: round(run.report.durationMs, 0),
        depth: run.depth,
        controlPlaneRequests: run.requests,
        controlPlanePerTarget: round(run.requests.total / targets, 2),
        cpuMsPerTarget: round(run.cpuMs / targets, 1),
        ...(targets > 1 && cpuMsOfOne !== undefined ? { cpuMsPerTargetBeyondFirst: round((run.cpuMs - cpuMsOfOne) / (targets - 1), 1) } : {}),
        peakRssMb: round(run.maxRssMb, 0),
        target: '200: wallMs < 3000, peakRssMb < 200; 1000: wallMs < 15000, peakRssMb < 300',
        summary: counts(run.report.summary),
        // The broken targets without a root cause and the others without a clean pass (names).
        falseResults: falseResults(run.report, faults),
      });
    });
  }
  return report200;
}

/**
 * The 200-target fleet diagnosed ROUNDS times in one process (bench/warm-rounds.mjs runs the CLI's
 * own `run` in a loop): CPU per target in each round. The first round is a CLI run's figure; the
 * later ones leave out what a process pays once (module loading, the trust store, V8 compiling and
 * optimising the code), so they say what the targets themselves cost.
 */
async function warmFleet() {
  const ROUNDS = 3;
  const TARGETS = 200;
  const LATENCY = 50;
  const faults = FLEET_FAULTS;
  const rounds = await withLab({ targets: TARGETS, latencyMs: LATENCY, faults }, async (lab) => {
    const dir = path.join(work, 'warm');
    const config = await lab.writeConfig(dir);
    const child = await runChild([path.join(ROOT, 'bench', 'warm-rounds.mjs'), config, dir, String(ROUNDS)], { deadlineMs: 300_000 });
    if (child.code !== 0) throw new Error(`warm rounds: exited ${child.code}\n${child.stderr}`);
    return [...child.stdout.matchAll(/^XTD_BENCH_ROUND (.+)$/gm)].map((m) => JSON.parse(m[1]));
  });
  if (rounds.length !== ROUNDS) throw new Error(`warm rounds: ${rounds.length} of ${ROUNDS} reported`);
  emit({
    scenario: 'warm',
    targets: TARGETS,
    latencyMs: LATENCY,
    faults,
    rounds: ROUNDS,
    cpuMsPerTargetByRound: rounds.map((r) => round(r.cpuMs / TARGETS, 1)),
    target: 'none of its own: the first round is a CLI run, the later ones what the targets cost once the process is warm',
  });
}

/**
 * One target alone in its zone and in a shared zone of 5,000 records (other workspaces' records,
 * the landing-zone pattern), lab at 50 ms, best of RUNS: the target reads its five record sets by
 * name, so its requests and its time should not grow with the zone.
 */
async function sharedZone() {
  const RUNS = 3;
  const LATENCY = 50;
  const at = {};
  for (const zoneRecords of [5, 5000]) {
    at[zoneRecords] = await withLab({ latencyMs: LATENCY, zoneRecords }, async (lab) => {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await diagnoseLab(lab, `zone-${zoneRecords}-${i}`));
      return {
        wallMs: Math.min(...runs.map((r) => r.wallMs)),
        engineMs: Math.min(...runs.map((r) => r.report.durationMs)),
        depth: runs[0].depth,
        requests: runs[0].requests,
        summary: counts(runs[0].report.summary),
      };
    });
  }
  emit({
    scenario: 'shared-zone',
    runs: RUNS,
    latencyMs: LATENCY,
    wallMs: { zone5: round(at[5].wallMs, 0), zone5000: round(at[5000].wallMs, 0) },
    engineMs: { zone5: round(at[5].engineMs, 0), zone5000: round(at[5000].engineMs, 0) },
    ratio: round(at[5000].wallMs / at[5].wallMs, 2),
    depth: { zone5: at[5].depth, zone5000: at[5000].depth },
    controlPlaneRequests: { zone5: at[5].requests, zone5000: at[5000].requests },
    target: 'ratio <= 1.2, the same requests',
    summary: { zone5: at[5].summary, zone5000: at[5000].summary },
  });
}

async function coldStart() {
  const RUNS = 9;
  const config = path.join(work, 'cold-start.json');
  await writeFile(config, JSON.stringify({ targets: [{ name: 'sales', workspaceId: 'cfafbeb1-8037-4d0c-896e-a46fb27ff227' }] }));
  const cases = {
    node: ['-e', '0'],
    version: [CLI, '--version'],
    fqdn: [CLI, 'fqdn', 'cfafbeb1-8037-4d0c-896e-a46fb27ff227'],
    checks: [CLI, 'checks'],
    validateConfig: [CLI, 'validate-config', config],
  };
  // Warm the compile cache and the file cache once, then interleave the cases.
  for (const args of Object.values(cases)) await runChild(args);
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const [name, args] of Object.entries(cases)) {
      const child = await runChild(args, { deadlineMs: 20_000 });
      if (child.code !== 0) throw new Error(`${args.join(' ')} exited ${child.code}: ${child.stderr}`);
      times[name].push(child.wallMs);
    }
  }
  // `run`: from its spawn to its first request (the lab's timeline), one target at latency 0.
  const firstRequest = await withLab({}, async (lab) => {
    await diagnoseLab(lab, 'cold-run-warm-up');
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push((await diagnoseLab(lab, `cold-run-${i}`)).firstRequestMs);
    return runs;
  });
  const node = median(times.node);
  emit({
    scenario: 'cold-start',
    runs: RUNS,
    medianMs: { ...Object.fromEntries(Object.entries(times).map(([k, v]) => [k, round(median(v), 0)])), runFirstRequest: round(median(firstRequest), 0) },
    ratio: Object.fromEntries(Object.entries(times).filter(([k]) => k !== 'node').map(([k, v]) => [k, round(median(v) / node, 2)])),
    target: 'version <= 1.3 (times node -e 0), validateConfig <= 120 ms, runFirstRequest <= 180 ms',
  });
}

/** A 1000-target report from a real fleet report: targets copied under new names, their own facts copied too. */
export function replicate(source, count) {
  const refCount = new Map();
  for (const t of source.targets) for (const key of Object.values(t.factRefs)) refCount.set(key, (refCount.get(key) ?? 0) + 1);
  const facts = { ...source.facts };
  const targets = [];
  for (let i = 0; i < count; i++) {
    const base = source.targets[i % source.targets.length];
    const copy = Math.floor(i / source.targets.length);
    if (copy === 0) {
      targets.push(base);
      continue;
    }
    // Facts only this target used get their own copy, as a real fleet would have.
    const rename = (key) => (refCount.get(key) === 1 ? `${key}#${copy}` : key);
    const factRefs = Object.fromEntries(Object.entries(base.factRefs).map(([id, key]) => [id, rename(key)]));
    for (const key of Object.values(base.factRefs)) if (rename(key) !== key && source.facts[key]) facts[rename(key)] = { ...source.facts[key], key: `${source.facts[key].key}#${copy}` };
    targets.push({ ...base, name: `${base.name}-copy${copy}`, factRefs, results: base.results.map((r) => ({ ...r, facts: r.facts.map(rename) })) });
  }
  const all = targets.flatMap((t) => t.results);
  const summary = { ...source.summary };
  for (const status of ['pass', 'warn', 'fail', 'skip', 'error']) summary[status] = all.filter((r) => r.status === status).length;
  return { ...source, targets, facts, summary };
}

async function reports(fleetReport) {
  const TARGETS = 1000;
  const report = replicate(fleetReport, TARGETS);
  const dir = path.join(work, 'reports-1000');
  const figures = {};
  const t0 = performance.now();
  for (const format of ['json', 'junit', 'html', 'md']) {
    const t = performance.now();
    await writeReports(report, dir, [format]);
    figures[format] = { ms: round(performance.now() - t, 0), mb: round((await stat(path.join(dir, FORMATS[format].file))).size / 1024 / 1024, 2) };
  }
  emit({
    scenario: 'reports',
    targets: TARGETS,
    results: report.targets.reduce((n, t) => n + t.results.length, 0),
    totalMs: round(performance.now() - t0, 0),
    formats: figures,
    target: 'totalMs < 2000, html.mb < 10',
  });
}

/**
 * Hostile recordings (issue 16): a 1.5 MB gzip bomb, a waiver glob of many stars and a recorded
 * concurrency of 0, each given to `replay` (and the bomb to `bundle --from`): wall time, exit code
 * and peak RSS. The tests assert exit codes and memory, never time; the time is measured here.
 */
async function hostileRecordings() {
  const { gzipSync } = await import('node:zlib');
  const { mkdir } = await import('node:fs/promises');
  const tar = await import('tar');
  const dir = path.join(work, 'recordings');
  const demo = await runChild([CLI, 'demo', '--out', path.join(dir, 'demo'), '--format', 'json', '--quiet', '--no-exit-code']);
  if (demo.code !== 0) throw new Error(`demo exited ${demo.code}: ${demo.stderr}`);
  const report = JSON.parse(await readFile(path.join(dir, 'demo', 'report.json'), 'utf8'));
  const files = {};
  // A real tar (bundle/report.json, empty) followed by 370 gzip members of 4 MiB of zeros each.
  await mkdir(path.join(dir, 'tree', 'bundle'), { recursive: true });
  await writeFile(path.join(dir, 'tree', 'bundle', 'report.json'), '');
  const head = gzipSync(await tar.create({ cwd: path.join(dir, 'tree') }, ['bundle']).concat());
  const member = gzipSync(Buffer.alloc(4 * 1024 * 1024), { level: 9 });
  files.bomb = path.join(dir, 'bomb.tar.gz');
  await writeFile(files.bomb, Buffer.concat([head, ...Array.from({ length: 370 }, () => member)]));
  files.glob = path.join(dir, 'glob.json');
  const name = 'a'.repeat(40);
  await writeFile(files.glob, JSON.stringify({ ...report, targets: [{ ...report.targets[0], name }], environment: { ...report.environment, config: { ...report.environment.config, checks: { skip: [], only: [], waivers: [{ check: '*', target: `${'*a'.repeat(25)}*b`, reason: 'r', expires: '2099-01-01' }] } } } }));
  files.concurrency = path.join(dir, 'zero-concurrency.json');
  await writeFile(files.concurrency, JSON.stringify({ ...report, environment: { ...report.environment, config: { ...report.environment.config, concurrency: { arm: 0, fabric: 8 } } } }));
  const cases = {
    bombReplay: ['replay', files.bomb],
    bombBundleFrom: ['bundle', '--from', files.bomb, '--out', path.join(dir, 'b.tar.gz')],
    glob: ['replay', files.glob, '--json'],
    zeroConcurrency: ['replay', files.concurrency],
  };
  const figures = {};
  for (const [caseName, args] of Object.entries(cases)) {
    const child = await runChild(['--import', RSS_PROBE, CLI, ...args], { deadlineMs: 30_000 });
    figures[caseName] = { exit: child.code, wallMs: round(child.wallMs, 0), maxRssMb: round(child.maxRssMb ?? 0, 0) };
  }
  emit({ scenario: 'recordings', bombBytes: (await stat(files.bomb)).size, cases: figures, target: 'each < 10 s; exit 2; peak RSS < 300 MB' });
}

const deadline = setTimeout(() => {
  process.stderr.write('bench: over its 10-minute budget, stopping\n');
  process.exit(1);
}, 600_000);
deadline.unref();

// `node bench/run.mjs [single] [zone] [fleet] [warm] [cold] [reports] [recordings]` runs some scenarios; none named: all.
const only = new Set(process.argv.slice(2));
const wanted = (name) => only.size === 0 || only.has(name);
try {
  if (wanted('single')) await singleTarget();
  if (wanted('zone')) await sharedZone();
  const fleetReport = wanted('fleet') || wanted('reports') ? await fleet() : undefined;
  if (wanted('warm')) await warmFleet();
  if (wanted('cold')) await coldStart();
  if (wanted('reports')) await reports(fleetReport);
  if (wanted('recordings')) await hostileRecordings();
  emit(judgeGoals(printed));
} finally {
  await rm(work, { recursive: true, force: true });
}

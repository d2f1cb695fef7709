#!/usr/bin/env node
// `npm run bench`: the figures of issue 8, measured in one run, one JSON line per scenario on stdout.
// The lab runs in this process (loopback only); the doctor runs as a child process, the way a user
// runs it, so its wall time and peak RSS are its own. Every child has a deadline: the bench stops
// by itself. Wall times depend on the machine: compare runs on the same one.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NODE = process.execPath;
const CLI = path.join(ROOT, 'bin', 'xtenant-doctor.js');
const RSS_PROBE = path.join(ROOT, 'bench', 'rss-probe.mjs');
const CHILD_DEADLINE_MS = 120_000;
/** Control-plane services in the lab's request counts (DNS and the workspace listeners are not). */
const CONTROL_PLANE = ['identity', 'arm', 'fabric'];

const { startLab } = await import(path.join(ROOT, 'dist/src/lab/server.js'));
const { writeReports, REPORT_FILES } = await import(path.join(ROOT, 'dist/reports/index.js'));

const work = await mkdtemp(path.join(os.tmpdir(), 'xtenant-doctor-bench-'));
const emit = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
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
      resolve({ code, wallMs, stdout, stderr, ...(rss ? { maxRssMb: Number(rss[1]) / 1024 } : {}) });
    });
  });
}

function controlPlane(before, after) {
  const by = {};
  for (const service of CONTROL_PLANE) by[service] = (after.byService[service] ?? 0) - (before.byService[service] ?? 0);
  return { total: Object.values(by).reduce((a, b) => a + b, 0), ...by };
}

/** One `run -c` of the doctor against a lab; returns wall time, requests, report summary. */
async function diagnoseLab(lab, name, { rss = false } = {}) {
  const dir = path.join(work, name);
  const config = await lab.writeConfig(dir);
  const out = path.join(dir, 'report');
  const before = lab.requestCounts();
  const args = [...(rss ? ['--import', RSS_PROBE] : []), CLI, 'run', '-c', config, '--quiet', '--format', 'json', '--out', out, '--no-exit-code'];
  const child = await runChild(args);
  if (child.code !== 0) throw new Error(`${name}: the doctor exited ${child.code}\n${child.stdout}\n${child.stderr}`);
  const requests = controlPlane(before, lab.requestCounts());
  const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
  return { ...child, requests, report, reportPath: path.join(out, 'report.json') };
}

async function withLab(options, fn) {
  const lab = await startLab(options);
  try {
    return await fn(lab);
  } finally {
    await lab.stop();
  }
}

/**
 * One target, best of RUNS at each latency: the machine's noise only ever adds time, so the best run
 * is the closest to the tool's own cost (the medians are printed too).
 */
async function singleTarget() {
  const RUNS = 5;
  const at = {};
  for (const latencyMs of [0, 100]) {
    at[latencyMs] = await withLab({ latencyMs }, async (lab) => {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await diagnoseLab(lab, `single-${latencyMs}-${i}`));
      return {
        wallMs: Math.min(...runs.map((r) => r.wallMs)),
        medianWallMs: median(runs.map((r) => r.wallMs)),
        engineMs: Math.min(...runs.map((r) => r.report.durationMs)),
        requests: runs[0].requests,
        summary: runs[0].report.summary,
      };
    });
  }
  emit({
    scenario: 'single-target',
    runs: RUNS,
    wallMs: { latency0: round(at[0].wallMs, 0), latency100: round(at[100].wallMs, 0) },
    medianWallMs: { latency0: round(at[0].medianWallMs, 0), latency100: round(at[100].medianWallMs, 0) },
    engineMs: { latency0: round(at[0].engineMs, 0), latency100: round(at[100].engineMs, 0) },
    controlPlaneRequests: at[0].requests,
    sequentialDepth: round((at[100].wallMs - at[0].wallMs) / 100, 2),
    sequentialDepthEngine: round((at[100].engineMs - at[0].engineMs) / 100, 2),
    target: 'sequentialDepth <= 4',
    summary: { pass: at[0].summary.pass, fail: at[0].summary.fail, error: at[0].summary.error },
  });
}

async function fleet() {
  const TARGETS = 200;
  const LATENCY = 50;
  return withLab({ targets: TARGETS, latencyMs: LATENCY, faults: ['record-missing@7', 'connection-pending@42'] }, async (lab) => {
    const run = await diagnoseLab(lab, 'fleet', { rss: true });
    emit({
      scenario: 'fleet',
      targets: TARGETS,
      latencyMs: LATENCY,
      wallMs: round(run.wallMs, 0),
      engineMs: round(run.report.durationMs, 0),
      controlPlaneRequests: run.requests,
      controlPlanePerTarget: round(run.requests.total / TARGETS, 2),
      peakRssMb: run.maxRssMb === undefined ? null : round(run.maxRssMb, 0),
      target: 'wallMs < 10000, controlPlanePerTarget <= 5, peakRssMb < 300',
      summary: { pass: run.report.summary.pass, fail: run.report.summary.fail, error: run.report.summary.error },
    });
    return run.report;
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
        requests: runs[0].requests,
        summary: runs[0].report.summary,
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
    controlPlaneRequests: { zone5: at[5].requests, zone5000: at[5000].requests },
    target: 'ratio <= 1.2, the same requests',
    summary: { zone5000: { pass: at[5000].summary.pass, fail: at[5000].summary.fail, error: at[5000].summary.error } },
  });
}

async function coldStart() {
  const RUNS = 9;
  const cases = {
    node: ['-e', '0'],
    version: [CLI, '--version'],
    fqdn: [CLI, 'fqdn', 'cfafbeb1-8037-4d0c-896e-a46fb27ff227'],
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
  const node = median(times.node);
  emit({
    scenario: 'cold-start',
    runs: RUNS,
    medianMs: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, round(median(v), 0)])),
    ratio: { version: round(median(times.version) / node, 2), fqdn: round(median(times.fqdn) / node, 2) },
    target: 'version <= 2, fqdn <= 2.5 (times node -e 0)',
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
    figures[format] = { ms: round(performance.now() - t, 0), mb: round((await stat(path.join(dir, REPORT_FILES[format]))).size / 1024 / 1024, 2) };
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

const deadline = setTimeout(() => {
  process.stderr.write('bench: over its 10-minute budget, stopping\n');
  process.exit(1);
}, 600_000);
deadline.unref();

// `node bench/run.mjs [single] [zone] [fleet] [cold] [reports]` runs some scenarios; none named: all.
const only = new Set(process.argv.slice(2));
const wanted = (name) => only.size === 0 || only.has(name);
try {
  if (wanted('single')) await singleTarget();
  if (wanted('zone')) await sharedZone();
  const fleetReport = wanted('fleet') || wanted('reports') ? await fleet() : undefined;
  if (wanted('cold')) await coldStart();
  if (wanted('reports')) await reports(fleetReport);
} finally {
  await rm(work, { recursive: true, force: true });
}

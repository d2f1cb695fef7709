// Issue 5, done when: the built CLI's `demo --fault X` gives, for every fault of docs/checks.md, exactly
// the table's fails, no error or warn the table does not name, every other check pass or skip
// (blocked by one of those fails), the right exit code, and a report that validates. The CLI runs
// behind the egress guard, so nothing it does leaves loopback either.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../checks/index.js';
import { prerequisitesOf } from '../../src/engine/define.js';
import type { RunReport, TargetReport } from '../../src/engine/types.js';
import type { CliResult } from '../helpers/cli.js';
import { describeRun, pooled, readReport, runGuardedCli, withStatus } from '../helpers/lab-cli.js';
import { expectValidReport } from '../helpers/report-schema.js';

interface Expected {
  fails: string[];
  warns?: string[];
  errors?: string[];
  /** Skips that are not "blocked": check id → skip reason. */
  skips?: Record<string, string>;
  /** docs/checks.md's root-cause column: exactly these in targets[].rootCauses; every other fail or error explained by one. */
  roots: string[];
  exit: number;
}

// The table of docs/checks.md ("Lab faults"), copied as data: fault → what the run must say.
// With the blocking rule counting error, provider-forbidden's checks after an errored one are blocked by it.
const PROVIDER_FORBIDDEN_ERRORS = ['provider.workspace-found', 'provider.pls-found'];
const TABLE: Record<string, Expected> = {
  '(none)': { fails: [], roots: [], exit: 0 },
  'capacity-unassigned': { fails: ['provider.capacity-assigned'], roots: ['provider.capacity-assigned'], exit: 1 },
  'capacity-trial': { fails: ['provider.capacity-sku'], roots: ['provider.capacity-sku'], exit: 1 },
  'capacity-paused': { fails: ['provider.capacity-sku'], roots: ['provider.capacity-sku'], exit: 1 },
  'tenant-setting-off': { fails: ['provider.tenant-setting'], roots: ['provider.tenant-setting'], exit: 1 },
  'pls-missing': { fails: ['provider.pls-found', 'consumer.pe-approved'], roots: ['provider.pls-found'], exit: 1 },
  'pls-wrong-workspace': { fails: ['provider.pls-workspace-match'], roots: ['provider.pls-workspace-match'], exit: 1 },
  'connection-pending': { fails: ['provider.connection-approved', 'consumer.pe-approved'], roots: ['provider.connection-approved'], exit: 1 },
  'connection-rejected': { fails: ['provider.connection-approved', 'consumer.pe-approved'], roots: ['provider.connection-approved'], exit: 1 },
  'pe-missing': { fails: ['consumer.pe-found'], roots: ['consumer.pe-found'], exit: 1 },
  'pe-wrong-subresource': { fails: ['consumer.pe-target'], roots: ['consumer.pe-target'], exit: 1 },
  // The TCP probe no longer waits for consumer.pe-in-vnet (the data plane is the ground truth): both fail.
  'pe-other-vnet': { fails: ['consumer.pe-in-vnet', 'local.tcp-443'], roots: ['consumer.pe-in-vnet'], exit: 1 },
  'zone-missing': { fails: ['consumer.zone-found', 'local.dns-private'], roots: ['consumer.zone-found'], exit: 1 },
  'zone-unlinked': { fails: ['consumer.zone-linked', 'local.dns-private'], roots: ['consumer.zone-linked'], exit: 1 },
  'record-missing': { fails: ['consumer.zone-records', 'local.dns-private'], roots: ['consumer.zone-records'], exit: 1 },
  'record-wrong-ip': { fails: ['consumer.zone-records', 'local.dns-endpoint-ip'], roots: ['consumer.zone-records'], exit: 1 },
  'record-stale': { fails: [], warns: ['consumer.zone-records'], roots: [], exit: 0 },
  'other-endpoints-missing': { fails: ['consumer.zone-records', 'local.dns-all-endpoints'], roots: ['consumer.zone-records'], exit: 1 },
  'dns-forwarder-public': { fails: ['local.dns-private'], roots: ['local.dns-private'], exit: 1 },
  'stale-client-cache': { fails: ['local.dns-endpoint-ip', 'local.dns-consistent'], roots: ['local.dns-consistent'], exit: 1 },
  'tcp-blocked': { fails: ['local.tcp-443'], roots: ['local.tcp-443'], exit: 1 },
  'tls-intercepted': { fails: ['local.tls'], roots: ['local.tls'], exit: 1 },
  'public-access-allowed': { fails: ['provider.public-access-denied'], roots: ['provider.public-access-denied'], exit: 1 },
  'provider-forbidden': { fails: [], errors: PROVIDER_FORBIDDEN_ERRORS, skips: { 'provider.tenant-setting': 'no-access' }, roots: PROVIDER_FORBIDDEN_ERRORS, exit: 3 },
  'credential-wrong-tenant': { fails: [], errors: ['provider.credential'], roots: ['provider.credential'], exit: 3 },
  'credential-secret-expired': { fails: [], errors: ['provider.credential'], roots: ['provider.credential'], exit: 3 },
  'arm-throttled': { fails: [], roots: [], exit: 0 },
  'fabric-flaky': { fails: [], roots: [], exit: 0 },
  'dns-truncated': { fails: [], roots: [], exit: 0 },
};

const CHECK_IDS = CATALOGUE.map((c) => c.id);
const KNOWN = new Set(CHECK_IDS);

/** Causality: rootCauses is exactly the table's; every other fail or error names its cause in explainedBy, and the cause lists it. */
function expectCauses(target: TargetReport, expected: Omit<Expected, 'exit'>, label: string): void {
  expect(target.rootCauses.map((c) => c.checkId).sort(), `${label}: rootCauses`).toEqual([...expected.roots].sort());
  const problems = target.results.filter((r) => r.status === 'fail' || r.status === 'error');
  for (const r of problems) {
    if (expected.roots.includes(r.checkId)) {
      expect(r.explainedBy, `${label}: the root cause ${r.checkId} is explained by nothing`).toBeUndefined();
      continue;
    }
    expect(r.explainedBy, `${label}: ${r.checkId} (${r.message}) is a symptom and says of what`).toBeDefined();
    const root = target.rootCauses.find((c) => c.explains.includes(r.checkId));
    expect(root, `${label}: ${r.checkId} is listed under a root cause`).toBeDefined();
  }
}

/** The headline counts root causes: `FAILED: N root cause(s)`, or the errors when nothing failed. */
function expectHeadline(run: CliResult, expected: Expected): void {
  if (expected.exit === 1) expect(run.stdout, describeRun(run)).toContain(`FAILED: ${expected.roots.length} root cause${expected.roots.length === 1 ? '' : 's'} (`);
  if (expected.exit === 3) expect(run.stdout, describeRun(run)).toContain(`NOT EVALUATED: ${expected.errors!.length} check`);
  if (expected.exit === 0) expect(run.stdout, describeRun(run)).toContain('PASSED');
}

/** Every assertion of the table's contract on one target's results. */
function expectTarget(target: TargetReport, expected: Omit<Expected, 'exit'>, label: string): void {
  expectCauses(target, expected, label);
  const results = target.results;
  expect(results.map((r) => r.checkId), `${label}: every check, once, in catalogue order`).toEqual(CHECK_IDS);
  expect(withStatus(results, 'fail'), `${label}: fails`).toEqual([...expected.fails].sort());
  expect(withStatus(results, 'warn'), `${label}: warns`).toEqual([...(expected.warns ?? [])].sort());
  expect(withStatus(results, 'error'), `${label}: errors`).toEqual([...(expected.errors ?? [])].sort());
  const byId = new Map(results.map((r) => [r.checkId, r]));
  for (const r of results) {
    if (r.status !== 'skip') continue;
    const other = expected.skips?.[r.checkId];
    if (other) {
      expect(r.skipReason, `${label}: ${r.checkId} skip reason`).toBe(other);
      continue;
    }
    // Blocked, and blocked for a reason the run shows: its root is one of the fails or errors, reached through `after`
    // (or the side's credential check, which every other check of the side depends on).
    expect(r.skipReason, `${label}: ${r.checkId} is skip (${r.message}) but not blocked`).toBe('blocked');
    expect([...expected.fails, ...(expected.errors ?? [])], `${label}: ${r.checkId} blocked by ${r.blockedBy}`).toContain(r.blockedBy);
    const via = prerequisitesOf(CATALOGUE.find((c) => c.id === r.checkId)!, KNOWN).filter((p) => p === r.blockedBy || (byId.get(p)?.skipReason === 'blocked' && byId.get(p)?.blockedBy === r.blockedBy));
    expect(via, `${label}: ${r.checkId} blocked by ${r.blockedBy} through one of its prerequisites`).not.toEqual([]);
  }
  for (const id of Object.keys(expected.skips ?? {})) expect(byId.get(id)?.status, `${label}: ${id}`).toBe('skip');
}

function expectReport(report: RunReport, run: CliResult, exit: number): void {
  expectValidReport(report);
  expect(run.code, describeRun(run)).toBe(exit);
  expect(report.summary.exitCode).toBe(exit);
  const all = report.targets.flatMap((t) => t.results);
  for (const status of ['pass', 'warn', 'fail', 'skip', 'error'] as const) expect(report.summary[status], `summary.${status}`).toBe(all.filter((r) => r.status === status).length);
}

interface Scenario {
  name: string;
  args: string[];
}

const dir = mkdtempSync(join(tmpdir(), 'xtd-demo-faults-'));
// docs/checks.md "Lab topologies", the fault table: topology and fault → the fails and the one root cause.
const TOPOLOGY_TABLE: Record<string, Expected & { topology: string; fault: string }> = {
  'hub-forwarder/zone-linked-spoke-only': { topology: 'hub-forwarder', fault: 'zone-linked-spoke-only', fails: ['consumer.zone-linked', 'local.dns-private'], roots: ['consumer.zone-linked'], exit: 1 },
  'hub-resolver/resolver-inbound-failed': { topology: 'hub-resolver', fault: 'resolver-inbound-failed', fails: ['consumer.dns-path', 'local.dns-private'], roots: ['consumer.dns-path'], exit: 1 },
  'hub-firewall-dns/firewall-dns-proxy-off': { topology: 'hub-firewall-dns', fault: 'firewall-dns-proxy-off', fails: ['consumer.dns-path', 'local.dns-private'], roots: ['consumer.dns-path'], exit: 1 },
  'spoke-ruleset/ruleset-rule-disabled': { topology: 'spoke-ruleset', fault: 'ruleset-rule-disabled', fails: ['consumer.dns-path', 'local.dns-private'], roots: ['consumer.dns-path'], exit: 1 },
  'pe-spoke/hub-peering-disconnected': { topology: 'pe-spoke', fault: 'hub-peering-disconnected', fails: ['consumer.pe-in-vnet', 'local.tcp-443'], roots: ['consumer.pe-in-vnet'], exit: 1 },
};

const scenarios: Scenario[] = [
  ...Object.keys(TABLE).map((fault) => ({ name: fault, args: fault === '(none)' ? [] : ['--fault', fault] })),
  ...Object.entries(TOPOLOGY_TABLE).map(([name, row]) => ({ name, args: ['--topology', row.topology, '--fault', row.fault] })),
  { name: 'fleet', args: ['--targets', '5', '--fault', 'record-missing@3', '--fault', 'zone-unlinked'] },
  { name: 'connection-pending+capacity-paused', args: ['--fault', 'connection-pending', '--fault', 'capacity-paused'] },
  { name: 'tcp-blocked,public-access-allowed', args: ['--fault', 'tcp-blocked,public-access-allowed'] },
];
const runs = new Map<string, Promise<{ run: CliResult; out: string }>>();

beforeAll(() => {
  // Four CLI processes at a time; each test awaits only its own run.
  const promises = pooled(
    scenarios.map((s, i) => async () => {
      const out = join(dir, String(i));
      const formats = s.name === '(none)' ? [] : ['--format', 'json']; // the healthy run writes every format
      return { run: await runGuardedCli(['demo', ...s.args, ...formats, '--quiet', '--out', out]), out };
    }),
    4,
  );
  scenarios.forEach((s, i) => runs.set(s.name, promises[i]!));
  // The assertions happen in the tests; keep an early rejection from counting as unhandled.
  for (const p of promises) p.catch(() => undefined);
});

afterAll(async () => {
  await Promise.allSettled(runs.values());
  rmSync(dir, { recursive: true, force: true });
});

async function finished(name: string): Promise<{ run: CliResult; report: RunReport }> {
  const { run, out } = await runs.get(name)!;
  let report: RunReport;
  try {
    report = readReport(out);
  } catch (error) {
    throw new Error(`${name}: no report.json (${(error as Error).message})\n${describeRun(run)}`);
  }
  return { run, report };
}

describe('demo --fault X: exactly the fails of docs/checks.md', () => {
  it('the healthy world: every check passes, exit 0, every report format written', async () => {
    const { run, report } = await finished('(none)');
    expectReport(report, run, 0);
    expect(report.targets).toHaveLength(1);
    expect(report.targets[0]!.results).toHaveLength(CATALOGUE.length);
    expect(report.targets[0]!.rootCauses).toEqual([]);
    expect(withStatus(report.targets[0]!.results, 'pass')).toEqual([...CHECK_IDS].sort());
    expect(run.stdout).toMatch(/PASSED/);
  });

  for (const [fault, expected] of Object.entries(TABLE)) {
    if (fault === '(none)') continue;
    it(`${fault}: fails ${expected.fails.join(', ') || 'none'}${expected.warns ? `; warns ${expected.warns.join(', ')}` : ''}${expected.errors ? '; provider errors' : ''}; exit ${expected.exit}`, async () => {
      const { run, report } = await finished(fault);
      expectReport(report, run, expected.exit);
      expect(report.targets).toHaveLength(1);
      expectTarget(report.targets[0]!, expected, fault);
      expectHeadline(run, expected);
    });
  }

  it('provider-forbidden: each provider error names the missing role', async () => {
    const { report } = await finished('provider-forbidden');
    for (const r of report.targets[0]!.results.filter((x) => x.status === 'error')) {
      expect(r.evidence.httpStatus, r.checkId).toBe(403);
      expect(String(r.evidence.neededRole), r.checkId).toMatch(/\b(Reader|Viewer)\b/);
      expect(r.message, r.checkId).toContain(String(r.evidence.neededRole));
      expect(r.fix?.summary, r.checkId).toBe(`The identity the doctor uses for this side needs ${String(r.evidence.neededRole)}: grant it, then run again.`);
    }
  });
});

describe('demo: sign-in faults are one finding, in plain words', () => {
  it('credential-wrong-tenant names the app, the tenant and the likely swap (the app signs in to tenant 1)', async () => {
    const { report } = await finished('credential-wrong-tenant');
    const credential = report.targets[0]!.results.find((r) => r.checkId === 'provider.credential')!;
    expect(credential.message).toMatch(/^application [0-9a-f-]{36} is not registered in tenant [0-9a-f-]{36} \(tenant 2\) but signs in to tenant [0-9a-f-]{36}, the consumer side's: the two tenant ids look swapped \(AADSTS700016: Application with identifier '[0-9a-f-]{36}' was not found in the directory/);
    expect(credential.message).not.toMatch(/Trace ID|Correlation ID/);
  });

  it('credential-secret-expired says the secret expired, with the service\'s code and description', async () => {
    const { report } = await finished('credential-secret-expired');
    const credential = report.targets[0]!.results.find((r) => r.checkId === 'provider.credential')!;
    expect(credential.message).toContain("the application's client secret has expired (AADSTS7000222: The provided client secret keys for app");
    expect(credential.fix?.steps.map((s) => s.commands?.bash).join('\n')).toContain('az ad app credential reset --id');
  });
});

describe('demo --topology T --fault X: the one root cause of each topology fault', () => {
  for (const [name, expected] of Object.entries(TOPOLOGY_TABLE)) {
    it(`${name}: root cause ${expected.roots.join(', ')}, its symptom explained by it`, async () => {
      const { run, report } = await finished(name);
      expectReport(report, run, expected.exit);
      expectCauses(report.targets[0]!, expected, name);
      expect(withStatus(report.targets[0]!.results, 'fail'), `${name}: fails`).toEqual([...expected.fails].sort());
      expectHeadline(run, expected);
    });
  }
});

describe('demo: faults combined', () => {
  it('a fleet of 5 with record-missing@3 and zone-unlinked: the zone fault on every target, the record fault on target 3', async () => {
    const { run, report } = await finished('fleet');
    expectReport(report, run, 1);
    expect(report.targets).toHaveLength(5);
    expect(new Set(report.targets.map((t) => t.workspaceId)).size).toBe(5);
    report.targets.forEach((target, i) => {
      const fails = i === 2 ? ['consumer.zone-linked', 'consumer.zone-records', 'local.dns-private'] : ['consumer.zone-linked', 'local.dns-private'];
      // The public answer is the unlinked zone's symptom; the missing record on target 3 is a cause of its own.
      const roots = i === 2 ? ['consumer.zone-linked', 'consumer.zone-records'] : ['consumer.zone-linked'];
      expectTarget(target, { fails, roots }, `target ${i + 1} (${target.name})`);
    });
  });

  it('connection-pending with capacity-paused: the union of both rows', async () => {
    const { run, report } = await finished('connection-pending+capacity-paused');
    expectReport(report, run, 1);
    expectTarget(
      report.targets[0]!,
      { fails: [...TABLE['connection-pending']!.fails, ...TABLE['capacity-paused']!.fails], roots: [...TABLE['connection-pending']!.roots, ...TABLE['capacity-paused']!.roots] },
      'pending+paused',
    );
    expect(run.stdout, 'two independent faults: the headline counts two').toContain('FAILED: 2 root causes (');
  });

  it('tcp-blocked with public-access-allowed (comma form): the union of both rows', async () => {
    const { run, report } = await finished('tcp-blocked,public-access-allowed');
    expectReport(report, run, 1);
    expectTarget(
      report.targets[0]!,
      { fails: [...TABLE['tcp-blocked']!.fails, ...TABLE['public-access-allowed']!.fails], roots: [...TABLE['tcp-blocked']!.roots, ...TABLE['public-access-allowed']!.roots] },
      'tcp+public',
    );
    expect(run.stdout).toContain('FAILED: 2 root causes (');
  });

  it('an unknown fault is a usage error (exit 2) that names it', async () => {
    const run = await runGuardedCli(['demo', '--fault', 'zone-unlinkd', '--quiet', '--out', join(dir, 'unknown')]);
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toContain('zone-unlinkd');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the egress guard in CLI children', () => {
  it('is live: a direct DNS query off loopback is refused inside the CLI process', async () => {
    // 192.0.2.53 is TEST-NET-1 (documentation only): even unguarded, nothing there would answer.
    const run = await runGuardedCli(['resolve', 'cfafbeb1-8037-4d0c-896e-a46fb27ff227', '--server', '192.0.2.53']);
    // The resolver's UDP socket is connected to its server: the guard refuses the connect.
    expect(run.stdout, describeRun(run)).toContain('test egress guard: a UDP socket connected to 192.0.2.53 would leave loopback');
  });
});

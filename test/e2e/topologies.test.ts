// Issue 12, done when: the built CLI's `demo --topology T` is healthy for every topology of
// docs/checks.md ("Lab topologies": no fail, exit 0, a warn only on consumer.pe-in-vnet when the endpoint
// is reached through a hub), and `demo --topology T --fault F` gives exactly the fails of the
// topology-fault table, every other check pass or skip (blocked by one of those fails). The CLI runs
// behind the egress guard, so nothing it does leaves loopback either.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../checks/index.js';
import { qualifyPrerequisite } from '../../src/engine/define.js';
import type { RunReport, TargetReport } from '../../src/engine/types.js';
import { createState } from '../../src/lab/state.js';
import { TOPOLOGIES, type TopologyName } from '../../src/lab/topology.js';
import type { CliResult } from '../helpers/cli.js';
import { describeRun, pooled, readReport, runGuardedCli, withStatus } from '../helpers/lab-cli.js';
import { expectValidReport } from '../helpers/report-schema.js';

/** Topologies whose endpoint is reached through the hub: consumer.pe-in-vnet may warn, naming the path. */
const THROUGH_HUB: readonly TopologyName[] = ['hub-forwarder', 'hub-resolver', 'hub-firewall-dns', 'spoke-ruleset', 'pe-spoke'];

interface Row {
  topology: TopologyName;
  faults: string[];
  fails: string[];
  /** The one root cause (targets[].rootCauses). */
  root?: string;
  exit: number;
  targets?: number;
}

// The topology-fault table of docs/checks.md ("Lab topologies"), copied as data.
const DNS_PATH_BROKEN = ['consumer.dns-path', 'local.dns-private'];
const ROWS: Row[] = [
  ...TOPOLOGIES.map((topology): Row => ({ topology, faults: [], fails: [], exit: 0 })),
  ...(['hub-forwarder', 'hub-resolver', 'hub-firewall-dns'] as const).map(
    (topology): Row => ({ topology, faults: ['zone-linked-spoke-only'], fails: ['consumer.zone-linked', 'local.dns-private'], root: 'consumer.zone-linked', exit: 1 }),
  ),
  ...(['hub-resolver', 'spoke-ruleset'] as const).map((topology): Row => ({ topology, faults: ['resolver-inbound-failed'], fails: DNS_PATH_BROKEN, root: 'consumer.dns-path', exit: 1 })),
  { topology: 'hub-firewall-dns', faults: ['firewall-dns-proxy-off'], fails: DNS_PATH_BROKEN, root: 'consumer.dns-path', exit: 1 },
  { topology: 'spoke-ruleset', faults: ['ruleset-rule-disabled'], fails: DNS_PATH_BROKEN, root: 'consumer.dns-path', exit: 1 },
  ...(['pe-spoke', 'hub-forwarder'] as const).map(
    (topology): Row => ({ topology, faults: ['hub-peering-disconnected'], fails: ['consumer.pe-in-vnet', 'local.tcp-443'], root: 'consumer.pe-in-vnet', exit: 1 }),
  ),
  // Textbook faults on other networks give their textbook rows: the link that matters is the hub's,
  // the forwarder is the hub's, the endpoint leaves the hub, the zone group's zone loses a record.
  { topology: 'hub-resolver', faults: ['zone-unlinked'], fails: ['consumer.zone-linked', 'local.dns-private'], root: 'consumer.zone-linked', exit: 1 },
  { topology: 'hub-resolver', faults: ['dns-forwarder-public'], fails: ['local.dns-private'], root: 'local.dns-private', exit: 1 },
  { topology: 'spoke-ruleset', faults: ['pe-other-vnet'], fails: ['consumer.pe-in-vnet', 'local.tcp-443'], root: 'consumer.pe-in-vnet', exit: 1 },
  { topology: 'central-zone', faults: ['record-missing'], fails: ['consumer.zone-records', 'local.dns-private'], root: 'consumer.zone-records', exit: 1 },
  // A fleet: a zone-wide topology fault shows on every target.
  { topology: 'spoke-ruleset', faults: ['ruleset-rule-disabled'], fails: DNS_PATH_BROKEN, root: 'consumer.dns-path', exit: 1, targets: 3 },
];

const label = (row: Row) => `${row.topology}${row.faults.length ? ` --fault ${row.faults.join(',')}` : ''}${row.targets ? ` --targets ${row.targets}` : ''}`;

const CHECK_IDS = CATALOGUE.map((c) => c.id);
const AFTER = new Map(CATALOGUE.map((c) => [c.id, c.after.map((name) => qualifyPrerequisite(c, name))]));

/** Exactly the row's fails; warns only where the table allows; skips only blocked by one of the fails. */
function expectTarget(target: TargetReport, row: Row, where: string): void {
  const results = target.results;
  expect(results.map((r) => r.checkId), `${where}: every check, once, in catalogue order`).toEqual(CHECK_IDS);
  expect(withStatus(results, 'fail'), `${where}: fails`).toEqual([...row.fails].sort());
  const allowedWarns = THROUGH_HUB.includes(row.topology) && !row.fails.includes('consumer.pe-in-vnet') ? ['consumer.pe-in-vnet'] : [];
  for (const id of withStatus(results, 'warn')) expect(allowedWarns, `${where}: ${id} warns`).toContain(id);
  expect(withStatus(results, 'error'), `${where}: errors`).toEqual([]);
  const byId = new Map(results.map((r) => [r.checkId, r]));
  for (const r of results) {
    if (r.status === 'warn') expect(r.message.length, `${where}: ${r.checkId} names the path`).toBeGreaterThan(0);
    if (r.status !== 'skip') continue;
    expect(r.skipReason, `${where}: ${r.checkId} is skip (${r.message}) but not blocked`).toBe('blocked');
    expect(row.fails, `${where}: ${r.checkId} blocked by ${r.blockedBy}`).toContain(r.blockedBy);
    const via = (AFTER.get(r.checkId) ?? []).filter((p) => p === r.blockedBy || (byId.get(p)?.skipReason === 'blocked' && byId.get(p)?.blockedBy === r.blockedBy));
    expect(via, `${where}: ${r.checkId} blocked by ${r.blockedBy} through one of its prerequisites`).not.toEqual([]);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'xtd-topologies-'));
const runs = new Map<string, Promise<{ run: CliResult; out: string }>>();

beforeAll(() => {
  // Three CLI processes at a time; each test awaits only its own run.
  const promises = pooled(
    ROWS.map((row, i) => async () => {
      const out = join(dir, String(i));
      const args = ['demo', '--topology', row.topology, ...row.faults.flatMap((f) => ['--fault', f]), ...(row.targets ? ['--targets', String(row.targets)] : [])];
      return { run: await runGuardedCli([...args, '--format', 'json', '--quiet', '--out', out]), out };
    }),
    3,
  );
  ROWS.forEach((row, i) => runs.set(label(row), promises[i]!));
  for (const p of promises) p.catch(() => undefined);
});

afterAll(async () => {
  await Promise.allSettled(runs.values());
  rmSync(dir, { recursive: true, force: true });
});

async function finished(row: Row): Promise<{ run: CliResult; report: RunReport }> {
  const { run, out } = await runs.get(label(row))!;
  let report: RunReport;
  try {
    report = readReport(out);
  } catch (error) {
    throw new Error(`${label(row)}: no report.json (${(error as Error).message})\n${describeRun(run)}`);
  }
  return { run, report };
}

describe('demo --topology T [--fault F]: exactly the fails of docs/checks.md', () => {
  for (const row of ROWS) {
    it(`${label(row)}: fails ${row.fails.join(', ') || 'none'}; exit ${row.exit}`, async () => {
      const { run, report } = await finished(row);
      expectValidReport(report);
      expect(run.code, describeRun(run)).toBe(row.exit);
      expect(report.targets).toHaveLength(row.targets ?? 1);
      report.targets.forEach((target, i) => expectTarget(target, row, `${label(row)} target ${i + 1}`));
    });
    if (!row.root) continue;
    it(`${label(row)}: one root cause, ${row.root}`, async () => {
      const { report } = await finished(row);
      for (const target of report.targets) expect((target.rootCauses ?? []).map((c) => c.checkId), target.name).toEqual([row.root]);
    });
  }

  it('zone-linked-spoke-only: consumer.zone-linked names the hub VNet, the one a fix must link', async () => {
    for (const topology of ['hub-forwarder', 'hub-resolver', 'hub-firewall-dns'] as const) {
      const { report } = await finished(ROWS.find((r) => r.topology === topology && r.faults[0] === 'zone-linked-spoke-only')!);
      const zoneLinked = report.targets[0]!.results.find((r) => r.checkId === 'consumer.zone-linked')!;
      const hub = createState({ seed: 'xtenant-doctor', topology }).hubVnetId;
      expect(JSON.stringify(zoneLinked.fix).toLowerCase(), topology).toContain(hub.split('/').pop()!.toLowerCase());
      expect(JSON.stringify(zoneLinked.evidence).toLowerCase(), topology).toContain(hub.toLowerCase());
    }
  });
});

describe('--topology is validated', () => {
  it('an unknown topology: exit 2, naming it and listing the valid ones (demo and lab)', async () => {
    for (const command of ['demo', 'lab']) {
      const run = await runGuardedCli([command, '--topology', 'hub-and-spoke', ...(command === 'demo' ? ['--quiet', '--out', join(dir, 'unknown')] : [])]);
      expect(run.code, describeRun(run)).toBe(2);
      expect(run.stderr).toContain('hub-and-spoke');
      for (const topology of TOPOLOGIES) expect(run.stderr, command).toContain(topology);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('a topology fault outside its topologies: exit 2, saying which topologies take it', async () => {
    const run = await runGuardedCli(['demo', '--fault', 'firewall-dns-proxy-off', '--quiet', '--out', join(dir, 'wrong-topology')]);
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toContain('firewall-dns-proxy-off');
    expect(run.stderr).toContain('hub-firewall-dns');
  });
});

// Issue 18, discover: against the lab with 20 targets spread over three subscriptions per tenant,
// discover writes a config from which run checks all 20 targets and passes, through Azure Resource
// Graph and with Resource Graph off (ARM listing); two runs give byte-identical files; a denied
// subscription is reported and the rest discovered; only GETs, token requests and the Resource
// Graph query reach the lab.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, startLab } from '../../src/lab/server.js';
import { subscriptionsOf } from '../../src/lab/state.js';
import { describeRun, readReport, runGuardedCli } from '../helpers/lab-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'xtd-discover-'));
const at = (...p: string[]) => join(dir, ...p);
const labs: Lab[] = [];

async function labWith(name: string, options: Parameters<typeof startLab>[0]): Promise<{ lab: Lab; config: string }> {
  const lab = await startLab({ targets: 20, subscriptions: 3, ...options });
  labs.push(lab);
  return { lab, config: await lab.writeConfig(at(name)) };
}

let graph: { lab: Lab; config: string };
let plain: { lab: Lab; config: string };
let denied: { lab: Lab; config: string };

beforeAll(async () => {
  [graph, plain, denied] = await Promise.all([
    labWith('graph', {}),
    labWith('plain', { resourceGraph: false }),
    labWith('denied', { resourceGraph: false, denySubscriptions: [2] }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all(labs.map((l) => l.stop()));
  rmSync(dir, { recursive: true, force: true });
});

function workspaces(file: string): string[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { targets: Array<{ workspaceId: string }> }).targets.map((t) => t.workspaceId).sort();
}

describe('discover against a lab of 20 targets in three subscriptions', () => {
  it('finds every target through Resource Graph, and run checks them all and passes', { timeout: 180_000 }, async () => {
    const out = at('graph', 'discovered.json');
    const found = await runGuardedCli(['discover', '-c', graph.config, '--write', out]);
    expect(found.code, describeRun(found)).toBe(0);
    expect(found.stdout).toContain('tenant 1 by Azure Resource Graph');
    expect(found.stdout).toContain('found 20 targets');
    expect(workspaces(out)).toEqual(graph.lab.state.targets.map((t) => t.workspaceId).sort());
    // The lab's metadata service names the jump VM: every target checks from its VNet, not the endpoint's spoke.
    const vnets = (JSON.parse(readFileSync(out, 'utf8')) as { targets: Array<{ consumer: { vnetId: string } }> }).targets.map((t) => t.consumer.vnetId);
    expect(new Set(vnets)).toEqual(new Set([graph.lab.state.vmVnetId]));
    const services = new Set(graph.lab.requestLog().map((e) => `${e.service} ${e.method}`));
    const reads = ['arm GET', 'fabric GET', 'identity GET', 'identity POST', 'imds GET', 'resourcegraph POST'];
    expect([...services].filter((k) => !reads.includes(k))).toEqual([]);
    expect(services.has('resourcegraph POST')).toBe(true);

    const valid = await runGuardedCli(['validate-config', out]);
    expect(valid.code, describeRun(valid)).toBe(0);
    const run = await runGuardedCli(['run', '-c', out, '--quiet', '--out', at('graph', 'report')]);
    expect(run.code, describeRun(run)).toBe(0);
    const report = readReport(at('graph', 'report'));
    expect(report.targets).toHaveLength(20);
    expect(report.summary.fail).toBe(0);
    expect(report.summary.error).toBe(0);
  });

  it('gives byte-identical files on a second run', { timeout: 60_000 }, async () => {
    const again = at('graph', 'again.json');
    const run = await runGuardedCli(['discover', '-c', graph.config, '--write', again]);
    expect(run.code, describeRun(run)).toBe(0);
    // The first test wrote discovered.json; a file written now must be the same bytes.
    const first = at('graph', 'first.json');
    const one = await runGuardedCli(['discover', '-c', graph.config, '--write', first]);
    expect(one.code, describeRun(one)).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(first, 'utf8'));
  });

  it('finds the same targets with Resource Graph off, by ARM listing', { timeout: 180_000 }, async () => {
    const out = at('plain', 'discovered.json');
    const found = await runGuardedCli(['discover', '-c', plain.config, '--write', out]);
    expect(found.code, describeRun(found)).toBe(0);
    expect(found.stdout).toContain('Azure Resource Graph could not be used');
    expect(found.stdout).toContain('tenant 1 by ARM listing');
    expect(workspaces(out)).toEqual(plain.lab.state.targets.map((t) => t.workspaceId).sort());
    const run = await runGuardedCli(['run', '-c', out, '--quiet', '--out', at('plain', 'report')]);
    expect(run.code, describeRun(run)).toBe(0);
  });

  it('reports a denied subscription by name and discovers the rest', { timeout: 60_000 }, async () => {
    const out = at('denied', 'discovered.json');
    const found = await runGuardedCli(['discover', '-c', denied.config, '--write', out]);
    expect(found.code, describeRun(found)).toBe(0);
    const deniedSub = subscriptionsOf(denied.lab.state.consumer)[1]!;
    expect(found.stdout).toMatch(new RegExp(`could not read:[\\s\\S]*subscription ${deniedSub} could not be listed`));
    const reachable = denied.lab.state.endpoints.filter((pe) => pe.subscriptionId !== deniedSub).map((pe) => denied.lab.state.targets.find((t) => t.privateEndpointId === pe.id)!.workspaceId);
    const discovered = JSON.parse(readFileSync(out, 'utf8')) as { targets: Array<{ workspaceId: string; consumer?: { privateEndpointId?: string; vnetId?: string } }> };
    // Every workspace is still found: the endpoints of the denied subscription through tenant 2, flagged incomplete.
    expect(discovered.targets.filter((t) => t.consumer?.vnetId).map((t) => t.workspaceId).sort()).toEqual(reachable.sort());
    expect(found.stdout).toContain('not visible with the tenant-1 credential');
  });

  it('narrows to one workspace and refuses a missing config with exit 2', { timeout: 60_000 }, async () => {
    const one = graph.lab.state.targets[4]!.workspaceId;
    const out = at('graph', 'one.json');
    const found = await runGuardedCli(['discover', '-c', graph.config, '--workspace', one, '--write', out]);
    expect(found.code, describeRun(found)).toBe(0);
    expect(workspaces(out)).toEqual([one]);
    const missing = await runGuardedCli(['discover', '-c', at('nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json');
  });
});

// Issue 15, done when: no fix command in any lab fault's report holds a placeholder; each names the
// lab's real subscriptions, resource groups and resources; both shells parse every command, and bash
// and PowerShell pass az the same arguments (PowerShell 5.1 mangles a native argument holding a
// double quote, so no az argument may hold one). Each fault runs the diagnosis in-process against
// the lab, as `demo --fault NAME` does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnose.js';
import type { CheckResult, FixStep, RunReport } from '../../src/engine/types.js';
import { FAULT_NAMES } from '../../src/lab/faults.js';
import { startLab } from '../../src/lab/server.js';
import { TOPOLOGIES } from '../../src/lab/topology.js';
import { parseResourceId } from '../../src/azure/resourceId.js';
import type { LabState } from '../../src/lab/state.js';
import { azToFileParts, bashAzArgs, pastableCommands, POWERSHELL_CHECK } from '../helpers/shells.js';

// The fault table of the check catalogue (docs/lab.md), those the lab has.
const FAULTS = [
  'capacity-unassigned', 'capacity-trial', 'capacity-paused', 'tenant-setting-off', 'pls-missing', 'pls-wrong-workspace',
  'connection-pending', 'connection-rejected', 'pe-missing', 'pe-wrong-subresource', 'pe-other-vnet', 'zone-missing',
  'zone-unlinked', 'record-missing', 'record-wrong-ip', 'record-stale', 'other-endpoints-missing', 'dns-forwarder-public',
  'stale-client-cache', 'tcp-blocked', 'tls-intercepted', 'public-access-allowed', 'provider-forbidden',
  'credential-wrong-tenant', 'credential-secret-expired',
].filter((name) => FAULT_NAMES.includes(name));

// In a command any of these is a placeholder; in the prose around it, only the unmistakable ones.
// Each topology healthy (a hub path warns), and the topology faults of the catalogue, each on its topologies.
const TOPOLOGY_RUNS: Array<[string, string[]]> = [
  ...TOPOLOGIES.map((topology): [string, string[]] => [topology, []]),
  ...['hub-forwarder', 'hub-resolver', 'hub-firewall-dns'].map((topology): [string, string[]] => [topology, ['zone-linked-spoke-only']]),
  ['hub-resolver', ['resolver-inbound-failed']],
  ['spoke-ruleset', ['resolver-inbound-failed']],
  ['hub-firewall-dns', ['firewall-dns-proxy-off']],
  ['spoke-ruleset', ['ruleset-rule-disabled']],
  ['pe-spoke', ['hub-peering-disconnected']],
  ['hub-forwarder', ['hub-peering-disconnected']],
  ['hub-resolver', ['zone-unlinked']],
  ['central-zone', ['zone-unlinked']],
];

const PLACEHOLDER = /\b(ZONE_RG|PE_RG|PE_NAME|PLS_ID|SUBNET_ID|VNET_ID|LINK_NAME|WORKSPACE_ID|TENANT2?_ID|RG|NAME|RECORD|IP)\b|\{[A-Za-z_]+\}|<[A-Za-z_][A-Za-z_ -]*>/;
const PLACEHOLDER_IN_TEXT = /\b(ZONE_RG|PE_RG|PE_NAME|PLS_ID|SUBNET_ID|VNET_ID|LINK_NAME|WORKSPACE_ID|TENANT2?_ID)\b|\{[A-Za-z_]+\}|<[A-Za-z_][A-Za-z_ -]*>/;

const dir = mkdtempSync(join(tmpdir(), 'fix-commands-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Every id, name, subscription and group of the lab's world, as the config and ARM name them: read
 * from the whole state (every topology's resources too), so a new kind of resource needs no edit here.
 */
function labNames(state: LabState) {
  const ids = new Set<string>();
  const names = new Set<string>();
  const subscriptions = new Set([state.consumer.subscriptionId, state.provider.subscriptionId]);
  const groups = new Set([...state.consumer.resourceGroups, ...state.provider.resourceGroups].map((g) => g.toLowerCase()));
  const addId = (id: string) => {
    const parsed = parseResourceId(id);
    if (!parsed) return;
    ids.add(parsed.id.toLowerCase());
    subscriptions.add(parsed.subscriptionId);
    groups.add(parsed.resourceGroup.toLowerCase());
    for (const name of parsed.names) names.add(name.toLowerCase());
  };
  const walk = (value: unknown, key = ''): void => {
    if (typeof value === 'string') {
      if (value.startsWith('/subscriptions/')) addId(value);
      else if (key === 'name' || key === 'displayName') names.add(value.toLowerCase());
    } else if (Array.isArray(value)) value.forEach((v) => walk(v, key));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(state);
  // A connection's id as the service lists it.
  for (const pls of state.privateLinkServices) for (const c of pls.connections) addId(`${pls.id}/privateEndpointConnections/${c.name}`);
  return { ids, names, subscriptions, groups, tenants: new Set([state.consumer.tenantId, state.provider.tenantId]) };
}

type Names = ReturnType<typeof labNames>;

/** The value after `--flag` in az's arguments. */
function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Checks one az command's arguments against the lab (values created by this fix are allowed as new). */
function expectRealNames(args: string[], lab: Names, created: Set<string>, where: string): void {
  const isCreate = args.includes('create');
  const subscription = flag(args, 'subscription');
  const first = args[1];
  // az rest, --ids and a role assignment's --scope carry the subscription in the id; login, extension,
  // Entra ID (ad) and tokens have none.
  if (!['login', 'rest', 'extension', 'ad', 'account', 'role'].includes(first!) && !args.includes('--ids')) expect(subscription, `${where}: --subscription`).toBeDefined();
  if (subscription && !subscription.includes('\u001f')) expect(lab.subscriptions.has(subscription), `${where}: subscription ${subscription} is the lab's`).toBe(true);
  const group = flag(args, 'resource-group');
  if (group && !group.includes('\u001f')) expect(lab.groups.has(group.toLowerCase()), `${where}: resource group ${group} is the lab's`).toBe(true);
  if (first === 'login') expect(lab.tenants.has(flag(args, 'tenant')!), `${where}: the lab's tenant`).toBe(true);
  for (const [i, arg] of args.entries()) {
    for (const id of arg.match(/\/subscriptions\/[^\s?'"]+/g) ?? []) {
      const bare = id.replace(/\/privateEndpointConnections$/i, '').toLowerCase();
      const known = lab.ids.has(bare) || created.has(bare.split('/').pop()!);
      expect(known, `${where}: ${id} is a resource of the lab (or one this fix creates)`).toBe(true);
    }
    const previous = args[i - 1];
    if (!isCreate && first !== 'extension' && ['--name', '--endpoint-name', '--vnet-name', '--capacity-name'].includes(previous ?? '') && !arg.includes('\u001f')) {
      expect(lab.names.has(arg.toLowerCase()) || created.has(arg.toLowerCase()), `${where}: ${previous} ${arg} names a lab resource`).toBe(true);
    }
  }
  if (isCreate) for (const key of ['name', 'endpoint-name']) if (flag(args, key)) created.add(flag(args, key)!.toLowerCase());
}

function expectPastable(step: FixStep, lab: Names, created: Set<string>, where: string): void {
  const [bash] = pastableCommands({ steps: [step] }, dir);
  expect(bash, `${where}: no placeholder`).not.toMatch(PLACEHOLDER);
  expect(step.commands!.powershell, `${where}: no placeholder`).not.toMatch(PLACEHOLDER);
  // An az command whose output goes to a body file is checked as the az command it is.
  const az = azToFileParts(bash!, step.commands!.powershell)?.bash ?? bash!;
  if (az.startsWith('az ')) expectRealNames(bashAzArgs(az, dir), lab, created, where);
}

function fixesOf(report: RunReport): Array<{ result: CheckResult; where: string }> {
  return report.targets.flatMap((t) => t.results.filter((r) => r.fix).map((result) => ({ result, where: `${t.name}/${result.checkId}` })));
}

async function expectFaultFixes(options: { seed: string; faults: string[]; topology?: string }): Promise<void> {
  const lab = await startLab(options);
  let report: RunReport;
  try {
    Object.assign(process.env, lab.secretEnv());
    report = await diagnose(lab.resolvedConfig());
  } finally {
    await lab.stop();
  }
  const names = labNames(lab.state);
  const nonPass = report.targets.flatMap((t) => t.results.filter((r) => r.status === 'fail' || r.status === 'warn'));
  expect(nonPass.filter((r) => !r.fix).map((r) => r.checkId), 'every fail and warn has a fix').toEqual([]);
  let commands = 0;
  for (const { result, where } of fixesOf(report)) {
    const created = new Set<string>();
    const text = JSON.stringify(result.fix);
    expect(text, `${where}: no placeholder in ${text}`).not.toMatch(PLACEHOLDER_IN_TEXT);
    for (const step of result.fix!.steps) {
      if (!step.commands) continue;
      commands++;
      expectPastable(step, names, created, where);
    }
    // A tenant's commands come after its sign-in.
    for (const tenant of ['provider', 'consumer']) {
      const i = result.fix!.steps.findIndex((s) => s.tenant === tenant && s.commands);
      if (i >= 0) expect(result.fix!.steps[i]!.commands!.bash, `${where}: ${tenant} sign-in first`).toMatch(/^az login --tenant /);
    }
  }
  // What tenants 1 and 2 must change is always a command (this machine's firewall or proxy may not be;
  // a warning about what works needs none).
  if (nonPass.some((r) => r.status === 'fail' && (r.side === 'provider' || r.side === 'consumer'))) expect(commands, 'commands to paste').toBeGreaterThan(0);
}

// Which PowerShell check ran is in the test names (pwsh's parser where it is installed, else the tokenizer).
describe(`fix commands of every lab fault (PowerShell: ${POWERSHELL_CHECK})`, () => {
  it.each(FAULTS)('%s: complete, real names, both shells', (fault) => expectFaultFixes({ seed: `fix-${fault}`, faults: [fault] }));
});

describe(`fix commands on every topology (PowerShell: ${POWERSHELL_CHECK})`, () => {
  it.each(TOPOLOGY_RUNS)('%s %j: complete, real names, both shells', (topology, faults) => expectFaultFixes({ seed: `fix-${topology}`, faults, topology }));
});

// Issue 18, zero config: `run --workspace ID` with a credential and no targets discovers that
// workspace's private link (the same discovery as `discover`) and checks the control plane too.
// The lab is reached as discover's e2e test reaches it: a config of its settings (custom cloud, CA,
// DNS servers, connect-to, sandbox), here without targets and, for the flag runs, without credentials.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialConfig } from '../../src/config/types.js';
import { type Lab, startLab } from '../../src/lab/server.js';
import { describeRun, readReport, runGuardedCli, withStatus } from '../helpers/lab-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'xtd-run-workspace-'));
const at = (...p: string[]) => join(dir, ...p);
const labs: Lab[] = [];

interface LabFiles {
  lab: Lab;
  /** The lab's settings alone: no targets, no credentials. */
  settings: string;
  /** The settings with the lab's credentials, still no targets. */
  withCredentials: string;
  /** The settings without the lab's CA, and the CA's file (for --ca-file). */
  withoutCa: string;
  caFile: string;
  credentials: { consumer: CredentialConfig; provider: CredentialConfig };
}

async function labFiles(name: string, options: Parameters<typeof startLab>[0]): Promise<LabFiles> {
  const lab = await startLab({ targets: 3, subscriptions: 2, ...options });
  labs.push(lab);
  const full = JSON.parse(readFileSync(await lab.writeConfig(at(name)), 'utf8')) as Record<string, unknown> & { credentials: LabFiles['credentials']; tls: { caFile: string } };
  const { targets: _targets, credentials, ...settings } = full;
  const { tls, ...untrusting } = settings;
  const withoutCa = at(name, 'without-ca.json');
  writeFileSync(withoutCa, JSON.stringify(untrusting, null, 2));
  const settingsFile = at(name, 'settings.json');
  const withCredentials = at(name, 'with-credentials.json');
  writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
  writeFileSync(withCredentials, JSON.stringify({ ...settings, credentials }, null, 2));
  return { lab, settings: settingsFile, withCredentials, credentials, withoutCa, caFile: tls.caFile };
}

/** A config credential as the flag writes it: TYPE,FIELD=VALUE,... */
function flag(credential: CredentialConfig): string {
  const { type, ...fields } = credential as unknown as Record<string, string>;
  return [type, ...Object.entries(fields).map(([k, v]) => `${k}=${v}`)].join(',');
}

function tenantFlags(lab: Lab): string[] {
  return ['--consumer-tenant', lab.state.consumer.tenantId, '--provider-tenant', lab.state.provider.tenantId];
}

let healthy: LabFiles;
let unlinked: LabFiles;

beforeAll(async () => {
  [healthy, unlinked] = await Promise.all([labFiles('healthy', {}), labFiles('unlinked', { faults: ['zone-unlinked'] })]);
}, 60_000);

afterAll(async () => {
  await Promise.all(labs.map((l) => l.stop()));
  rmSync(dir, { recursive: true, force: true });
});

describe('run --workspace ID without targets', () => {
  it('with both credentials by flag: discovers the private link, checks both tenants and passes', { timeout: 120_000 }, async () => {
    const target = healthy.lab.state.targets[1]!;
    const out = at('healthy', 'flags');
    // The lab's CA by flag, not in the config: discovery trusts what the run trusts.
    const run = await runGuardedCli([
      'run', '-c', healthy.withoutCa, '--ca-file', healthy.caFile, '--workspace', target.workspaceId,
      '--consumer-credential', flag(healthy.credentials.consumer), '--provider-credential', flag(healthy.credentials.provider),
      ...tenantFlags(healthy.lab), '--out', out,
    ]);
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stderr).toContain(`discovered workspace ${target.workspaceId} (tenant 1 by Azure Resource Graph in 2 subscriptions; tenant 2 by Azure Resource Graph in 2 subscriptions)`);
    const report = readReport(out);
    expect(report.targets).toHaveLength(1);
    const [t] = report.targets;
    expect(t!.workspaceId).toBe(target.workspaceId);
    // The control plane ran on both sides, with the ids discovery found, and passed.
    const passed = withStatus(t!.results, 'pass');
    for (const id of ['consumer.credential', 'consumer.pe-approved', 'consumer.zone-linked', 'consumer.zone-records', 'provider.credential', 'provider.pls-found', 'provider.connection-approved']) expect(passed).toContain(id);
    expect(t!.results.filter((r) => r.side === 'provider' || r.side === 'consumer').every((r) => r.status === 'pass' || r.skipReason === 'not-applicable')).toBe(true);
    expect(report.summary.fail + report.summary.error).toBe(0);
    expect(run.stdout).not.toContain('not checked');
    // Reads only, and only what one workspace needs: no zone group of another workspace's endpoint.
    const others = healthy.lab.state.endpoints.filter((pe) => pe.id !== target.privateEndpointId).map((pe) => `${pe.id}/privateDnsZoneGroups`.toLowerCase());
    expect(healthy.lab.requestLog().filter((e) => others.some((o) => e.path.toLowerCase().startsWith(o)))).toEqual([]);
  });

  it('with the credentials in a config without targets, tenant 1 only: checks tenant 1 and says tenant 2 was not', { timeout: 120_000 }, async () => {
    const configOnly = at('healthy', 'consumer-only.json');
    const settings = JSON.parse(readFileSync(healthy.withCredentials, 'utf8')) as Record<string, unknown>;
    writeFileSync(configOnly, JSON.stringify({ ...settings, credentials: { consumer: healthy.credentials.consumer } }));
    const target = healthy.lab.state.targets[2]!;
    const out = at('healthy', 'consumer-only');
    const run = await runGuardedCli(['run', '-c', configOnly, '--workspace', target.workspaceId, '--consumer-tenant', healthy.lab.state.consumer.tenantId, '--out', out]);
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stderr).toContain('tenant 2 not searched: no credential');
    const [t] = readReport(out).targets;
    expect(withStatus(t!.results, 'pass')).toEqual(expect.arrayContaining(['consumer.credential', 'consumer.pe-approved', 'consumer.zone-linked']));
    expect(t!.results.find((r) => r.checkId === 'provider.credential')?.skipReason).toBe('no-access');
    expect(run.stdout).toContain('Control plane of tenant 2 not checked (no credential): add --provider-credential cli');
  });

  it('zone-unlinked: the control plane names the unlinked zone as the root cause', { timeout: 120_000 }, async () => {
    const target = unlinked.lab.state.targets[0]!;
    const out = at('unlinked', 'report');
    const run = await runGuardedCli(['run', '-c', unlinked.withCredentials, '--workspace', target.workspaceId, ...tenantFlags(unlinked.lab), '--out', out]);
    expect(run.code, describeRun(run)).toBe(1);
    const [t] = readReport(out).targets;
    expect(t!.rootCauses.map((c) => c.checkId)).toEqual(['consumer.zone-linked']);
    expect(withStatus(t!.results, 'fail')).toEqual(expect.arrayContaining(['consumer.zone-linked', 'local.dns-private']));
  });

  it('nothing found for the workspace: exit 2 saying what was searched', { timeout: 60_000 }, async () => {
    const missing = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    const run = await runGuardedCli(['run', '-c', healthy.settings, '--workspace', missing, '--consumer-credential', flag(healthy.credentials.consumer), ...tenantFlags(healthy.lab).slice(0, 2), '--out', at('healthy', 'missing')]);
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toContain(`--workspace ${missing}: no private link found for this workspace (tenant 1 by Azure Resource Graph in 2 subscriptions; tenant 2 not searched: no credential)`);
    expect(run.stderr).toContain('add --provider-credential');
  });

  it('a credential that cannot sign in: exit 2 naming the tenant and why, not a local-only run', { timeout: 60_000 }, async () => {
    const wrong = at('healthy', 'wrong.secret');
    writeFileSync(wrong, 'not-the-lab-secret', { mode: 0o600 });
    const consumer = { ...healthy.credentials.consumer, secretFile: wrong } as CredentialConfig;
    const ws = healthy.lab.state.targets[0]!.workspaceId;
    const run = await runGuardedCli(['run', '-c', healthy.settings, '--workspace', ws, '--consumer-credential', flag(consumer), ...tenantFlags(healthy.lab).slice(0, 2), '--out', at('healthy', 'wrong')]);
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toContain(`--workspace ${ws}: the private link could not be discovered: tenant 1: the subscriptions could not be listed with credentials.consumer (`);
    expect(run.stderr).not.toContain('not-the-lab-secret');
  });

  it('without a credential: the local checks alone, and one line on how to add the control plane', { timeout: 60_000 }, async () => {
    const target = healthy.lab.state.targets[0]!;
    const out = at('healthy', 'local');
    const run = await runGuardedCli(['run', '-c', healthy.settings, '--workspace', target.workspaceId, '--out', out]);
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stderr).not.toContain('discovered');
    const [t] = readReport(out).targets;
    expect(withStatus(t!.results, 'pass')).toContain('local.dns-private');
    expect(t!.results.filter((r) => r.side === 'consumer' || r.side === 'provider').every((r) => r.status === 'skip')).toBe(true);
    expect(healthy.lab.requestLog().some((e) => e.service === 'arm' && e.path.includes(target.workspaceId))).toBe(false);
    expect(run.stdout).toContain('Control plane of tenant 1 and tenant 2 not checked (no credential): add --consumer-credential cli --provider-credential cli');
    expect(run.stdout).toContain(`or credentials.consumer and credentials.provider in ${healthy.settings}`);
  });

  it('a bad credential or tenant flag is exit 2 naming the flag, before anything is contacted', { timeout: 60_000 }, async () => {
    const before = healthy.lab.requestLog().length;
    const ws = healthy.lab.state.targets[0]!.workspaceId;
    const bad = await runGuardedCli(['run', '-c', healthy.settings, '--workspace', ws, '--consumer-credential', 'client-secret,clientId=app,secretFile=' + at('nope.secret'), '--consumer-tenant', healthy.lab.state.consumer.tenantId]);
    expect(bad.code, describeRun(bad)).toBe(2);
    expect(bad.stderr).toContain(`--consumer-credential client-secret: secretFile: ${at('nope.secret')}: the file does not exist`);
    const noTenant = await runGuardedCli(['run', '-c', healthy.settings, '--workspace', ws, '--consumer-credential', flag(healthy.credentials.consumer)]);
    expect(noTenant.code, describeRun(noTenant)).toBe(2);
    expect(noTenant.stderr).toContain('--consumer-credential client-secret signs in to a named tenant: add --consumer-tenant');
    expect(healthy.lab.requestLog().length).toBe(before);
  });
});

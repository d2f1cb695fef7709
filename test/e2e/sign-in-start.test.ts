// A run sends its sign-in before its checks and report writers load (startSignIns in
// src/gather/identity/signIn.ts): the same token requests the sign-in facts would send, whose answers
// the facts then take. Through the built CLI against the lab: one token request per side and scope,
// even when the answer is an error (the credential forgets a failed request, so a fact that asked
// again would send it twice); a run with a selection is left to the facts it needs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab/server.js';
import { describeRun, readReport, runGuardedCli } from '../helpers/lab-cli.js';

let dir: string;
const labs: Lab[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xtd-sign-in-start-'));
});

afterAll(async () => {
  await Promise.all(labs.map((lab) => lab.stop()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function runAgainst(faults: string[], name: string, args: string[], targets = 1) {
  const lab = await startLab({ faults, targets, seed: `sign-in-start-${name}` });
  labs.push(lab);
  const config = await lab.writeConfig(join(dir, name));
  const out = join(dir, `${name}-out`);
  const run = await runGuardedCli(['run', '-c', config, '--out', out, '--format', 'json', '--quiet', '--no-exit-code', ...args], { env: lab.secretEnv() });
  expect(run.code, describeRun(run)).toBe(0);
  const tokenRequests = lab.requestLog().filter((e) => e.service === 'identity' && e.method === 'POST');
  return { report: readReport(out), tokenRequests };
}

describe('the sign-in starts before the checks load', () => {
  it('a fleet of three in one pair of tenants: one token request per side and scope (ARM for tenant 1; ARM and Fabric for tenant 2)', async () => {
    const { report, tokenRequests } = await runAgainst([], 'fleet', [], 3);
    expect(tokenRequests).toHaveLength(3);
    for (const target of report.targets) {
      expect(target.results.find((r) => r.checkId === 'provider.credential')?.status).toBe('pass');
      expect(target.results.find((r) => r.checkId === 'consumer.credential')?.status).toBe('pass');
    }
  });

  it('an expired provider secret: each scope is asked once, and the credential check has the answer', async () => {
    const { report, tokenRequests } = await runAgainst(['credential-secret-expired'], 'expired', []);
    const credential = report.targets[0]!.results.find((r) => r.checkId === 'provider.credential')!;
    expect(credential.status).toBe('error');
    expect(credential.message).toContain('AADSTS7000222');
    // Tenant 2: ARM and Fabric, each failing once; tenant 1: ARM.
    expect(tokenRequests).toHaveLength(3);
  });

  it('a selection is left to its facts: only the tokens they ask for (ARM of each tenant, no Fabric token)', async () => {
    const { report, tokenRequests } = await runAgainst([], 'local-only', ['--checks', 'local.*']);
    expect(report.targets[0]!.results.every((r) => r.side === 'local')).toBe(true);
    // The local checks' explanations read ARM in both tenants; the early start would also have asked
    // tenant 2's Fabric token, which no local check needs.
    expect(tokenRequests).toHaveLength(2);
  });
});

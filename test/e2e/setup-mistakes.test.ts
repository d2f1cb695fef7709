// The setup mistakes of docs/checks.md, through the built CLI against the lab: each is one finding on the
// side's credential check (error, the cause in plain words), that side's other checks blocked by it,
// the other side still checked, exit 3. Also: selections that match nothing are exit 2, a config
// wrong in itself stops run, and a side with no credential is named in the verdict.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_ENV } from '../../src/lab/config.js';
import { startLab, type Lab } from '../../src/lab/server.js';
import type { CheckResult, RunReport } from '../../src/engine/types.js';
import { describeRun, readReport, runGuardedCli } from '../helpers/lab-cli.js';
import { expectValidReport } from '../helpers/report-schema.js';

let lab: Lab;
let dir: string;

beforeAll(async () => {
  lab = await startLab({ seed: 'setup-mistakes' });
  dir = await mkdtemp(join(tmpdir(), 'xtd-setup-mistakes-'));
}, 60_000);

afterAll(async () => {
  await lab?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs `run -c` on a config derived from the lab's, returning the report. */
async function runWith(name: string, edit: (config: ReturnType<Lab['configJson']>) => void, options: { env?: Record<string, string>; args?: string[]; credentials?: 'access-token' } = {}) {
  const config = { ...lab.configJson(options.credentials ? { credentials: options.credentials } : {}), tls: { caFile: join(dir, 'ca.pem') } };
  await writeFile(join(dir, 'ca.pem'), lab.caPem);
  edit(config);
  const file = join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify(config));
  const out = join(dir, `${name}-out`);
  const run = await runGuardedCli(['run', '-c', file, '--out', out, ...(options.args ?? ['--format', 'json,md,html'])], { env: { ...lab.secretEnv(), ...options.env } });
  return { run, out, file };
}

function byId(report: RunReport): Map<string, CheckResult> {
  return new Map(report.targets[0]!.results.map((r) => [r.checkId, r]));
}

/** The side's credential check errors with `cause`; every other check of the side is blocked by it; the root cause is that one check. */
function expectOneSignInFinding(report: RunReport, side: 'provider' | 'consumer', cause: RegExp): void {
  expectValidReport(report);
  const results = byId(report);
  const credential = results.get(`${side}.credential`)!;
  expect(credential.status, credential.message).toBe('error');
  expect(credential.message).toMatch(cause);
  for (const r of report.targets[0]!.results.filter((x) => x.side === side && x.checkId !== credential.checkId)) {
    expect(`${r.checkId} ${r.status}:${r.skipReason}`).toBe(`${r.checkId} skip:blocked`);
    expect(r.blockedBy).toBe(credential.checkId);
  }
  expect(report.targets[0]!.rootCauses.map((c) => c.checkId)).toContain(credential.checkId);
}

describe('setup mistakes: one finding on the side\'s credential check, exit 3', () => {
  it('swapped tenant ids: each side\'s app is named, the swap said in words', async () => {
    const { run, out } = await runWith('swapped', (config) => {
      for (const target of config.targets) [target.provider.tenantId, target.consumer.tenantId] = [target.consumer.tenantId, target.provider.tenantId];
    });
    expect(run.code, describeRun(run)).toBe(3);
    const report = readReport(out);
    expectOneSignInFinding(report, 'provider', /is not registered in tenant .* but signs in to tenant .*: the two tenant ids look swapped \(AADSTS700016: Application with identifier/);
    expectOneSignInFinding(report, 'consumer', /the two tenant ids look swapped/);
    expect(report.summary.error).toBe(2);
    expect(byId(report).get('provider.credential')!.fix?.summary).toMatch(/Swap targets\[\]\.provider\.tenantId and targets\[\]\.consumer\.tenantId/);
  });

  it('a provider secret file that does not exist: the provider side is one finding, the consumer side is still checked', async () => {
    const missing = join(dir, 'no-such-secret.txt');
    const { run, out } = await runWith('missing-secret-file', (config) => {
      config.credentials.provider = { type: 'client-secret', clientId: (config.credentials.provider as { clientId: string }).clientId, secretFile: missing };
    });
    expect(run.code, describeRun(run)).toBe(3);
    const report = readReport(out);
    expectOneSignInFinding(report, 'provider', new RegExp(`cannot read secretFile ${missing.replace(/[\\/.]/g, '\\$&')}: the file does not exist`));
    expect(byId(report).get('consumer.credential')!.status).toBe('pass');
    expect(byId(report).get('consumer.pe-found')!.status).toBe('pass');
    expect(report.summary.error).toBe(1);
  });

  it('a token file written by Windows PowerShell (UTF-16 LE with a BOM) is read as such; without a BOM it is one finding saying so', async () => {
    const tokenFile = join(dir, 'arm-token.txt');
    const token = lab.secretEnv()[LAB_ENV.consumerArmToken]!;
    await writeFile(tokenFile, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${token}\r\n`, 'utf16le')]));
    const withBom = await runWith('utf16-bom', (config) => {
      config.credentials.consumer = { type: 'access-token', armTokenFile: tokenFile };
    }, { credentials: 'access-token' });
    expect(withBom.run.code, describeRun(withBom.run)).toBe(0);
    expect(byId(readReport(withBom.out)).get('consumer.credential')!.status).toBe('pass');

    const noBom = join(dir, 'arm-token-nobom.txt');
    await writeFile(noBom, Buffer.from(token, 'utf16le'));
    const withoutBom = await runWith('utf16-no-bom', (config) => {
      config.credentials.consumer = { type: 'access-token', armTokenFile: noBom };
    }, { credentials: 'access-token' });
    expect(withoutBom.run.code, describeRun(withoutBom.run)).toBe(3);
    expectOneSignInFinding(readReport(withoutBom.out), 'consumer', /UTF-16 without a byte-order mark\? Write it again as UTF-8/);
  });
});

describe('selections and configs that are wrong in themselves: exit 2 before anything is contacted', () => {
  it('--checks naming no known check names it', async () => {
    const { run } = await runWith('typo', () => undefined, { args: ['--checks', 'consumer.zone-linkd', '--quiet'] });
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toContain('--checks consumer.zone-linkd: no check or side matches it');
  });

  it('--skip naming no known check names it', async () => {
    const { run } = await runWith('skip-typo', () => undefined, { args: ['--skip', 'local.tcp443', '--quiet'] });
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toContain('--skip local.tcp443: no check or side matches it');
  });

  it('a subnet id as vnetId stops run with the JSON path', async () => {
    const { run } = await runWith('subnet-as-vnet', (config) => {
      config.targets[0]!.consumer.vnetId = `${config.targets[0]!.consumer.vnetId}/subnets/snet-vm`;
    });
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toContain('$.targets[0].consumer.vnetId: this is a subnet id; the VNet is');
  });
});

describe('a side with no credential', () => {
  it('is named in the verdict of the terminal, Markdown and HTML reports; exit 0', async () => {
    const { run, out } = await runWith('no-consumer', (config) => {
      config.credentials.consumer = { type: 'none' };
    });
    expect(run.code, describeRun(run)).toBe(0);
    const headline = 'PASSED, tenant 1 not checked: no credential';
    expect(run.stdout).toContain(headline);
    expect(await readFile(join(out, 'report.md'), 'utf8')).toContain(headline);
    expect(await readFile(join(out, 'report.html'), 'utf8')).toContain(headline);
    expect(byId(readReport(out)).get('consumer.credential')).toMatchObject({ status: 'skip', skipReason: 'no-access' });
  });
});

// One trust store (issue 13, item 6): a TLS-inspecting proxy's root that is only in the operating
// system's store (here: the lab's CA, given to Node's "system" set through OpenSSL's SSL_CERT_FILE,
// with no tls.ca/tls.caFile in the config) is trusted by ARM, Fabric, sign-in and the probes alike:
// the whole diagnosis passes. Without it, nothing trusts the lab: the control plane cannot pass.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab/server.js';
import { describeRun, readReport, runGuardedCli, withStatus } from '../helpers/lab-cli.js';

let lab: Lab;
let dir: string;
let config: string;

beforeAll(async () => {
  lab = await startLab();
  dir = mkdtempSync(join(tmpdir(), 'xtd-trust-'));
  config = await lab.writeConfig(dir);
  const json = JSON.parse(readFileSync(config, 'utf8')) as { tls?: unknown };
  delete json.tls;
  writeFileSync(config, JSON.stringify(json, null, 2));
  writeFileSync(join(dir, 'system-ca.pem'), lab.caPem);
  mkdirSync(join(dir, 'empty-cert-dir'));
});

afterAll(async () => {
  await lab?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const run = (out: string, env: NodeJS.ProcessEnv = {}) => runGuardedCli(['run', '-c', config, '--out', join(dir, out), '--format', 'json', '--quiet'], { env: { ...lab.secretEnv(), ...env } });

describe('one trust store', () => {
  it('a root only in the system store: every check passes, control plane and probes alike', async () => {
    const result = await run('system', { SSL_CERT_FILE: join(dir, 'system-ca.pem'), SSL_CERT_DIR: join(dir, 'empty-cert-dir') });
    expect(result.code, describeRun(result)).toBe(0);
    const report = readReport(join(dir, 'system'));
    const results = report.targets[0]!.results;
    expect(withStatus(results, 'error')).toEqual([]);
    expect(withStatus(results, 'fail')).toEqual([]);
    for (const id of ['provider.workspace-found', 'provider.pls-found', 'consumer.pe-found', 'consumer.zone-records', 'local.tls', 'local.api-reachable']) {
      expect(results.find((r) => r.checkId === id)?.status, id).toBe('pass');
    }
  });

  it('without that root nothing trusts the lab: the control plane does not pass', async () => {
    const result = await run('none', { SSL_CERT_DIR: join(dir, 'empty-cert-dir'), SSL_CERT_FILE: join(dir, 'no-such-file.pem') });
    expect(result.code, describeRun(result)).not.toBe(0);
    const results = readReport(join(dir, 'none')).targets[0]!.results;
    expect(results.find((r) => r.checkId === 'provider.workspace-found')?.status).not.toBe('pass');
    expect(results.find((r) => r.checkId === 'consumer.pe-found')?.status).not.toBe('pass');
  });
});

// The sandbox holds at the socket: a sandboxed run of the built CLI whose ARM, Fabric and sign-in
// endpoints are off loopback, with DNS servers off loopback and the OS resolver configured, makes no
// connection attempt and no name lookup at all (a connect tracer in the child records every attempt)
// and ends with errors that name the sandbox.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/engine/types.js';
import { runCli } from '../helpers/cli.js';
import * as fx from '../fixtures/control.js';

const SUB = '5b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9';
const TRACER = pathToFileURL(join(import.meta.dirname, 'connect-tracer.ts')).href;

describe('the sandbox at the socket', () => {
  it('a sandboxed run with non-loopback ARM, Fabric, sign-in and DNS makes no connection attempt and names the refusal', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xtd-sandbox-'));
    const trace = join(dir, 'trace.log');
    await writeFile(trace, '');
    const config = {
      // The fixture's consumer subscription is all zeros, which the config refuses as `init`'s placeholder.
      targets: [JSON.parse(JSON.stringify(fx.target()).replaceAll(fx.SUB_1, SUB))],
      credentials: {
        // The provider side goes straight to ARM and Fabric; the consumer side signs in first.
        provider: { type: 'access-token', armTokenEnv: 'XTD_SANDBOX_ARM', fabricTokenEnv: 'XTD_SANDBOX_FABRIC' },
        consumer: { type: 'client-secret', clientId: '22222222-2222-4222-8222-222222222222', secretEnv: 'XTD_SANDBOX_SECRET' },
      },
      cloud: {
        armEndpoint: 'https://management.sandbox-test.example',
        fabricEndpoint: 'https://api.sandbox-test.example',
        authorityHost: 'https://login.sandbox-test.example',
      },
      dns: { servers: ['10.1.0.4'], publicServers: ['203.0.113.53'], azureVm: true, systemResolver: 'os', timeoutMs: 500, retries: 0 },
      probes: { public: true, timeoutMs: 1000 },
      network: { sandbox: true, connectTo: [] },
      timeouts: { requestMs: 2000, factMs: 10000 },
    };
    const file = join(dir, 'config.json');
    await writeFile(file, JSON.stringify(config));
    const r = await runCli(['run', '-c', file, '--out', join(dir, 'out'), '--format', 'json'], {
      env: {
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${TRACER}`.trim(),
        XTD_TRACE_FILE: trace,
        XTD_SANDBOX_ARM: 'sandbox-arm-token-value',
        XTD_SANDBOX_FABRIC: 'sandbox-fabric-token-value',
        XTD_SANDBOX_SECRET: 'sandbox-client-secret-value',
      },
    });
    expect(await readFile(trace, 'utf8'), 'connection attempts').toBe('');
    // Nothing could be learned: errors, not a crash and not a pass.
    expect(r.code, r.stderr).toBe(3);
    const report = JSON.parse(await readFile(join(dir, 'out', 'report.json'), 'utf8')) as RunReport;
    const text = JSON.stringify(report);
    for (const host of ['management.sandbox-test.example:443', 'api.sandbox-test.example:443', 'login.sandbox-test.example:443']) {
      expect(text, host).toContain(`sandbox: ${host} is not mapped by connect-to; refused without a connection attempt`);
    }
    expect(text).toContain('sandbox: the OS resolver is not asked');
    expect(text).toContain('sandbox: 10.1.0.4:53 is not mapped by connect-to');
    // Only the provider's static tokens (read from the environment, no network) may pass.
    expect(report.targets[0]!.results.filter((x) => x.status === 'pass').map((x) => x.checkId)).toEqual(['provider.credential']);
    expect(report.targets[0]!.results.find((x) => x.checkId === 'consumer.credential')?.status).toBe('error');
  });
});

describe('sign-in in the sandbox', () => {
  it('a credential that signs in through another process (az, azd, PowerShell) is refused, naming why; nothing is spawned', async () => {
    const { createSideAuth } = await import('../../src/azure/credentials.js');
    const { testConfig } = await import('../../src/config/defaults.js');
    for (const type of ['cli', 'default'] as const) {
      const config = testConfig({ targets: [fx.target()], credentials: { provider: { type }, consumer: { type: 'none' } }, network: { sandbox: true, connectTo: [] } });
      const auth = createSideAuth(config, 'provider', []);
      await expect(auth!.credential.getToken('https://management.azure.com/.default')).rejects.toThrow(`sandbox: the ${type} credential may sign in through another process`);
    }
  });
});

// A budget over every body a run reads (limits.readMB): ARM, Fabric and lists alike are charged by
// the one body reader (readBody in src/azure/http.ts) as they stream in. The read that crosses it,
// and every later one, is a named `error` fact naming the setting; never an out-of-memory crash.
// (1) In-process against a server answering 6 MB bodies: the server proves the crossing body was
// not read to its end and that nothing was sent after. (2) The built CLI against a lab fleet with a
// shared zone of thousands: the run ends with exit 3 and the named errors, in bounded memory (the
// child's peak RSS, bench/rss-probe.mjs; time is the bench's).
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { armSide } from '../../src/azure/arm.js';
import { fabricClient } from '../../src/azure/fabric.js';
import { ReadBudgetError, toFact } from '../../src/azure/http.js';
import { testConfig } from '../../src/config/defaults.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import { createServices } from '../../src/engine/services.js';
import type { RunReport } from '../../src/engine/types.js';
import { createCertificateAuthority } from '../../src/lab/certs.js';
import { startLab } from '../../src/lab/server.js';
import { peakRssMiB, runCli, withRssProbe } from '../helpers/cli.js';
import { describeRun, runGuardedCli } from '../helpers/lab-cli.js';

const MiB = 1024 * 1024;
const BODY = 6 * MiB;

describe('the run read budget, in-process', () => {
  let server: https.Server;
  let base = '';
  let caPem = '';
  /** Per request: the path and the bytes the server managed to hand to the socket. */
  const served: Array<{ path: string; bytes: number }> = [];

  beforeAll(async () => {
    const ca = await createCertificateAuthority('read budget CA');
    caPem = ca.cert;
    const cert = await ca.issue({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
    server = https.createServer({ key: cert.key, cert: cert.cert }, (req: IncomingMessage, res: ServerResponse) => {
      const entry = { path: req.url ?? '', bytes: 0 };
      served.push(entry);
      // Chunked (no content-length): the budget must hold while the body streams in.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":"/subscriptions/s/x","padding":"');
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        while (entry.bytes < BODY && !res.destroyed) {
          entry.bytes += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end('"}');
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );

  function config(readMB: number): ResolvedConfig {
    process.env.XTD_BUDGET_TOKEN = 'budget-token-not-a-secret';
    return testConfig({
      cloud: { name: 'custom', armEndpoint: base, armScope: 'https://arm.budget/.default', fabricEndpoint: base, fabricScope: 'https://fabric.budget/.default', authorityHost: base },
      credentials: { provider: { type: 'access-token', armTokenEnv: 'XTD_BUDGET_TOKEN', fabricTokenEnv: 'XTD_BUDGET_TOKEN' }, consumer: { type: 'access-token', armTokenEnv: 'XTD_BUDGET_TOKEN' } },
      tls: { ca: caPem },
      timeouts: { requestMs: 20_000, factMs: 30_000 },
      limits: { readMB },
    });
  }

  it('ARM and Fabric share one budget per run: the read that crosses it stops mid-body, later reads are not sent, each a named error', { timeout: 60_000 }, async () => {
    served.length = 0;
    const cfg = config(16);
    const services = createServices(cfg, new AbortController().signal);
    const signal = new AbortController().signal;
    const arm = armSide(services, cfg, 'consumer');
    const fabric = fabricClient(services, cfg, 'provider');
    // 6 + 6 MB fit in 16; the third body crosses it while it streams.
    await arm.getJson('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/a', '2024-05-01', signal);
    await fabric.get('/v1/workspaces/b', signal);
    const crossing = await arm.getJson('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/c', '2024-05-01', signal).catch((e: unknown) => e);
    expect(crossing).toBeInstanceOf(ReadBudgetError);
    expect(served).toHaveLength(3);
    expect(served[2]!.bytes, 'the crossing body was not read to its end').toBeLessThan(BODY);
    // Spent: the next read (a generated SDK client, a Fabric list) is refused before it is sent.
    await expect((await arm.network('s')).privateEndpoints.get('rg', 'd')).rejects.toBeInstanceOf(ReadBudgetError);
    await expect(fabric.list('/v1/capacities', signal)).rejects.toBeInstanceOf(ReadBudgetError);
    expect(served).toHaveLength(3);
    // As a fact: `error`, the setting named, how to raise it.
    const fact = toFact(crossing, { what: 'the private endpoint c', side: 'consumer', neededRole: 'Reader' }).unavailable;
    expect(fact).toMatchObject({ kind: 'error', code: 'ReadBudgetExceeded' });
    expect(fact.message).toBe(
      'the private endpoint c: the run has read its budget of 16 MB from ARM and Fabric (limits.readMB) and reads no more; raise limits.readMB in the config (default 256) or diagnose fewer targets per run',
    );
  });

  it('a budget is per run: a new run starts with the whole of it', { timeout: 30_000 }, async () => {
    served.length = 0;
    const cfg = config(8);
    for (let run = 0; run < 2; run++) {
      const arm = armSide(createServices(cfg, new AbortController().signal), cfg, 'consumer');
      await arm.getJson('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/a', '2024-05-01', new AbortController().signal);
    }
    expect(served.map((s) => s.bytes)).toEqual([BODY, BODY]);
  });
});

describe('the run read budget, through the built CLI against a lab fleet', () => {
  it('a fleet over limits.readMB ends with exit 3 and the named error, never a crash, in bounded memory', { timeout: 180_000 }, async () => {
    const lab = await startLab({ seed: 'read-budget', targets: 120, zoneRecords: 20_000 });
    try {
      const dir = await mkdtemp(join(tmpdir(), 'xtd-read-budget-'));
      const configFile = await lab.writeConfig(join(dir, 'lab'));
      const config = JSON.parse(await readFile(configFile, 'utf8')) as Record<string, unknown>;
      await writeFile(configFile, JSON.stringify({ ...config, limits: { readMB: 1 } }));
      const out = join(dir, 'out');
      const r = await runGuardedCli(['run', '-c', configFile, '--out', out, '--format', 'json', '--quiet'], {
        env: { NODE_OPTIONS: withRssProbe() },
      });
      expect(r.code, describeRun(r)).toBe(3);
      expect(r.stderr).not.toMatch(/internal error|heap out of memory/i);
      const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as RunReport;
      expect(report.targets).toHaveLength(120);
      const named = report.targets.flatMap((t) => t.results).filter((x) => x.status === 'error' && x.message.includes('limits.readMB'));
      expect(named.length, 'checks that say the budget stopped them').toBeGreaterThan(0);
      // What was read before the budget was spent still counts: the run is not all errors.
      expect(report.targets.flatMap((t) => t.results).some((x) => x.status === 'pass')).toBe(true);
      const peakMiB = peakRssMiB(r.stderr);
      expect(peakMiB).toBeGreaterThan(10);
      expect(peakMiB).toBeLessThan(500);
    } finally {
      await lab.stop();
    }
  });

  it('limits.readMB is validated like the rest of the config (exit 2 naming it)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xtd-read-budget-config-'));
    const file = join(dir, 'c.json');
    await writeFile(file, JSON.stringify({ targets: [{ name: 't', workspaceId: 'cfafbeb1-8037-4d0c-896e-a46fb27ff227' }], limits: { readMB: 0 } }));
    const r = await runCli(['validate-config', file]);
    expect(r.code, r.stderr).toBe(2);
    expect(`${r.stdout}${r.stderr}`).toMatch(/limits\.readMB/);
  });
});

// ARM and Fabric answering badly. (1) A 50 MB body, streamed without a length: every client (the Azure
// SDK transport for ARM, generated and plain; the Fabric client; the HTTPS probe) stops reading at its
// cap and says so; the server proves how little was read. (2) Random damage between the doctor and the
// lab (invalid JSON, an HTML page from a proxy, an empty body, odd statuses, missing and mistyped
// fields): the run completes, the report is valid, no recorded problem turns into a pass, and a body
// that is not JSON is a check `error` saying so. Replay: FC_SEED=<seed> npx vitest run test/integration/response-fuzz.test.ts
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { armSide } from '../../src/azure/arm.js';
import { fabricClient } from '../../src/azure/fabric.js';
import { MAX_BODY_BYTES } from '../../src/azure/http.js';
import { testConfig } from '../../src/config/defaults.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import { diagnose } from '../../src/diagnose.js';
import { createServices } from '../../src/engine/services.js';
import type { RunReport } from '../../src/engine/types.js';
import { MAX_BODY_BYTES as PROBE_CAP, probeHttps } from '../../src/gather/net/https.js';
import { createCertificateAuthority } from '../../src/lab/certs.js';
import { startLab, type Lab } from '../../src/lab/server.js';
import { expectValidReport } from '../helpers/report-schema.js';

const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`response fuzz seed: ${seed}`);

const FIFTY_MB = 50 * 1024 * 1024;
let caPem = '';
let cert: { key: string; cert: string };

beforeAll(async () => {
  const ca = await createCertificateAuthority('response fuzz CA');
  caPem = ca.cert;
  cert = await ca.issue({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ base: string; port: number; close: () => Promise<void> }> {
  const server = https.createServer({ key: cert.key, cert: cert.cert }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `https://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('a 50 MB body', () => {
  let server: Awaited<ReturnType<typeof serve>>;
  // Bytes the server managed to hand to the socket per request, until the client hung up.
  const written: number[] = [];

  beforeAll(async () => {
    server = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no content-length to refuse early
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      const index = written.push(0) - 1;
      const pump = () => {
        while (sent < FIFTY_MB && !res.destroyed) {
          sent += chunk.length;
          written[index] = sent;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end();
      };
      res.write('{"value":"');
      pump();
    });
  });
  afterAll(() => server?.close());

  function config(): ResolvedConfig {
    process.env.XTD_FUZZ_TOKEN = 'fuzz-token-not-a-secret';
    return testConfig({
      cloud: { name: 'custom', armEndpoint: server.base, armScope: 'https://arm.fuzz/.default', fabricEndpoint: server.base, fabricScope: 'https://fabric.fuzz/.default', authorityHost: server.base },
      credentials: { provider: { type: 'access-token', armTokenEnv: 'XTD_FUZZ_TOKEN', fabricTokenEnv: 'XTD_FUZZ_TOKEN' }, consumer: { type: 'access-token', armTokenEnv: 'XTD_FUZZ_TOKEN' } },
      tls: { ca: caPem },
      timeouts: { requestMs: 20_000, factMs: 30_000 },
    });
  }

  /** The last request's bytes are far below 50 MB: the client stopped reading near its cap. */
  function expectBoundedRead(cap: number) {
    const last = written[written.length - 1]!;
    expect(last).toBeGreaterThan(cap / 2);
    expect(last).toBeLessThan(cap + 16 * 1024 * 1024);
    expect(last).toBeLessThan(FIFTY_MB);
  }

  it('ARM through the plain pipeline: refused at the cap as an invalid response', async () => {
    const services = createServices(config(), new AbortController().signal);
    const arm = armSide(services, config(), 'consumer');
    await expect(arm.getJson('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Fabric/privateLinkServicesForFabric/p', '2024-06-01', new AbortController().signal)).rejects.toMatchObject({
      name: 'InvalidResponseError',
      message: expect.stringMatching(new RegExp(`over the ${MAX_BODY_BYTES}-byte cap`)),
    });
    expectBoundedRead(MAX_BODY_BYTES);
  });

  it('ARM through a generated SDK client: the same', async () => {
    const services = createServices(config(), new AbortController().signal);
    const arm = armSide(services, config(), 'consumer');
    await expect((await arm.network('s')).privateEndpoints.get('rg', 'pe')).rejects.toMatchObject({ message: expect.stringMatching(/over the \d+-byte cap/) });
    expectBoundedRead(MAX_BODY_BYTES);
  });

  it('Fabric: the same', async () => {
    const services = createServices(config(), new AbortController().signal);
    const fabric = fabricClient(services, config(), 'provider');
    await expect(fabric.get('/v1/workspaces/x', new AbortController().signal)).rejects.toMatchObject({ name: 'InvalidResponseError', message: expect.stringMatching(/over the \d+-byte cap/) });
    expectBoundedRead(MAX_BODY_BYTES);
  });

  it('the HTTPS probe: reads its 1 MB and reports the body truncated', async () => {
    const result = await probeHttps({ fqdn: 'localhost', address: '127.0.0.1', port: server.port, path: '/v1/workspaces/x', config: { network: { connectTo: [], sandbox: false } }, ca: [caPem], timeoutMs: 20_000 });
    expect(result).toMatchObject({ outcome: 'response', status: 200, bodyTruncated: true, bodyKind: 'other' });
    expectBoundedRead(PROBE_CAP);
  });
});

// ---- Random damage between the doctor and the lab ----

type Damage = 'none' | 'invalid-json' | 'html' | 'empty' | 'status' | 'field';

const HTML_PAGE = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>The proxy server received an invalid response from an upstream server.</p></body></html>';

function hash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** Damages one JSON value at a place chosen by `pick`: delete, null, or another type. */
function damageJson(value: unknown, pick: number): unknown {
  const paths: Array<Array<string | number>> = [];
  const walk = (v: unknown, p: Array<string | number>) => {
    if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) (paths.push([...p, Array.isArray(v) ? Number(k) : k]), walk(c, [...p, Array.isArray(v) ? Number(k) : k]));
  };
  walk(value, []);
  if (!paths.length) return 42;
  const path = paths[pick % paths.length]!;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  const how = (pick >>> 8) % 3;
  if (how === 0 && !Array.isArray(parent)) delete parent[last];
  else if (how === 1) parent[last] = null;
  else parent[last] = typeof parent[last] === 'string' ? 7 : typeof parent[last] === 'number' ? 'seven' : 'a string';
  return copy;
}

interface Proxy {
  base: string;
  damaged: number;
  close: () => Promise<void>;
}

/** An HTTPS proxy in front of the lab's API that damages ARM and Fabric answers (not token requests). */
async function damagingProxy(lab: Lab, damages: Damage[], caseSeed: number): Promise<Proxy> {
  const agent = new Agent({ connect: { ca: lab.caPem } });
  const proxy: Proxy = { base: '', damaged: 0, close: async () => {} };
  const server = await serve((req, res) => {
    void (async () => {
      const url = req.url ?? '/';
      const upstream = await request(`${lab.addresses.apiBase}${url}`, { method: req.method as 'GET', headers: req.headers as Record<string, string>, dispatcher: agent, body: req.method === 'POST' ? req : null });
      const text = await upstream.body.text();
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(upstream.headers)) if (typeof v === 'string' && !['content-length', 'transfer-encoding', 'connection'].includes(k)) headers[k] = v;
      const api = /^\/(subscriptions|v1)\//i.test(url);
      const draw = hash(`${caseSeed} ${req.method} ${url}`);
      const damage: Damage = api ? damages[draw % damages.length]! : 'none';
      if (damage !== 'none') proxy.damaged++;
      const reply = (status: number, body: string, type = headers['content-type'] ?? 'application/json') =>
        res.writeHead(status, { ...headers, 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(body);
      switch (damage) {
        case 'none':
          return reply(upstream.statusCode, text);
        case 'invalid-json':
          return reply(200, `{"value": [${'x'.repeat(draw % 40)}`);
        case 'html':
          return reply(draw % 2 ? 502 : 200, HTML_PAGE, 'text/html');
        case 'empty':
          return reply(200, '');
        case 'status':
          return reply([400, 401, 403, 409, 500, 502, 504][draw % 7]!, draw % 2 ? HTML_PAGE : '{"error":{"code":"Odd","message":"fuzz"}}');
        case 'field': {
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            return reply(upstream.statusCode, text);
          }
          return reply(upstream.statusCode, JSON.stringify(damageJson(body, draw >>> 3)));
        }
      }
    })().catch(() => res.socket?.destroy());
  });
  proxy.base = server.base;
  proxy.close = async () => {
    await server.close();
    await agent.close();
  };
  return proxy;
}

function viaProxy(lab: Lab, proxy: Proxy): ResolvedConfig {
  const config = lab.resolvedConfig({ credentials: 'access-token' });
  return {
    ...config,
    cloud: { ...config.cloud, armEndpoint: proxy.base, fabricEndpoint: proxy.base, authorityHost: proxy.base },
    tls: { ca: caPem },
    // The control plane only: the local and public checks do not go through the proxy.
    checks: { ...config.checks, only: ['provider', 'consumer'] },
    timeouts: { requestMs: 5000, factMs: 15_000 },
  };
}

function statusesOf(report: RunReport): Map<string, { status: string; message: string }> {
  return new Map(report.targets.flatMap((t) => t.results.map((r) => [r.checkId, { status: r.status, message: r.message }] as const)));
}

describe('damaged ARM and Fabric answers', () => {
  const FAULTS = [[], ['connection-pending'], ['zone-unlinked'], ['record-wrong-ip'], ['public-access-allowed'], ['capacity-paused'], ['pls-wrong-workspace'], ['pe-other-vnet'], ['tenant-setting-off']];
  const labs: Array<{ lab: Lab; baseline: Map<string, { status: string; message: string }> }> = [];

  beforeAll(async () => {
    for (const faults of FAULTS) {
      const lab = await startLab({ faults, seed: 'response-fuzz' });
      Object.assign(process.env, lab.secretEnv());
      const proxy = await damagingProxy(lab, ['none'], 0);
      try {
        labs.push({ lab, baseline: statusesOf(await diagnose(viaProxy(lab, proxy))) });
      } finally {
        await proxy.close();
      }
    }
    expect([...labs.flatMap((l) => [...l.baseline.values()])].some((r) => r.status === 'fail')).toBe(true);
  }, 120_000);

  afterAll(async () => {
    for (const { lab } of labs) await lab.stop();
  });

  it('every run completes with a valid report and no recorded problem becomes a pass', async () => {
    let damagedTotal = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: FAULTS.length - 1 }),
        fc.subarray<Damage>(['invalid-json', 'html', 'empty', 'status', 'field'], { minLength: 1 }),
        fc.nat(),
        async (which, damages, caseSeed) => {
          const { lab, baseline } = labs[which]!;
          const proxy = await damagingProxy(lab, ['none', 'none', ...damages], caseSeed);
          try {
            const report = await diagnose(viaProxy(lab, proxy));
            damagedTotal += proxy.damaged;
            expectValidReport(report);
            const flips: string[] = [];
            for (const [id, now] of statusesOf(report)) {
              const was = baseline.get(id)!;
              if (now.status === 'pass' && was.status !== 'pass' && was.status !== 'skip') flips.push(`${id}: ${was.status} → pass: ${now.message}`);
              if (now.status === 'error') expect(now.message, id).toMatch(/\S.{10,}/);
            }
            expect(flips, `faults ${FAULTS[which]!.join(',') || 'none'}, damages ${damages.join(',')}, case ${caseSeed}`).toEqual([]);
          } finally {
            await proxy.close();
          }
        },
      ),
      { seed, numRuns: 40 },
    );
    expect(damagedTotal).toBeGreaterThan(40);
  }, 300_000);

  it('a body that is not JSON (garbage or a proxy HTML page) is a check error saying so', { timeout: 60_000 }, async () => {
    const { lab } = labs[0]!;
    for (const damage of ['invalid-json', 'html'] as const) {
      const proxy = await damagingProxy(lab, [damage], 1);
      try {
        const report = await diagnose(viaProxy(lab, proxy));
        // The sign-in needs no network here (access tokens); every read errors, and what depends on an
        // errored check is blocked by it (the blocking rule counts error).
        const results = report.targets[0]!.results.filter((r) => (r.status !== 'skip' || r.skipReason !== 'not-selected') && !r.checkId.endsWith('.credential'));
        const errors = results.filter((r) => r.status === 'error');
        expect(errors.length).toBeGreaterThan(4);
        for (const r of results) {
          if (r.status === 'skip' && r.skipReason === 'blocked') {
            expect(errors.map((e) => e.checkId), `${damage}: ${r.checkId} blocked by ${r.blockedBy}`).toContain(r.blockedBy);
            continue;
          }
          expect(r.status, `${damage}: ${r.checkId}: ${r.message}`).toBe('error');
          expect(r.message, `${damage}: ${r.checkId}: ${r.message}`).toMatch(damage === 'html' ? /an HTML page/ : /is not valid JSON/);
        }
      } finally {
        await proxy.close();
      }
    }
  });
});

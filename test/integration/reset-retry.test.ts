// A connection reset mid-request (a middlebox dropping it) is transient: through the real clients
// (the Azure SDK's pipeline for ARM, undici for Fabric) over real HTTPS, the request is sent again
// and the read succeeds. A server that always resets gets a bounded number of attempts.
import https from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { armSide } from '../../src/azure/arm.js';
import { fabricClient } from '../../src/azure/fabric.js';
import { testConfig } from '../../src/config/defaults.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import { createServices } from '../../src/engine/services.js';
import { createCertificateAuthority } from '../../src/lab/certs.js';

let server: https.Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

/** An HTTPS server that destroys the socket of the first `resets` requests, then answers. */
async function resettingServer(resets: number) {
  const ca = await createCertificateAuthority('Reset Test CA');
  const cert = await ca.issue({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  let seen = 0;
  server = https.createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    seen++;
    if (seen <= resets) return void req.socket.destroy();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"value":[{"id":"x"}]}');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  const base = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
  process.env.XTD_RESET_ARM = 'arm-token';
  process.env.XTD_RESET_FABRIC = 'fabric-token';
  const config = testConfig({
    targets: [{ name: 't', workspaceId: 'cfafbeb1-8037-4d0c-896e-a46fb27ff227', consumer: { tenantId: '11111111-1111-4111-8111-111111111111' }, provider: { tenantId: '84c4a047-7bd1-410d-b822-15effec319a0' } }],
    credentials: { consumer: { type: 'access-token', armTokenEnv: 'XTD_RESET_ARM' }, provider: { type: 'access-token', armTokenEnv: 'XTD_RESET_ARM', fabricTokenEnv: 'XTD_RESET_FABRIC' } },
    timeouts: { requestMs: 5000, factMs: 20000 },
    tls: { ca: ca.cert },
    cloud: { name: 'custom', armEndpoint: base, armScope: `${base}/.default`, fabricEndpoint: base, fabricScope: `${base}/fabric/.default`, authorityHost: base },
  } as Partial<ResolvedConfig>);
  return { config, services: createServices(config, new AbortController().signal), requests: () => seen };
}

describe('a reset connection is retried', () => {
  it('ARM (the Azure SDK pipeline): reset once, then the answer', async () => {
    const { config, services } = await resettingServer(1);
    const answer = await armSide(services, config, 'consumer').getJson('/subscriptions/s/x', '2020-01-01', new AbortController().signal);
    expect(answer.body).toEqual({ value: [{ id: 'x' }] });
    expect(services.requestLog.map((e) => e.status ?? 'no answer')).toEqual(['no answer', 200]);
  });

  it('Fabric (undici): reset once, then the answer', async () => {
    const { config, services } = await resettingServer(1);
    const list = await fabricClient(services, config, 'provider').list('/v1/capacities', new AbortController().signal);
    expect(list.value).toEqual([{ id: 'x' }]);
    expect(services.requestLog.map((e) => e.status ?? 'no answer')).toEqual(['no answer', 200]);
  });

  it('reset every time: three attempts, then the failure', async () => {
    const { config, services, requests } = await resettingServer(100);
    await expect(armSide(services, config, 'consumer').getJson('/subscriptions/s/x', '2020-01-01', new AbortController().signal)).rejects.toThrow();
    expect(requests()).toBe(3);
  });
});

// The service clients' connections (src/azure/agents.ts: the https agent of ARM and the sign-in,
// undici's connector for Fabric, the connections opened ahead) check the certificate's name on its
// X509Certificate (src/net/peer-certificate.ts), as the probes do: the same verdicts as Node's own
// check, without Node building its legacy object of the whole chain for it (issue 19 item 3).
import https from 'node:https';
import tls from 'node:tls';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { destinationAgents, destinationConnector, warmConnection } from '../../../src/azure/agents.js';
import { FQDN, makeCertificates, startHttpsServer, type Running } from './servers.js';

let certs: Awaited<ReturnType<typeof makeCertificates>>;
let valid: Running;
let wrongName: Running;

beforeAll(async () => {
  certs = await makeCertificates();
  const ok = (_req: unknown, res: import('node:http').ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  [valid, wrongName] = await Promise.all([startHttpsServer(certs.valid, ok), startHttpsServer(certs.wrongName, ok)]);
});
afterAll(() => Promise.all([valid.close(), wrongName.close()]));

const configFor = (server: Running) => ({ network: { connectTo: [`${FQDN}:443:127.0.0.1:${server.port}`], sandbox: true }, tls: { ca: certs.ca.cert } });

/** Node's legacy peer certificate, watched: the name check must not build it. */
function watchLegacy() {
  return vi.spyOn(tls.TLSSocket.prototype, 'getPeerCertificate');
}

function viaAgent(config: ReturnType<typeof configFor>): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    https
      .get(`https://${FQDN}/subscriptions`, { agent: destinationAgents(config).https }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode));
      })
      .on('error', reject);
  });
}

async function viaUndici(config: ReturnType<typeof configFor>): Promise<number> {
  const dispatcher = new Agent({ connect: await destinationConnector(config) });
  try {
    const response = await request(`https://${FQDN}/v1/workspaces`, { dispatcher });
    await response.body.dump();
    return response.statusCode;
  } finally {
    await dispatcher.close();
  }
}

describe("the service clients' name check", () => {
  for (const [client, send] of [
    ['the https agent (ARM, sign-in)', viaAgent],
    ["undici's connector (Fabric)", viaUndici],
  ] as const) {
    it(`${client}: accepts the certificate for the name asked for, without the legacy peer certificate`, async () => {
      const legacy = watchLegacy();
      try {
        expect(await send(configFor(valid))).toBe(200);
        expect(legacy).not.toHaveBeenCalled();
      } finally {
        legacy.mockRestore();
      }
    });

    it(`${client}: refuses a certificate for another name with Node's own error`, async () => {
      await expect(send(configFor(wrongName))).rejects.toMatchObject({
        code: 'ERR_TLS_CERT_ALTNAME_INVALID',
        message: expect.stringContaining(`Host: ${FQDN}. is not in the cert's altnames: DNS:portal.example.net`),
      });
    });
  }

  it('a connection opened ahead checks the name the same way', async () => {
    const legacy = watchLegacy();
    try {
      const config = configFor(valid);
      const before = valid.connections();
      warmConnection(config, `https://${FQDN}/subscriptions`);
      expect(await viaAgent(config)).toBe(200);
      expect(valid.connections()).toBe(before + 1);
      expect(legacy).not.toHaveBeenCalled();
    } finally {
      legacy.mockRestore();
    }
    const refused = configFor(wrongName);
    warmConnection(refused, `https://${FQDN}/subscriptions`);
    await expect(viaAgent(refused)).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });
});

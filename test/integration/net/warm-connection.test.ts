// Connections opened while a request waits for its token (warmConnection, src/azure/agents.ts): the
// request then goes out on the connection opened for it, under the same policy as every connection.
import https from 'node:https';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { destinationAgents, warmConnection } from '../../../src/azure/agents.js';
import { FQDN, makeCertificates, startHttpsServer, type Running } from './servers.js';

let certs: Awaited<ReturnType<typeof makeCertificates>>;
let server: Running;

beforeAll(async () => {
  certs = await makeCertificates();
  server = await startHttpsServer(certs.valid, (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
});
afterAll(() => server.close());

const networkFor = () => ({ network: { connectTo: [`${FQDN}:443:127.0.0.1:${server.port}`], sandbox: true }, tls: { ca: certs.ca.cert } });

function get(config: ReturnType<typeof networkFor>, url: string): Promise<{ status?: number; socket: tls.TLSSocket }> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { agent: destinationAgents(config).https }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode, socket: request.socket as tls.TLSSocket }));
    });
    request.on('error', reject);
  });
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

describe('warmConnection', () => {
  it('opens the connection before the request, which then uses it: one handshake in all', async () => {
    const config = networkFor();
    const before = server.connections();
    warmConnection(config, `https://${FQDN}/v1/workspaces`);
    await until(() => server.connections() === before + 1);
    const { status, socket } = await get(config, `https://${FQDN}/v1/workspaces`);
    expect(status).toBe(200);
    expect(socket.servername).toBe(FQDN);
    expect(server.connections()).toBe(before + 1);
  });

  it('each waiting request gets its own connection, and a request with none waiting opens one', async () => {
    const config = networkFor();
    const before = server.connections();
    warmConnection(config, `https://${FQDN}/a`);
    warmConnection(config, `https://${FQDN}/b`);
    await until(() => server.connections() === before + 2);
    const answers = await Promise.all([get(config, `https://${FQDN}/a`), get(config, `https://${FQDN}/b`), get(config, `https://${FQDN}/c`)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(server.connections()).toBe(before + 3);
  });

  it('opens nothing where the sandbox would refuse, nor for plain http', async () => {
    const connect = vi.spyOn(tls, 'connect');
    try {
      warmConnection(networkFor(), 'https://management.azure.com/subscriptions');
      warmConnection(networkFor(), `http://${FQDN}/`);
      expect(connect).not.toHaveBeenCalled();
    } finally {
      connect.mockRestore();
    }
  });
});

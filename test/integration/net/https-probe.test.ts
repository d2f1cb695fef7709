// The HTTPS probe against a local HTTPS server: 200, 401, 403 RequestDeniedByInboundPolicy with and
// without a body, the body cap, the request log (no token, no header values), TLS refusal, and the
// ways an answer fails to come (silence, a stalled body, a cut connection, an abort).
import type { IncomingMessage, ServerResponse } from 'node:http';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RequestLogEntry } from '../../../src/engine/services.js';
import { machineRoots } from '../../../src/net/trust.js';
import { probeHttps, type HttpsProbeInput } from '../../../src/gather/net/https.js';
import { handshakeTls, type TlsConnect } from '../../../src/gather/net/tls.js';
import { FQDN, WORKSPACE_ID, makeCertificates, startHttpsServer, type Running } from './servers.js';

const PATH = `/v1/workspaces/${WORKSPACE_ID}`;
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.secret-token-value';

let certs: Awaited<ReturnType<typeof makeCertificates>>;
let server: Running;
let mode = '200';
const seen: Array<{ method?: string; url?: string; host?: string; authorization?: string; servername?: string }> = [];

function handler(req: IncomingMessage, res: ServerResponse) {
  seen.push({ method: req.method, url: req.url, host: req.headers.host, authorization: req.headers.authorization, servername: (req.socket as tls.TLSSocket).servername || undefined });
  res.setHeader('requestid', 'req-1234');
  switch (mode) {
    case '200':
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: WORKSPACE_ID, displayName: 'ws' }));
      return;
    case '401':
      res.writeHead(401, { 'content-type': 'application/json', 'x-secret': 'do-not-log' }).end(JSON.stringify({ errorCode: 'TokenExpired', message: 'Access token has expired' }));
      return;
    case 'denied':
      res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ errorCode: 'RequestDeniedByInboundPolicy', message: 'Request is denied due to inbound communication policy' }));
      return;
    case 'denied-empty':
      res.writeHead(403).end();
      return;
    case 'silent':
      return; // never answers: the probe's headers deadline ends it
    case 'stalled':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":'); // then nothing: the body stalls
      return;
    case 'hang-up':
      req.socket.destroy(); // the connection is cut before any answer
      return;
    case 'huge':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(Buffer.alloc(3 * 1024 * 1024, 0x20));
      return;
  }
}

beforeAll(async () => {
  certs = await makeCertificates();
  server = await startHttpsServer(certs.valid, handler);
});
afterAll(() => server.close());

/** A TLS connection to the server as the TLS probe leaves it: handshaken, verified or not, open. */
async function handshaken(ca: string[]): Promise<tls.TLSSocket> {
  const { result, socket } = await handshakeTls({ address: '10.0.0.4', port: 443, servername: FQDN, config: { network: { connectTo: [`10.0.0.4:443:127.0.0.1:${server.port}`], sandbox: true } }, ca, timeoutMs: 5000 });
  expect(result.outcome).toBe('handshake-ok');
  return socket!;
}

function probe(options: Parameters<typeof probeInput>[0] = {}) {
  return probeHttps(probeInput(options));
}

function probeInput(options: { token?: string; log?: RequestLogEntry[]; trust?: string[]; connectTo?: string[]; address?: string; connect?: TlsConnect; timeoutMs?: number } = {}): HttpsProbeInput {
  return {
    fqdn: FQDN,
    address: options.address ?? '10.0.0.4',
    path: PATH,
    config: { network: { connectTo: options.connectTo ?? [`10.0.0.4:443:127.0.0.1:${server.port}`], sandbox: true } },
    ca: [...machineRoots().roots, ...(options.trust ?? [certs.ca.cert])],
    timeoutMs: options.timeoutMs ?? 5000,
    token: options.token ? { token: options.token, auth: 'bearer' } : { auth: 'none' },
    ...(options.log ? { requestLog: options.log } : {}),
    ...(options.connect ? { connect: options.connect } : {}),
  };
}

describe('probeHttps', () => {
  it('sends one GET to the workspace path with SNI and Host = the FQDN, through connect-to', async () => {
    mode = '200';
    seen.length = 0;
    const result = await probe();
    expect(result).toMatchObject({ outcome: 'response', status: 200, bodyKind: 'json', requestId: 'req-1234', auth: 'none', method: 'GET', host: FQDN, path: PATH });
    expect(result.destination).toEqual({ host: '127.0.0.1', port: server.port, mapped: true });
    expect(seen).toEqual([{ method: 'GET', url: PATH, host: FQDN, authorization: undefined, servername: FQDN }]);
  });

  it('sends the bearer token and keeps it (and every header value) out of the request log and the result', async () => {
    mode = '401';
    seen.length = 0;
    const log: RequestLogEntry[] = [];
    const result = await probe({ token: TOKEN, log });
    expect(seen[0]?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(result).toMatchObject({ status: 401, bodyKind: 'fabric-error', errorCode: 'TokenExpired', auth: 'bearer' });
    expect(log).toEqual([{ service: 'net', method: 'GET', host: FQDN, path: PATH, status: 401, requestId: 'req-1234', durationMs: expect.any(Number) }]);
    const written = JSON.stringify({ log, result });
    expect(written).not.toContain('secret-token-value');
    expect(written).not.toContain('do-not-log');
  });

  it('reads 403 RequestDeniedByInboundPolicy with its body', async () => {
    mode = 'denied';
    const result = await probe();
    expect(result).toMatchObject({ status: 403, bodyKind: 'fabric-error', errorCode: 'RequestDeniedByInboundPolicy' });
    expect(result.errorMessage).toContain('inbound communication policy');
  });

  it('reads a 403 without a body as empty', async () => {
    mode = 'denied-empty';
    const result = await probe();
    expect(result).toMatchObject({ status: 403, bodyKind: 'empty', bodyBytes: 0 });
    expect(result.errorCode).toBeUndefined();
  });

  it('caps the body at 1 MiB', async () => {
    mode = 'huge';
    const result = await probe();
    expect(result).toMatchObject({ status: 200, bodyTruncated: true, bodyKind: 'other' });
    expect(result.bodyBytes).toBeGreaterThan(1024 * 1024);
  });

  it('fails on TLS when the certificate is not trusted, before any request is sent', async () => {
    mode = '200';
    seen.length = 0;
    const log: RequestLogEntry[] = [];
    const result = await probe({ trust: [], log });
    expect(result.outcome).toBe('tls-failed');
    expect(result.error?.code).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED/);
    expect(seen).toEqual([]);
    expect(log[0]).toMatchObject({ method: 'GET', host: FQDN, error: expect.any(String) });
  });

  it("on its own connection, fails a certificate for another name with Node's own name-check error", async () => {
    const other = await startHttpsServer(certs.wrongName, handler);
    try {
      seen.length = 0;
      const result = await probe({ connectTo: [`10.0.0.4:443:127.0.0.1:${other.port}`] });
      expect(result.outcome).toBe('tls-failed');
      expect(result.error).toEqual({
        code: 'ERR_TLS_CERT_ALTNAME_INVALID',
        message: `Hostname/IP does not match certificate's altnames: Host: ${FQDN}. is not in the cert's altnames: DNS:portal.example.net, DNS:www.example.net`,
      });
      expect(seen).toEqual([]);
    } finally {
      other.close();
    }
  });

  it('goes over the TLS probe\'s open connection when its handshake was authorized', async () => {
    const before = server.connections();
    const socket = await handshaken([...machineRoots().roots, certs.ca.cert]);
    expect(socket.authorized).toBe(true);
    const result = await probeHttps({ ...probeInput(), socket });
    expect(result).toMatchObject({ outcome: 'response', status: 200 });
    expect(server.connections() - before).toBe(1);
  });

  it('never reuses an unauthorized handshake: it connects again and fails on TLS as any client would', async () => {
    const before = server.connections();
    const socket = await handshaken(machineRoots().roots);
    expect(socket.authorized).toBe(false);
    const result = await probeHttps({ ...probeInput({ trust: [] }), socket });
    expect(result.outcome).toBe('tls-failed');
    expect(server.connections() - before).toBe(2);
    expect(socket.destroyed).toBe(true);
  });

  it('is refused by the sandbox for an unmapped address without connecting', async () => {
    const connect = vi.fn<TlsConnect>((options) => tls.connect(options));
    const result = await probe({ connectTo: [], address: '20.50.1.2', connect });
    expect(result.outcome).toBe('sandbox-refused');
    expect(connect).not.toHaveBeenCalled();
  });

  it('a server that never answers is a timeout naming the headers it waited for', async () => {
    mode = 'silent';
    const log: RequestLogEntry[] = [];
    const result = await probe({ timeoutMs: 300, log });
    mode = '200';
    expect(result).toMatchObject({ outcome: 'timeout', error: { code: 'ETIMEDOUT', message: 'no response headers within 300 ms' } });
    expect(log[0]).toMatchObject({ method: 'GET', host: FQDN, error: 'no response headers within 300 ms' });
  });

  it('a body that stops coming is a timeout too', async () => {
    mode = 'stalled';
    const result = await probe({ timeoutMs: 300 });
    mode = '200';
    expect(result).toMatchObject({ outcome: 'timeout', error: { code: 'ETIMEDOUT', message: 'the body stalled: no data within 300 ms' } });
  });

  it('a connection cut before the answer is a reset', async () => {
    mode = 'hang-up';
    const result = await probe();
    mode = '200';
    expect(result.outcome).toBe('reset');
    expect(result.error?.code).toBe('ECONNRESET');
  });

  it('an aborted run ends the probe as aborted', async () => {
    mode = 'silent';
    const controller = new AbortController();
    const pending = probeHttps({ ...probeInput(), signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const result = await pending;
    mode = '200';
    expect(result).toMatchObject({ outcome: 'error', error: { code: 'ABORT_ERR' } });
  });

  it('reports a refused connection', async () => {
    const result = await probe({ connectTo: ['10.0.0.4:443:127.0.0.1:1'] });
    expect(result.outcome).toBe('refused');
  });
});

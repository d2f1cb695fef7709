// Loopback servers for the probe tests: TLS and HTTPS listeners on 127.0.0.1 with certificates made
// in the test, and plain TCP listeners that accept or reset.
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { createCertificateAuthority, type KeyAndCertificate } from '../../../src/lab/certs.js';

export const FQDN = 'cfafbeb180374d0c896ea46fb27ff227.zcf.w.api.fabric.microsoft.com';
export const WORKSPACE_ID = 'cfafbeb1-8037-4d0c-896e-a46fb27ff227';

export interface Running {
  port: number;
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

function listening(server: net.Server): Promise<Running> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  server.on('connection', (s: net.Socket) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        connections: () => connections,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    ),
  );
}

/** A TLS server presenting `leaf` (followed by `chain`, e.g. the issuing CA as a proxy sends it). */
export function startTlsServer(leaf: KeyAndCertificate, chain: string[] = []): Promise<Running> {
  const server = tls.createServer({ key: leaf.key, cert: leaf.cert + chain.join('') }, (socket) => socket.end());
  server.on('tlsClientError', () => {});
  return listening(server);
}

export function startHttpsServer(leaf: KeyAndCertificate, handler: Parameters<typeof https.createServer>[1]): Promise<Running> {
  const server = https.createServer({ key: leaf.key, cert: leaf.cert }, handler);
  server.on('tlsClientError', () => {});
  return listening(server);
}

/** A TCP server that accepts and then resets every connection (a proxy or firewall killing the handshake). */
export function startResettingServer(): Promise<Running> {
  const server = net.createServer((socket) => socket.resetAndDestroy());
  return listening(server);
}

export function startTcpServer(): Promise<Running> {
  const server = net.createServer((socket) => socket.end());
  return listening(server);
}

/** A loopback port with nothing listening: listen, note the port, close. */
export async function closedPort(): Promise<number> {
  const running = await startTcpServer();
  await running.close();
  return running.port;
}

/** One CA, and the certificates every test needs, made once per file (the lab's certificate maker). */
export async function makeCertificates() {
  const ca = await createCertificateAuthority('Lab Root CA', { organization: 'xtenant-doctor lab' });
  const proxyCa = await createCertificateAuthority('Contoso Inspection CA', { organization: 'Contoso Proxy' });
  const now = Date.now();
  const [valid, wildcard, wrongName, expired, intercepted] = await Promise.all([
    ca.issue({ commonName: FQDN, dnsNames: [FQDN] }),
    ca.issue({ commonName: '*.zcf.w.api.fabric.microsoft.com', dnsNames: ['*.zcf.w.api.fabric.microsoft.com'] }),
    ca.issue({ commonName: 'portal.example.net', dnsNames: ['portal.example.net', 'www.example.net'] }),
    ca.issue({ commonName: FQDN, dnsNames: [FQDN], notBefore: new Date(now - 40 * 86400e3), notAfter: new Date(now - 10 * 86400e3) }),
    proxyCa.issue({ commonName: FQDN, dnsNames: [FQDN] }),
  ]);
  return { ca, proxyCa, valid, wildcard, wrongName, expired, intercepted };
}

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

/** What a ClientHello offered for the key exchange (TLS 1.3 code points: 0x001d X25519, 0x11ec X25519MLKEM768…). */
export interface OfferedGroups {
  /** The supported_groups extension: every group the client would take. */
  supported: number[];
  /** The key_share extension: the groups it sent a key for. */
  keyShares: number[];
}

/**
 * The groups a ClientHello offers, read from its bytes (RFC 8446 §4.1.2: record and handshake
 * headers, version, random, session id, cipher suites, compression methods, then the extensions).
 */
function offeredGroups(hello: Buffer): OfferedGroups {
  const offered: OfferedGroups = { supported: [], keyShares: [] };
  let at = 5 + 4 + 2 + 32;
  at += 1 + hello[at]!;
  at += 2 + hello.readUInt16BE(at);
  at += 1 + hello[at]!;
  const end = at + 2 + hello.readUInt16BE(at);
  for (at += 2; at + 4 <= end; ) {
    const type = hello.readUInt16BE(at);
    const length = hello.readUInt16BE(at + 2);
    const body = at + 4;
    if (type === 0x000a) for (let p = body + 2; p < body + length; p += 2) offered.supported.push(hello.readUInt16BE(p));
    if (type === 0x0033) for (let p = body + 2; p < body + length; p += 4 + hello.readUInt16BE(p + 2)) offered.keyShares.push(hello.readUInt16BE(p));
    at = body + length;
  }
  return offered;
}

/**
 * An HTTPS server that also records what each client's ClientHello offered for the key exchange: a
 * loopback relay in front of it reads the first TLS record of each connection on its way through.
 */
export async function startRecordingHttpsServer(leaf: KeyAndCertificate, handler: Parameters<typeof https.createServer>[1]): Promise<Running & { hellos: OfferedGroups[] }> {
  const inner = await startHttpsServer(leaf, handler);
  const hellos: OfferedGroups[] = [];
  const relay = net.createServer((client) => {
    const upstream = net.connect(inner.port, '127.0.0.1');
    let first: Buffer | undefined = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      if (first) {
        first = Buffer.concat([first, chunk]);
        // The whole first record (its length is in the header).
        if (first.length >= 5 && first.length >= 5 + first.readUInt16BE(3)) {
          hellos.push(offeredGroups(first));
          first = undefined;
        }
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on('end', () => upstream.end());
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  const running = await listening(relay);
  return {
    ...running,
    hellos,
    close: async () => {
      await running.close();
      await inner.close();
    },
  };
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

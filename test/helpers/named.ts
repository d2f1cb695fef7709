// Starts a throwaway BIND (`named`) on a free loopback port with the fixtures in test/fixtures/dns,
// and stops it. No systemd; as root it runs as root. Nothing it serves points off loopback.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import dgram from 'node:dgram';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'dns');

export interface NamedServer {
  host: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

export function findNamed(): string {
  const candidates = ['/usr/sbin/named', '/usr/bin/named', '/usr/local/sbin/named'];
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error('BIND `named` not found: run `node test/setup/ensure-system-deps.mjs` (apt-get install bind9) before the integration tests');
  }
  return found;
}

/** A port free on 127.0.0.1 for both TCP and UDP (named needs both). */
async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = dgram.createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no free loopback port for named');
}

export async function startNamed(): Promise<NamedServer> {
  const binary = findNamed();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xtd-named-'));
  await cp(FIXTURES, dir, { recursive: true });
  const port = await freePort();
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const args = ['-g', '-n', '1', '-c', path.join(dir, 'named.conf'), '-p', String(port), ...(asRoot ? ['-u', 'root'] : [])];
  const child: ChildProcess = spawn(binary, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    log += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  await new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => fail(`named did not report "running" within 15 s`), 15_000);
    const fail = (why: string) => {
      clearTimeout(deadline);
      clearInterval(poll);
      child.kill('SIGKILL');
      reject(new Error(`${why}; log:\n${log}`));
    };
    const poll = setInterval(() => {
      if (/address in use|could not listen/.test(log)) return fail(`named could not bind 127.0.0.1:${port}`);
      if (/running\s*$/m.test(log)) {
        clearTimeout(deadline);
        clearInterval(poll);
        resolve();
      }
    }, 20);
    child.once('exit', (code) => fail(`named exited with ${code}`));
  });

  return {
    host: '127.0.0.1',
    port,
    dir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        // named closes its sockets at once but takes 1-2 s to wind down its threads: finish it off.
        const killer = setTimeout(() => child.kill('SIGKILL'), 300);
        await exited;
        clearTimeout(killer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function namedLog(server: NamedServer): Promise<string> {
  return readFile(path.join(server.dir, 'named.log'), 'utf8').catch(() => '');
}

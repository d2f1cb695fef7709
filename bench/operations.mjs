#!/usr/bin/env node
// The client CPU of one probe operation, alone: `node bench/operations.mjs [tls|https|dns ...] [--count N]`
// after `npm run build`. The lab runs in this process; a child runs the operation N times (10 at a
// time, after one to warm up) against it and reports its own CPU (user + system) per operation, so
// the lab's answers are not counted. Steadier than a fleet's CPU per target on a busy machine: use it
// to measure a change to one operation (docs/performance.md, "CPU per target and depth").
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OPERATIONS = ['tls', 'https', 'dns'];

if (process.argv[2] === '--child') {
  const [, , , kind, count, host, port, servername, dnsServer, caFile] = process.argv;
  const ca = await readFile(caFile, 'utf8');
  const secureContext = tls.createSecureContext({ ca });
  // One list for the run, as the doctor's trust store holds it (its roots are indexed once per list).
  const roots = [ca];
  const { resolveName } = await import(path.join(ROOT, 'dist/src/dns/resolver.js'));
  const { probeHttps } = await import(path.join(ROOT, 'dist/src/gather/net/https.js'));
  const { probeTls } = await import(path.join(ROOT, 'dist/src/gather/net/tls.js'));
  const config = { network: { connectTo: [], sandbox: false }, dns: { timeoutMs: 2000, retries: 2 } };
  const run = {
    // The TLS probe itself: the run's shared context, SNI = the workspace FQDN, its evidence built
    // (leaf and chain summaries, name check, chain trust).
    tls: async () => {
      const result = await probeTls({ address: host, port: Number(port), servername, config, ca: roots, secureContext, timeoutMs: 5000 });
      if (result.outcome !== 'handshake-ok' || !result.chain?.length) throw new Error(`tls: ${result.outcome} ${result.error?.message ?? ''}`);
    },
    https: async () => {
      const result = await probeHttps({ fqdn: servername, address: host, port: Number(port), path: '/v1/workspaces/x', config, ca: roots, secureContext, timeoutMs: 5000 });
      if (result.outcome !== 'response') throw new Error(`https: ${result.outcome} ${result.error?.message ?? ''}`);
    },
    dns: async () => {
      const answer = await resolveName(servername, { type: 'A', server: dnsServer, config });
      if (answer.rcode !== 'NOERROR') throw new Error(`dns: ${answer.rcode} ${answer.error ?? ''}`);
    },
  }[kind];
  await run();
  const start = process.cpuUsage();
  for (let done = 0; done < Number(count); done += 10) await Promise.all(Array.from({ length: 10 }, run));
  const cpu = process.cpuUsage(start);
  process.stdout.write(`${JSON.stringify({ operation: kind, count: Number(count), cpuMsEach: Math.round(((cpu.user + cpu.system) / 1000 / Number(count)) * 1000) / 1000 })}\n`);
  process.exit(0);
}

const args = process.argv.slice(2);
const countAt = args.indexOf('--count');
const count = countAt === -1 ? 400 : Number(args.splice(countAt, 2)[1]);
const kinds = args.length ? args : OPERATIONS;
const unknown = kinds.filter((k) => !OPERATIONS.includes(k));
if (unknown.length || !Number.isInteger(count) || count < 10) {
  process.stderr.write(`usage: node bench/operations.mjs [${OPERATIONS.join('|')} ...] [--count N>=10]${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}\n`);
  process.exit(2);
}

const { startLab } = await import(path.join(ROOT, 'dist/src/lab/server.js'));
const work = await mkdtemp(path.join(os.tmpdir(), 'xtenant-doctor-operations-'));
const lab = await startLab({ latencyMs: 0, targets: 1 });
try {
  const config = JSON.parse(await readFile(await lab.writeConfig(work), 'utf8'));
  const target = config.targets[0];
  // The private listener, as the connect-to rule for the target's private API address names it.
  const [, , host, port] = config.network.connectTo.find((rule) => rule.startsWith('10.')).split(':');
  const id = target.workspaceId.replace(/-/g, '');
  const servername = `${id}.z${id.slice(0, 2)}.w.api.fabric.microsoft.com`;
  for (const kind of kinds) {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', kind, String(count), host, port, servername, config.dns.systemResolver, path.join(work, 'lab-ca.pem')], { stdio: ['ignore', 'inherit', 'inherit'] });
    const code = await new Promise((resolve) => child.on('close', resolve));
    if (code) process.exitCode = 1;
  }
} finally {
  await lab.stop();
  await rm(work, { recursive: true, force: true });
}

// The lab's lifecycle: the config it hands out, stop() leaving no handles or ports behind, and the
// `lab` command serving until SIGINT, then cleaning up.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import dnsPacket from 'dns-packet';
import { beforeAll, describe, expect, test } from 'vitest';
import { workspaceNames } from '../../src/fabric/workspace.js';
import { startLab } from '../../src/lab/server.js';
import { call, closeAgent } from './lab-helpers.js';

const ROOT = path.join(import.meta.dirname, '..', '..');

function handleCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let connected = false;
    socket.on('connect', () => {
      connected = true;
      socket.destroy();
    });
    socket.on('error', () => undefined);
    // Resolve on close, so the probe's own handle is gone before anyone counts handles.
    socket.on('close', () => resolve(!connected));
  });
}

describe('lab lifecycle', () => {
  test('configJson points the doctor at the lab through its ordinary options only', async () => {
    const lab = await startLab({ seed: 'config', targets: 2, faults: ['record-wrong-ip@2'] });
    try {
      const config = lab.configJson();
      expect(config.cloud).toEqual({
        name: 'custom',
        armEndpoint: lab.addresses.apiBase,
        armScope: lab.addresses.scopes.arm,
        fabricEndpoint: lab.addresses.apiBase,
        fabricScope: lab.addresses.scopes.fabric,
        authorityHost: lab.addresses.apiBase,
        // Reports link each resource to the portal: the public one (a link only, never requested).
        portalEndpoint: 'https://portal.azure.com',
      });
      expect(config.network.sandbox).toBe(true);
      expect(config.tls.ca).toBe(lab.caPem);
      expect(config.probes.public).toBe(true);
      // The VM's effective DNS servers, as its OS would report them (flat: Azure-provided DNS), each mapped to loopback on :53.
      expect(config.dns.servers).toEqual(['168.63.129.16']);
      expect(config.network.connectTo).toContain(`168.63.129.16:53:${lab.addresses.dnsServers['168.63.129.16']}`);
      // The instance metadata service, on :80 as on every Azure VM.
      expect(config.network.connectTo).toContain(`169.254.169.254:80:127.0.0.1:${lab.addresses.imdsPort}`);
      expect(config.dns.publicServers).toEqual([lab.addresses.dns.public]);
      expect(config.targets).toHaveLength(2);
      expect(config.targets[0]!.provider.tenantId).toBe(lab.state.provider.tenantId);
      expect(config.targets[0]!.consumer.tenantId).toBe(lab.state.consumer.tenantId);
      expect(config.credentials.provider).toEqual({ type: 'client-secret', clientId: lab.state.provider.clientId, secretEnv: 'XTD_LAB_PROVIDER_CLIENT_SECRET' });
      expect(lab.configJson({ credentials: 'access-token' }).credentials.provider).toEqual({ type: 'access-token', armTokenEnv: 'XTD_LAB_PROVIDER_ARM_TOKEN', fabricTokenEnv: 'XTD_LAB_PROVIDER_FABRIC_TOKEN' });
      // Every 10.x / 20.x address the lab hands out is mapped to loopback on :443; DNS servers on :53, IMDS on :80.
      const mappedAddresses = config.network.connectTo.map((r) => r.split(':')[0]);
      for (const rule of config.network.connectTo) expect(rule).toMatch(/^((10|20)\.\d+\.\d+\.\d+:443|(10\.\d+\.\d+\.\d+|168\.63\.129\.16):53|169\.254\.169\.254:80):127\.0\.0\.1:\d+$/);
      for (const e of lab.state.endpoints) for (const ip of Object.values(e.ips)) expect(mappedAddresses).toContain(ip);
      for (const r of lab.state.zones[0]!.aRecords) expect(mappedAddresses).toContain(r.ips[0]);
      expect(mappedAddresses).toContain(lab.state.frontEnd.ip);
      // No secret in the config itself.
      const text = JSON.stringify(config);
      for (const secret of Object.values(lab.secretEnv())) expect(text).not.toContain(secret);
      const resolved = lab.resolvedConfig();
      expect(resolved.network.sandbox).toBe(true);
      expect(resolved.tls.ca).toBe(lab.caPem);
      expect(resolved.targets[1]!.workspaceId).toBe(lab.state.targets[1]!.workspaceId);
    } finally {
      await lab.stop();
    }
  });

  test('stop() closes every server and socket: no handles left, ports refused', async () => {
    const before = handleCounts();
    const lab = await startLab({ faults: ['tls-intercepted'], latencyMs: 20 });
    const env = lab.secretEnv();
    // Some traffic on every kind of server.
    expect((await call(lab, 'GET', `/v1/workspaces/${lab.state.targets[0]!.workspaceId}`, env.XTD_LAB_PROVIDER_FABRIC_TOKEN)).status).toBe(200);
    const udp = dgram.createSocket('udp4');
    const [host, port] = lab.addresses.dns.vnet.split(':');
    await new Promise<void>((resolve) => {
      udp.on('message', () => resolve());
      udp.send(dnsPacket.encode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: workspaceNames(lab.state.targets[0]!.workspaceId).fqdns.api }] }), Number(port), host);
    });
    udp.close();
    // A connection left open on purpose: stop() must close it.
    const dangling = net.connect(Number(port), host);
    await new Promise((resolve) => dangling.on('connect', resolve));
    dangling.on('error', () => undefined);
    await closeAgent(lab);
    const ports = [Number(lab.addresses.apiBase.split(':')[2]), lab.addresses.listeners.private, lab.addresses.listeners.public, lab.addresses.listeners.intercept!, Number(port)];
    await lab.stop();
    await new Promise((resolve) => dangling.on('close', resolve));
    for (const p of ports) expect(await refused(p), `port ${p}`).toBe(true);
    // Let the closed sockets' handles go, then compare.
    await new Promise((resolve) => setImmediate(resolve));
    const after = handleCounts();
    for (const type of ['TCPServerWrap', 'TCPSocketWrap', 'UDPWrap', 'Timeout']) expect(after[type] ?? 0, type).toBeLessThanOrEqual(before[type] ?? 0);
  });
});

describe('the lab command', () => {
  beforeAll(() => {
    // The command runs from the built package, as `npx xtenant-doctor lab` does.
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.json')], { stdio: 'inherit' });
  });

  test('serves until SIGINT, prints a config path that works, then stops and cleans up', async () => {
    const script = `
      const { default: yargs } = await import('yargs');
      const { default: lab } = await import(${JSON.stringify(path.join(ROOT, 'dist', 'src', 'cli', 'commands', 'lab.js'))});
      await yargs(process.argv.slice(1)).command(lab).strict().parseAsync();
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, 'lab', '--topology', 'hub-resolver', '--fault', 'zone-unlinked', '--seed', 'cli'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const configPath = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c) => {
        stdout += c;
        const m = /config: (\S+)/.exec(stdout);
        if (m && stdout.includes('Ctrl-C')) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`lab exited early (${code}): ${stderr}`)));
    });
    expect(stdout).toContain('faults:        zone-unlinked');
    expect(stdout).toContain('topology:      hub-resolver');
    const config = JSON.parse(readFileSync(configPath, 'utf8'));
    // The spoke's DNS server is the hub resolver's inbound endpoint; the banner names its loopback server.
    const [inbound] = config.dns.servers as string[];
    expect(inbound).toMatch(/^10\.\d+\.1\.4$/);
    expect(stdout).toMatch(new RegExp(`DNS at ${inbound!.replace(/\./g, '\\.')}\\s+127\\.0\\.0\\.1:\\d+`));
    expect(stdout).toContain('instance metadata:');
    expect(config.tls.caFile).toBeDefined();
    expect(readFileSync(config.tls.caFile, 'utf8')).toContain('BEGIN CERTIFICATE');
    const secret = readFileSync(config.credentials.provider.secretFile, 'utf8');
    expect(secret.length).toBeGreaterThan(10);
    expect(stdout).not.toContain(secret);
    const apiPort = Number(new URL(config.cloud.armEndpoint).port);
    expect(await refused(apiPort)).toBe(false);
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exit).toBe(0);
    expect(stdout).toContain('stopped');
    expect(existsSync(configPath)).toBe(false);
    expect(await refused(apiPort)).toBe(true);
  });

  test('an unknown fault is a clear error, exit 2', async () => {
    const script = `
      const { default: yargs } = await import('yargs');
      const { default: lab } = await import(${JSON.stringify(path.join(ROOT, 'dist', 'src', 'cli', 'commands', 'lab.js'))});
      await yargs(process.argv.slice(1)).command(lab).parseAsync();
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, 'lab', '--fault', 'zone-gone'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown fault "zone-gone"/);
    expect(stderr).toContain('zone-unlinked');
  });
});

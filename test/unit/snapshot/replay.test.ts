import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineCheck, defineFact, withFacts } from '../../../src/engine/define.js';
import { runDiagnosis } from '../../../src/engine/run.js';
import { testConfig } from '../../../src/config/defaults.js';
import { workspaceNames } from '../../../src/fabric/workspace.js';
import { withNetworkRefused } from '../../../src/snapshot/offline.js';
import { configFromReport, replayReport } from '../../../src/snapshot/replay.js';
import { healthyWorld, liveRun, OTHER_IP, PLS_ID, statuses, TARGET_NAME, VNET_ID, worldChecks, worldConfig, worldFacts } from '../../helpers/snapshot-world.js';

afterEach(() => vi.restoreAllMocks());

describe('replay', () => {
  it('gives the statuses of the recorded run, healthy and with several faults', async () => {
    for (const world of [healthyWorld(), { ...healthyWorld(), recordIp: OTHER_IP, connection: 'Pending' as const, defaultAction: 'Allow' as const }, { ...healthyWorld(), endpointMissing: true, zoneLinked: false }]) {
      const recorded = await liveRun(world);
      const facts = worldFacts(world).map((f) => ({ ...f, gather: vi.fn(f.gather) }));
      const { report, refused, incompatible } = await replayReport({ report: recorded, checks: worldChecks(), facts });
      expect(statuses(report)).toEqual(statuses(recorded));
      expect(report.mode).toBe('replay');
      expect(report.summary).toEqual(recorded.summary);
      expect(refused).toEqual([]);
      expect(incompatible).toEqual([]);
      for (const fact of facts) expect(fact.gather).not.toHaveBeenCalled();
      // Messages and evidence are the checks' own, recomputed from the same facts.
      expect(report.targets[0]!.results.map((r) => r.message)).toEqual(recorded.targets[0]!.results.map((r) => r.message));
      // Causality is recomputed too: the same root causes, the same symptoms.
      expect(report.targets[0]!.rootCauses).toEqual(recorded.targets[0]!.rootCauses);
      expect(report.targets[0]!.results.map((r) => r.explainedBy)).toEqual(recorded.targets[0]!.results.map((r) => r.explainedBy));
    }
  });

  it('rebuilds the config from the report: targets in full, checks, credentials by type, sandbox on', async () => {
    const recorded = await liveRun(healthyWorld(), { ...worldConfig(), checks: { skip: ['local.dns-private'], only: [], waivers: [] } });
    const config = configFromReport(recorded);
    expect(config.targets).toEqual([expect.objectContaining({ name: TARGET_NAME, provider: expect.objectContaining({ privateLinkServiceId: PLS_ID }), consumer: expect.objectContaining({ vnetId: VNET_ID }) })]);
    expect(config.network).toEqual({ connectTo: [], sandbox: true });
    expect(config.credentials.consumer).toEqual({ type: 'client-secret' });
    expect(config.checks.skip).toEqual(['local.dns-private']);
    const { report } = await replayReport({ report: recorded, checks: worldChecks(), facts: worldFacts(healthyWorld()) });
    expect(report.targets[0]!.results.find((r) => r.checkId === 'local.dns-private')).toMatchObject({ status: 'skip', skipReason: 'not-selected' });
    expect(statuses(report)).toEqual(statuses(recorded));
  });

  it("an older recording without consumer.endpointIps: derived from its recorded endpoint, not missing", async () => {
    const workspaceId = 'cfafbeb1-8037-4d0c-896e-a46fb27ff227';
    const api = workspaceNames(workspaceId).fqdns.api;
    const pe = defineFact({ id: 'consumer.privateEndpoint', version: 1, description: 'endpoint', gather: async () => ({ properties: { customDnsConfigs: [{ fqdn: api, ipAddresses: ['10.0.0.5'] }] } }) });
    const ips = defineFact({ id: 'consumer.endpointIps', version: 1, description: 'endpoint IPs', gather: vi.fn(async () => ({ byFqdn: {}, sources: {}, nicsRead: [] })) });
    const base = { title: 't', side: 'consumer' as const, severity: 'high' as const, after: [], docStep: '7', explain: 'x', fix: { summary: 'y', steps: [] } };
    const older = defineCheck({ ...base, id: 'consumer.pe-read', needs: ['consumer.privateEndpoint'], run: () => ({ status: 'pass', message: 'read' }) });
    const newer = defineCheck({
      ...base,
      id: 'consumer.api-ip',
      needs: ['consumer.endpointIps'],
      run: ({ facts }) => ({ status: 'pass', message: (facts.value('consumer.endpointIps').byFqdn[api] ?? []).join(',') }),
    });
    // Recorded by a tool that had no consumer.endpointIps.
    const recorded = await runDiagnosis({ config: testConfig({ targets: [{ name: 't', workspaceId }] }), checks: [older], facts: [pe] });
    expect(recorded.targets[0]!.factRefs['consumer.endpointIps']).toBeUndefined();
    const { report } = await replayReport({ report: recorded, checks: [newer], facts: [pe, ips] });
    expect(report.targets[0]!.results[0]).toMatchObject({ checkId: 'consumer.api-ip', status: 'pass', message: '10.0.0.5' });
    expect(ips.gather).not.toHaveBeenCalled();
  });

  it('a check that needs a fact the recording lacks is skip (missing-fact), naming the fact', async () => {
    const recorded = await liveRun(healthyWorld());
    const mtu = defineFact({ id: 'local.mtu', version: 1, description: 'path MTU', gather: async () => 1500 });
    const newCheck = withFacts([mtu]).defineCheck({
      id: 'local.mtu-ok', title: 'MTU', side: 'local', severity: 'low', needs: ['local.mtu'], after: [], docStep: '9', explain: 'x', fix: { summary: 'y', steps: [] },
      run: ({ facts }) => ({ status: facts.value('local.mtu') >= 1400 ? 'pass' : 'fail', message: 'mtu' }),
    });
    const { report } = await replayReport({ report: recorded, checks: [...worldChecks(), newCheck], facts: [...worldFacts(healthyWorld()), mtu] });
    const result = report.targets[0]!.results.find((r) => r.checkId === 'local.mtu-ok')!;
    expect(result).toMatchObject({ status: 'skip', skipReason: 'missing-fact' });
    expect(result.message).toContain('local.mtu');
    // A fact deleted from the recording: same.
    const pruned = structuredClone(recorded);
    delete pruned.targets[0]!.factRefs['provider.communicationPolicy'];
    const again = await replayReport({ report: pruned, checks: worldChecks(), facts: worldFacts(healthyWorld()) });
    expect(again.report.targets[0]!.results.find((r) => r.checkId === 'provider.public-access-denied')).toMatchObject({ status: 'skip', skipReason: 'missing-fact' });
  });

  it('a fact from another gatherer version: upgraded by a migration, else missing with both versions named', async () => {
    const recorded = await liveRun(healthyWorld());
    const newer = worldFacts(healthyWorld()).map((f) => (f.id === 'consumer.recordSets' ? { ...f, version: 2 } : f));
    const { report, incompatible } = await replayReport({ report: recorded, checks: worldChecks(), facts: newer });
    expect(incompatible).toEqual([expect.objectContaining({ id: 'consumer.recordSets', recordedVersion: 1, currentVersion: 2 })]);
    const records = report.targets[0]!.results.find((r) => r.checkId === 'consumer.zone-records')!;
    expect(records).toMatchObject({ status: 'skip', skipReason: 'missing-fact' });
    expect(records.message).toMatch(/gatherer version 1; this tool reads version 2/);

    const migrated = await replayReport({ report: recorded, checks: worldChecks(), facts: newer, migrations: { 'consumer.recordSets': { 1: (v) => v } } });
    expect(migrated.incompatible).toEqual([]);
    expect(statuses(migrated.report)).toEqual(statuses(recorded));
  });

  it('attempts no connection: gatherers are not called, sockets, UDP and DNS are refused at the bottom', async () => {
    // A real loopback server, to prove what a live run does and what a replay does not.
    let connections = 0;
    const server = net.createServer((s) => {
      connections++;
      s.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const probe = defineFact({
        id: 'local.tcpProbe', version: 1, description: 'tcp',
        gather: () => new Promise((resolve, reject) => net.connect(port, '127.0.0.1').on('connect', function (this: net.Socket) { this.destroy(); resolve({ open: true }); }).on('error', reject)),
      });
      // A check (a plugin, say) that misbehaves and opens sockets from run().
      const rogue = withFacts([probe]).defineCheck({
        id: 'local.rogue', title: 'rogue', side: 'local', severity: 'info', needs: ['local.tcpProbe'], after: [], docStep: '9', explain: 'x', fix: { summary: 'y', steps: [] },
        run: async ({ facts }) => {
          facts.value('local.tcpProbe');
          const tcp = await new Promise<string>((resolve) => net.connect(port, '127.0.0.1').on('connect', () => resolve('connected')).on('error', (e) => resolve(e.message)));
          const tlsResult = await new Promise<string>((resolve) => tls.connect(port, '127.0.0.1').on('secureConnect', () => resolve('connected')).on('error', (e) => resolve(e.message)));
          const fetched = await fetch(`http://127.0.0.1:${port}/`).then(() => 'fetched', (e: Error) => String(e.cause ?? e.message));
          const udp = await new Promise<string>((resolve) => {
            const socket = dgram.createSocket('udp4');
            socket.send(Buffer.from('x'), port, '127.0.0.1', (e) => { socket.close(); resolve(e ? e.message : 'sent'); });
          });
          const lookup = await dns.promises.lookup('localhost').then(() => 'resolved', (e: Error) => e.message);
          const refused = [tcp, tlsResult, fetched, udp, lookup].every((m) => m.includes('offline replay'));
          return { status: refused ? 'pass' : 'fail', message: [tcp, tlsResult, fetched, udp, lookup].join(' | ') };
        },
      });
      const config = worldConfig();
      const live = await runDiagnosis({ config, checks: [rogue], facts: [probe], environment: { config: { targets: config.targets } } });
      expect(connections).toBeGreaterThan(0); // the live run does connect (the check fails: nothing refused)
      expect(live.targets[0]!.results[0]!.status).toBe('fail');
      connections = 0;

      const gather = vi.spyOn(probe, 'gather');
      const connect = vi.spyOn(net.Socket.prototype, 'connect');
      const send = vi.spyOn(dgram.Socket.prototype, 'send');
      const lookup = vi.spyOn(dns, 'lookup');
      const { report, refused } = await replayReport({ report: live, checks: [rogue], facts: [probe] });
      expect(report.targets[0]!.results[0]).toMatchObject({ status: 'pass' });
      expect(refused.some((r) => r.startsWith('tcp 127.0.0.1'))).toBe(true);
      expect(refused.some((r) => r.startsWith('udp 127.0.0.1'))).toBe(true);
      expect(refused).toContain('dns lookup localhost');
      expect(gather).not.toHaveBeenCalled();
      expect(connect).not.toHaveBeenCalled();
      expect(send).not.toHaveBeenCalled();
      expect(lookup).not.toHaveBeenCalled();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(connections).toBe(0);
    } finally {
      server.close();
    }
  });

  it('lifts the guard afterwards, also when overlapping replays end in any order', async () => {
    const original = net.Socket.prototype.connect;
    let release!: () => void;
    const slow = withNetworkRefused(() => new Promise<void>((resolve) => (release = resolve)));
    await withNetworkRefused(async () => expect(net.Socket.prototype.connect).not.toBe(original));
    expect(net.Socket.prototype.connect).not.toBe(original); // the slow one still runs
    release();
    await slow;
    expect(net.Socket.prototype.connect).toBe(original);
    expect(dns.lookup.name).not.toBe('');
  });
});

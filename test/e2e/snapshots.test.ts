// Issue 7, done when, on the lab through the built CLI: run → bundle → replay keeps every status
// (plain and redacted), a redacted bundle holds none of the lab's ids, names, hosts or IPs in any
// file, `diff` names a record-wrong-ip regression and exits 1 (0 against itself), and `bundle` after
// a fresh run carries a request log without a header value or token.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/engine/types.js';
import { startLab } from '../../src/lab/server.js';
import type { CliResult } from '../helpers/cli.js';
import { describeRun, pooled, readReport, runGuardedCli } from '../helpers/lab-cli.js';
import { expectValidReport } from '../helpers/report-schema.js';

const dir = mkdtempSync(join(tmpdir(), 'xtd-snapshots-'));
const at = (...p: string[]) => join(dir, ...p);

const RUNS = {
  healthy: [] as string[],
  faults: ['--fault', 'zone-unlinked', '--fault', 'connection-pending', '--fault', 'tenant-setting-off'],
  fleet: ['--targets', '3', '--fault', 'record-missing@2', '--fault', 'pe-other-vnet@3'],
  wrongIp: ['--fault', 'record-wrong-ip'],
};
type RunName = keyof typeof RUNS;
const runs = new Map<RunName, Promise<CliResult>>();

beforeAll(() => {
  const names = Object.keys(RUNS) as RunName[];
  const promises = pooled(
    names.map((name) => () => runGuardedCli(['demo', ...RUNS[name], '--quiet', '--out', at(name)])),
    4,
  );
  names.forEach((name, i) => runs.set(name, promises[i]!));
  for (const p of promises) p.catch(() => undefined);
});

afterAll(async () => {
  await Promise.allSettled(runs.values());
  rmSync(dir, { recursive: true, force: true });
});

async function recorded(name: RunName): Promise<RunReport> {
  const run = await runs.get(name)!;
  expect([0, 1], describeRun(run)).toContain(run.code);
  return readReport(at(name));
}

async function cli(args: string[], expectedCode: number | number[] = 0): Promise<CliResult> {
  const run = await runGuardedCli(args, { cwd: dir });
  expect([expectedCode].flat(), `${args.join(' ')}\n${describeRun(run)}`).toContain(run.code);
  return run;
}

/** Per target (by position: names may be pseudonyms), each check's status, skip reason and blocker. */
function statuses(report: RunReport): string[][] {
  return report.targets.map((t) => t.results.map((r) => `${r.checkId}=${r.status}${r.skipReason ? `:${r.skipReason}` : ''}${r.blockedBy ? `<${r.blockedBy}` : ''}`));
}

function systemTar(): string {
  try {
    execFileSync('tar', ['--version'], { stdio: 'pipe' });
  } catch {
    throw new Error('the system `tar` is needed by this test (Debian package tar); install it');
  }
  return 'tar';
}

/** The bundle as the system tar extracts it: file name → bytes; plus the whole decompressed tar stream. */
function extract(bundle: string): { files: Record<string, Buffer>; stream: Buffer } {
  const into = mkdtempSync(join(dir, 'extract-'));
  execFileSync(systemTar(), ['-xzf', bundle, '-C', into]);
  const [folder, ...others] = readdirSync(into);
  expect(others, 'one top-level folder').toEqual([]);
  const files: Record<string, Buffer> = {};
  for (const name of readdirSync(join(into, folder!))) files[name] = readFileSync(join(into, folder!, name));
  return { files, stream: gunzipSync(readFileSync(bundle)) };
}

async function replayJson(input: string, exitCode: number): Promise<RunReport> {
  const run = await cli(['replay', input, '--json'], exitCode);
  const report = JSON.parse(run.stdout) as RunReport;
  expectValidReport(report);
  return report;
}

describe('run → bundle → replay keeps every status', () => {
  for (const name of ['healthy', 'faults', 'fleet'] as const) {
    it(`${name}: plain and redacted bundles replay to the recorded statuses, offline`, async () => {
      const report = await recorded(name);
      if (name === 'faults') {
        // The recording really holds the faults (a round trip of all-pass would prove little).
        expect(report.targets[0]!.results.filter((r) => r.status === 'fail').map((r) => r.checkId).sort()).toEqual(
          ['consumer.pe-approved', 'consumer.zone-linked', 'local.dns-private', 'provider.connection-approved', 'provider.tenant-setting'].sort(),
        );
      }
      const exit = report.summary.exitCode;
      await cli(['bundle', '--from', at(name, 'report.json'), '--out', at(`${name}.tar.gz`)]);
      await cli(['bundle', '--from', at(name, 'report.json'), '--out', at(`${name}-redacted.tar.gz`), '--redact']);

      for (const input of [at(name, 'report.json'), at(`${name}.tar.gz`), at(`${name}-redacted.tar.gz`)]) {
        const replayed = await replayJson(input, exit);
        expect(replayed.mode).toBe('replay');
        expect(statuses(replayed), input).toEqual(statuses(report));
        expect(replayed.summary).toEqual(report.summary);
      }
      // Unredacted, even the messages are the recorded ones: the checks saw the same facts.
      const plain = await replayJson(at(`${name}.tar.gz`), exit);
      expect(plain.targets.map((t) => t.results.map((r) => r.message))).toEqual(report.targets.map((t) => t.results.map((r) => r.message)));
      // The text view says when a replay tried the network; it must not have.
      const text = await cli(['replay', at(`${name}-redacted.tar.gz`)], exit);
      expect(text.stdout).not.toMatch(/refused \d+ network attempt/);
    });
  }
});

/** What a redacted bundle must not contain: the lab's ids, names, hosts and IPs, read from the unredacted report. */
function plantedValues(report: RunReport): string[] {
  const text = JSON.stringify(report);
  const values = new Set<string>();
  const env = report.environment as { hostname?: string; config?: { targets?: Array<Record<string, Record<string, string> | string>> } };
  for (const t of report.targets) {
    values.add(t.workspaceId);
    values.add(t.workspaceId.replace(/-/g, '')); // inside every FQDN
    for (const fqdn of Object.values(t.fqdns)) values.add(fqdn);
    const ws = report.facts[t.factRefs['provider.workspace']!]?.result;
    if (ws?.ok) {
      const v = ws.value as { displayName: string; capacityId?: string };
      values.add(v.displayName);
      if (v.capacityId) values.add(v.capacityId);
    }
  }
  for (const target of env.config?.targets ?? []) {
    for (const side of ['provider', 'consumer'] as const) {
      const s = target[side] as Record<string, string> | undefined;
      if (s?.tenantId) values.add(s.tenantId);
      if (s?.subscriptionId) values.add(s.subscriptionId);
    }
  }
  // Every ARM id in the report: its subscription, resource group and resource names.
  for (const id of new Set(text.match(/\/subscriptions\/[^"\s?]+/gi) ?? [])) {
    const parts = id.split('/');
    for (let i = 1; i + 1 < parts.length; i += 2) {
      const [kind, name] = [parts[i]!.toLowerCase(), parts[i + 1]!];
      if (!name || name.toLowerCase() === 'privatelink.fabric.microsoft.com') continue; // the zone's public, fixed name
      if (['subscriptions', 'resourcegroups', 'privateendpoints', 'privatelinkservicesforfabric', 'virtualnetworks', 'subnets', 'virtualnetworklinks', 'privatednszones', 'networkinterfaces'].includes(kind)) values.add(name);
    }
  }
  // Capacity names, from the capacities the provider listed.
  const capacities = Object.values(report.facts).find((f) => f.id === 'provider.capacities')?.result;
  if (capacities?.ok) {
    for (const c of (capacities.value as { value: Array<{ id: string; displayName: string }> }).value) {
      values.add(c.id);
      values.add(c.displayName);
    }
  }
  // Every IPv4 address but loopback (the lab's listeners): the 10.x/20.x world and the machine's resolvers
  // (168.63.129.16 is Azure DNS, the same for everyone, named in remediation texts: not the customer's.)
  for (const ip of text.match(/\b\d{1,3}(\.\d{1,3}){3}\b/g) ?? []) if (!ip.startsWith('127.') && ip !== '168.63.129.16') values.add(ip);
  if (env.hostname) values.add(env.hostname);
  return [...values].filter(Boolean);
}

describe('redaction', () => {
  it('a redacted bundle holds none of the lab run’s ids, names, hosts or IPs, in any file or in the tar stream', async () => {
    for (const name of ['faults', 'fleet'] as const) {
      const report = await recorded(name);
      const planted = plantedValues(report);
      // The list is what the issue names, and the run did record them.
      const text = JSON.stringify(report);
      expect(planted.length).toBeGreaterThan(20);
      expect(planted.some((v) => /^10\./.test(v)) && planted.some((v) => /^20\./.test(v)), planted.join(' ')).toBe(true);
      for (const v of planted) expect(text.includes(v), `planted ${v} is in the unredacted report`).toBe(true);

      const bundle = at(`${name}-planted.tar.gz`);
      await cli(['bundle', '--from', at(name, 'report.json'), '--out', bundle, '--redact']);
      const { files, stream } = extract(bundle);
      expect(Object.keys(files).sort()).toEqual(['README.txt', 'environment.json', 'report.html', 'report.json', 'report.junit.xml', 'report.md', 'requests.json']);
      const leaks: string[] = [];
      for (const value of planted) {
        // Byte for byte, and in lower and upper case (ids are case-insensitive in Azure).
        for (const form of new Set([value, value.toLowerCase(), value.toUpperCase()])) {
          // A short host name is only a leak as a word (`vm` is also in `azureVm`).
          const needle = Buffer.from(form);
          const found = (buf: Buffer) => (form.length < 6 ? new RegExp(`(^|[^A-Za-z0-9])${form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z0-9]|$)`).test(buf.toString('latin1')) : buf.includes(needle));
          for (const [file, bytes] of Object.entries(files)) if (found(bytes)) leaks.push(`${file}: ${form}`);
          if (found(stream)) leaks.push(`tar stream: ${form}`);
        }
      }
      expect(leaks, `${name}: planted values found in the redacted bundle`).toEqual([]);
    }
  });
});

describe('diff', () => {
  it('healthy → record-wrong-ip: names both regressions and the record whose IP changed; exit 1', async () => {
    const before = await recorded('healthy');
    const after = await recorded('wrongIp');
    const record = `${before.targets[0]!.fqdns.api!.replace(/\.fabric\.microsoft\.com$/, '')}`;
    const zone = before.facts[before.targets[0]!.factRefs['consumer.privateDnsZone.aRecords']!]!.result;
    type Records = { value: Array<{ name: string; properties: { aRecords: Array<{ ipv4Address: string }> } }> };
    const oldIp = zone.ok ? (zone.value as Records).value.find((r) => r.name === record)?.properties.aRecords[0]?.ipv4Address : undefined;
    expect(oldIp, `the healthy zone has ${record}`).toMatch(/^10\./);

    const json = JSON.parse((await cli(['diff', at('healthy', 'report.json'), at('wrongIp', 'report.json'), '--json'], 1)).stdout) as {
      checks: Array<{ checkId: string; kind: string; factChanges: Array<{ path: string; before?: unknown; after?: unknown }> }>;
      counts: { regressions: number };
    };
    expect(json.checks.filter((c) => c.kind === 'regression').map((c) => c.checkId).sort()).toEqual(['consumer.zone-records', 'local.dns-endpoint-ip']);
    expect(json.counts.regressions).toBe(2);
    const recordChange = json.checks.find((c) => c.checkId === 'consumer.zone-records')!.factChanges.filter((f) => f.path.includes(record));
    expect(recordChange).toHaveLength(1);
    expect(recordChange[0]!.path).toMatch(/aRecords\[0\]\.ipv4Address$/);
    expect(recordChange[0]!.before).toBe(oldIp);
    expect(recordChange[0]!.after).toMatch(/^10\./);
    expect(recordChange[0]!.after).not.toBe(oldIp);

    const text = (await cli(['diff', at('healthy', 'report.json'), at('wrongIp', 'report.json')], 1)).stdout;
    expect(text).toMatch(/REGRESSION\s+consumer\.zone-records\s+pass → fail/);
    expect(text).toMatch(/REGRESSION\s+local\.dns-endpoint-ip\s+pass → fail/);
    // In words: the record and the api FQDN, one line each; the full paths behind --verbose.
    expect(text).toContain(`A record ${record}: ipv4Address ${oldIp} → ${String(recordChange[0]!.after)}`);
    expect(text).toContain(`api FQDN ${oldIp} private → ${String(recordChange[0]!.after)} private`);
    expect(text.split('\n').length).toBeLessThan(25);
    const verbose = (await cli(['diff', at('healthy', 'report.json'), at('wrongIp', 'report.json'), '--verbose'], 1)).stdout;
    expect(verbose).toContain(`${record} › properties.aRecords[0].ipv4Address: ${oldIp} → ${String(recordChange[0]!.after)}`);
  });

  it('a report against itself: nothing, exit 0', async () => {
    await recorded('faults');
    const json = JSON.parse((await cli(['diff', at('faults', 'report.json'), at('faults', 'report.json'), '--json'], 0)).stdout) as { checks: unknown[]; otherFactChanges: unknown[]; counts: Record<string, number> };
    expect(json.checks).toEqual([]);
    expect(json.otherFactChanges).toEqual([]);
    expect(Object.values(json.counts).every((n) => n === 0)).toBe(true);
    expect((await cli(['diff', at('faults', 'report.json'), at('faults', 'report.json')], 0)).stdout).toContain('no changes');
  });
});

describe('bundle after a fresh run', () => {
  it('runs the config, bundles the run with its request log: entries, and no header value, secret or token anywhere', async () => {
    const lab = await startLab({ faults: ['connection-pending'] });
    try {
      const configDir = at('lab-config');
      const config = await lab.writeConfig(configDir);
      const secrets = Object.values(lab.secretEnv());
      expect(secrets.length).toBeGreaterThan(0);

      for (const redact of [false, true]) {
        const bundle = at(`fresh${redact ? '-redacted' : ''}.tar.gz`);
        const before = lab.requestLog().length;
        const run = await cli(['bundle', '-c', config, '--out', bundle, ...(redact ? ['--redact'] : [])], 1);
        expect(run.stdout).toContain(bundle);
        const served = lab.requestLog().slice(before).filter((e) => !e.service.startsWith('dns-'));
        const { files, stream } = extract(bundle);

        const requests = (JSON.parse(files['requests.json']!.toString()) as { requests: Array<Record<string, unknown>> }).requests;
        // Every HTTP request the lab served is in the log (by service and method: a redacted log's
        // paths are redacted), with only the fields a log may keep; what the log has besides went
        // nowhere the lab could serve (a probe at an address that does not answer).
        const family = (service: string) => (service.startsWith('workspace-') ? 'net' : service.split(':')[0]!);
        const logged = requests.map((r) => `${family(String(r.service))} ${String(r.method)}`);
        for (const e of served) {
          const at = logged.indexOf(`${family(e.service)} ${e.method}`);
          expect(at, `${e.service} ${e.method} ${e.path} was served but is not in the log`).toBeGreaterThanOrEqual(0);
          logged.splice(at, 1);
        }
        for (const extra of logged) expect(extra).toBe('net GET');
        expect(requests.filter((r) => r.method === 'GET').length).toBeGreaterThan(0);
        for (const r of requests) {
          expect(Object.keys(r).every((k) => ['service', 'method', 'host', 'path', 'status', 'durationMs', 'requestId', 'error'].includes(k)), JSON.stringify(r)).toBe(true);
          expect(typeof r.path).toBe('string');
          expect(String(r.path)).not.toMatch(/[?&](?!api-version=)[^=&]+=/);
        }
        const report = JSON.parse(files['report.json']!.toString()) as RunReport;
        expectValidReport(report);
        expect(report.summary.exitCode).toBe(1);
        expect(JSON.parse(files['environment.json']!.toString()).config.credentials).toEqual({ provider: 'client-secret', consumer: 'client-secret' });

        for (const [file, bytes] of [...Object.entries(files), ['tar stream', stream] as const]) {
          for (const secret of secrets) expect(bytes.includes(Buffer.from(secret)), `${file} holds a lab secret or token`).toBe(false);
          // Tokens the lab issued at run time (`lab.<audience>.<random>`), any JWT, any bearer credential.
          // (Evidence may say `authorization: bearer token sent`: that a token went, never which.)
          expect(bytes.toString('latin1'), file).not.toMatch(/\blab\.(arm|fabric)\.[A-Za-z0-9_-]{16,}|\beyJ[A-Za-z0-9_-]{8,}\.|Bearer\s+(?!token sent)[A-Za-z0-9._~+/=-]{12,}|client_secret=/i);
        }
        if (redact) {
          const plain = JSON.parse(JSON.stringify(lab.state)) as unknown;
          const ids = [...new Set(JSON.stringify(plain).match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi) ?? [])];
          const leaked = ids.filter((id) => Object.values(files).some((b) => b.toString('latin1').toLowerCase().includes(id.toLowerCase())));
          expect(leaked, 'lab ids (tenants, subscriptions, workspaces, capacities…) in the redacted fresh bundle').toEqual([]);
        }
      }
    } finally {
      await lab.stop();
    }
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBundleCommand } from '../../../src/cli/commands/bundle.js';
import { runReplayCommand } from '../../../src/cli/commands/replay.js';
import type { RequestLogEntry } from '../../../src/engine/services.js';
import type { RunReport } from '../../../src/engine/types.js';
import { BUNDLE_FILES, writeBundle } from '../../../src/snapshot/bundle.js';
import { loadReport } from '../../../src/snapshot/load.js';
import { replayReport } from '../../../src/snapshot/replay.js';
import { workspaceNames } from '../../../src/fabric/workspace.js';
import * as W from '../../helpers/snapshot-world.js';
import { testRenderers } from '../../helpers/test-renderers.js';

function systemTar(): string {
  try {
    execFileSync('tar', ['--version'], { stdio: 'pipe' });
    return 'tar';
  } catch {
    throw new Error('the system `tar` is needed by this test (Debian package tar); install it');
  }
}

const requestLog: RequestLogEntry[] = [
  { service: 'arm', method: 'GET', host: 'management.azure.com', path: `${W.PE_ID}?api-version=2026-01-01&sig=SECRET-SIGNATURE`, status: 200, durationMs: 41.2, requestId: '7d7d7d7d-1111-4222-8333-999999999999' },
  { service: 'fabric', method: 'GET', host: 'api.fabric.microsoft.com', path: `/v1/workspaces/${W.WORKSPACE_ID}/networking/communicationPolicy`, status: 200, durationMs: 80, requestId: 'c0ffee00-1111-4222-8333-999999999999' },
  { service: 'dns', method: 'GET', host: W.DNS_SERVER_HOST, path: '/', status: 200, durationMs: 3, error: `reset by ${W.PUBLIC_IP}` },
];

async function extract(file: string): Promise<{ dir: string; listing: string[]; files: Record<string, Buffer> }> {
  const tar = systemTar();
  const listing = execFileSync(tar, ['-tzf', file], { encoding: 'utf8' }).trim().split('\n');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xtd-extract-'));
  execFileSync(tar, ['-xzf', file, '-C', dir]);
  const [folder] = await readdir(dir);
  const files: Record<string, Buffer> = {};
  for (const name of await readdir(path.join(dir, folder!))) files[name] = await readFile(path.join(dir, folder!, name));
  return { dir, listing, files };
}

function redactedTargetLine(json: string): string {
  const report = JSON.parse(json) as RunReport;
  return `## ${report.targets[0]!.name} (${report.targets[0]!.workspaceId})`;
}

function byCheck(report: RunReport): string[] {
  return report.targets.flatMap((t) => t.results.map((r) => `${r.checkId}=${r.status}${r.skipReason ? `:${r.skipReason}` : ''}`));
}

describe('bundle', () => {
  it('a gzipped ustar with one top-level folder, readable by the system tar; written atomically; replays to the same statuses', async () => {
    const report = await W.liveRun(W.healthyWorld());
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xtd-bundle-'));
    const out = path.join(dir, 'nested', 'support.tar.gz');
    const result = await writeBundle({ report, outFile: out, requestLog, renderers: testRenderers });
    const { listing, files } = await extract(out);
    expect(listing.sort()).toEqual([`${result.folder}/`, ...BUNDLE_FILES.map((f) => `${result.folder}/${f}`)].sort());
    expect(listing.every((entry) => !entry.startsWith('/') && !entry.includes('..'))).toBe(true);
    // ustar magic in the first header; no temporary file left beside the bundle.
    expect(gunzipSync(await readFile(out)).subarray(257, 262).toString()).toBe('ustar');
    expect(await readdir(path.dirname(out))).toEqual(['support.tar.gz']);

    const saved = JSON.parse(files['report.json']!.toString()) as RunReport;
    expect({ ...saved, environment: {} }).toEqual(JSON.parse(JSON.stringify({ ...report, environment: {} })));
    const env = JSON.parse(files['environment.json']!.toString());
    expect(env.config.credentials).toEqual({ provider: 'cli', consumer: 'client-secret' });
    expect(env.node).toBe(process.version);
    const requests = JSON.parse(files['requests.json']!.toString()).requests;
    expect(requests[0]).toEqual({ service: 'arm', method: 'GET', host: 'management.azure.com', path: `${W.PE_ID}?api-version=2026-01-01`, status: 200, durationMs: 41.2, requestId: '7d7d7d7d-1111-4222-8333-999999999999' });
    expect(files['README.txt']!.toString()).toMatch(/requests\.json .*request id/);
    expect(files['report.html']!.toString()).toContain('<!doctype html>');
    expect(files['report.junit.xml']!.toString()).toContain('<testsuites>');

    const loaded = await loadReport(out);
    expect(Object.keys(loaded.bundle!.files).sort()).toEqual([...BUNDLE_FILES].sort());
    const { report: replayed } = await replayReport({ report: loaded.report, checks: W.worldChecks(), facts: W.worldFacts(W.healthyWorld()) });
    expect(byCheck(replayed)).toEqual(byCheck(report));
  });

  it('--redact: none of the planted ids, names, hosts, principals or IPs in any file, byte for byte; the replay gives the same statuses', async () => {
    for (const world of [W.healthyWorld(), { ...W.healthyWorld(), recordIp: W.OTHER_IP, dnsAnswer: [W.PUBLIC_IP], connection: 'Rejected' as const }]) {
      const report = await W.liveRun(world);
      const dir = await mkdtemp(path.join(os.tmpdir(), 'xtd-redact-'));
      const out = path.join(dir, 'redacted.tar.gz');
      // A fixed salt: the planted `.z<xy>.w.api` below is only a leak when the pseudonym's own label
      // starts with other digits, which a random salt misses one time in 256 (asserted below).
      await writeBundle({ report, outFile: out, requestLog, renderers: testRenderers, redact: true, redactionSalt: 'bundle-test-salt' });
      const { files } = await extract(out);
      const label = W.WORKSPACE_ID.replace(/-/g, '');
      const planted = [
        W.WORKSPACE_ID, W.WORKSPACE_ID.toUpperCase(), label, `${label.slice(0, 2)}.w.api`.replace(/^/, '.z'), W.CONSUMER_TENANT, W.PROVIDER_TENANT, W.CONSUMER_SUB, W.PROVIDER_SUB,
        'rg-contoso-consumer', 'rg-contoso-network', 'rg-contoso-dns', 'rg-fabrikam-provider', 'pe-contoso-fabric', 'vnet-contoso-hub', 'snet-endpoints', 'pls-fabrikam-finance',
        'link-contoso-hub', 'conn-to-fabrikam', W.WORKSPACE_NAME, W.TARGET_NAME, W.UPN, 'alice.admin', 'fabrikam.example', W.DNS_SERVER_HOST, 'corp.contoso', 'jumpvm-contoso-01',
        W.PE_IP, W.OTHER_IP, W.PUBLIC_IP, '10.0.0.53', '0f1e2d3c-4b5a-4697-8877-665544332211', '3c3c3c3c-0000-4000-8000-000000000001', 'XTD_SECRET', 'SECRET-SIGNATURE',
        '7d7d7d7d-1111-4222-8333-999999999999',
      ];
      const archive = gunzipSync(await readFile(out));
      for (const [name, bytes] of [...Object.entries(files), ['(the whole archive)', archive] as const]) {
        for (const secret of planted) {
          expect(bytes.includes(Buffer.from(secret)), `${secret} in ${name}`).toBe(false);
          expect(bytes.toString('latin1').toLowerCase().includes(secret.toLowerCase()), `${secret} (any case) in ${name}`).toBe(false);
        }
      }
      // One pseudonym per value across files: every GUID and IP the rendered files show is one report.json has.
      const json = files['report.json']!.toString();
      for (const name of ['report.md', 'report.html', 'report.junit.xml', 'environment.json', 'requests.json']) {
        for (const token of files[name]!.toString().match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\b\d+\.\d+\.\d+\.\d+\b|[0-9a-f]{32}\.z[0-9a-f]{2}/g) ?? []) {
          expect(json.includes(token) || /^(127\.|0\.)/.test(token) || name === 'requests.json', `${token} of ${name} in report.json`).toBe(true);
        }
      }
      expect(files['report.md']!.toString()).toContain(redactedTargetLine(json));
      // Structure kept: the zone, the group id, the member names; classes of IPs; GUIDs still GUIDs.
      const redacted = JSON.parse(files['report.json']!.toString()) as RunReport;
      const text = files['report.json']!.toString();
      expect(text).toContain('privatelink.fabric.microsoft.com');
      expect(text).toContain('"workspace"');
      expect(text).toContain('workspace-api');
      const target = redacted.targets[0]!;
      expect(target.workspaceId.slice(0, 2), 'the salt gives a label whose z<xy> differs from the original').not.toBe(label.slice(0, 2));
      expect(target.workspaceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(target.fqdns).toEqual(workspaceNames(target.workspaceId).fqdns);
      const pe = Object.values(redacted.facts).find((f) => f.id === 'consumer.privateEndpoint')!.result as { ok: true; value: { properties: { customDnsConfigs: Array<{ fqdn: string; ipAddresses: string[] }> } } };
      expect(pe.value.properties.customDnsConfigs[0]!.ipAddresses[0]).toMatch(/^10\./);
      expect(pe.value.properties.customDnsConfigs[0]!.fqdn).toBe(workspaceNames(target.workspaceId).fqdns.api);
      const dns = Object.values(redacted.facts).find((f) => f.id === 'local.dnsLookup')!.result as { ok: true; value: { addresses: string[] } };
      expect(dns.value.addresses[0]).toMatch(world.dnsAnswer[0] === W.PUBLIC_IP ? /^198\.51\.100\./ : /^10\./);

      const { report: replayed } = await replayReport({ report: redacted, checks: W.worldChecks(), facts: W.worldFacts(world) });
      expect(byCheck(replayed)).toEqual(byCheck(report));
    }
  });

  it('the bundle and replay commands: --from, exit codes, bad input', async () => {
    const report = await W.liveRun({ ...W.healthyWorld(), connection: 'Pending' });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xtd-cmd-'));
    const reportFile = path.join(dir, 'report.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(reportFile, JSON.stringify(report)));
    const io = () => {
      const out = { stdout: '', stderr: '' };
      return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t) } };
    };
    const a = io();
    expect(await runBundleCommand({ out: path.join(dir, 'b.tar.gz'), from: reportFile, redact: true }, { renderers: testRenderers }, a.io)).toBe(0);
    expect(a.out.stdout).toMatch(/wrote .*b\.tar\.gz: README\.txt, report\.json.*redacted/);
    const requests = JSON.parse(execFileSync('tar', ['-xzOf', path.join(dir, 'b.tar.gz'), '--wildcards', '*/requests.json'], { encoding: 'utf8' }));
    expect(requests).toEqual({ note: expect.stringContaining('bundle --from'), requests: [] });

    const b = io();
    expect(await runBundleCommand({ out: path.join(dir, 'b.zip'), from: reportFile }, { renderers: testRenderers }, b.io)).toBe(2);
    expect(b.out.stderr).toContain('*.tar.gz');
    const c = io();
    expect(await runBundleCommand({ out: path.join(dir, 'c.tar.gz') }, { renderers: testRenderers }, c.io)).toBe(2);
    const d = io();
    expect(await runBundleCommand({ out: path.join(dir, 'd.tar.gz'), from: path.join(dir, 'missing.json') }, { renderers: testRenderers }, d.io)).toBe(2);
    expect(d.out.stderr).toMatch(/missing\.json: cannot read: no such file/);

    // After a run (the lead wires `run`): the request log and the config summary go in, the run's exit code comes out.
    const h = io();
    const run = async () => ({ report, requestLog, exitCode: 1, configSummary: { credentials: { provider: { type: 'client-secret', clientId: 'x', secretEnv: 'S' } }, tls: { ca: '-----BEGIN CERTIFICATE-----' } } });
    expect(await runBundleCommand({ out: path.join(dir, 'run.tar.gz') }, { renderers: testRenderers, run }, h.io)).toBe(1);
    const env = JSON.parse(execFileSync('tar', ['-xzOf', path.join(dir, 'run.tar.gz'), '--wildcards', '*/environment.json'], { encoding: 'utf8' }));
    expect(env.config).toEqual({ credentials: { provider: 'client-secret' }, tls: { ca: 'set' } });
    const logged = JSON.parse(execFileSync('tar', ['-xzOf', path.join(dir, 'run.tar.gz'), '--wildcards', '*/requests.json'], { encoding: 'utf8' }));
    expect(logged.requests).toHaveLength(3);

    const catalogue = async () => ({ checks: W.worldChecks(), facts: W.worldFacts(W.healthyWorld()) });
    const e = io();
    const replayOut = path.join(dir, 'replayed');
    expect(await runReplayCommand({ input: path.join(dir, 'b.tar.gz'), out: replayOut, format: ['json'] }, { catalogue }, e.io)).toBe(1); // the gate: a fail
    // replay prints run's grouped summary: the failing check under its hop, the root cause first.
    expect(e.out.stdout).toMatch(/✗ consumer\.pe-approved +connection is Pending/);
    expect(e.out.stdout).toMatch(/Root causes, fix these first:\n1\. Approval: connection is Pending/);
    const written = JSON.parse(await readFile(path.join(replayOut, 'report.json'), 'utf8')) as RunReport;
    expect(written.mode).toBe('replay');
    expect(byCheck(written)).toEqual(byCheck(report));
    const f = io();
    expect(await runReplayCommand({ input: path.join(dir, 'nope.tar.gz') }, { catalogue }, f.io)).toBe(2);
    const g = io();
    await import('node:fs/promises').then((fs) => fs.writeFile(path.join(dir, 'junk.tar.gz'), Buffer.from([0x1f, 0x8b, 1, 2, 3])));
    expect(await runReplayCommand({ input: path.join(dir, 'junk.tar.gz') }, { catalogue }, g.io)).toBe(2);
    expect(g.out.stderr).toMatch(/junk\.tar\.gz: not a valid gzip file/);
  });
});

describe('reading bundles', () => {
  it('reads a bundle re-packed by GNU tar (long names) and names a damaged one', async () => {
    const report = await W.liveRun(W.healthyWorld());
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xtd-gnu-'));
    const folder = path.join(dir, 'xtenant-doctor-bundle-x');
    await import('node:fs/promises').then(async (fs) => {
      await fs.mkdir(folder);
      await fs.writeFile(path.join(folder, 'report.json'), JSON.stringify(report));
      await fs.writeFile(path.join(folder, `${'l'.repeat(120)}.txt`), 'long');
    });
    execFileSync(systemTar(), ['--format=gnu', '-czf', path.join(dir, 'gnu.tar.gz'), '-C', dir, 'xtenant-doctor-bundle-x']);
    const loaded = await loadReport(path.join(dir, 'gnu.tar.gz'));
    expect(loaded.report.startedAt).toBe(report.startedAt);
    expect(loaded.bundle!.files[`${'l'.repeat(120)}.txt`]).toBe('long');

    const { gzipSync } = await import('node:zlib');
    const good = gunzipSync(await readFile(path.join(dir, 'gnu.tar.gz')));
    const damaged = Buffer.from(good);
    damaged.fill(0x41, 148, 156); // the first header's checksum
    await import('node:fs/promises').then((fs) => fs.writeFile(path.join(dir, 'bad.tar.gz'), gzipSync(damaged)));
    await expect(loadReport(path.join(dir, 'bad.tar.gz'))).rejects.toThrow(/bad\.tar\.gz: (a damaged tar archive|a gzip file without report\.json)/);
  });
});

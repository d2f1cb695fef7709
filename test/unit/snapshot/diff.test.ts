import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiffMarkdown, formatDiffText, runDiffCommand } from '../../../src/cli/commands/diff.js';
import { classify, diffFact, diffReports, hasRegression, isEmptyDiff } from '../../../src/snapshot/diff.js';
import { workspaceNames } from '../../../src/fabric/workspace.js';
import { healthyWorld, liveRun, OTHER_IP, PE_IP, WORKSPACE_ID } from '../../helpers/snapshot-world.js';

// The record is named in full: in a shared zone every workspace has a `….w.api`.
const API_RECORD = workspaceNames(WORKSPACE_ID).records.api;

async function files(reports: Record<string, unknown>) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xtd-diff-'));
  const out: Record<string, string> = {};
  for (const [name, content] of Object.entries(reports)) {
    out[name] = path.join(dir, name);
    await writeFile(out[name], typeof content === 'string' ? content : JSON.stringify(content));
  }
  return out;
}

function capture() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t) } };
}

describe('classify', () => {
  it('orders statuses: pass/skip < warn < error < fail', () => {
    expect(classify('pass', 'fail')).toBe('regression');
    expect(classify('pass', 'warn')).toBe('regression');
    expect(classify('pass', 'error')).toBe('regression');
    expect(classify('warn', 'fail')).toBe('regression');
    expect(classify('skip', 'fail')).toBe('regression');
    expect(classify('fail', 'pass')).toBe('fix');
    expect(classify('fail', 'warn')).toBe('fix');
    expect(classify('fail', 'error')).toBe('changed');
    expect(classify('pass', 'skip')).toBe('changed');
    expect(classify('pass', 'pass')).toBeUndefined();
  });
});

describe('diff', () => {
  it('a report against itself, and against another healthy run, reports nothing and exits 0', async () => {
    const a = await liveRun(healthyWorld());
    const b = await liveRun(healthyWorld()); // other etags, durations, times: volatile
    expect(isEmptyDiff(diffReports(a, a))).toBe(true);
    const diff = diffReports(a, b);
    expect(diff.checks).toEqual([]);
    expect(diff.otherFactChanges).toEqual([]);
    const f = await files({ 'a.json': a, 'b.json': b });
    const { out, io } = capture();
    expect(await runDiffCommand({ before: f['a.json']!, after: f['a.json']! }, io)).toBe(0);
    expect(out.stdout).toContain('no changes');
    expect(await runDiffCommand({ before: f['a.json']!, after: f['b.json']! }, io)).toBe(0);
  });

  it('record-wrong-ip: names the regression and the record whose IP changed, exit 1', async () => {
    const before = await liveRun(healthyWorld());
    const after = await liveRun({ ...healthyWorld(), recordIp: OTHER_IP, dnsAnswer: [OTHER_IP] });
    const diff = diffReports(before, after);
    expect(hasRegression(diff)).toBe(true);
    const records = diff.checks.find((c) => c.checkId === 'consumer.zone-records')!;
    expect(records.kind).toBe('regression');
    expect(records.before?.status).toBe('pass');
    expect(records.after?.status).toBe('fail');
    expect(records.factChanges).toEqual([
      { factId: 'consumer.recordSets', path: `consumer.recordSets › ${API_RECORD} › properties.aRecords[0].ipv4Address`, change: 'changed', before: PE_IP, after: OTHER_IP },
    ]);
    const dns = diff.checks.find((c) => c.checkId === 'local.dns-endpoint-ip')!;
    expect(dns.kind).toBe('regression');
    expect(dns.factChanges).toContainEqual({ factId: 'local.dnsLookup', path: 'local.dnsLookup › addresses[0]', change: 'changed', before: PE_IP, after: OTHER_IP });
    // Unchanged checks are not listed; volatile fields (etag, ttl, elapsedMs) never show.
    expect(diff.checks.map((c) => c.checkId).sort()).toEqual(['consumer.zone-records', 'local.dns-endpoint-ip']);
    // In words by default: one line per change; the full paths behind --verbose.
    const text = formatDiffText(diff, { before: 'before/report.json', after: 'after/report.json' });
    expect(text).toContain('REGRESSION');
    expect(text).toContain(`    A record ${API_RECORD}: ipv4Address ${PE_IP} → ${OTHER_IP}`);
    expect(text).not.toContain('› properties.aRecords');
    expect(text).not.toMatch(/etag|elapsedMs/);
    const verbose = formatDiffText(diff, { before: 'before/report.json', after: 'after/report.json', verbose: true });
    expect(verbose).toContain(`consumer.recordSets › ${API_RECORD} › properties.aRecords[0].ipv4Address: ${PE_IP} → ${OTHER_IP}`);
    const md = formatDiffMarkdown(diff, { before: 'b', after: 'a' });
    expect(md).toContain('| `consumer.zone-records` | regression | pass → fail |');
    expect(md).not.toContain('<br>');

    const f = await files({ 'before.json': before, 'after.json': after });
    const { out, io } = capture();
    expect(await runDiffCommand({ before: f['before.json']!, after: f['after.json']! }, io)).toBe(1);
    expect(out.stdout).toContain('consumer.zone-records');
    const json = capture();
    expect(await runDiffCommand({ before: f['before.json']!, after: f['after.json']!, json: true }, json.io)).toBe(1);
    expect(JSON.parse(json.out.stdout).counts.regressions).toBe(2);
    // The other way round it is a fix: exit 0.
    expect(await runDiffCommand({ before: f['after.json']!, after: f['before.json']! }, io)).toBe(0);
  });

  it('a connection state change, a policy change and a removed link, each with its path and values', async () => {
    const before = await liveRun(healthyWorld());
    const after = await liveRun({ ...healthyWorld(), connection: 'Pending', defaultAction: 'Allow', zoneLinked: false });
    const diff = diffReports(before, after);
    const facts = diff.checks.flatMap((c) => c.factChanges.map((f) => `${c.checkId}: ${f.path} ${f.change} ${JSON.stringify(f.before)} → ${JSON.stringify(f.after)}`));
    expect(facts).toContain(
      'consumer.pe-approved: consumer.privateEndpoint › properties.manualPrivateLinkServiceConnections › conn-to-fabrikam › properties.privateLinkServiceConnectionState.status changed "Approved" → "Pending"',
    );
    expect(facts).toContain('provider.public-access-denied: provider.communicationPolicy › inbound.publicAccessRules.defaultAction changed "Allow" → "Allow"'.replace('"Allow" → "Allow"', '"Deny" → "Allow"'));
    expect(facts.some((f) => f.startsWith('consumer.zone-linked: consumer.zoneLinks › link-contoso-hub removed'))).toBe(true);
  });

  it('an endpoint that became not-found, a blocked check, added and removed checks and targets', async () => {
    const before = await liveRun(healthyWorld());
    const after = await liveRun({ ...healthyWorld(), endpointMissing: true });
    const diff = diffReports(before, after);
    const found = diff.checks.find((c) => c.checkId === 'consumer.pe-found')!;
    expect(found.kind).toBe('regression');
    expect(found.factChanges[0]).toMatchObject({ path: 'consumer.privateEndpoint', change: 'changed', after: { unavailable: 'not-found', httpStatus: 404, code: 'ResourceNotFound' } });
    const blocked = diff.checks.find((c) => c.checkId === 'consumer.pe-approved')!;
    expect(blocked).toMatchObject({ kind: 'changed', after: { status: 'skip', blockedBy: 'consumer.pe-found' } });
    expect(formatDiffText(diff, { before: 'a', after: 'b' })).toContain('pass → skip (blocked by consumer.pe-found)');

    const edited = structuredClone(after);
    edited.targets[0]!.results = edited.targets[0]!.results.filter((r) => r.checkId !== 'local.dns-private');
    edited.targets[0]!.results.push({ ...edited.targets[0]!.results[0]!, checkId: 'local.new-check', status: 'fail' });
    edited.targets.push({ ...edited.targets[0]!, name: 'second' });
    const d2 = diffReports(before, edited);
    expect(d2.checks.find((c) => c.checkId === 'local.dns-private')?.kind).toBe('removed');
    expect(d2.checks.find((c) => c.checkId === 'local.new-check')?.kind).toBe('added');
    expect(d2.targets.added).toEqual(['second']);
    expect(diffReports(edited, before).targets.removed).toEqual(['second']);
  });

  it('in a shared zone, a record change names the whole record, not a `….w.api` every workspace has', () => {
    const other = workspaceNames('0b53441d-5a62-4830-9776-70fda1baa57f').records.api;
    const records = (ip: string) => [
      { name: API_RECORD, properties: { aRecords: [{ ipv4Address: PE_IP }] } },
      { name: other, properties: { aRecords: [{ ipv4Address: ip }] } },
    ];
    const fact = (ip: string) => ({ id: 'consumer.recordSets', version: 1, key: 'zone', durationMs: 1, result: { ok: true as const, value: records(ip) } });
    expect(diffFact('consumer.recordSets', fact(PE_IP), fact(OTHER_IP))).toEqual([
      { factId: 'consumer.recordSets', path: `consumer.recordSets › ${other} › properties.aRecords[0].ipv4Address`, change: 'changed', before: PE_IP, after: OTHER_IP },
    ]);
  });

  it('durations of any name (connectMs, handshakeMs) are volatile; a key merely ending in "ms" is not', () => {
    const fact = (connectMs: number, items: string) => ({ id: 'local.tcp443', version: 1, key: 'k', durationMs: connectMs, result: { ok: true as const, value: { connectMs, handshakeMs: connectMs * 2, items } } });
    expect(diffFact('local.tcp443', fact(8.6, 'a'), fact(7.5, 'a'))).toEqual([]);
    expect(diffFact('local.tcp443', fact(8.6, 'a'), fact(7.5, 'b')).map((c) => c.path)).toEqual(['local.tcp443 › items']);
  });

  it('exit 2 naming the file and the problem for unreadable or invalid reports', async () => {
    const good = await liveRun(healthyWorld());
    const f = await files({ 'broken.json': '{\n  "schemaVersion": 1,\n  "targets": [,]\n}', 'other.json': { hello: 'world' }, 'cut.json': '{"schemaVersion"', 'good.json': good, 'status.json': { ...good, targets: [{ ...good.targets[0], results: [{ checkId: 'x', status: 'ok' }] }] } });
    const cases: Array<[string, RegExp]> = [
      // Said as a config's syntax error is (src/text/json.ts).
      [f['broken.json']!, /broken\.json: not valid JSON: value expected at line 3, column 15 \(offset 38\)$/m],
      [f['cut.json']!, /cut\.json: not valid JSON: .* at line 1, column 17 \(offset 16\)/],
      [f['other.json']!, /other\.json: not an xtenant-doctor report: schemaVersion is undefined, expected 1/],
      [path.join(path.dirname(f['good.json']!), 'nope.json'), /nope\.json: cannot read: no such file/],
      [f['status.json']!, /status\.json: .*targets\[0\]\.results\[0\]\.status is "ok"/],
    ];
    for (const [file, message] of cases) {
      const { out, io } = capture();
      expect(await runDiffCommand({ before: f['good.json']!, after: file }, io)).toBe(2);
      expect(out.stderr).toMatch(message);
    }
  });
});

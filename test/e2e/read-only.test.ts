// Issue 5, done when: the read-only guarantee, end to end. The lab runs in-process and the doctor
// diagnoses it through its ordinary code paths; the lab's log of everything it was asked holds no
// HTTP method but GET, apart from POSTs to the identity token endpoint, and the doctor's own request
// log holds only GET. (This file runs behind the egress guard: nothing leaves loopback.)
import https from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnose.js';
import { createServices } from '../../src/engine/services.js';
import { LAB_ENV, type LabCredentialKind } from '../../src/lab/config.js';
import { startLab, type Lab, type LabRequestLogEntry } from '../../src/lab/server.js';
import { LAB_PROBE_HEADER } from '../../src/lab/audit.js';

const TOKEN_PATH = /^\/[^/]+\/oauth2\/v2\.0\/token$/i;
const HTTP_SERVICES = new Set(['identity', 'arm', 'fabric', 'workspace-private', 'workspace-public', 'unknown', 'imds']);

/** Lab log entries that break the guarantee: a non-GET HTTP request that is not a token request. */
function writes(log: LabRequestLogEntry[]): LabRequestLogEntry[] {
  return log.filter((e) => HTTP_SERVICES.has(e.service) && e.method !== 'GET' && !(e.service === 'identity' && e.method === 'POST' && TOKEN_PATH.test(e.path)));
}

const countBy = (log: Array<{ service: string; method: string }>) => log.reduce<Record<string, number>>((a, e) => ((a[`${e.service} ${e.method}`] = (a[`${e.service} ${e.method}`] ?? 0) + 1), a), {});
const labs: Lab[] = [];
const savedEnv = { ...process.env };
afterEach(async () => {
  await Promise.all(labs.splice(0).map((lab) => lab.stop()));
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

async function diagnoseLab(faults: string[], options: { targets?: number; credentials?: LabCredentialKind } = {}) {
  const lab = await startLab({ faults, targets: options.targets ?? 1 });
  labs.push(lab);
  Object.assign(process.env, lab.secretEnv());
  const config = lab.resolvedConfig(options.credentials ? { credentials: options.credentials } : {});
  const services = createServices(config, new AbortController().signal);
  const report = await diagnose(config, { services });
  return { lab, report, doctorLog: services.requestLog, labLog: lab.requestLog() };
}

const CASES: Array<{ faults: string[]; targets?: number; credentials?: LabCredentialKind }> = [
  { faults: [] },
  { faults: [], credentials: 'access-token' },
  { faults: ['zone-unlinked', 'connection-pending'] },
  { faults: ['pe-missing', 'pls-missing'] },
  { faults: ['provider-forbidden'] },
  { faults: ['arm-throttled', 'fabric-flaky', 'dns-truncated'] },
  { faults: ['tls-intercepted', 'public-access-allowed'] },
  { faults: ['record-wrong-ip@2', 'tenant-setting-off'], targets: 3 },
];

describe('read-only, end to end: the lab sees nothing but GET (and token requests)', () => {
  for (const c of CASES) {
    const label = `${c.faults.join(' + ') || 'healthy'}${c.targets ? `, ${c.targets} targets` : ''}${c.credentials ? `, ${c.credentials}` : ''}`;
    it(label, async () => {
      const { report, doctorLog, labLog } = await diagnoseLab(c.faults, c);
      expect(report.targets).toHaveLength(c.targets ?? 1);

      // The run really read both tenants and the data path: the log is not vacuously clean.
      const services = new Set(labLog.map((e) => e.service));
      for (const s of ['arm', 'fabric']) expect(services, `lab services seen: ${[...services].join(', ')}`).toContain(s);
      // Direct DNS queries go to the VM's DNS servers by address (168.63.129.16 on the flat lab).
      expect([...services].filter((s) => s.startsWith('dns-ip:')), `lab services seen: ${[...services].join(', ')}`).not.toEqual([]);
      expect(labLog.filter((e) => e.service === 'arm' && e.side === 'consumer').length).toBeGreaterThan(0);
      expect(labLog.filter((e) => e.service === 'arm' && e.side === 'provider').length).toBeGreaterThan(0);

      expect(writes(labLog)).toEqual([]);
      expect(labLog.filter((e) => e.service === 'unknown'), 'requests to routes the lab does not serve').toEqual([]);
      const tokenPosts = labLog.filter((e) => e.service === 'identity' && e.method === 'POST');
      if (c.credentials === 'access-token') expect(tokenPosts, 'static tokens: no token request at all').toEqual([]);
      else expect(tokenPosts.length, 'client secrets: the token endpoint was used').toBeGreaterThan(0);
      // DNS entries are queries (the lab's servers answer queries only), by transport.
      for (const e of labLog.filter((x) => x.service.startsWith('dns-'))) expect(['UDP', 'TCP']).toContain(e.method);

      expect(doctorLog.length).toBeGreaterThan(0);
      // The doctor logs its token requests too (identity:<side>, POST to the token endpoint); nothing else but GET.
      expect(doctorLog.filter((e) => e.method !== 'GET' && !(/^identity:(provider|consumer)$/.test(e.service) && e.method === 'POST' && TOKEN_PATH.test(e.path))), "the doctor's own request log").toEqual([]);
      // And it misses none: every HTTP request the lab served is in the doctor's log (the bundle's requests.json).
      const family = (service: string) => (service.startsWith('workspace-') ? 'net' : service.split(':')[0]!);
      // Every request the doctor got an answer to, the lab served; and every request the lab served is in
      // the doctor's log, answered or not. Between the two: a request cancelled before it reached the
      // lab (a fact no check will judge, a probe on a dead path) is logged by the doctor only.
      const kinds = (log: Array<{ service: string; method: string }>) => countBy(log.map((e) => ({ service: family(e.service), method: e.method })));
      const served = kinds(labLog.filter((e) => HTTP_SERVICES.has(e.service)));
      const answered = kinds(doctorLog.filter((e) => e.status !== undefined));
      const logged = kinds(doctorLog.filter((e) => e.status !== undefined || e.service !== 'net'));
      for (const kind of new Set([...Object.keys(served), ...Object.keys(answered), ...Object.keys(logged)])) {
        expect(answered[kind] ?? 0, `${kind}: answered ≤ served`).toBeLessThanOrEqual(served[kind] ?? 0);
        expect(served[kind] ?? 0, `${kind}: served ≤ logged`).toBeLessThanOrEqual(logged[kind] ?? 0);
      }
    });
  }

  it('the lab does log a write when one is made (the assertion above can fail)', async () => {
    const lab = await startLab();
    labs.push(lab);
    const token = lab.secretEnv()[LAB_ENV.consumerArmToken];
    const url = new URL(`${lab.addresses.apiBase}${lab.state.targets[0]!.privateEndpointId}?api-version=2024-05-01`);
    const status = await new Promise<number>((resolve, reject) => {
      // Marked as a test's own probe, so the suite-wide write-guard audit does not count it as the doctor's.
      const req = https.request(url, { method: 'DELETE', ca: lab.caPem, headers: { authorization: `Bearer ${token}`, [LAB_PROBE_HEADER]: '1' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(405);
    expect(writes(lab.requestLog()).map((e) => `${e.service} ${e.method}`)).toEqual(['arm DELETE']);
  });
});

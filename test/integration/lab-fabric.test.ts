// The lab's Fabric REST API and the workspace listeners (private endpoint, public front end),
// reached as the doctor reaches them: an address from DNS, mapped by the config's connect-to rules.
import https from 'node:https';
import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { workspaceNames } from '../../src/fabric/workspace.js';
import { startLab, type Lab } from '../../src/lab/server.js';
import { call, closeAgent, reference, shapeDiff } from './lab-helpers.js';

let lab: Lab | undefined;
afterEach(async () => {
  if (lab) {
    await closeAgent(lab);
    await lab.stop();
  }
  lab = undefined;
});

/** Where the config's connect-to sends ip:443. */
function mapped(l: Lab, ip: string): { host: string; port: number } {
  const rule = l.configJson().network.connectTo.find((r) => r.startsWith(`${ip}:443:`));
  if (!rule) throw new Error(`no connect-to rule for ${ip}`);
  const [, , host, port] = rule.split(':');
  return { host: host!, port: Number(port) };
}

interface Probe {
  outcome: 'response' | 'refused' | 'tls-error' | 'reset';
  status?: number;
  body?: any;
  error?: string;
}

function probe(l: Lab, ip: string, fqdn: string, path: string, token?: string): Promise<Probe> {
  const { host, port } = mapped(l, ip);
  return new Promise((resolve) => {
    const req = https.request(
      { host, port, servername: fqdn, path, method: 'GET', ca: l.caPem, headers: { host: fqdn, ...(token ? { authorization: `Bearer ${token}` } : {}) }, agent: false },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ outcome: 'response', status: res.statusCode, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? '';
      resolve({ outcome: code === 'ECONNREFUSED' ? 'refused' : /CERT|SELF_SIGNED|UNABLE_TO/.test(code) ? 'tls-error' : 'reset', error: code });
    });
    req.end();
  });
}

async function setup(faults: string[] = []) {
  lab = await startLab({ faults, seed: 'fabric-tests', pageSize: 2 });
  const t = lab.state.targets[0]!;
  const names = workspaceNames(t.workspaceId);
  const pe = lab.state.endpoints.find((e) => e.id === t.privateEndpointId);
  return { lab, t, names, apiIp: pe?.ips.api, env: lab.secretEnv() };
}

describe('lab Fabric REST', () => {
  test('workspace, capacities with continuation, communication policy and tenant settings in the reference shapes', async () => {
    const { lab: l, t, env } = await setup();
    const token = env.XTD_LAB_PROVIDER_FABRIC_TOKEN;
    const ws = await call(l, 'GET', `/v1/workspaces/${t.workspaceId}`, token);
    expect(ws.status).toBe(200);
    expect(shapeDiff(ws.body, reference('fabric-rest/platform/examples/platform/GetWorkspace.json')).extra).toEqual([]);
    expect(ws.body.capacityAssignmentProgress).toBe('Completed');
    const specific = await call(l, 'GET', `/v1/workspaces/${t.workspaceId}?preferWorkspaceSpecificEndpoints=true`, token);
    expect(specific.body.apiEndpoint).toBe(`https://${workspaceNames(t.workspaceId).fqdns.api}`);
    const policy = await call(l, 'GET', `/v1/workspaces/${t.workspaceId}/networking/communicationPolicy`, token);
    expect(shapeDiff(policy.body, reference('fabric-rest/platform/examples/platform/GetWorkspaceNetworkingCommunicationPolicy.json'))).toEqual({ missing: [], extra: [] });
    expect(policy.body.inbound.publicAccessRules.defaultAction).toBe('Deny');
    expect(policy.headers.etag).toBeTruthy();
    const settings = await call(l, 'GET', '/v1/admin/tenantsettings', token);
    expect(settings.body.value.find((s: any) => s.settingName === 'WorkspaceBlockInboundAccess').enabled).toBe(true);
    // Capacities page through continuationUri until every capacity is seen.
    const capacities: any[] = [];
    let next: string | undefined = '/v1/capacities';
    let pages = 0;
    while (next) {
      const page = await call(l, 'GET', next, token);
      expect(shapeDiff(page.body, reference('fabric-rest/platform/examples/platform/ListCapacitiesWithContinuation.json')).extra).toEqual([]);
      capacities.push(...page.body.value);
      next = page.body.continuationUri;
      pages++;
    }
    expect(pages).toBeGreaterThan(1);
    const assigned = capacities.find((c) => c.id === ws.body.capacityId);
    expect(assigned).toMatchObject({ sku: 'F64', state: 'Active' });
  });

  test('Fabric needs a tenant-2 Fabric token', async () => {
    const { lab: l, t, env } = await setup();
    const p = `/v1/workspaces/${t.workspaceId}`;
    expect((await call(l, 'GET', p)).status).toBe(401);
    expect((await call(l, 'GET', p, env.XTD_LAB_PROVIDER_ARM_TOKEN)).status).toBe(401);
    const tenant1 = await call(l, 'GET', p, env.XTD_LAB_CONSUMER_ARM_TOKEN);
    expect(tenant1.status).toBe(401);
  });

  test('fabric-flaky: 503 once per path, then the answer', async () => {
    const { lab: l, t, env } = await setup(['fabric-flaky']);
    const p = `/v1/workspaces/${t.workspaceId}`;
    const first = await call(l, 'GET', p, env.XTD_LAB_PROVIDER_FABRIC_TOKEN);
    expect([first.status, first.body.errorCode, first.headers['retry-after']]).toEqual([503, 'ServiceUnavailable', '1']);
    expect((await call(l, 'GET', p, env.XTD_LAB_PROVIDER_FABRIC_TOKEN)).status).toBe(200);
    expect((await call(l, 'GET', '/v1/capacities', env.XTD_LAB_PROVIDER_FABRIC_TOKEN)).status).toBe(503);
  });

  test('provider-forbidden: Fabric answers 403 InsufficientPrivileges', async () => {
    const { lab: l, t, env } = await setup(['provider-forbidden']);
    for (const p of [`/v1/workspaces/${t.workspaceId}`, '/v1/capacities', '/v1/admin/tenantsettings']) {
      const reply = await call(l, 'GET', p, env.XTD_LAB_PROVIDER_FABRIC_TOKEN);
      expect([reply.status, reply.body.errorCode]).toEqual([403, 'InsufficientPrivileges']);
    }
  });

  test('capacity faults show in the workspace and the capacity list', async () => {
    for (const [fault, expected] of [['capacity-trial', { sku: 'FT1', state: 'Active' }], ['capacity-paused', { state: 'Inactive' }]] as const) {
      const { lab: l, t, env } = await setup([fault]);
      const ws = await call(l, 'GET', `/v1/workspaces/${t.workspaceId}`, env.XTD_LAB_PROVIDER_FABRIC_TOKEN);
      const capacity = await call(l, 'GET', `/v1/capacities/${ws.body.capacityId}`, env.XTD_LAB_PROVIDER_FABRIC_TOKEN);
      expect(capacity.body).toMatchObject(expected);
      await closeAgent(l);
      await l.stop();
      lab = undefined;
    }
    const { lab: l, t, env } = await setup(['capacity-unassigned']);
    const ws = await call(l, 'GET', `/v1/workspaces/${t.workspaceId}`, env.XTD_LAB_PROVIDER_FABRIC_TOKEN);
    expect(ws.body.capacityId).toBeUndefined();
  });
});

describe('lab workspace listeners', () => {
  test('healthy: the private path serves the workspace (200 with a tenant-2 Fabric token, 401 without)', async () => {
    const { lab: l, t, names, apiIp, env } = await setup();
    const withToken = await probe(l, apiIp!, names.fqdns.api, `/v1/workspaces/${t.workspaceId}`, env.XTD_LAB_PROVIDER_FABRIC_TOKEN);
    expect([withToken.outcome, withToken.status, withToken.body.id]).toEqual(['response', 200, t.workspaceId]);
    const without = await probe(l, apiIp!, names.fqdns.api, `/v1/workspaces/${t.workspaceId}`);
    expect(without.status).toBe(401);
    const policyOnFqdn = await probe(l, apiIp!, names.fqdns.api, `/v1/workspaces/${t.workspaceId}/networking/communicationPolicy`, env.XTD_LAB_PROVIDER_FABRIC_TOKEN);
    expect(policyOnFqdn.status).toBe(403);
    expect(l.requestCounts().byService['workspace-private']).toBe(3);
  });

  test('the public front end refuses with RequestDeniedByInboundPolicy when the policy is Deny, serves when Allow', async () => {
    const { lab: l, t, names, env } = await setup();
    const denied = await probe(l, l.state.frontEnd.ip, names.fqdns.api, `/v1/workspaces/${t.workspaceId}`, env.XTD_LAB_PROVIDER_FABRIC_TOKEN);
    expect([denied.status, denied.body]).toEqual([403, { errorCode: 'RequestDeniedByInboundPolicy', message: 'Request is denied due to inbound communication policy' }]);
    await closeAgent(l);
    await l.stop();
    lab = undefined;
    const allowed = await setup(['public-access-allowed']);
    const served = await probe(allowed.lab, allowed.lab.state.frontEnd.ip, allowed.names.fqdns.api, `/v1/workspaces/${allowed.t.workspaceId}`, allowed.env.XTD_LAB_PROVIDER_FABRIC_TOKEN);
    expect(served.status).toBe(200);
  });

  for (const fault of ['connection-pending', 'connection-rejected', 'pls-missing', 'pe-other-vnet', 'tcp-blocked']) {
    test(`${fault}: the private data path refuses connections`, async () => {
      const { lab: l, names, apiIp } = await setup([fault]);
      const result = await probe(l, apiIp!, names.fqdns.api, '/');
      expect(result.outcome).toBe('refused');
    });
  }

  test('pe-missing: the addresses its records left behind lead nowhere', async () => {
    const { lab: l, names } = await setup(['pe-missing']);
    const leftover = l.state.zones[0]!.aRecords.find((r) => r.name === names.records.api)!.ips[0]!;
    expect((await probe(l, leftover, names.fqdns.api, '/')).outcome).toBe('refused');
  });

  test('tls-intercepted: the listener presents a certificate from a CA the doctor does not trust', async () => {
    const { lab: l, t, names, apiIp } = await setup(['tls-intercepted']);
    const result = await probe(l, apiIp!, names.fqdns.api, `/v1/workspaces/${t.workspaceId}`);
    expect(result.outcome).toBe('tls-error');
    expect(result.error).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/);
    // TCP itself opens: only TLS fails.
    const { host, port } = mapped(l, apiIp!);
    await new Promise<void>((resolve, reject) => net.connect(port, host).on('connect', function (this: net.Socket) { this.destroy(); resolve(); }).on('error', reject));
  });

  test('the certificate is valid for every workspace FQDN (one-label wildcards)', async () => {
    const { lab: l, t, apiIp, env } = await setup();
    const names = workspaceNames(t.workspaceId);
    for (const kind of ['api', 'compute', 'onelake', 'dfs', 'blob'] as const) {
      const reply = await probe(l, apiIp!, names.fqdns[kind], `/v1/workspaces/${t.workspaceId}`, env.XTD_LAB_PROVIDER_FABRIC_TOKEN);
      expect(reply.outcome, kind).toBe('response');
    }
    // A wildcard covers one label only: a name one level deeper is not covered.
    const wrongName = await probe(l, apiIp!, `extra.${names.fqdns.api}`, '/');
    expect([wrongName.outcome, wrongName.error]).toEqual(['tls-error', 'ERR_TLS_CERT_ALTNAME_INVALID']);
  });
});

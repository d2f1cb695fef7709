// The probe facts and checks through the real engine, against loopback HTTPS servers reached via
// connect-to with the sandbox on (as the lab will): the address comes from a stand-in for the DNS
// helper's local.systemResolve fact; the public resolver and the token source are per-run services.
import type { IncomingMessage, ServerResponse } from 'node:http';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../checks/index.js';
import { testConfig } from '../../../src/config/defaults.js';
import { defineFact, type FactDef } from '../../../src/engine/define.js';
import { runDiagnosis } from '../../../src/engine/run.js';
import { createServices } from '../../../src/engine/services.js';
import type { ResolvedConfig } from '../../../src/config/types.js';
import { ALL_FACTS } from '../../../src/gather/index.js';
import { PUBLIC_RESOLVE_SERVICE, type PublicResolve } from '../../../src/gather/net/public-resolve.js';
import { FABRIC_TOKEN_SERVICE, type FabricTokenSource } from '../../../src/gather/net/token.js';
import { FQDN, WORKSPACE_ID, closedPort, makeCertificates, startHttpsServer, startRecordingHttpsServer, type OfferedGroups, type Running } from './servers.js';

const PRIVATE_IP = '10.0.0.4';
/** The endpoint's IP from ARM when DNS gives another private address (a stale record). */
const ENDPOINT_IP = '10.0.0.5';
const PUBLIC_IP = '20.50.1.2';
const SERVED_PUBLIC_IP = '20.50.1.3';
const TOKEN = 'token-that-must-not-leak';

const systemResolve = defineFact({
  id: 'local.systemResolve',
  version: 1,
  description: 'stand-in for the DNS helper fact',
  async gather() {
    return { via: 'os', answers: { [FQDN]: { name: FQDN, via: 'os', ms: 1, addresses: [{ address: PRIVATE_IP, class: 'private' }] } } };
  },
});

let certs: Awaited<ReturnType<typeof makeCertificates>>;
let privateServer: Running & { hellos: OfferedGroups[] };
let proxyServer: Running;
let publicServer: Running & { hellos: OfferedGroups[] };
const authSeen: Array<string | undefined> = [];

function workspace(req: IncomingMessage, res: ServerResponse) {
  authSeen.push(req.headers.authorization);
  res.setHeader('requestid', 'private-req');
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: WORKSPACE_ID }));
}
function denied(_req: IncomingMessage, res: ServerResponse) {
  res.setHeader('requestid', 'public-req');
  res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ errorCode: 'RequestDeniedByInboundPolicy', message: 'Request is denied due to inbound communication policy' }));
}

beforeAll(async () => {
  certs = await makeCertificates();
  privateServer = await startRecordingHttpsServer(certs.valid, workspace);
  proxyServer = await startHttpsServer(certs.intercepted, workspace);
  publicServer = await startRecordingHttpsServer(certs.valid, denied);
});
afterAll(async () => {
  await Promise.all([privateServer.close(), proxyServer.close(), publicServer.close()]);
});

const denyPolicy = defineFact({
  id: 'provider.communicationPolicy',
  version: 1,
  description: 'stand-in for the control plane fact',
  async gather() {
    return { inbound: { publicAccessRules: { defaultAction: 'Deny' } }, outbound: { publicAccessRules: { defaultAction: 'Allow' } } };
  },
});

/** A stand-in for ARM's endpoint IPs that answers once `ready` settles (or after 4 s, whichever is first): `first` says which. */
function endpointIpsAfter(ready: () => boolean, ips: string[]): { fact: FactDef; first: () => 'probe' | 'arm' | undefined } {
  let first: 'probe' | 'arm' | undefined;
  const fact = defineFact({
    id: 'consumer.endpointIps',
    version: 1,
    description: 'stand-in for the ARM fact',
    async gather() {
      for (let waited = 0; !ready() && waited < 4000; waited += 10) await new Promise((r) => setTimeout(r, 10));
      first = ready() ? 'probe' : 'arm';
      return { byFqdn: { [FQDN]: ips }, sources: { [FQDN]: 'customDnsConfigs' }, nicsRead: [] };
    },
  });
  return { fact, first: () => first };
}

/** A policy that allows public access, read only once the public probe's request was answered (so it is in flight to the end). */
const allowPolicy = [
  defineFact({
    id: 'provider.communicationPolicy',
    version: 1,
    description: 'stand-in for the control plane fact',
    async gather() {
      return { inbound: { publicAccessRules: { defaultAction: 'Allow' } }, outbound: { publicAccessRules: { defaultAction: 'Allow' } } };
    },
  }),
];

async function diagnose(
  options: { privatePort?: number; publicProbe?: boolean; resolve?: PublicResolve; token?: FabricTokenSource; policy?: boolean | 'Allow'; facts?: FactDef[]; endpointPort?: number; checks?: string[] } = {},
) {
  const config: ResolvedConfig = testConfig({
    targets: [{ name: 't1', workspaceId: WORKSPACE_ID }],
    network: {
      connectTo: [
        `${PRIVATE_IP}:443:127.0.0.1:${options.privatePort ?? privateServer.port}`,
        `${PUBLIC_IP}:443:127.0.0.1:${publicServer.port}`,
        // A public address whose front end serves the workspace: public access still open.
        `${SERVED_PUBLIC_IP}:443:127.0.0.1:${privateServer.port}`,
        `${ENDPOINT_IP}:443:127.0.0.1:${options.endpointPort ?? privateServer.port}`,
      ],
      sandbox: true,
    },
    tls: { ca: certs.ca.cert },
    probes: { public: options.publicProbe ?? true, timeoutMs: 5000 },
    dns: { publicServers: ['198.51.100.53'] },
    // A provider credential makes the probes ask for its token; the source registered below answers.
    ...(options.token ? { credentials: { provider: { type: 'access-token' as const, fabricTokenEnv: 'XTD_TEST_UNSET' }, consumer: { type: 'none' as const } } } : {}),
  });
  const services = createServices(config, new AbortController().signal);
  services.shared(PUBLIC_RESOLVE_SERVICE, () => options.resolve ?? (async () => [PUBLIC_IP]));
  if (options.token) services.shared(FABRIC_TOKEN_SERVICE, () => options.token!);
  const probeChecks = CATALOGUE.filter((c) => ['local.tcp-443', 'local.tls', 'local.api-reachable', 'public.access-denied-probe', ...(options.checks ?? [])].includes(c.id));
  const policy = options.policy === 'Allow' ? allowPolicy : options.policy ? [denyPolicy] : [];
  const report = await runDiagnosis({ config, checks: probeChecks, facts: [...ALL_FACTS, systemResolve, ...policy, ...(options.facts ?? [])], services });
  const results = Object.fromEntries(report.targets[0]!.results.map((r) => [r.checkId, r]));
  return { report, results, services };
}

describe('probe facts through the engine', () => {
  it('healthy: every probe check passes, the token is sent and never recorded', async () => {
    authSeen.length = 0;
    const { report, results, services } = await diagnose({ token: async () => TOKEN });
    expect(Object.fromEntries(Object.entries(results).map(([id, r]) => [id, r.status]))).toEqual({
      'local.tcp-443': 'pass',
      'local.tls': 'pass',
      'local.api-reachable': 'pass',
      'public.access-denied-probe': 'pass',
    });
    expect(authSeen).toEqual([`Bearer ${TOKEN}`]);
    expect(services.requestLog.map((e) => [e.host, e.status, e.requestId])).toEqual(
      expect.arrayContaining([
        [FQDN, 200, 'private-req'],
        [FQDN, 403, 'public-req'],
      ]),
    );
    expect(JSON.stringify({ report, log: services.requestLog })).not.toContain(TOKEN);
    expect(Object.keys(report.facts).filter((k) => !k.startsWith('provider.')).sort()).toEqual(
      // consumer.endpointIps: the probes' fallback address when DNS does not give the endpoint's IP.
      ['consumer.endpointIps@t1', 'local.apiAddress@t1', 'local.https@t1', 'local.systemResolve@t1', 'local.tcp443@t1', 'local.tls@t1', 'public.probe@t1'].sort(),
    );
  });

  it('the public probe offers the classic key-exchange groups only; the private probes what Node offers any client', async () => {
    const before = { private: privateServer.hellos.length, public: publicServer.hellos.length };
    const { results } = await diagnose({ token: async () => TOKEN });
    expect(results['public.access-denied-probe']!.status).toBe('pass');
    // A client with Node's defaults, to the same server: what the private probes must offer too.
    await new Promise<void>((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port: privateServer.port, servername: FQDN, rejectUnauthorized: false }, () => {
        socket.destroy();
        resolve();
      });
      socket.on('error', reject);
    });
    const nodeDefault = privateServer.hellos.at(-1)!;
    const privateHellos = privateServer.hellos.slice(before.private, -1);
    expect(privateHellos).toHaveLength(1);
    expect(privateHellos[0]).toEqual(nodeDefault);
    // X25519, P-256, P-384, P-521 (CLASSIC_GROUPS), one key share: X25519.
    expect(publicServer.hellos.slice(before.public)).toEqual([{ supported: [0x001d, 0x0017, 0x0018, 0x0019], keyShares: [0x001d] }]);
  });

  it('TCP, TLS and HTTPS share one connection to the private address, each stage timed on its own', async () => {
    const before = privateServer.connections();
    const { report } = await diagnose({ token: async () => TOKEN });
    expect(privateServer.connections() - before).toBe(1);
    const fact = (id: string) => (report.facts[`${id}@t1`]!.result as { ok: true; value: Record<string, unknown> }).value;
    expect(fact('local.tcp443')).toMatchObject({ outcome: 'open', connectMs: expect.any(Number) });
    expect(fact('local.tls')).toMatchObject({ outcome: 'handshake-ok', authorized: true, handshakeMs: expect.any(Number), certificate: { subject: { CN: FQDN } } });
    expect(fact('local.https')).toMatchObject({ outcome: 'response', status: 200 });
  });

  it('without a token source, the request goes without Authorization and still passes', async () => {
    authSeen.length = 0;
    const { results } = await diagnose();
    expect(authSeen).toEqual([undefined]);
    expect(results['local.api-reachable']!.status).toBe('pass');
    expect(results['local.api-reachable']!.evidence).toMatchObject({ authorization: 'none sent' });
  });

  // The probes start with the run (the VM's observations are the ground truth and never wait for
  // an opinion); only their verdicts wait: behind a failed TCP probe they are blocked.
  it('tcp-blocked: local.tcp-443 fails, the TLS and HTTPS checks are blocked by it', async () => {
    const { results } = await diagnose({ privatePort: await closedPort() });
    expect(results['local.tcp-443']).toMatchObject({ status: 'fail' });
    expect(results['local.tls']).toMatchObject({ status: 'skip', skipReason: 'blocked', blockedBy: 'local.tcp-443' });
    expect(results['local.api-reachable']).toMatchObject({ status: 'skip', skipReason: 'blocked', blockedBy: 'local.tcp-443' });
  });

  it('tls-intercepted: local.tls fails naming the proxy CA', async () => {
    const { results } = await diagnose({ privatePort: proxyServer.port });
    expect(results['local.tcp-443']!.status).toBe('pass');
    expect(results['local.tls']!.status).toBe('fail');
    expect(results['local.tls']!.message).toContain('CN=Contoso Inspection CA, O=Contoso Proxy');
    expect(results['local.api-reachable']).toMatchObject({ status: 'skip', blockedBy: 'local.tls' });
  });

  it('public probe off: skipped as not-applicable and never gathered', async () => {
    const { report, results } = await diagnose({ publicProbe: false });
    expect(results['public.access-denied-probe']).toMatchObject({ status: 'skip', skipReason: 'not-applicable' });
    expect(Object.keys(report.facts)).not.toContain('public.probe@t1');
  });

  it('no public egress (public DNS times out): skip, not fail', async () => {
    const resolve: PublicResolve = async () => {
      throw Object.assign(new Error('queryA ETIMEOUT'), { code: 'ETIMEOUT' });
    };
    const { results } = await diagnose({ resolve });
    expect(results['public.access-denied-probe']).toMatchObject({ status: 'skip', skipReason: 'not-applicable' });
  });

  it('the public address unmapped in sandbox mode is no egress: skip, and no request is logged for it', async () => {
    const { results, services } = await diagnose({ resolve: async () => ['20.50.9.9'] });
    expect(results['public.access-denied-probe']).toMatchObject({ status: 'skip', skipReason: 'not-applicable' });
    expect(results['public.access-denied-probe']!.message).toContain('sandbox');
    expect(services.requestLog.filter((e) => e.status !== undefined).map((e) => e.requestId)).toEqual(['private-req']);
  });

  it('policy Deny but the public request is served: fail, saying Deny can take up to 30 minutes', async () => {
    const { results } = await diagnose({ resolve: async () => [SERVED_PUBLIC_IP], policy: true });
    expect(results['public.access-denied-probe']!.status).toBe('fail');
    expect(results['public.access-denied-probe']!.message).toContain('up to 30 minutes');
    expect(results['public.access-denied-probe']!.evidence).toMatchObject({ policyDefaultAction: 'Deny', status: 200 });
  });

  it('the private address answers 403 RequestDeniedByInboundPolicy: local.api-reachable fails', async () => {
    const { results } = await diagnose({ privatePort: publicServer.port });
    expect(results['local.tls']!.status).toBe('pass');
    expect(results['local.api-reachable']).toMatchObject({ status: 'fail', evidence: { status: 403, errorCode: 'RequestDeniedByInboundPolicy', requestId: 'public-req' } });
    expect(results['local.api-reachable']!.message).toContain('did not arrive through the private endpoint');
  });

  it('the private probes start at the DNS answer\'s private address before ARM\'s endpoint IPs are known', async () => {
    authSeen.length = 0;
    const arm = endpointIpsAfter(() => authSeen.length > 0, [PRIVATE_IP]);
    const { report, results } = await diagnose({ token: async () => TOKEN, facts: [arm.fact] });
    // The HTTPS request (the last stage of the one connection) reached the server before ARM answered.
    expect(arm.first()).toBe('probe');
    expect(authSeen).toEqual([`Bearer ${TOKEN}`]);
    expect(results['local.api-reachable']!.status).toBe('pass');
    const address = report.facts['local.apiAddress@t1']!.result as { ok: true; value: Record<string, unknown> };
    expect(address.value).toMatchObject({ address: PRIVATE_IP, early: PRIVATE_IP, source: 'local.systemResolve' });
    expect(address.value.reason).toBeUndefined();
  });

  it('DNS gives another private address than the endpoint\'s: the early probe is dropped, the probes go to the endpoint\'s IP and say why', async () => {
    // The stale address answers with the proxy's certificate: had its probe been kept, local.tls would fail.
    const before = privateServer.connections();
    const staleBefore = proxyServer.connections();
    // ARM answers once the early probe has connected to the stale address.
    const arm = endpointIpsAfter(() => proxyServer.connections() > staleBefore, [ENDPOINT_IP]);
    const { report, results } = await diagnose({ privatePort: proxyServer.port, token: async () => TOKEN, facts: [arm.fact] });
    expect(arm.first()).toBe('probe');
    expect(privateServer.connections() - before).toBe(1);
    expect(results['local.tcp-443']!.status).toBe('pass');
    expect(results['local.tls']!.status).toBe('pass');
    expect(results['local.api-reachable']!.status).toBe('pass');
    expect(results['local.tcp-443']!.evidence).toMatchObject({ address: ENDPOINT_IP, addressSource: 'consumer.privateEndpoint' });
    expect(String(results['local.tcp-443']!.evidence.addressReason)).toContain(`the probes had started at ${PRIVATE_IP}`);
    const address = report.facts['local.apiAddress@t1']!.result as { ok: true; value: Record<string, unknown> };
    expect(address.value).toMatchObject({ address: ENDPOINT_IP, early: PRIVATE_IP });
  });

  it('public access allowed: the public probe, started at once, is cancelled with its blocked check and left off the report', async () => {
    const { report, results } = await diagnose({ policy: 'Allow', checks: ['provider.public-access-denied'] });
    expect(results['provider.public-access-denied']!.status).toBe('fail');
    expect(results['public.access-denied-probe']).toMatchObject({ status: 'skip', skipReason: 'blocked', blockedBy: 'provider.public-access-denied', facts: ['provider.communicationPolicy@t1'] });
    expect(Object.keys(report.facts)).not.toContain('public.probe@t1');
    expect(report.facts['provider.communicationPolicy@t1']).toBeDefined();
  });
});

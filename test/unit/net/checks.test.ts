// The four probe checks as pure functions of their facts: every status each can return.
import { describe, expect, it } from 'vitest';
import apiReachable, { apiFinding } from '../../../checks/local/api-reachable.js';
import tcp443, { tcpFinding } from '../../../checks/local/tcp-443.js';
import tlsCheck, { tlsFinding } from '../../../checks/local/tls.js';
import accessDeniedProbe, { publicFinding } from '../../../checks/public/access-denied-probe.js';
import { testConfig } from '../../../src/config/defaults.js';
import type { CheckDef, FactReader } from '../../../src/engine/define.js';
import type { FactResult, Finding } from '../../../src/engine/types.js';
import type { PublicProbe, TlsFact } from '../../../src/gather/net/facts.js';
import type { HttpsProbeResult } from '../../../src/gather/net/https.js';
import type { TcpProbeResult } from '../../../src/gather/net/tcp.js';
import { fixText } from '../../helpers/fix-text.js';

const FQDN = 'cfafbeb180374d0c896ea46fb27ff227.zcf.w.api.fabric.microsoft.com';
const PATH = '/v1/workspaces/cfafbeb1-8037-4d0c-896e-a46fb27ff227';
const target = { name: 't1', workspaceId: 'cfafbeb1-8037-4d0c-896e-a46fb27ff227' };

function reader(values: Record<string, FactResult>): FactReader {
  return {
    get: <T>(id: string) => (values[id] ?? { ok: false, unavailable: { kind: 'error', message: `no ${id}` } }) as FactResult<T>,
    value: <T>(id: string) => {
      const result = values[id];
      if (!result?.ok) throw new Error(`unavailable ${id}`);
      return result.value as T;
    },
  };
}

async function run(check: CheckDef, values: Record<string, unknown>): Promise<Finding> {
  const facts = Object.fromEntries(Object.entries(values).map(([id, value]) => [id, { ok: true, value } as FactResult]));
  return check.run({ target, config: testConfig({ probes: { public: true } }), facts: reader(facts) });
}

const tcp = (over: Partial<TcpProbeResult>): TcpProbeResult => ({ address: '10.0.0.4', port: 443, names: [FQDN], outcome: 'open', destination: { host: '10.0.0.4', port: 443, mapped: false }, connectMs: 3, ...over });

describe('local.tcp-443', () => {
  it('declares the contract of docs/checks.md', () => {
    expect(tcp443).toMatchObject({ id: 'local.tcp-443', side: 'local', docStep: '9', after: ['consumer.pe-approved'], needs: ['local.tcp443', 'local.apiAddress'] });
  });

  it('passes when the port opens, naming a connect-to destination', async () => {
    const finding = await run(tcp443, { 'local.tcp443': tcp({ destination: { host: '127.0.0.1', port: 8443, mapped: true } }) });
    expect(finding.status).toBe('pass');
    expect(finding.message).toContain('connect-to: 127.0.0.1:8443');
    expect(finding.evidence).toMatchObject({ destination: '127.0.0.1:8443', mapped: true, connectMs: 3 });
  });

  it.each([
    ['refused', /connection refused/],
    ['timeout', /drops 443/],
    ['reset', /reset/],
    ['unreachable', /no route/],
    ['sandbox-refused', /sandbox/],
  ] as const)('fails on %s with its own message', (outcome, message) => {
    const finding = tcpFinding(tcp({ outcome, error: { code: 'X', message: 'why' } }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toMatch(message);
    expect(fixText(finding.fix)).toBeTruthy();
  });

  it('is an error when the probe did not learn the answer', () => {
    expect(tcpFinding(tcp({ outcome: 'error', error: { message: 'EMFILE' } })).status).toBe('error');
  });

  it('does not apply when the TCP probe is off', () => {
    expect(tcp443.applies!({ target, config: testConfig({ probes: { tcp: false } }) })).toContain('probes.tcp');
    expect(tcp443.applies!({ target, config: testConfig() })).toBe(true);
  });
});

const cert = (over: Partial<NonNullable<TlsFact['certificate']>> = {}) => ({
  subject: { CN: FQDN },
  issuer: { CN: 'Microsoft Azure RSA TLS Issuing CA 03', O: 'Microsoft Corporation' },
  subjectAltNames: [`DNS:*.zcf.w.api.fabric.microsoft.com`],
  validFrom: '2026-01-01T00:00:00.000Z',
  validTo: '2027-01-01T00:00:00.000Z',
  fingerprint256: 'AA:BB',
  serialNumber: '01',
  ...over,
});
const tlsFact = (over: Partial<TlsFact>): TlsFact => ({
  address: '10.0.0.4',
  port: 443,
  servername: FQDN,
  outcome: 'handshake-ok',
  protocol: 'TLSv1.3',
  authorized: true,
  chainTrust: 'trusted',
  nameMatch: { ok: true },
  validity: { ok: true, expired: false, notYetValid: false, checkedAt: '2026-06-01T00:00:00.000Z' },
  certificate: cert(),
  chain: [cert()],
  extraCa: [],
  ...over,
});

describe('local.tls', () => {
  it('declares the contract of docs/checks.md', () => {
    expect(tlsCheck).toMatchObject({ id: 'local.tls', side: 'local', docStep: '9', after: ['tcp-443'], needs: ['local.tls'] });
  });

  it('passes a trusted, valid certificate for the FQDN', async () => {
    const finding = await run(tlsCheck, { 'local.tls': tlsFact({}) });
    expect(finding.status).toBe('pass');
    expect(finding.evidence).toMatchObject({ issuer: 'CN=Microsoft Azure RSA TLS Issuing CA 03, O=Microsoft Corporation', fingerprint256: 'AA:BB' });
  });

  it('fails an untrusted chain and names the proxy CA at its top', () => {
    const proxyLeaf = cert({ issuer: { CN: 'Zscaler Intermediate Root CA', O: 'Zscaler Inc.' } });
    const proxyIntermediate = cert({ subject: { CN: 'Zscaler Intermediate Root CA', O: 'Zscaler Inc.' }, issuer: { CN: 'Zscaler Root CA', O: 'Zscaler Inc.' } });
    const finding = tlsFinding(tlsFact({ authorized: false, chainTrust: 'untrusted', authorizationError: 'SELF_SIGNED_CERT_IN_CHAIN', certificate: proxyLeaf, chain: [proxyLeaf, proxyIntermediate] }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('"CN=Zscaler Root CA, O=Zscaler Inc."');
    expect(finding.message).toContain('TLS-inspecting proxy');
    expect(finding.evidence?.untrustedIssuer).toBe('CN=Zscaler Root CA, O=Zscaler Inc.');
    expect(fixText(finding.fix)).toContain('tls.caFile');
    expect(fixText(finding.fix)).toContain('*.fabric.microsoft.com');
  });

  it('fails an expired certificate with its end date', () => {
    const finding = tlsFinding(tlsFact({ authorized: false, chainTrust: 'unknown', authorizationError: 'CERT_HAS_EXPIRED', validity: { ok: false, expired: true, notYetValid: false, checkedAt: 'x' } }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('expired on 2027-01-01');
  });

  it('fails a certificate for another name, listing what it names', () => {
    const finding = tlsFinding(tlsFact({ authorized: false, chainTrust: 'trusted', authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID', nameMatch: { ok: false, error: 'x' }, certificate: cert({ subjectAltNames: ['DNS:portal.example.net'] }) }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain(`does not name ${FQDN}`);
    expect(finding.message).toContain('DNS:portal.example.net');
    expect(finding.message).not.toContain('proxy');
  });

  it('fails a handshake reset or a TLS alert', () => {
    expect(tlsFinding(tlsFact({ outcome: 'reset', error: { code: 'ECONNRESET', message: 'reset' } })).message).toContain('SNI');
    expect(tlsFinding(tlsFact({ outcome: 'tls-failed', error: { code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', message: 'alert' } })).status).toBe('fail');
  });

  it('is an error when the probe did not learn the answer', () => {
    expect(tlsFinding(tlsFact({ outcome: 'error', error: { message: 'aborted' } })).status).toBe('error');
  });
});

const https = (over: Partial<HttpsProbeResult>): HttpsProbeResult => ({
  method: 'GET',
  host: FQDN,
  path: PATH,
  address: '10.0.0.4',
  port: 443,
  outcome: 'response',
  status: 200,
  bodyKind: 'json',
  auth: 'none',
  durationMs: 12,
  ...over,
});

describe('local.api-reachable', () => {
  it('declares the contract of docs/checks.md', () => {
    expect(apiReachable).toMatchObject({ id: 'local.api-reachable', side: 'local', docStep: '9', after: ['tls', 'provider.capacity-sku', 'provider.pls-workspace-match'], needs: ['local.https'] });
  });

  it('passes on 200', async () => {
    expect((await run(apiReachable, { 'local.https': https({ status: 200, auth: 'bearer', requestId: 'r1' }) })).status).toBe('pass');
  });

  it('passes on 401 and on a bare 403 without a token: the path is proven', () => {
    expect(apiFinding(https({ status: 401, bodyKind: 'empty' })).status).toBe('pass');
    expect(apiFinding(https({ status: 403, bodyKind: 'empty', auth: 'none' })).status).toBe('pass');
    expect(apiFinding(https({ status: 403, bodyKind: 'empty', auth: 'token-error', tokenError: 'expired' })).status).toBe('pass');
  });

  it('passes on a Fabric 403 that is not the policy (the identity lacks rights)', () => {
    const finding = apiFinding(https({ status: 403, bodyKind: 'fabric-error', errorCode: 'InsufficientPrivileges', auth: 'bearer' }));
    expect(finding.status).toBe('pass');
    expect(finding.message).toContain('InsufficientPrivileges');
  });

  it('fails on 403 RequestDeniedByInboundPolicy', () => {
    const finding = apiFinding(https({ status: 403, bodyKind: 'fabric-error', errorCode: 'RequestDeniedByInboundPolicy', auth: 'bearer' }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('did not arrive through the private endpoint');
    expect(fixText(finding.fix)).toContain('NO_PROXY');
  });

  it('is an error on a bare 403 when a token was sent: ambiguous', () => {
    const finding = apiFinding(https({ status: 403, bodyKind: 'empty', auth: 'bearer' }));
    expect(finding.status).toBe('error');
    expect(finding.message).toContain('cannot tell');
  });

  it('fails when no HTTP answer comes, and is an error on a 5xx without a Fabric body', () => {
    expect(apiFinding(https({ outcome: 'timeout', status: undefined, error: { message: 'no answer' } })).status).toBe('fail');
    expect(apiFinding(https({ outcome: 'tls-failed', status: undefined, error: { code: 'CERT_HAS_EXPIRED', message: 'x' } })).status).toBe('fail');
    expect(apiFinding(https({ status: 502, bodyKind: 'other' })).status).toBe('error');
  });

  it('never puts a token in the evidence', () => {
    expect(apiFinding(https({ auth: 'bearer' })).evidence).toMatchObject({ authorization: 'bearer token sent' });
  });
});

const probe = (over: Partial<PublicProbe> = {}, httpsOver: Partial<HttpsProbeResult> = {}): PublicProbe => ({
  fqdn: FQDN,
  resolution: { outcome: 'answer', servers: ['1.1.1.1'], addresses: [{ address: '20.50.1.2', class: 'public' }] },
  address: '20.50.1.2',
  https: https({ address: '20.50.1.2', status: 403, bodyKind: 'fabric-error', errorCode: 'RequestDeniedByInboundPolicy', ...httpsOver }),
  ...over,
});
const deny = { inbound: { publicAccessRules: { defaultAction: 'Deny' } }, outbound: { publicAccessRules: { defaultAction: 'Allow' } } };

describe('public.access-denied-probe', () => {
  it('declares the contract of docs/checks.md and only applies when probes.public is set', () => {
    expect(accessDeniedProbe).toMatchObject({ id: 'public.access-denied-probe', side: 'public', docStep: '10', after: ['provider.public-access-denied'] });
    expect(accessDeniedProbe.applies!({ target, config: testConfig() })).toContain('probes.public');
    expect(accessDeniedProbe.applies!({ target, config: testConfig({ probes: { public: true } }) })).toBe(true);
  });

  it('passes on 403 RequestDeniedByInboundPolicy, and on a 403 without a body', async () => {
    expect((await run(accessDeniedProbe, { 'public.probe': probe(), 'provider.communicationPolicy': deny })).status).toBe('pass');
    expect(publicFinding(probe({}, { bodyKind: 'empty', errorCode: undefined }), deny).status).toBe('pass');
  });

  it('fails when the request is served, saying Deny can take up to 30 minutes when the policy says Deny', async () => {
    const served = probe({}, { status: 200, bodyKind: 'json', errorCode: undefined });
    const withDeny = await run(accessDeniedProbe, { 'public.probe': served, 'provider.communicationPolicy': deny });
    expect(withDeny.status).toBe('fail');
    expect(withDeny.message).toContain('up to 30 minutes');
    const unknownPolicy = publicFinding(served, undefined);
    expect(unknownPolicy.status).toBe('fail');
    expect(unknownPolicy.message).not.toContain('30 minutes');
  });

  it('fails when Fabric answers past the policy with another error', () => {
    expect(publicFinding(probe({}, { status: 404, errorCode: 'EntityNotFound' }), undefined).status).toBe('fail');
  });

  it.each([
    ['no public DNS answer', probe({ resolution: { outcome: 'no-answer', servers: ['1.1.1.1'], addresses: [], error: { code: 'ENOTFOUND', message: 'x' } }, address: undefined, https: undefined })],
    ['public DNS unreachable', probe({ resolution: { outcome: 'no-egress', servers: ['1.1.1.1'], addresses: [], error: { code: 'ETIMEOUT', message: 'x' } }, address: undefined, https: undefined })],
    ['connection refused', probe({}, { outcome: 'refused', status: undefined })],
    ['connection timeout', probe({}, { outcome: 'timeout', status: undefined })],
  ])('skips as not-applicable without public egress: %s', (_name, value) => {
    const finding = publicFinding(value, deny);
    expect(finding).toMatchObject({ status: 'skip', skipReason: 'not-applicable' });
    expect(finding.message).toContain('no public egress');
  });

  it('is an error when public DNS gives only private addresses, on a TLS failure, and on an inconclusive 401', () => {
    expect(publicFinding(probe({ resolution: { outcome: 'answer', servers: ['10.1.1.1'], addresses: [{ address: '10.0.0.4', class: 'private' }] }, address: undefined, https: undefined }), deny).status).toBe('error');
    expect(publicFinding(probe({}, { outcome: 'tls-failed', status: undefined, error: { code: 'CERT_HAS_EXPIRED', message: 'x' } }), deny).status).toBe('error');
    expect(publicFinding(probe({}, { status: 401, bodyKind: 'empty', errorCode: undefined }), deny).status).toBe('error');
  });
});

// local.api-reachable: an HTTPS request to the workspace FQDN gets a Fabric answer that is not
// RequestDeniedByInboundPolicy, i.e. it arrived through the private endpoint.
import { defineCheck } from '../../src/engine/define.js';
import { advice } from '../../src/fix/steps.js';
import type { Finding } from '../../src/engine/types.js';
import { DENIED_BY_POLICY } from '../../src/fabric/workspace.js';
import type { HttpsProbeResult } from '../../src/gather/net/https.js';

const DENIED_FIX =
  'Fabric received the request, but not through the private endpoint. Check that the address used is the private ' +
  'endpoint\'s IP for this FQDN (local.dns-endpoint-ip), that no proxy forwards *.fabric.microsoft.com to the internet ' +
  '(add it to NO_PROXY / the proxy bypass list), and that the endpoint\'s connection to this workspace\'s private link ' +
  'service is Approved (consumer.pe-approved).';

export function httpsEvidence(probe: HttpsProbeResult): Record<string, unknown> {
  return {
    request: `${probe.method} https://${probe.host}${probe.path}`,
    address: probe.address,
    outcome: probe.outcome,
    ...(probe.destination ? { destination: `${probe.destination.host}:${probe.destination.port}`, mapped: probe.destination.mapped } : {}),
    ...(probe.status !== undefined ? { status: probe.status } : {}),
    ...(probe.errorCode ? { errorCode: probe.errorCode } : {}),
    ...(probe.bodyKind ? { body: probe.bodyKind } : {}),
    ...(probe.requestId ? { requestId: probe.requestId } : {}),
    authorization: probe.auth === 'bearer' ? 'bearer token sent' : probe.auth === 'token-error' ? `no token (the credential failed: ${probe.tokenError})` : 'none sent',
    durationMs: probe.durationMs,
    ...(probe.error ? { error: probe.error } : {}),
  };
}

export function apiFinding(probe: HttpsProbeResult): Finding {
  const evidence = httpsEvidence(probe);
  const what = `GET https://${probe.host}${probe.path} via ${probe.address}`;
  if (probe.outcome !== 'response') {
    if (probe.outcome === 'error') return { status: 'error', message: `${what}: the probe did not learn the answer: ${probe.error?.message ?? 'unknown error'}`, evidence };
    return { status: 'fail', message: `${what}: no HTTP answer (${probe.outcome}: ${probe.error?.message ?? ''})`, evidence };
  }
  const status = probe.status!;
  const tokenSent = probe.auth === 'bearer';
  const answer = `${status}${probe.errorCode ? ` ${probe.errorCode}` : ''}`;
  if (status === 403 && probe.errorCode === DENIED_BY_POLICY) {
    return {
      status: 'fail',
      message: `${what}: 403 ${DENIED_BY_POLICY}: the request did not arrive through the private endpoint`,
      evidence,
      fix: advice(DENIED_FIX),
    };
  }
  if (status >= 200 && status < 300) return { status: 'pass', message: `${what}: Fabric answered ${status}: the path through the private endpoint works`, evidence };
  if (status === 401) {
    return { status: 'pass', message: `${what}: Fabric answered ${answer} (${tokenSent ? 'the token was refused' : 'no token sent'}): the request reached Fabric through the endpoint`, evidence };
  }
  if (status === 403 && probe.bodyKind === 'fabric-error') {
    return { status: 'pass', message: `${what}: Fabric answered ${answer}, not ${DENIED_BY_POLICY}: the request reached the workspace through the endpoint (the identity lacks access to it)`, evidence };
  }
  if (status === 403) {
    // A denied request sometimes comes without a body: with a token, a bare 403 cannot be told apart.
    if (!tokenSent) return { status: 'pass', message: `${what}: Fabric answered 403 to a request without a token: the request reached Fabric through the endpoint`, evidence };
    return {
      status: 'error',
      message: `${what}: 403 without a Fabric error body although a token was sent: it may be ${DENIED_BY_POLICY} (sent without a body at times) or missing rights; the probe cannot tell`,
      evidence,
      fix: advice('Run again with a provider identity that can read the workspace (Viewer or above), or check the workspace\'s inbound policy and the endpoint (provider.public-access-denied, consumer.pe-approved).'),
    };
  }
  if (probe.bodyKind === 'fabric-error' && status < 500) {
    return { status: 'pass', message: `${what}: Fabric answered ${answer}: the request reached Fabric through the endpoint`, evidence };
  }
  return {
    status: 'error',
    message: `${what}: ${status}${probe.bodyKind === 'fabric-error' ? ` ${probe.errorCode}` : ' without a Fabric error body'}: not an answer that tells whether the path works`,
    evidence,
  };
}

export default defineCheck({
  id: 'local.api-reachable',
  title: 'The workspace API answers through the private endpoint',
  side: 'local',
  severity: 'critical',
  needs: ['local.https'],
  after: ['tls', 'provider.capacity-sku', 'provider.pls-workspace-match'],
  docStep: '9',
  tags: ['network', 'https'],
  explain:
    'Sends GET https://{workspace API FQDN}/v1/workspaces/{id} from this machine (only GET, with the provider\'s Fabric token when ' +
    'there is one) over the address the system resolver gives. A 200, or a 401/403 to a request without a token, proves that the ' +
    `request reaches Fabric through the private endpoint. 403 ${DENIED_BY_POLICY} means Fabric saw it arrive another way ` +
    '(a proxy, a public address): what the workspace\'s users would get.',
  fix: advice(DENIED_FIX),
  applies: ({ config }) => config.probes.https || 'the HTTPS probe is off (probes.https)',
  run: ({ facts }) => apiFinding(facts.value('local.https')),
});

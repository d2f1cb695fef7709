// public.access-denied-probe: resolved through public DNS and sent over the public path, a request
// to the workspace is refused with RequestDeniedByInboundPolicy. Optional (probes.public).
import { defineCheck } from '../../src/engine/define.js';
import { advice } from '../../src/fix/steps.js';
import { knownValues } from '../../src/fix/known.js';
import { denyPublicAccessFix } from '../provider/public-access-denied.js';
import type { Finding } from '../../src/engine/types.js';
import type { PublicProbe } from '../../src/gather/net/facts.js';
import { DENIED_BY_POLICY } from '../../src/fabric/workspace.js';
import { httpsEvidence } from '../local/api-reachable.js';
import type { CommunicationPolicyJson } from '../../src/gather/fabric/shapes.js';

const POLICY_FACT = 'provider.communicationPolicy';


/** The communication policy's value shape (Fabric GET …/networking/communicationPolicy). */
export function publicFinding(probe: PublicProbe, policy: CommunicationPolicyJson | undefined): Finding {
  const { resolution } = probe;
  const evidence: Record<string, unknown> = {
    fqdn: probe.fqdn,
    publicServers: resolution.servers,
    resolved: resolution.addresses.map((a) => `${a.address} (${a.class})`),
    ...(resolution.error ? { dnsError: resolution.error } : {}),
    ...(probe.https ? httpsEvidence(probe.https) : {}),
  };
  const defaultAction = policy?.inbound?.publicAccessRules?.defaultAction;
  if (defaultAction) evidence.policyDefaultAction = defaultAction;
  const noEgress = (why: string): Finding => ({ status: 'skip', skipReason: 'not-applicable', message: `no public egress from this machine: ${why}`, evidence });

  switch (resolution.outcome) {
    case 'no-egress':
      return noEgress(`the public DNS servers ${resolution.servers.join(', ')} did not answer (${resolution.error?.code ?? 'no answer'})`);
    case 'no-answer':
      return noEgress(`public DNS has no address for ${probe.fqdn} (${resolution.error?.code ?? 'empty answer'})`);
    case 'error':
      return { status: 'error', message: `public DNS lookup of ${probe.fqdn} failed: ${resolution.error?.message ?? 'unknown error'}`, evidence };
  }
  if (!probe.address || !probe.https) {
    return {
      status: 'error',
      message: `public DNS (${resolution.servers.join(', ')}) answered only non-public addresses for ${probe.fqdn}: the public path cannot be probed`,
      evidence,
      fix: advice('dns.publicServers must be internet resolvers (e.g. 1.1.1.1, 8.8.8.8), not servers that know the private zone.'),
    };
  }

  const https = probe.https;
  const what = `GET https://${https.host}${https.path} via the public address ${probe.address}`;
  if (https.outcome === 'sandbox-refused' || https.outcome === 'refused' || https.outcome === 'timeout' || https.outcome === 'unreachable' || https.outcome === 'reset') {
    return noEgress(`${probe.address}:443 ${https.outcome === 'sandbox-refused' ? 'is not reachable in sandbox mode' : https.outcome}`);
  }
  if (https.outcome !== 'response') return { status: 'error', message: `${what}: ${https.outcome}: ${https.error?.message ?? 'unknown error'}`, evidence };

  const status = https.status!;
  if (status === 403 && https.errorCode === DENIED_BY_POLICY) return { status: 'pass', message: `${what}: 403 ${DENIED_BY_POLICY}: public access is denied`, evidence };
  if (status === 403 && https.bodyKind === 'empty') {
    return { status: 'pass', message: `${what}: 403 without a body (how Fabric sometimes sends ${DENIED_BY_POLICY}): public access is denied`, evidence };
  }
  const served = status >= 200 && status < 300;
  const passedPolicy = served || (status >= 400 && status < 500 && status !== 401 && status !== 429 && https.bodyKind === 'fabric-error');
  if (passedPolicy) {
    const answer = served ? `served (${status})` : `answered ${status} ${https.errorCode}, not ${DENIED_BY_POLICY}`;
    const lag =
      defaultAction === 'Deny'
        ? ' The communication policy says Deny, but Deny can take up to 30 minutes to take effect: run again later; if it persists, check the tenant setting (provider.tenant-setting).'
        : '';
    return {
      status: 'fail',
      message: `${what}: the request was ${answer}: the workspace is reachable from the internet.${lag}`,
      evidence,
      // Allow: the check's fix (deny public access, with the policy as read) is added by run.
      ...(defaultAction === 'Deny' ? { fix: advice('Wait up to 30 minutes after setting Deny and run again; if it persists, check that the tenant setting "Configure workspace-level inbound network rules" is on.') } : {}),
    };
  }
  if (status === 401) {
    return {
      status: 'error',
      message: `${what}: 401${https.errorCode ? ` ${https.errorCode}` : ''}: Fabric wants authentication before it applies the inbound policy; the probe cannot tell`,
      evidence,
      fix: advice('Give the doctor a provider credential for Fabric (credentials.provider) so the public probe is authenticated.'),
    };
  }
  return { status: 'error', message: `${what}: ${status}${https.errorCode ? ` ${https.errorCode}` : ''}: not an answer that tells whether public access is denied`, evidence };
}

export default defineCheck({
  id: 'public.access-denied-probe',
  title: 'A request over the public path is refused',
  side: 'public',
  severity: 'high',
  needs: ['public.probe', POLICY_FACT],
  after: ['provider.public-access-denied'],
  docStep: '10',
  tags: ['network', 'https'],
  explain:
    'Resolves the workspace API FQDN through public DNS servers (dns.publicServers) and sends GET /v1/workspaces/{id} to the public ' +
    `address with the FQDN as server name, as a client on the internet would. It must be refused with 403 ${DENIED_BY_POLICY} ` +
    '(sometimes without a body). This proves what the communication policy only states. Optional: on when probes.public is set. ' +
    'A machine without public egress (no public DNS answer, no connection) skips it.',
  fix: (k) => denyPublicAccessFix(k),
  applies: ({ config }) => config.probes.public || 'the public-path probe is off (probes.public)',
  run: ({ target, config, facts }) => {
    const policy = facts.get(POLICY_FACT);
    const finding = publicFinding(facts.value('public.probe'), policy.ok ? policy.value : undefined);
    if (finding.status !== 'fail' || finding.fix) return finding;
    return { ...finding, fix: denyPublicAccessFix(knownValues(target, config, facts), policy.ok ? policy.value : undefined) };
  },
});

// local.tls: the TLS handshake with the API FQDN as SNI succeeds, the certificate is valid today,
// names the FQDN and chains to a trusted root; an untrusted issuer is named (a TLS-inspecting proxy).
import { defineCheck } from '../../src/engine/define.js';
import { advice } from '../../src/fix/steps.js';
import type { Finding } from '../../src/engine/types.js';
import type { TlsFact } from '../../src/gather/net/facts.js';
import { describeName } from '../../src/gather/net/tls.js';

const PROXY_FIX =
  'A device between this machine and the endpoint presents its own certificate (TLS inspection). Exclude ' +
  '*.fabric.microsoft.com (and *.privatelink.fabric.microsoft.com) from TLS inspection on the proxy or firewall; ' +
  'if inspection is intended, give its root CA to the doctor with tls.caFile (and to every client that calls Fabric).';

export function tlsFinding(probe: TlsFact): Finding {
  const target = `${probe.servername} at ${probe.address}:${probe.port}`;
  const evidence: Record<string, unknown> = {
    servername: probe.servername,
    address: probe.address,
    outcome: probe.outcome,
    ...(probe.destination ? { destination: `${probe.destination.host}:${probe.destination.port}`, mapped: probe.destination.mapped } : {}),
    ...(probe.protocol ? { protocol: probe.protocol } : {}),
    ...(probe.authorizationError ? { authorizationError: probe.authorizationError } : {}),
    ...(probe.certificate
      ? {
          subject: describeName(probe.certificate.subject),
          subjectAltNames: probe.certificate.subjectAltNames,
          ...(probe.certificate.subjectAltNamesTotal ? { subjectAltNamesTotal: probe.certificate.subjectAltNamesTotal } : {}),
          issuer: describeName(probe.certificate.issuer),
          validFrom: probe.certificate.validFrom,
          validTo: probe.certificate.validTo,
          fingerprint256: probe.certificate.fingerprint256,
        }
      : {}),
    ...(probe.chain && probe.chain.length > 1 ? { chain: probe.chain.map((c) => `${describeName(c.subject)} (issued by ${describeName(c.issuer)})`) } : {}),
    ...(probe.extraCa.length ? { extraCa: probe.extraCa } : {}),
    ...(probe.error ? { error: probe.error } : {}),
  };

  if (probe.outcome !== 'handshake-ok') {
    switch (probe.outcome) {
      case 'reset':
        return {
          status: 'fail',
          message: `TLS to ${target}: the connection was closed during the handshake: a firewall or proxy that filters by SNI, or one that refuses this name`,
          evidence,
          fix: advice('Allow *.fabric.microsoft.com through the firewall or proxy that filters TLS by server name (SNI), or exclude the endpoint\'s address from it.'),
        };
      case 'tls-failed':
        return { status: 'fail', message: `TLS to ${target}: the handshake failed (${probe.error?.code ?? probe.error?.message})`, evidence, fix: advice(PROXY_FIX)};
      case 'timeout':
      case 'refused':
      case 'unreachable':
        return { status: 'fail', message: `TLS to ${target}: no handshake (${probe.outcome}: ${probe.error?.message ?? ''})`, evidence };
      case 'sandbox-refused':
        return { status: 'fail', message: `TLS to ${target}: unreachable in sandbox mode (${probe.error?.message ?? 'not mapped'})`, evidence };
      default:
        return { status: 'error', message: `TLS to ${target}: the probe did not learn the answer: ${probe.error?.message ?? 'unknown error'}`, evidence };
    }
  }

  const problems: string[] = [];
  let remediation: string | undefined;
  const cert = probe.certificate;
  if (probe.chainTrust === 'untrusted') {
    // Name the top of the presented chain: the CA a proxy would have signed with.
    const top = probe.chain?.[probe.chain.length - 1] ?? cert;
    const issuer = describeName(top?.issuer);
    evidence.untrustedIssuer = issuer;
    problems.push(`the certificate is issued by "${issuer}", which this machine does not trust (${probe.authorizationError}): a TLS-inspecting proxy is likely in the path`);
    remediation = PROXY_FIX;
  }
  if (probe.validity?.expired) problems.push(`the certificate expired on ${cert?.validTo}`);
  if (probe.validity?.notYetValid) problems.push(`the certificate is not valid before ${cert?.validFrom} (check this machine's clock)`);
  if (probe.validity && !probe.validity.ok) {
    remediation ??=
      'Fabric\'s own certificates are renewed by Microsoft: a certificate outside its dates comes from a device on the path (a proxy or appliance with a stale certificate) or from a wrong clock on this machine. Fix the device or the clock.';
  }
  if (probe.nameMatch && !probe.nameMatch.ok) {
    problems.push(`the certificate does not name ${probe.servername} (it names ${cert?.subjectAltNames.join(', ') || describeName(cert?.subject)}${cert?.subjectAltNamesTotal ? `, … ${cert.subjectAltNamesTotal} names in all` : ''})`);
    remediation ??=
      'The address answers for another service: check that DNS gives the private endpoint\'s IP (local.dns-endpoint-ip) and that no proxy presents a certificate for another name.';
  }
  if (problems.length) return { status: 'fail', message: `TLS to ${target}: ${problems.join('; ')}`, evidence, ...(remediation ? { fix: advice(remediation) } : {}) };
  if (!probe.authorized) {
    // Node refused the certificate for a reason none of the above explains.
    return { status: 'fail', message: `TLS to ${target}: the certificate is refused (${probe.authorizationError})`, evidence, fix: advice(PROXY_FIX) };
  }
  return { status: 'pass', message: `TLS to ${target}: ${probe.protocol ?? 'TLS'}, certificate for ${probe.servername} issued by ${describeName(cert?.issuer)}, valid until ${cert?.validTo}`, evidence };
}

export default defineCheck({
  id: 'local.tls',
  title: 'TLS to the workspace API FQDN is valid and trusted',
  side: 'local',
  severity: 'high',
  needs: ['local.tls'],
  after: ['tcp-443'],
  docStep: '9',
  tags: ['network', 'tls'],
  explain:
    'Performs a TLS handshake with the workspace API FQDN as the server name (SNI) at the address the system resolver gives, ' +
    'and checks separately that the certificate chains to a root this machine trusts (Node\'s roots, the operating system\'s store, tls.ca / tls.caFile), is within its dates, ' +
    'and names the FQDN. A TLS-inspecting proxy shows as a certificate from an issuer this machine does not trust: the check names it. ' +
    'Every Fabric client on this machine fails the same way.',
  fix: advice(PROXY_FIX),
  applies: ({ config }) => config.probes.tls || 'the TLS probe is off (probes.tls)',
  run: ({ facts }) => tlsFinding(facts.value('local.tls')),
});

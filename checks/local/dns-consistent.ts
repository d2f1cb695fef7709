// local.dns-consistent: every DNS server, asked directly, agrees with the system resolver, and the
// answer comes through the private zone.
import { defineCheck } from '../../src/engine/define.js';
import { advice, flushCacheStep, hostsEntryStep } from '../../src/fix/steps.js';
import { PRIVATELINK_ZONE, workspaceNames } from '../../src/fabric/workspace.js';
import { addressList, passesThroughPrivatelink, sameSet, serverViews } from '../../src/gather/dns/read.js';

export default defineCheck({
  id: 'local.dns-consistent',
  title: 'Direct DNS queries agree with the system resolver, through the private zone',
  side: 'local',
  severity: 'medium',
  needs: ['local.systemResolve', 'local.directResolve'],
  after: ['dns-private'],
  docStep: '9',
  explain:
    'Applications use the system resolver, which also reads the hosts file and the OS cache; nslookup asks a DNS server ' +
    'directly. When they differ, a test with nslookup proves nothing about what applications get. This check asks every ' +
    "DNS server on the VM's path directly (the configured or system servers, and the NIC's or VNet's DNS servers that " +
    'consumer.dns-path reads from ARM; 168.63.129.16 only when the path is Azure-provided DNS, because asked from a VNet with ' +
    "custom DNS it answers with that VNet's view, which the VM never gets) for the API FQDN, compares with the system " +
    `resolver, and requires the CNAME chain to pass through ${PRIVATELINK_ZONE} (an answer that does not came from a hosts ` +
    'entry or a forwarder set on the wrong zone).',
  fix: advice(
    'If only this machine differs: remove the hosts-file entry for the name and clear the client cache (Windows: ' +
    'ipconfig /flushdns). If the servers differ from each other: make every custom DNS server forward fabric.microsoft.com ' +
    'to 168.63.129.16 (conditional forwarders belong on the public zone, not on privatelink.*).',
  ),
  run({ target, facts }) {
    const system = facts.value('local.systemResolve');
    const direct = facts.value('local.directResolve');
    const fqdn = workspaceNames(target.workspaceId).fqdns.api;
    const answer = system.answers[fqdn];
    if (!answer) return { status: 'error', message: `the system resolver fact has no answer for ${fqdn}` };
    const systemAddresses = addressList(answer);
    const views = serverViews(direct, fqdn);
    const answered = views.filter((v) => !v.error);
    const silent = views.filter((v) => v.error);
    const evidence: Record<string, unknown> = {
      fqdn,
      system: { resolver: system.via, addresses: systemAddresses },
      servers: views,
    };
    if (answered.length === 0) {
      return {
        status: 'error',
        message: `no DNS server answered for ${fqdn}: ${silent.map((v) => `${v.server} (${v.error})`).join('; ')}`,
        evidence,
      };
    }

    const differing = answered.filter((v) => !sameSet(v.addresses, systemAddresses));
    const offZone = answered.filter((v) => v.addresses.length > 0 && !passesThroughPrivatelink(v.chain));
    const problems: string[] = [];
    let remediation: string | undefined;
    if (differing.length === answered.length) {
      problems.push(
        `the system resolver answers ${systemAddresses.join(', ') || 'nothing'} but the DNS server${answered.length > 1 ? 's answer' : ' answers'} ` +
          `${[...new Set(answered.map((v) => v.addresses.join(', ') || 'nothing'))].join(' / ')}: a hosts-file entry or a stale client cache on this machine`,
      );
      remediation =
        'Remove the hosts-file entry for the name (Windows: C:\\Windows\\System32\\drivers\\etc\\hosts, Linux: /etc/hosts) and ' +
        'clear the client cache (Windows: ipconfig /flushdns; systemd-resolved: resolvectl flush-caches), then run again.';
    } else if (differing.length > 0) {
      problems.push(
        `the DNS servers disagree: ${answered.map((v) => `${v.server} → ${v.addresses.join(', ') || v.rcode}`).join('; ')}`,
      );
      remediation =
        'Make every DNS server the VNet uses forward fabric.microsoft.com to 168.63.129.16 (or a DNS Private Resolver inbound ' +
        'endpoint), so that all of them see the private zone; then ipconfig /flushdns (Windows) and run again.';
    }
    if (offZone.length > 0) {
      problems.push(
        `${offZone.map((v) => v.server).join(', ')} answer${offZone.length > 1 ? '' : 's'} without passing through ${PRIVATELINK_ZONE} ` +
          `(chain: ${offZone[0]!.chain.join(' → ')})`,
      );
      remediation ??=
        `The answer does not come from the private zone: remove zones or conditional forwarders that override ${fqdn} on the ` +
        `custom DNS servers, and let the public CNAME lead into ${PRIVATELINK_ZONE}, linked to the VNet (step 7).`;
    }
    if (problems.length) {
      return { status: 'fail', message: `${fqdn}: ${problems.join('; ')}`, evidence, ...(remediation ? { fix: advice(remediation, ...(differing.length === answered.length ? [hostsEntryStep(fqdn), flushCacheStep()] : [])) } : {}) };
    }
    if (silent.length) {
      return {
        status: 'warn',
        message: `${answered.length} server(s) agree with the system resolver on ${systemAddresses.join(', ')}, but ${silent.map((v) => v.server).join(', ')} did not answer`,
        evidence,
        fix: advice('A DNS server the VM may use did not answer: check that it is reachable on port 53 and forwards to 168.63.129.16, or remove it from the configuration.'),
      };
    }
    return {
      status: 'pass',
      message: `the system resolver and ${answered.length} DNS server(s) agree on ${systemAddresses.join(', ')}, through ${PRIVATELINK_ZONE}`,
      evidence,
    };
  },
});

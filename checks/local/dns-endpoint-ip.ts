// local.dns-endpoint-ip: the private address the system resolver gives is the endpoint's own.
import { defineCheck } from '../../src/engine/define.js';
import { workspaceNames } from '../../src/fabric/workspace.js';
import { addressList, optionalDirect, serverViews } from '../../src/gather/dns/read.js';
import { evidenceStrings, failedResult } from '../helpers.js';
import type { OwnerKind } from '../../src/gather/arm/ipOwners.js';

const OWNER_WORDS: Record<OwnerKind, string> = {
  'same-workspace-endpoint': 'the IP of another private endpoint for this same workspace,',
  'tenant-private-link': 'the IP of a tenant-level Fabric (Power BI) private link endpoint,',
  'other-endpoint': 'the IP of another private endpoint,',
};
import { knownValues } from '../../src/fix/known.js';
import { advice, flushCacheStep, hostsEntryStep } from '../../src/fix/steps.js';
import { recordsFix } from '../consumer/zone-records.js';

export default defineCheck({
  id: 'local.dns-endpoint-ip',
  title: 'The API FQDN resolves to the private endpoint\'s IP',
  side: 'local',
  severity: 'high',
  needs: ['local.systemResolve', 'consumer.endpointIps', 'local.directResolve', 'consumer.ipOwners'],
  after: ['dns-private', 'consumer.pe-found'],
  docStep: '9',
  explain:
    'A private address is not enough: it must be the address the private endpoint holds for the API FQDN (the one reading ' +
    'of the endpoint\'s IPs that consumer.zone-records also uses: customDnsConfigs, its NIC, ipConfigurations). Another private address is a stale record left by an old ' +
    'endpoint, a hosts-file entry, or an answer the client cached before a change; traffic to it goes nowhere. When the ' +
    "address belongs to another private endpoint in the consumer's subscriptions, the message says whose: another " +
    'endpoint for the same workspace (a shared zone holds only the last writer\'s records) or a tenant-level Fabric private ' +
    'link endpoint (it answers for the workspace when the workspace records are missing, and a restricted workspace refuses it).',
  fix: advice(
    "Compare the zone's A record with the endpoint's DNS configuration (setup step 7) and correct it (consumer.zone-records prints the commands); remove any hosts-file entry for the name; then clear the client cache and run again.",
    flushCacheStep(),
  ),
  run({ target, config, facts }) {
    const system = facts.value('local.systemResolve');
    const ips = facts.value('consumer.endpointIps');
    const fqdn = workspaceNames(target.workspaceId).fqdns.api;
    const expected = ips.byFqdn[fqdn] ?? [];
    const answer = system.answers[fqdn];
    if (!answer) return { status: 'error', message: `the system resolver fact has no answer for ${fqdn}` };
    const found = addressList(answer);
    const evidence: Record<string, unknown> = { fqdn, resolver: system.via, expected, found };
    if (expected.length === 0) {
      return {
        status: 'skip',
        skipReason: 'not-applicable',
        message: `the private endpoint lists no IP for ${fqdn} (is its group id "workspace"? see consumer.pe-target): nothing to compare with`,
        evidence,
      };
    }
    const unexpected = found.filter((ip) => !expected.includes(ip));
    if (found.length > 0 && unexpected.length === 0) {
      return { status: 'pass', message: `${fqdn} resolves to the endpoint's ${found.join(', ')}`, evidence };
    }
    const wrongRecordFix = () => {
      const record = workspaceNames(target.workspaceId).records.api;
      const records = recordsFix(knownValues(target, config, facts), {
        missing: found.length ? [] : [{ fqdn, record, expectedIps: expected }],
        mismatched: found.length ? [{ fqdn, record, expectedIps: expected, foundIps: found }] : [],
        stale: [],
      });
      return { summary: `Set the A record ${record} to the endpoint's ${expected.join(', ')}, then clear the client cache.`, steps: [...records.steps, flushCacheStep()] };
    };
    const owners = facts.get('consumer.ipOwners');
    const owned = owners.ok ? owners.value.owners.filter((o) => unexpected.includes(o.ip)) : [];
    if (owned.length) evidence.owners = owned;
    const whose = owned.map((o) => ` ${o.ip} is ${OWNER_WORDS[o.kind]} ${o.privateEndpointId}`).join(';');
    if (owned.length) {
      return {
        status: 'fail',
        message: `${fqdn} resolves to ${unexpected.join(', ')}, not the endpoint's ${expected.join(', ')}:${whose}`,
        evidence,
        fix: owned.some((o) => o.kind === 'same-workspace-endpoint')
          ? advice('Two endpoints for this workspace write the same names into one zone and the last writer wins: give each VNet that has its own endpoint its own zone (or resolve through the VNet whose endpoint the zone holds), and remove the other endpoint\'s DNS zone group from the shared zone if it should not own the records.')
          : owned.some((o) => o.kind === 'tenant-private-link')
            ? advice('The tenant-level Fabric private link answers for this workspace because its workspace records are missing from privatelink.fabric.microsoft.com: add the workspace endpoint\'s records (a DNS zone group on it does this, consumer.zone-records prints the commands), since a workspace that denies public access refuses the tenant-level path.')
            : wrongRecordFix(),
      };
    }
    // Do the servers, asked directly, give the right address? Then the fault is on this machine.
    const direct = optionalDirect(facts.get('local.directResolve'));
    const views = direct ? serverViews(direct, fqdn).filter((v) => !v.error) : [];
    const serversRight = views.length > 0 && views.every((v) => v.addresses.length > 0 && v.addresses.every((ip) => expected.includes(ip)));
    const withDirect = views.length ? { ...evidence, direct: views.map((v) => ({ server: v.server, addresses: v.addresses })) } : evidence;
    if (serversRight) {
      return {
        status: 'fail',
        message: `${fqdn} resolves to ${unexpected.join(', ')} on this machine, but the endpoint's IP is ${expected.join(', ')} and the DNS servers answer that: a hosts-file entry or a stale client cache`,
        evidence: withDirect,
        fix: advice('The DNS servers are right; this machine is not: remove the hosts-file entry for the name and clear the client cache, then run again.', hostsEntryStep(fqdn), flushCacheStep()),
      };
    }
    return {
      status: 'fail',
      message: `${fqdn} resolves to ${unexpected.join(', ') || 'nothing'}, but the private endpoint's IP for it is ${expected.join(', ')}`,
      evidence: withDirect,
      fix: wrongRecordFix(),
    };
  },
  explainedBy({ result, results }) {
    const causes: string[] = [];
    const found = evidenceStrings(result.evidence, 'found');
    const expected = evidenceStrings(result.evidence, 'expected');
    const wrong = found.filter((ip) => !expected.includes(ip));
    if (wrong.length === 0) return causes;
    // The zone's record holds the very address this machine got: the record is the cause.
    const records = failedResult(results, 'consumer.zone-records');
    const mismatched = Array.isArray(records?.evidence.mismatched) ? (records.evidence.mismatched as Array<{ fqdn?: unknown; foundIps?: unknown }>) : [];
    const fromRecord = mismatched.some((m) => m.fqdn === result.evidence.fqdn && Array.isArray(m.foundIps) && wrong.every((ip) => (m.foundIps as unknown[]).includes(ip)));
    if (fromRecord) causes.push('consumer.zone-records');
    // Only this machine answers it, the DNS servers do not: a hosts entry or a stale cache, which dns-consistent shows.
    const consistency = failedResult(results, 'local.dns-consistent');
    const system = consistency?.evidence.system as { addresses?: unknown } | undefined;
    const servers = Array.isArray(consistency?.evidence.servers) ? (consistency.evidence.servers as Array<{ addresses?: unknown; error?: unknown }>) : [];
    const machineOnly =
      Array.isArray(system?.addresses) &&
      wrong.every((ip) => (system.addresses as unknown[]).includes(ip)) &&
      servers.some((s) => !s.error && Array.isArray(s.addresses) && !wrong.some((ip) => (s.addresses as unknown[]).includes(ip)));
    if (!fromRecord && machineOnly) causes.push('local.dns-consistent');
    return causes;
  },
});

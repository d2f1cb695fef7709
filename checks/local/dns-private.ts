// local.dns-private: what applications on the jump VM get for the API FQDN must be private addresses.
import { defineCheck } from '../../src/engine/define.js';
import type { FactResult } from '../../src/engine/types.js';
import { workspaceNames } from '../../src/fabric/workspace.js';
import type { DirectResolveFact } from '../../src/gather/dns/direct-resolve.js';
import { addressList, optionalDirect, serverViews, whyNoAddress } from '../../src/gather/dns/read.js';
import { evidenceStrings, failedResult } from '../helpers.js';
import type { SystemResolveFact } from '../../src/gather/dns/system-resolve.js';

export default defineCheck({
  id: 'local.dns-private',
  title: 'The API FQDN resolves to private addresses only',
  side: 'local',
  severity: 'critical',
  needs: ['local.systemResolve', 'local.directResolve'],
  after: [],
  docStep: '9',
  explain:
    'Setup step 9 runs nslookup on the workspace API FQDN from the jump VM. This check asks the system resolver ' +
    '(what applications see: hosts file, OS cache, the VNet\'s DNS servers) and requires every address to be private ' +
    '(10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7). A public address means traffic would take the public path, ' +
    'which the workspace denies; no address means the name cannot be used at all.',
  remediation:
    'Link the private DNS zone privatelink.fabric.microsoft.com to the jump VM\'s VNet (setup step 7), make sure it has the ' +
    'A record from the private endpoint\'s DNS configuration, and if the VNet uses custom DNS servers make them forward to ' +
    '168.63.129.16 (or a DNS Private Resolver). Then clear the client cache (Windows: ipconfig /flushdns) and run again.',
  run({ target, facts }) {
    const system = facts.value<SystemResolveFact>('local.systemResolve');
    const fqdn = workspaceNames(target.workspaceId).fqdns.api;
    const answer = system.answers[fqdn];
    if (!answer) return { status: 'error', message: `the system resolver fact has no answer for ${fqdn}` };
    const direct = optionalDirect(facts.get('local.directResolve') as FactResult<DirectResolveFact>);
    const views = direct ? serverViews(direct, fqdn) : [];
    const evidence: Record<string, unknown> = {
      fqdn,
      resolver: system.via,
      addresses: answer.addresses,
      ...(answer.chain ? { chain: answer.chain } : {}),
      ...(answer.error ? { error: answer.error } : {}),
      ...(views.length ? { direct: views } : {}),
    };

    if (answer.addresses.length === 0) {
      const why = whyNoAddress(answer, views);
      return {
        status: 'fail',
        message: `${fqdn} does not resolve through the system resolver: ${why}`,
        evidence: { ...evidence, likelyCause: why },
      };
    }
    const notPrivate = answer.addresses.filter((a) => a.class !== 'private');
    if (notPrivate.length === 0) {
      return { status: 'pass', message: `${fqdn} resolves to private ${addressList(answer).join(', ')}`, evidence };
    }
    const publicOnes = notPrivate.filter((a) => a.class === 'public').map((a) => a.address);
    const special = notPrivate.filter((a) => a.class !== 'public').map((a) => a.address);
    if (publicOnes.length) {
      return {
        status: 'fail',
        message: `${fqdn} resolves to public ${publicOnes.join(', ')}: the private zone is not answering for this VNet`,
        evidence: { ...evidence, publicAddresses: publicOnes },
        remediation:
          'A public answer means the VNet\'s DNS does not see the private zone: link privatelink.fabric.microsoft.com to the ' +
          'jump VM\'s VNet (step 7) or, with custom DNS servers, forward fabric.microsoft.com (not privatelink.*) to 168.63.129.16. ' +
          'Then run ipconfig /flushdns (Windows) and try again.',
      };
    }
    return {
      status: 'fail',
      message: `${fqdn} resolves to ${special.join(', ')}, which is neither private nor public (loopback, link-local...): a hosts-file entry or a local proxy?`,
      evidence: { ...evidence, specialAddresses: special },
      remediation:
        'Remove the entry for this name from the hosts file (Windows: C:\\Windows\\System32\\drivers\\etc\\hosts, Linux: /etc/hosts), ' +
        'then flush the client cache (ipconfig /flushdns) and run again.',
    };
  },
  explainedBy({ result, results, target }) {
    const causes: string[] = [];
    const publicAnswer = evidenceStrings(result.evidence, 'publicAddresses').length > 0;
    const noAnswer = Array.isArray(result.evidence.addresses) && result.evidence.addresses.length === 0;
    // A public answer is what Azure DNS gives when the VNet's resolution sees no private zone: ARM shows why.
    if (publicAnswer && failedResult(results, 'consumer.zone-found')) causes.push('consumer.zone-found');
    if (publicAnswer && failedResult(results, 'consumer.zone-linked')) causes.push('consumer.zone-linked');
    // NXDOMAIN after the CNAME: the zone answers, but has no record for this name.
    const records = failedResult(results, 'consumer.zone-records');
    const apiRecord = workspaceNames(target.workspaceId).records.api;
    const missing = Array.isArray(records?.evidence.missing) ? (records.evidence.missing as Array<{ record?: unknown }>) : [];
    if (noAnswer && missing.some((m) => m.record === apiRecord)) causes.push('consumer.zone-records');
    // A hop of the DNS path that ARM shows broken (resolver, firewall proxy, forwarding rule) explains any wrong answer.
    if ((publicAnswer || noAnswer) && failedResult(results, 'consumer.dns-path')) causes.push('consumer.dns-path');
    return causes;
  },
});

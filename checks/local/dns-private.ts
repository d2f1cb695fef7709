// local.dns-private: what applications on the jump VM get for the API FQDN must be private addresses.
import { defineCheck } from '../../src/engine/define.js';
import type { FactResult } from '../../src/engine/types.js';
import { workspaceNames } from '../../src/fabric/workspace.js';
import { addressList, optionalDirect, serverViews, whyNoAddress } from '../../src/gather/dns/read.js';
import { evidenceStrings, failedResult } from '../helpers.js';
import type { Fix } from '../../src/engine/types.js';
import { knownValues, type KnownValues } from '../../src/fix/known.js';
import { advice, fix, flushCacheStep, hostsEntryStep, linkZoneStep } from '../../src/fix/steps.js';
import type { ZoneListFact } from '../../src/gather/arm/dnsZone.js';
import type { VnetRef } from '../../src/gather/arm/vnet.js';
import { sameId } from '../helpers.js';

const FORWARD =
  'with custom DNS servers, make them forward fabric.microsoft.com (not privatelink.*) to 168.63.129.16 or a DNS Private Resolver inbound endpoint';

/**
 * A public answer, narrowed by what ARM shows: a zone linked to the VNet needs no link, so the DNS
 * servers are what to fix; an unlinked zone gets the link command; unknown gets both.
 */
export function publicAnswerFix(k: KnownValues, linked: boolean | undefined): Fix {
  if (linked) {
    return fix(
      `The zone is linked to ${k.consumer.vnet?.name ?? "the jump VM's VNet"}, so this VM's queries do not reach Azure DNS for it: ${FORWARD}; a hosts-file entry can also give a public answer.`,
      [flushCacheStep()],
      k,
    );
  }
  if (linked === false) return fix("The zone is not linked to the jump VM's VNet: link it (step 7).", [linkZoneStep(k), flushCacheStep()], k);
  return fix(`The VNet's DNS does not see the private zone: link ${'privatelink.fabric.microsoft.com'} to the VNet where the VM's queries reach Azure DNS (step 7), or ${FORWARD}.`, [linkZoneStep(k), flushCacheStep()], k);
}

export default defineCheck({
  id: 'local.dns-private',
  title: 'The API FQDN resolves to private addresses only',
  side: 'local',
  severity: 'critical',
  // The zone's links are read (when tenant 1 can be) to narrow the fix of a public answer.
  needs: ['local.systemResolve', 'local.directResolve', 'consumer.privateDnsZone.vnetLinks', 'consumer.vnetId'],
  after: [],
  docStep: '9',
  explain:
    'Setup step 9 runs nslookup on the workspace API FQDN from the jump VM. This check asks the system resolver ' +
    '(what applications see: hosts file, OS cache, the VNet\'s DNS servers) and requires every address to be private ' +
    '(10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7). A public address means traffic would take the public path, ' +
    'which the workspace denies; no address means the name cannot be used at all.',
  fix: advice(
    'Link the private DNS zone privatelink.fabric.microsoft.com to the jump VM\'s VNet (setup step 7), make sure it has the ' +
      'A records from the private endpoint\'s DNS configuration (consumer.zone-records prints them), and if the VNet uses custom DNS servers make them forward to ' +
      '168.63.129.16 (or a DNS Private Resolver).',
    flushCacheStep(),
  ),
  run({ target, config, facts }) {
    const system = facts.value('local.systemResolve');
    const fqdn = workspaceNames(target.workspaceId).fqdns.api;
    const answer = system.answers[fqdn];
    if (!answer) return { status: 'error', message: `the system resolver fact has no answer for ${fqdn}` };
    const direct = optionalDirect(facts.get('local.directResolve'));
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
        fix: publicAnswerFix(knownValues(target, config, facts), zoneLinked(facts.get('consumer.privateDnsZone.vnetLinks'), facts.get('consumer.vnetId'))),
      };
    }
    return {
      status: 'fail',
      message: `${fqdn} resolves to ${special.join(', ')}, which is neither private nor public (loopback, link-local...): a hosts-file entry or a local proxy?`,
      evidence: { ...evidence, specialAddresses: special },
      fix: advice('Remove the entry for this name from the hosts file, then clear the client cache and run again.', hostsEntryStep(fqdn), flushCacheStep()),
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

/** Whether the zone has a Completed link to the jump VM's VNet; undefined when ARM could not tell. */
function zoneLinked(links: FactResult<ZoneListFact>, ref: FactResult<VnetRef>): boolean | undefined {
  if (!links.ok || !ref.ok) return undefined;
  return links.value.value.some((l) => sameId(l.properties?.virtualNetwork?.id, ref.value.vnetId) && l.properties?.virtualNetworkLinkState === 'Completed');
}

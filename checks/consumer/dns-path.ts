// consumer.dns-path: the jump VM's DNS path is known and healthy, as ARM shows it; where ARM cannot
// see (a forwarder VM, an on-premises server) the VM's own resolver decides.
import { parseResourceId } from '../../src/azure/resourceId.js';
import { classifyAddress } from '../../src/dns/classify.js';
import { defineCheck } from '../../src/engine/define.js';
import type { FactResult, Fix, FixStep } from '../../src/engine/types.js';
import { workspaceNames } from '../../src/fabric/workspace.js';
import { az, loginStep } from '../../src/fix/commands.js';
import { advice } from '../../src/fix/steps.js';
import { allHops, type DnsHop } from '../../src/gather/arm/dnsPathModel.js';
import type { SystemResolveFact } from '../../src/gather/dns/system-resolve.js';
import { nameOf } from '../helpers.js';

/** One line per hop, for the evidence and the report. */
function hopSummary(hop: DnsHop) {
  return {
    server: hop.server,
    kind: hop.kind,
    health: hop.health,
    resourceId: hop.resourceId ?? null,
    vnetId: hop.vnetId ?? null,
    ...(hop.rule ? { rule: hop.rule } : {}),
    note: hop.note,
  };
}

/** The commands that repair a hop ARM shows broken, with every known value filled in. */
function repairSteps(hop: DnsHop): FixStep[] {
  const id = parseResourceId(hop.resourceId);
  if (hop.kind === 'resolver-inbound' && id && id.names.length >= 2) {
    return [
      { text: `See why the inbound endpoint ${id.name} is not Succeeded, then delete and create it again in its dedicated subnet.`, tenant: 'consumer', commands: az(['dns-resolver', 'inbound-endpoint', 'show'], [['dns-resolver-name', id.names[0]], ['name', id.name], ['resource-group', id.resourceGroup], ['subscription', id.subscriptionId]]) },
    ];
  }
  if (hop.kind === 'firewall-proxy' && id) {
    const policyId = parseResourceId(hop.firewallPolicyId);
    if (policyId) {
      return [{ text: `Turn the DNS proxy on in the firewall policy ${policyId.name}.`, tenant: 'consumer', commands: az(['network', 'firewall', 'policy', 'update'], [['name', policyId.name], ['resource-group', policyId.resourceGroup], ['subscription', policyId.subscriptionId], ['enable-dns-proxy', 'true']]) }];
    }
    return [{ text: `Turn the DNS proxy on in the firewall ${id.name}.`, tenant: 'consumer', commands: az(['network', 'firewall', 'update'], [['name', id.name], ['resource-group', id.resourceGroup], ['subscription', id.subscriptionId], ['enable-dns-proxy', 'true']]) }];
  }
  if (hop.rule && hop.rule.state.toLowerCase() !== 'enabled') {
    const rule = parseResourceId(hop.rule.ruleId);
    const ruleset = parseResourceId(hop.rule.rulesetId);
    if (rule && ruleset) {
      return [{ text: `Enable the forwarding rule ${rule.name} (${hop.rule.domainName}).`, tenant: 'consumer', commands: az(['dns-resolver', 'forwarding-rule', 'update'], [['ruleset-name', ruleset.name], ['name', rule.name], ['resource-group', ruleset.resourceGroup], ['subscription', ruleset.subscriptionId], ['forwarding-rule-state', 'Enabled']]) }];
    }
  }
  if (hop.kind === 'azure-provided' && hop.note.startsWith('loop')) {
    return [{ text: `Unlink from ${hop.vnetId} the ruleset whose rule forwards the Fabric names to an inbound endpoint in that same VNet (Azure portal → the ruleset → Virtual network links); the resolver's own VNet must be linked to the zone, not to such a ruleset.`, tenant: 'consumer' }];
  }
  return [{ text: hop.note, tenant: 'consumer' }];
}

/** What the VM's own resolver answers for the API name: the ground truth an opaque hop is judged by. */
function localAnswer(system: FactResult<SystemResolveFact>, fqdn: string): { addresses: string[]; private: boolean } | undefined {
  const answer = system.ok ? system.value.answers[fqdn] : undefined;
  if (!answer) return undefined;
  const addresses = answer.addresses.map((a) => a.address);
  return { addresses, private: addresses.length > 0 && addresses.every((a) => classifyAddress(a) === 'private') };
}

export default defineCheck({
  id: 'consumer.dns-path',
  title: "The jump VM's DNS path is known and healthy",
  side: 'consumer',
  severity: 'high',
  needs: ['consumer.dnsPath', 'local.systemResolve'],
  after: [],
  docStep: '7',
  tags: ['dns', 'topology'],
  explain:
    "Which private DNS zone link matters depends on where the VM's query reaches Azure DNS. The doctor takes the VM's " +
    "effective DNS servers (its NIC's dnsSettings when the VM is known, else its VNet's dhcpOptions; none = Azure-provided " +
    'DNS in its own VNet), finds what owns each server IP (a DNS Private Resolver inbound endpoint, an Azure Firewall DNS ' +
    'proxy, a forwarder VM, or nothing ARM shows), follows the forwarding rulesets linked to the VNet where the query ' +
    'reaches Azure DNS (longest matching suffix; a zone linked to that VNet answers first), and so names the resolving ' +
    'VNet(s). It fails for a hop ARM shows broken (inbound endpoint not Succeeded, firewall DNS proxy off, rule Disabled, ' +
    "a loop). A hop ARM cannot see into (a forwarder VM, an on-premises server) is decided by the VM's own resolver: the " +
    "check passes naming that hop as the first suspect, and local.dns-private judges the answer; it warns only when the VM's " +
    'resolver was not observed. What it reads, and the roles it needs: docs/topologies.md.',
  fix: advice(
    'Repair the broken hop named in the message (inbound endpoint, firewall DNS proxy, forwarding rule), or point the VNet ' +
      "or the VM's NIC at DNS servers that resolve through a VNet linked to the private DNS zone.",
  ),
  run({ target, facts }) {
    const path = facts.value('consumer.dnsPath');
    const fqdn = workspaceNames(target.workspaceId).fqdns.api;
    const hops = allHops(path.hops);
    const evidence: Record<string, unknown> = {
      vmVnetId: path.vmVnetId,
      vmVnetSource: path.vmVnetSource,
      jumpVm: path.jumpVm,
      serversSource: path.serversSource,
      servers: path.servers,
      resolvingVnetIds: path.resolvingVnetIds,
      resolutions: path.resolutions,
      hops: hops.map(hopSummary),
      subscriptionsRead: path.subscriptions,
      ...(path.gaps.length ? { gaps: path.gaps } : {}),
      ...(path.vmVnetSource === 'endpoint-subnet' ? { note: "the jump VM's VNet is not known (consumer.vnetId, consumer.vmId): the endpoint's VNet was used" } : {}),
    };
    const servers = path.servers.length ? `DNS servers ${path.servers.join(', ')} (${path.serversSource === 'nic' ? "the VM's NIC" : "the VNet's"})` : 'Azure-provided DNS';
    const resolving = path.resolvingVnetIds.length ? `resolving VNet ${path.resolvingVnetIds.map(nameOf).join(', ')}` : 'no resolving VNet ARM can show';
    const broken = hops.filter((h) => h.health === 'broken');
    if (broken.length) {
      const fix: Fix = { summary: `Repair the broken DNS hop${broken.length > 1 ? 's' : ''} on the VM's path.`, steps: [loginStep(target.consumer?.tenantId, 'consumer'), ...broken.flatMap(repairSteps)] };
      return { status: 'fail', message: `${servers}: ${broken.map((h) => h.note).join('; ')}`, evidence, fix };
    }
    const opaque = hops.filter((h) => h.health === 'opaque');
    if (opaque.length) {
      // ARM cannot see into these servers: the VM's own resolver decides (local.dns-private judges its answer).
      const local = localAnswer(facts.get('local.systemResolve'), fqdn);
      const unseen = opaque.map((h) => h.server).join(', ');
      if (local?.private) {
        return {
          status: 'pass',
          message: `${servers}, ${resolving}; ARM cannot see into ${unseen}, but the VM's resolver answers ${fqdn} with ${local.addresses.join(', ')} (private)`,
          evidence: { ...evidence, opaque: opaque.map((h) => h.server), confirmedBy: { check: 'local.dns-private', addresses: local.addresses } },
        };
      }
      if (local) {
        return {
          status: 'pass',
          message:
            `${servers}: no hop ARM shows is broken, but ARM cannot see into ${unseen} and the VM's resolver answers ${fqdn} with ` +
            `${local.addresses.join(', ') || 'no address'}: local.dns-private judges that answer; ${unseen} is the first suspect (${opaque[0]!.note})`,
          evidence: { ...evidence, opaque: opaque.map((h) => h.server), suspect: opaque.map((h) => h.server) },
        };
      }
      return {
        status: 'warn',
        message: `${servers}: ${opaque.map((h) => h.note).join('; ')}; the VM's own resolver was not observed to decide`,
        evidence: { ...evidence, opaque: opaque.map((h) => h.server) },
        fix: advice(
          'ARM cannot see into this DNS server; the local checks (local.dns-private, local.dns-consistent) show what it answers. Make it forward ' +
            'fabric.microsoft.com to Azure DNS (168.63.129.16) from a VNet linked to the private DNS zone, or to a DNS Private Resolver inbound endpoint in such a VNet.',
        ),
      };
    }
    return { status: 'pass', message: `${servers}, ${resolving}`, evidence };
  },
});

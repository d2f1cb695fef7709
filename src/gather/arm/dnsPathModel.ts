// The jump VM's DNS path, worked out from what ARM shows (pure, no I/O): its effective DNS servers,
// what owns each server's IP, the forwarding rulesets where a query reaches Azure DNS, and so the
// resolving VNet(s): the VNets whose private DNS zone links decide the answer. The rules (with their
// sources) are in docs/topologies.md.
import { AZURE_VNET_RESOLVER } from '../../config/defaults.js';
import { nameOf, sameId } from '../../azure/resourceId.js';

/** What the doctor read in the bounded set of subscriptions (docs/topologies.md). */
export interface DnsInventory {
  /** The subscriptions listed. */
  subscriptions: string[];
  inboundEndpoints: InboundEndpointEntry[];
  firewalls: FirewallEntry[];
  rulesets: RulesetEntry[];
  /** NICs whose IP is one of the DNS servers on the path (listed only when needed). */
  nics: NicEntry[];
  /** Reads that failed or were cut short: a server not found may be behind one of them. */
  gaps: InventoryGap[];
}

export interface InboundEndpointEntry {
  id: string;
  resolverId: string;
  ips: string[];
  /** The resolver's VNet: where queries to the endpoint reach Azure DNS. */
  vnetId?: string;
  provisioningState?: string;
}

export interface FirewallEntry {
  id: string;
  ips: string[];
  vnetId?: string;
  /** Set for a firewall in a Virtual WAN hub (no zone can be linked to it). */
  virtualHubId?: string;
  policyId?: string;
  /** The DNS proxy as its policy (or a classic firewall's additionalProperties) says; undefined when unreadable. */
  proxyEnabled?: boolean;
  /** Where the proxy sends queries; empty = Azure DNS from the firewall's VNet. */
  dnsServers: string[];
  /** Why the proxy setting is unknown (the policy could not be read). */
  proxyUnknown?: string;
}

export interface ForwardingRuleEntry {
  id?: string;
  name?: string;
  /** Dot-terminated as ARM has it (`fabric.microsoft.com.`; `.` is the wildcard). */
  domainName: string;
  state: string;
  targets: Array<{ ipAddress: string; port: number }>;
}

export interface RulesetEntry {
  id: string;
  linkedVnetIds: string[];
  rules: ForwardingRuleEntry[];
  /** The rules could not be read (then a link to the VNet makes the hop opaque). */
  rulesUnknown?: string;
}

export interface NicEntry {
  id: string;
  ips: string[];
  vnetId?: string;
  virtualMachineId?: string;
  privateEndpointId?: string;
}

export interface InventoryGap {
  what: string;
  subscriptionId?: string;
  kind: string;
  message: string;
}

export type HopKind = 'azure-provided' | 'resolver-inbound' | 'firewall-proxy' | 'vm-forwarder' | 'unknown';
/** ok: ARM shows it working; broken: ARM shows it cannot work; opaque: ARM cannot see (the local checks decide). */
export type HopHealth = 'ok' | 'broken' | 'opaque';

export interface DnsHop {
  server: string;
  kind: HopKind;
  health: HopHealth;
  /** What ARM shows about this hop, in words. */
  note: string;
  /** The resource that owns the server's IP (inbound endpoint, firewall, NIC). */
  resourceId?: string;
  /** The VNet where this hop's query reaches Azure DNS (azure-provided) or where the server lives. */
  vnetId?: string;
  /** The firewall policy holding a firewall hop's DNS settings. */
  firewallPolicyId?: string;
  /** The forwarding rule that applies where the query reaches Azure DNS. */
  rule?: { rulesetId: string; ruleId: string | null; domainName: string; state: string; targets: string[] };
  next?: DnsHop[];
}

/** One place the answer is decided: a zone linked to any of `vnetIds` answers there. */
export interface Resolution {
  vnetIds: string[];
  /** How the query gets there, in words. */
  via: string;
}

export interface DnsPath {
  vmVnetId: string;
  /** `nic`: the VM's NIC overrides the VNet; `vnet`: the VNet's dhcpOptions; `azure-provided`: neither sets servers. */
  serversSource: 'nic' | 'vnet' | 'azure-provided';
  servers: string[];
  hops: DnsHop[];
  resolutions: Resolution[];
  /** The first VNet of each resolution: the VNet(s) a fix links. */
  resolvingVnetIds: string[];
  /** The worst hop. */
  health: HopHealth;
}

export interface PathInput {
  vmVnetId: string;
  /** The NIC's `dnsSettings.dnsServers` when the VM is known. */
  nicDnsServers?: string[];
  /** The VM VNet's `dhcpOptions.dnsServers`. */
  vnetDnsServers: string[];
  /** The names matched against forwarding rules (the workspace API FQDN). */
  names: string[];
  inventory: DnsInventory;
  /** VNets peered with the VM's VNet: a NIC there wins an IP shared by overlapping address spaces. */
  nearVnetIds?: string[];
}

const MAX_DEPTH = 8;
/** `AzureProvidedDNS` in a NIC's dnsServers switches it back to Azure DNS. */
const AZURE_PROVIDED_TOKEN = 'azureprovideddns';

/** The servers the VM asks: the NIC's when set, else the VNet's; none = Azure-provided DNS. */
export function effectiveServers(nicDnsServers: string[] | undefined, vnetDnsServers: string[]): Pick<DnsPath, 'serversSource' | 'servers'> {
  const nic = (nicDnsServers ?? []).filter((s) => typeof s === 'string' && s.trim());
  if (nic.length) {
    if (nic.some((s) => s.trim().toLowerCase() === AZURE_PROVIDED_TOKEN)) return { serversSource: 'azure-provided', servers: [] };
    return { serversSource: 'nic', servers: nic.map((s) => s.trim()) };
  }
  const vnet = vnetDnsServers.filter((s) => typeof s === 'string' && s.trim()).map((s) => s.trim());
  return vnet.length ? { serversSource: 'vnet', servers: vnet } : { serversSource: 'azure-provided', servers: [] };
}

/** The longest-suffix rule matching any of the names; undefined when none matches. */
export function matchingRule(rules: Array<ForwardingRuleEntry & { rulesetId: string }>, names: string[]) {
  let best: (ForwardingRuleEntry & { rulesetId: string }) | undefined;
  let bestLabels = -1;
  for (const rule of rules) {
    const domain = rule.domainName.toLowerCase().replace(/\.$/, '');
    const labels = domain === '' ? 0 : domain.split('.').length;
    const matches = names.some((n) => {
      const name = n.toLowerCase().replace(/\.$/, '');
      return domain === '' || name === domain || name.endsWith(`.${domain}`);
    });
    if (matches && labels > bestLabels) {
      best = rule;
      bestLabels = labels;
    }
  }
  return best;
}

export function computeDnsPath(input: PathInput): DnsPath {
  const { inventory } = input;
  const { serversSource, servers } = effectiveServers(input.nicDnsServers, input.vnetDnsServers);
  const near = [input.vmVnetId, ...(input.nearVnetIds ?? [])];

  const azureAt = (vnetId: string, visited: string[], depth: number): DnsHop => {
    const base = { server: AZURE_VNET_RESOLVER, kind: 'azure-provided' as const, vnetId };
    if (visited.some((v) => sameId(v, vnetId))) {
      return { ...base, health: 'broken', note: `loop: the query is forwarded back to ${nameOf(vnetId)}, where it was already resolved (a ruleset linked to the resolver's own VNet forwards to its inbound endpoint)` };
    }
    const linked = inventory.rulesets.filter((r) => r.linkedVnetIds.some((v) => sameId(v, vnetId)));
    const unknownRules = linked.filter((r) => r.rulesUnknown);
    const rule = matchingRule(linked.flatMap((r) => r.rules.map((rule) => ({ ...rule, rulesetId: r.id }))), input.names);
    if (!rule) {
      if (unknownRules.length) {
        return { ...base, health: 'opaque', note: `Azure DNS in ${nameOf(vnetId)}; the rules of ruleset ${unknownRules.map((r) => nameOf(r.id)).join(', ')} linked to it could not be read (${unknownRules[0]!.rulesUnknown})` };
      }
      return { ...base, health: 'ok', note: `Azure DNS answers from ${nameOf(vnetId)} with the private zones linked to it` };
    }
    const targets = rule.targets.map((t) => t.ipAddress);
    const ruleInfo = { rulesetId: rule.rulesetId, ruleId: rule.id ?? null, domainName: rule.domainName, state: rule.state, targets: rule.targets.map((t) => (t.port && t.port !== 53 ? `${t.ipAddress}:${t.port}` : t.ipAddress)) };
    const next = depth >= MAX_DEPTH ? [] : targets.map((ip) => serverHop(ip, vnetId, [...visited, vnetId], depth + 1));
    if (rule.state.toLowerCase() !== 'enabled') {
      return {
        ...base,
        health: 'broken',
        rule: ruleInfo,
        next,
        note: `the forwarding rule ${rule.domainName} of ruleset ${nameOf(rule.rulesetId)} linked to ${nameOf(vnetId)} is ${rule.state}: the query is not forwarded to ${ruleInfo.targets.join(', ')} and Azure DNS answers from ${nameOf(vnetId)} instead`,
      };
    }
    return { ...base, health: 'ok', rule: ruleInfo, next, note: `Azure DNS in ${nameOf(vnetId)} forwards ${rule.domainName} to ${ruleInfo.targets.join(', ')} (ruleset ${nameOf(rule.rulesetId)}); a zone linked to ${nameOf(vnetId)} would answer first` };
  };

  const serverHop = (server: string, fromVnetId: string, visited: string[], depth: number): DnsHop => {
    const ip = server.replace(/:\d+$/, '');
    if (ip === AZURE_VNET_RESOLVER) return azureAt(fromVnetId, visited, depth);
    const inbound = inventory.inboundEndpoints.find((e) => e.ips.includes(ip));
    if (inbound) {
      const succeeded = (inbound.provisioningState ?? '').toLowerCase() === 'succeeded';
      const hop: DnsHop = {
        server,
        kind: 'resolver-inbound',
        resourceId: inbound.id,
        ...(inbound.vnetId ? { vnetId: inbound.vnetId } : {}),
        health: succeeded ? 'ok' : 'broken',
        note: succeeded
          ? `DNS Private Resolver inbound endpoint ${nameOf(inbound.id)}: resolves from ${inbound.vnetId ? nameOf(inbound.vnetId) : 'its VNet'}`
          : `DNS Private Resolver inbound endpoint ${nameOf(inbound.id)} is ${inbound.provisioningState ?? 'in an unknown state'}, not Succeeded: queries to it time out`,
      };
      if (inbound.vnetId && depth < MAX_DEPTH) hop.next = [azureAt(inbound.vnetId, visited, depth + 1)];
      return hop;
    }
    const firewall = inventory.firewalls.find((f) => f.ips.includes(ip));
    if (firewall) {
      const base = {
        server,
        kind: 'firewall-proxy' as const,
        resourceId: firewall.id,
        ...(firewall.vnetId ? { vnetId: firewall.vnetId } : {}),
        ...(firewall.policyId ? { firewallPolicyId: firewall.policyId } : {}),
      };
      const next = (): DnsHop[] => {
        if (depth >= MAX_DEPTH) return [];
        if (firewall.dnsServers.length) return firewall.dnsServers.map((s) => serverHop(s, firewall.vnetId ?? fromVnetId, visited, depth + 1));
        return firewall.vnetId ? [azureAt(firewall.vnetId, visited, depth + 1)] : [];
      };
      if (firewall.proxyEnabled === undefined) {
        return { ...base, health: 'opaque', next: next(), note: `Azure Firewall ${nameOf(firewall.id)}: its DNS proxy setting could not be read (${firewall.proxyUnknown ?? 'unknown'})` };
      }
      if (!firewall.proxyEnabled) {
        return { ...base, health: 'broken', next: next(), note: `Azure Firewall ${nameOf(firewall.id)} is the DNS server but its DNS proxy is off (${firewall.policyId ? `policy ${nameOf(firewall.policyId)}` : 'classic settings'}): queries to it time out` };
      }
      if (!firewall.dnsServers.length && firewall.virtualHubId) {
        return { ...base, health: 'broken', note: `Azure Firewall ${nameOf(firewall.id)} in Virtual WAN hub ${nameOf(firewall.virtualHubId)} resolves with Azure DNS in the hub, and no private DNS zone can be linked to a Virtual WAN hub: point its DNS servers at a resolver inbound endpoint in a VNet linked to the zone` };
      }
      return {
        ...base,
        health: 'ok',
        next: next(),
        note: firewall.dnsServers.length
          ? `Azure Firewall ${nameOf(firewall.id)} proxies DNS to ${firewall.dnsServers.join(', ')}`
          : `Azure Firewall ${nameOf(firewall.id)} proxies DNS to Azure DNS in ${firewall.vnetId ? nameOf(firewall.vnetId) : 'its VNet'}`,
      };
    }
    const nics = inventory.nics.filter((n) => n.ips.includes(ip));
    const nic = nics.find((n) => near.some((v) => sameId(v, n.vnetId))) ?? nics[0];
    if (nic && !nic.privateEndpointId) {
      return {
        server,
        kind: 'vm-forwarder',
        resourceId: nic.virtualMachineId ?? nic.id,
        ...(nic.vnetId ? { vnetId: nic.vnetId } : {}),
        health: 'opaque',
        note: `a DNS server on the VM ${nic.virtualMachineId ? nameOf(nic.virtualMachineId) : `behind NIC ${nameOf(nic.id)}`}: ARM cannot see where it forwards; if it forwards to Azure DNS (168.63.129.16), it resolves from ${nic.vnetId ? nameOf(nic.vnetId) : 'its VNet'}`,
      };
    }
    const gaps = inventory.gaps.length ? `; some reads failed (${inventory.gaps.map((g) => g.what).join('; ')})` : '';
    return {
      server,
      kind: 'unknown',
      health: 'opaque',
      note: `${server} is not a resolver inbound endpoint, a firewall or a VM NIC in subscription(s) ${inventory.subscriptions.join(', ') || '(none)'}${gaps}: an on-premises or other DNS server ARM cannot see into (forward fabric.microsoft.com to a resolver inbound endpoint or to Azure DNS in a VNet linked to the zone)`,
    };
  };

  const hops = servers.length ? servers.map((s) => serverHop(s, input.vmVnetId, [], 0)) : [azureAt(input.vmVnetId, [], 0)];
  const resolutions = dedupe(hops.flatMap((h) => resolutionsOf(h)));
  return {
    vmVnetId: input.vmVnetId,
    serversSource,
    servers,
    hops,
    resolutions,
    resolvingVnetIds: uniqueIds(resolutions.map((r) => r.vnetIds[0]!)),
    health: worst(hops),
  };
}

/** Where each hop's query is answered. A ruleset's VNet is an alternative: its linked zone answers first. */
function resolutionsOf(hop: DnsHop): Resolution[] {
  if (hop.kind === 'azure-provided' && hop.vnetId) {
    if (!hop.rule) return [{ vnetIds: [hop.vnetId], via: `Azure DNS in ${nameOf(hop.vnetId)}` }];
    const forwarded = (hop.next ?? []).flatMap(resolutionsOf);
    return forwarded.map((r) => ({ vnetIds: uniqueIds([...r.vnetIds, hop.vnetId!]), via: `ruleset ${nameOf(hop.rule!.rulesetId)} (${hop.rule!.domainName}) → ${r.via}` }));
  }
  if (hop.kind === 'vm-forwarder' && hop.vnetId) return [{ vnetIds: [hop.vnetId], via: `the forwarder ${hop.server} in ${nameOf(hop.vnetId)}` }];
  return (hop.next ?? []).flatMap(resolutionsOf).map((r) => ({ ...r, via: `${hop.server} → ${r.via}` }));
}

/** The worst health on the path: broken before opaque before ok. */
export function worst(hops: DnsHop[]): HopHealth {
  let result: HopHealth = 'ok';
  const visit = (hop: DnsHop) => {
    if (hop.health === 'broken') result = 'broken';
    else if (hop.health === 'opaque' && result === 'ok') result = 'opaque';
    hop.next?.forEach(visit);
  };
  hops.forEach(visit);
  return result;
}

/** Every hop on the path, depth first (for messages and the local checks). */
export function allHops(hops: DnsHop[]): DnsHop[] {
  return hops.flatMap((h) => [h, ...allHops(h.next ?? [])]);
}

function uniqueIds(ids: string[]): string[] {
  const out: string[] = [];
  for (const id of ids) if (!out.some((o) => sameId(o, id))) out.push(id);
  return out;
}

function dedupe(resolutions: Resolution[]): Resolution[] {
  const out: Resolution[] = [];
  for (const r of resolutions) {
    const key = r.vnetIds.map((v) => v.toLowerCase()).join('|');
    if (!out.some((o) => o.vnetIds.map((v) => v.toLowerCase()).join('|') === key)) out.push(r);
  }
  return out;
}

// How a name resolves in the lab, computed from its ARM state the way Azure resolves (docs/lab.md,
// "Resolution rules", with their sources):
// - 168.63.129.16 answers with the view of the VNet the query comes from: a privatelink zone linked
//   (Completed) to that VNet answers first; else the Enabled forwarding rule with the longest matching
//   domain, of a ruleset linked to that VNet, forwards the name to its target; else public DNS.
// - A DNS Private Resolver inbound endpoint resolves from the resolver's VNet (nothing answers when
//   the endpoint or the resolver is not Succeeded); an Azure Firewall resolves from its own VNet (or
//   forwards to its policy's `dnsSettings.servers`) when the policy enables the DNS proxy, else
//   nothing answers; a forwarder VM resolves from its VNet when it forwards to Azure DNS, else asks
//   public DNS; an address nothing owns does not answer.
// - The jump VM asks its effective DNS servers: its NIC's `dnsSettings.dnsServers`, else its VNet's
//   `dhcpOptions.dnsServers`, else Azure-provided DNS.
// Pure: the wire servers (dns.ts) and the faults (faults.ts) share it.
import type dnsPacket from 'dns-packet';
import { AZURE_VNET_RESOLVER } from '../config/defaults.js';
import { PRIVATELINK_ZONE, workspaceNames } from '../fabric/workspace.js';
import {
  jumpVmNic,
  recordNamed,
  type LabDnsResolver,
  type LabFirewall,
  type LabFirewallPolicy,
  type LabInboundEndpoint,
  type LabRuleset,
  type LabForwardingRule,
  type LabState,
  type LabVm,
  type LabZone,
  type LabZoneLink,
  sameId,
  vnetById,
  vnetIdOfSubnet,
} from './state.js';

export interface DnsResult {
  rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL';
  answers: dnsPacket.Answer[];
  authorities: dnsPacket.Answer[];
}

/** A server that does not answer at all (nothing listens, or its provisioning failed). */
export type Resolution = DnsResult | { rcode: 'TIMEOUT' };

/** What owns a DNS server address, as ARM shows it. */
export type DnsServerOwner =
  | { kind: 'azure-dns' }
  | { kind: 'resolver-inbound'; resolver: LabDnsResolver; endpoint: LabInboundEndpoint }
  | { kind: 'firewall'; firewall: LabFirewall; policy?: LabFirewallPolicy }
  | { kind: 'forwarder-vm'; vm: LabVm }
  | { kind: 'unknown' };

const PUBLIC_ZONE = 'fabric.microsoft.com';
const PRIVATELINK_SUFFIX = `.${PRIVATELINK_ZONE}`;
/** CNAME hops plus forwarding hops before the lab gives up (a loop answers SERVFAIL, as Azure DNS does). */
const MAX_HOPS = 8;
const CNAME_TTL = 60;

export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

export function ownerOfDnsServer(state: LabState, ip: string): DnsServerOwner {
  if (ip === AZURE_VNET_RESOLVER) return { kind: 'azure-dns' };
  for (const resolver of state.resolvers) {
    const endpoint = resolver.inboundEndpoints.find((e) => e.ip === ip);
    if (endpoint) return { kind: 'resolver-inbound', resolver, endpoint };
  }
  const firewall = state.firewalls.find((f) => f.ip === ip);
  if (firewall) {
    const policy = state.firewallPolicies.find((p) => sameId(p.id, firewall.policyId));
    return { kind: 'firewall', firewall, ...(policy ? { policy } : {}) };
  }
  const forwarder = sameId(state.dnsForwarder.ip, ip) ? state.vms.find((v) => sameId(v.id, state.dnsForwarder.vmId)) : undefined;
  if (forwarder) return { kind: 'forwarder-vm', vm: forwarder };
  return { kind: 'unknown' };
}

/** The jump VM's DNS servers: NIC override, else the VNet's dhcpOptions, else Azure-provided DNS. */
export function effectiveDnsServers(state: LabState): string[] {
  const nicServers = (jumpVmNic(state)?.dnsServers ?? []).filter((s) => s !== 'AzureProvidedDNS');
  const nicSaysAzure = jumpVmNic(state)?.dnsServers.includes('AzureProvidedDNS') ?? false;
  if (nicServers.length) return [...nicServers];
  const vnetServers = nicSaysAzure ? [] : (vnetById(state, state.vmVnetId)?.dnsServers ?? []);
  return vnetServers.length ? [...vnetServers] : [AZURE_VNET_RESOLVER];
}

/** Every address the lab answers DNS on, for the listeners and connect-to: Azure DNS, the VM's servers, and every DNS hop ARM shows. */
export function dnsServerAddresses(state: LabState): string[] {
  const all = new Set<string>([AZURE_VNET_RESOLVER, ...effectiveDnsServers(state), state.dnsForwarder.ip]);
  for (const resolver of state.resolvers) for (const endpoint of resolver.inboundEndpoints) all.add(endpoint.ip);
  for (const firewall of state.firewalls) all.add(firewall.ip);
  return [...all];
}

/** The public zone's workspace names: every workspace in tenant 2 has its CNAME into privatelink. */
const publicRecordCache = new WeakMap<LabState, Set<string>>();
function publicWorkspaceRecords(state: LabState): Set<string> {
  let records = publicRecordCache.get(state);
  if (!records) {
    records = new Set<string>();
    for (const ws of state.workspaces) for (const record of Object.values(workspaceNames(ws.id).records)) records.add(record);
    publicRecordCache.set(state, records);
  }
  return records;
}

export function zoneOf(name: string): string {
  if (name === PRIVATELINK_ZONE || name.endsWith(PRIVATELINK_SUFFIX)) return PRIVATELINK_ZONE;
  if (name === PUBLIC_ZONE || name.endsWith(`.${PUBLIC_ZONE}`)) return PUBLIC_ZONE;
  if (name.endsWith('.trafficmanager.net')) return 'trafficmanager.net';
  return '';
}

export function soa(zone: string): dnsPacket.Answer {
  return {
    type: 'SOA',
    name: zone || '.',
    ttl: 60,
    class: 'IN',
    data: {
      mname: zone === PRIVATELINK_ZONE ? 'azureprivatedns.net' : 'ns1-lab.azure-dns.com',
      rname: 'azureprivatedns-host.microsoft.com',
      serial: 1,
      refresh: 3600,
      retry: 300,
      expire: 2419200,
      minimum: 10,
    },
  };
}

/** The privatelink zone linked (Completed, Succeeded) to a VNet: what Azure DNS in that VNet answers from. */
export function zoneLinkedTo(state: LabState, vnetId: string): { zone: LabZone; link: LabZoneLink } | undefined {
  for (const zone of state.zones) {
    if (zone.name !== PRIVATELINK_ZONE) continue;
    const link = zone.links.find((l) => sameId(l.vnetId, vnetId) && l.virtualNetworkLinkState === 'Completed' && l.provisioningState === 'Succeeded');
    if (link) return { zone, link };
  }
  return undefined;
}

function ruleMatches(rule: LabForwardingRule, name: string): boolean {
  const domain = normaliseName(rule.domainName);
  return domain === '' || name === domain || name.endsWith(`.${domain}`);
}

/** The Enabled rule with the longest matching domain among the rulesets linked to a VNet. */
export function forwardingRuleFor(state: LabState, vnetId: string, name: string): { ruleset: LabRuleset; rule: LabForwardingRule } | undefined {
  let best: { ruleset: LabRuleset; rule: LabForwardingRule } | undefined;
  for (const ruleset of state.rulesets) {
    if (!ruleset.vnetLinks.some((l) => sameId(l.vnetId, vnetId))) continue;
    for (const rule of ruleset.rules) {
      if (rule.state !== 'Enabled' || !ruleMatches(rule, name)) continue;
      if (!best || normaliseName(rule.domainName).length > normaliseName(best.rule.domainName).length) best = { ruleset, rule };
    }
  }
  return best;
}

/** Where a query is answered: Azure DNS seen from a VNet, a server address seen from a VNet, or public DNS. */
export type Vantage = { kind: 'azure'; vnetId: string } | { kind: 'server'; ip: string; fromVnetId: string } | { kind: 'public' };

type Step = { kind: 'cname'; target: string } | { kind: 'a'; ips: string[]; ttl: number } | { kind: 'nx'; zone: string } | { kind: 'forward'; ip: string; fromVnetId: string };

/** One name, one step: what the resolver at `vantage` does with it (no forwarding for public DNS). */
function step(state: LabState, vantage: Vantage, name: string, trace?: Set<string>): Step {
  const publicRecords = publicWorkspaceRecords(state);
  if (vantage.kind === 'azure') {
    const isPrivatelink = name.endsWith(PRIVATELINK_SUFFIX);
    if (isPrivatelink) trace?.add(vantage.vnetId.toLowerCase());
    const linked = zoneLinkedTo(state, vantage.vnetId);
    if (isPrivatelink && linked) {
      const record = recordNamed(linked.zone, name.slice(0, -PRIVATELINK_SUFFIX.length));
      if (record) return { kind: 'a', ips: record.ips, ttl: record.ttl };
      // A linked zone is authoritative: a missing record is NXDOMAIN unless the link falls back to the internet.
      if (linked.link.resolutionPolicy !== 'NxDomainRedirect') return { kind: 'nx', zone: PRIVATELINK_ZONE };
    } else {
      const forward = forwardingRuleFor(state, vantage.vnetId, name);
      const target = forward?.rule.targets[0];
      if (forward && target) {
        // The outbound endpoint sends the query from its own VNet (the resolver's).
        const outbound = state.resolvers.flatMap((r) => r.outboundEndpoints).find((o) => forward.ruleset.outboundEndpointIds.some((id) => sameId(id, o.id)));
        return { kind: 'forward', ip: target.ipAddress, fromVnetId: outbound ? vnetIdOfSubnet(outbound.subnetId) : vantage.vnetId };
      }
    }
  }
  if (name.endsWith(PRIVATELINK_SUFFIX)) {
    const relative = name.slice(0, -PRIVATELINK_SUFFIX.length);
    if (publicRecords.has(relative)) return { kind: 'cname', target: state.frontEnd.name };
    return { kind: 'nx', zone: PUBLIC_ZONE };
  }
  if (name.endsWith(`.${PUBLIC_ZONE}`)) {
    const relative = name.slice(0, -PUBLIC_ZONE.length - 1);
    if (publicRecords.has(relative)) return { kind: 'cname', target: `${relative}${PRIVATELINK_SUFFIX}` };
    if (relative === 'api') return { kind: 'cname', target: state.frontEnd.name };
    return { kind: 'nx', zone: PUBLIC_ZONE };
  }
  if (name === state.frontEnd.name) return { kind: 'a', ips: [state.frontEnd.ip], ttl: 60 };
  return { kind: 'nx', zone: zoneOf(name) };
}

/** What the server at `ip` does with a query that comes from `fromVnetId`: answer from some vantage, or nothing. */
function serverVantage(state: LabState, ip: string, fromVnetId: string): Vantage | 'timeout' | { via: string; fromVnetId: string } {
  const owner = ownerOfDnsServer(state, ip);
  switch (owner.kind) {
    case 'azure-dns':
      return { kind: 'azure', vnetId: fromVnetId };
    case 'resolver-inbound':
      if (owner.endpoint.provisioningState !== 'Succeeded' || owner.resolver.provisioningState !== 'Succeeded') return 'timeout';
      return { kind: 'azure', vnetId: owner.resolver.vnetId };
    case 'firewall': {
      if (!owner.policy?.dnsSettings.enableProxy) return 'timeout';
      const firewallVnet = vnetIdOfSubnet(owner.firewall.subnetId);
      const server = owner.policy.dnsSettings.servers[0];
      return server ? { via: server, fromVnetId: firewallVnet } : { kind: 'azure', vnetId: firewallVnet };
    }
    case 'forwarder-vm': {
      const nic = state.nics.find((n) => sameId(n.id, owner.vm.nicId));
      return state.dnsForwarder.forwardsToAzure && nic ? { kind: 'azure', vnetId: vnetIdOfSubnet(nic.subnetId) } : { kind: 'public' };
    }
    case 'unknown':
      return 'timeout';
  }
}

/**
 * What `vantage` answers for `qname`/`qtype`: the whole CNAME chain in one answer, as 168.63.129.16
 * and BIND do. `trace` collects the VNets where a privatelink name was looked up (the resolving VNets).
 */
export function resolveAt(state: LabState, vantage: Vantage, qname: string, qtype: string, trace?: Set<string>, depth = 0): Resolution {
  let where: Vantage = vantage;
  if (where.kind === 'server') {
    const next = serverVantage(state, where.ip, where.fromVnetId);
    if (next === 'timeout') return { rcode: 'TIMEOUT' };
    if ('via' in next) {
      if (depth >= MAX_HOPS) return { rcode: 'SERVFAIL', answers: [], authorities: [] };
      const forwarded = resolveAt(state, { kind: 'server', ip: next.via, fromVnetId: next.fromVnetId }, qname, qtype, trace, depth + 1);
      // A forwarder whose upstream does not answer tells its client SERVFAIL.
      return forwarded.rcode === 'TIMEOUT' ? { rcode: 'SERVFAIL', answers: [], authorities: [] } : forwarded;
    }
    where = next;
  }
  const answers: dnsPacket.Answer[] = [];
  let current = qname.replace(/\.$/, '');
  const seen = new Set<string>();
  for (let hop = 0; hop <= MAX_HOPS; hop++) {
    const key = normaliseName(current);
    if (seen.has(key)) return { rcode: 'SERVFAIL', answers, authorities: [] };
    seen.add(key);
    const next = step(state, where, key, trace);
    if (next.kind === 'forward') {
      if (depth >= MAX_HOPS) return { rcode: 'SERVFAIL', answers, authorities: [] };
      const forwarded = resolveAt(state, { kind: 'server', ip: next.ip, fromVnetId: next.fromVnetId }, current, qtype, trace, depth + 1);
      if (forwarded.rcode === 'TIMEOUT' || forwarded.rcode === 'SERVFAIL') return { rcode: 'SERVFAIL', answers, authorities: [] };
      return { ...forwarded, answers: [...answers, ...forwarded.answers] };
    }
    if (next.kind === 'nx') return { rcode: 'NXDOMAIN', answers, authorities: [soa(next.zone)] };
    if (next.kind === 'cname') {
      answers.push({ type: 'CNAME', name: current, ttl: CNAME_TTL, class: 'IN', data: next.target });
      if (qtype === 'CNAME') return { rcode: 'NOERROR', answers, authorities: [] };
      current = next.target;
      continue;
    }
    if (qtype === 'A' || qtype === 'ANY') {
      for (const ip of next.ips) answers.push({ type: 'A', name: current, ttl: next.ttl, class: 'IN', data: ip });
      return { rcode: 'NOERROR', answers, authorities: [] };
    }
    // NODATA: the name exists but has no record of this type (e.g. AAAA).
    return { rcode: 'NOERROR', answers, authorities: [soa(zoneOf(key))] };
  }
  return { rcode: 'SERVFAIL', answers, authorities: [] };
}

/** What the jump VM's DNS path answers: its effective servers in order, the first that answers (asked from the VM's VNet). */
export function resolveFromVm(state: LabState, qname: string, qtype: string, trace?: Set<string>): Resolution {
  for (const ip of effectiveDnsServers(state)) {
    const result = resolveAt(state, { kind: 'server', ip, fromVnetId: state.vmVnetId }, qname, qtype, trace);
    if (result.rcode !== 'TIMEOUT') return result;
  }
  return { rcode: 'TIMEOUT' };
}

/** The VNets whose zone links decide the jump VM's answer for the workspace names (the resolving VNets). */
export function resolvingVnetIds(state: LabState): string[] {
  const trace = new Set<string>();
  const names = state.workspaces.slice(0, 1).flatMap((ws) => [workspaceNames(ws.id).fqdns.api]);
  for (const name of names) resolveFromVm(state, name, 'A', trace);
  return state.vnets.filter((v) => trace.has(v.id.toLowerCase())).map((v) => v.id);
}

// Tenant 1: the DNS resources that can own a DNS server's IP or forward a query, read by listing a
// bounded set of subscriptions (GET only: the resolver's reverse-lookup POST actions are not in
// Reader). Each subscription's lists are read once per run and shared by every target.
import { armSide, type ArmList } from '../../azure/arm.js';
import { NETWORK_API_VERSION, vnetOfSubnet } from '../../azure/resourceId.js';
import type { GatherContext } from '../../engine/define.js';
import { FactUnavailableError } from '../../engine/types.js';
import { AZURE_VNET_RESOLVER } from '../../config/defaults.js';
import { readAs } from './common.js';
import type { DnsInventory, FirewallEntry, ForwardingRuleEntry, InboundEndpointEntry, InventoryGap, NicEntry, RulesetEntry } from './dnsPathModel.js';
import { serviceKey } from '../../engine/services.js';

export const DNS_RESOLVER_API_VERSION = '2025-05-01';
/** At most this many subscriptions are listed for one path. */
export const MAX_SUBSCRIPTIONS = 8;
export const NETWORK_READER = 'Reader on the subscription in tenant 1 (the hub or connectivity subscription holding the DNS servers)';

type Wire = { id?: string; name?: string; properties?: Record<string, any> };

/** One list, as a result: its items, or a gap saying why there are none (or not all). */
async function list(ctx: GatherContext, subscriptionId: string, what: string, path: string, apiVersion: string): Promise<{ items: Wire[]; gap?: InventoryGap }> {
  const key = serviceKey<Promise<{ items: Wire[]; gap?: InventoryGap }>>(`dns-inventory:${path.toLowerCase()}?${apiVersion}`);
  const pending = ctx.services.shared(key, () =>
    readAs<ArmList>(ctx, { side: 'consumer', what, neededRole: NETWORK_READER, service: `arm:${subscriptionId.toLowerCase()}`, scope: `/subscriptions/${subscriptionId}` }, () =>
      armSide(ctx.services, ctx.config, 'consumer', ctx.target).listJson(path, apiVersion, ctx.services.signal),
    ).then(
      // A list cut short is an error (never half a list): it becomes a gap like any failed read.
      (result) => ({ items: result.value as Wire[] }),
      (error: unknown) => {
        const u = error instanceof FactUnavailableError ? error.unavailable : { kind: 'error', message: String(error) };
        return { items: [] as Wire[], gap: { what, subscriptionId, kind: u.kind, message: u.message } };
      },
    ),
  );
  return pending;
}

async function get(ctx: GatherContext, subscriptionId: string, what: string, id: string, apiVersion: string): Promise<{ body?: Wire; gap?: InventoryGap }> {
  const key = serviceKey<Promise<{ body?: Wire; gap?: InventoryGap }>>(`dns-inventory:${id.toLowerCase()}?${apiVersion}`);
  return ctx.services.shared(key, () =>
    readAs(ctx, { side: 'consumer', what, neededRole: NETWORK_READER, service: `arm:${subscriptionId.toLowerCase()}`, scope: `/subscriptions/${subscriptionId}` }, () =>
      armSide(ctx.services, ctx.config, 'consumer', ctx.target).getJson(id, apiVersion, ctx.services.signal),
    ).then(
      (result) => ({ body: result.body as Wire }),
      (error: unknown) => {
        const u = error instanceof FactUnavailableError ? error.unavailable : { kind: 'error', message: String(error) };
        return { gap: { what, subscriptionId, kind: u.kind, message: u.message } };
      },
    ),
  );
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : []);

async function inboundEndpoints(ctx: GatherContext, sub: string, gaps: InventoryGap[]): Promise<InboundEndpointEntry[]> {
  const resolvers = await list(ctx, sub, `the DNS resolvers of subscription ${sub}`, `/subscriptions/${sub}/providers/Microsoft.Network/dnsResolvers`, DNS_RESOLVER_API_VERSION);
  if (resolvers.gap) gaps.push(resolvers.gap);
  const perResolver = await Promise.all(
    resolvers.items.filter((r) => r.id).map(async (resolver) => {
      const endpoints = await list(ctx, sub, `the inbound endpoints of ${resolver.id}`, `${resolver.id}/inboundEndpoints`, DNS_RESOLVER_API_VERSION);
      if (endpoints.gap) gaps.push(endpoints.gap);
      return endpoints.items.map((e): InboundEndpointEntry => {
        const configs: Array<{ privateIpAddress?: string; subnet?: { id?: string } }> = Array.isArray(e.properties?.ipConfigurations) ? e.properties.ipConfigurations : [];
        const vnetId = (resolver.properties?.virtualNetwork?.id as string | undefined) ?? vnetOfSubnet(configs[0]?.subnet?.id);
        return {
          id: e.id ?? `${resolver.id}/inboundEndpoints/${e.name ?? '?'}`,
          resolverId: resolver.id!,
          ips: configs.map((c) => c?.privateIpAddress).filter((ip): ip is string => typeof ip === 'string'),
          ...(vnetId ? { vnetId } : {}),
          ...(typeof e.properties?.provisioningState === 'string' ? { provisioningState: e.properties.provisioningState } : {}),
        };
      });
    }),
  );
  return perResolver.flat();
}

async function firewalls(ctx: GatherContext, sub: string, gaps: InventoryGap[]): Promise<FirewallEntry[]> {
  const listed = await list(ctx, sub, `the Azure Firewalls of subscription ${sub}`, `/subscriptions/${sub}/providers/Microsoft.Network/azureFirewalls`, NETWORK_API_VERSION);
  if (listed.gap) gaps.push(listed.gap);
  return Promise.all(
    listed.items.filter((f) => f.id).map(async (f): Promise<FirewallEntry> => {
      const p = f.properties ?? {};
      const configs: Array<{ properties?: { privateIPAddress?: string; subnet?: { id?: string } } }> = Array.isArray(p.ipConfigurations) ? p.ipConfigurations : [];
      const ips = [...configs.map((c) => c?.properties?.privateIPAddress), p.hubIPAddresses?.privateIPAddress].filter((ip): ip is string => typeof ip === 'string' && ip !== '');
      const vnetId = vnetOfSubnet(configs[0]?.properties?.subnet?.id);
      const policyId = typeof p.firewallPolicy?.id === 'string' ? (p.firewallPolicy.id as string) : undefined;
      const entry: FirewallEntry = { id: f.id!, ips, dnsServers: [], ...(vnetId ? { vnetId } : {}), ...(typeof p.virtualHub?.id === 'string' ? { virtualHubId: p.virtualHub.id } : {}) };
      if (policyId) {
        entry.policyId = policyId;
        const policy = await get(ctx, sub, `the firewall policy ${policyId}`, policyId, NETWORK_API_VERSION);
        if (policy.gap) {
          gaps.push(policy.gap);
          entry.proxyUnknown = policy.gap.message;
        } else {
          const dns = policy.body?.properties?.dnsSettings;
          entry.proxyEnabled = dns?.enableProxy === true;
          entry.dnsServers = strings(dns?.servers);
        }
      } else {
        // A classic firewall keeps its DNS settings in additionalProperties (as azure-cli writes them).
        const extra = (p.additionalProperties ?? {}) as Record<string, unknown>;
        entry.proxyEnabled = String(extra['Network.DNS.EnableProxy'] ?? 'false').toLowerCase() === 'true';
        entry.dnsServers = String(extra['Network.DNS.Servers'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      }
      return entry;
    }),
  );
}

async function rulesets(ctx: GatherContext, sub: string, gaps: InventoryGap[]): Promise<RulesetEntry[]> {
  const listed = await list(ctx, sub, `the DNS forwarding rulesets of subscription ${sub}`, `/subscriptions/${sub}/providers/Microsoft.Network/dnsForwardingRulesets`, DNS_RESOLVER_API_VERSION);
  if (listed.gap) gaps.push(listed.gap);
  return Promise.all(
    listed.items.filter((r) => r.id).map(async (ruleset): Promise<RulesetEntry> => {
      const [links, rules] = await Promise.all([
        list(ctx, sub, `the VNet links of ${ruleset.id}`, `${ruleset.id}/virtualNetworkLinks`, DNS_RESOLVER_API_VERSION),
        list(ctx, sub, `the forwarding rules of ${ruleset.id}`, `${ruleset.id}/forwardingRules`, DNS_RESOLVER_API_VERSION),
      ]);
      if (links.gap) gaps.push(links.gap);
      if (rules.gap) gaps.push(rules.gap);
      return {
        id: ruleset.id!,
        linkedVnetIds: links.items.map((l) => l.properties?.virtualNetwork?.id).filter((id): id is string => typeof id === 'string'),
        rules: rules.items.map((r): ForwardingRuleEntry => ({
          ...(r.id ? { id: r.id } : {}),
          ...(r.name ? { name: r.name } : {}),
          domainName: String(r.properties?.domainName ?? ''),
          state: String(r.properties?.forwardingRuleState ?? 'Enabled'),
          targets: (Array.isArray(r.properties?.targetDnsServers) ? r.properties.targetDnsServers : [])
            .filter((t: { ipAddress?: unknown }) => typeof t?.ipAddress === 'string')
            .map((t: { ipAddress: string; port?: unknown }) => ({ ipAddress: t.ipAddress, port: typeof t.port === 'number' ? t.port : 53 })),
        })),
        ...(rules.gap ? { rulesUnknown: rules.gap.message } : {}),
      };
    }),
  );
}

/** NICs holding one of `ips` (a forwarder VM's, or a private endpoint's). */
async function nicsWith(ctx: GatherContext, sub: string, ips: string[], gaps: InventoryGap[]): Promise<NicEntry[]> {
  const listed = await list(ctx, sub, `the network interfaces of subscription ${sub}`, `/subscriptions/${sub}/providers/Microsoft.Network/networkInterfaces`, NETWORK_API_VERSION);
  if (listed.gap) gaps.push(listed.gap);
  return listed.items.flatMap((n): NicEntry[] => {
    const configs: Array<{ properties?: { privateIPAddress?: string; subnet?: { id?: string } } }> = Array.isArray(n.properties?.ipConfigurations) ? n.properties.ipConfigurations : [];
    const nicIps = configs.map((c) => c?.properties?.privateIPAddress).filter((ip): ip is string => typeof ip === 'string');
    if (!n.id || !nicIps.some((ip) => ips.includes(ip))) return [];
    const vnetId = vnetOfSubnet(configs[0]?.properties?.subnet?.id);
    const vm = n.properties?.virtualMachine?.id;
    const pe = n.properties?.privateEndpoint?.id;
    return [{ id: n.id, ips: nicIps, ...(vnetId ? { vnetId } : {}), ...(typeof vm === 'string' ? { virtualMachineId: vm } : {}), ...(typeof pe === 'string' ? { privateEndpointId: pe } : {}) }];
  });
}

/**
 * Starts the lists of `subscriptions` that need nothing but the subscription (resolvers, firewalls,
 * rulesets, with what hangs off them) without waiting: the subscriptions the config already names
 * are listed while the VNet and the VM are read. readDnsInventory then finds them shared.
 */
export function startDnsInventory(ctx: GatherContext, subscriptions: string[]): void {
  const ignored: InventoryGap[] = [];
  for (const sub of subscriptions.slice(0, MAX_SUBSCRIPTIONS)) {
    void inboundEndpoints(ctx, sub, ignored);
    void firewalls(ctx, sub, ignored);
    void rulesets(ctx, sub, ignored);
  }
}

/**
 * Reads the inventory of `subscriptions` (at most MAX_SUBSCRIPTIONS): resolvers with their inbound
 * endpoints, firewalls with their policies, rulesets with their links and rules; then, only for the
 * server IPs none of those owns, the NICs.
 */
export async function readDnsInventory(ctx: GatherContext, subscriptions: string[], serverIps: string[]): Promise<DnsInventory> {
  const subs = subscriptions.slice(0, MAX_SUBSCRIPTIONS);
  const gaps: InventoryGap[] = [];
  const [inbound, fws, sets] = await Promise.all([
    Promise.all(subs.map((s) => inboundEndpoints(ctx, s, gaps))).then((x) => x.flat()),
    Promise.all(subs.map((s) => firewalls(ctx, s, gaps))).then((x) => x.flat()),
    Promise.all(subs.map((s) => rulesets(ctx, s, gaps))).then((x) => x.flat()),
  ]);
  const referenced = new Set([...serverIps, ...fws.flatMap((f) => f.dnsServers), ...sets.flatMap((r) => r.rules.flatMap((rule) => rule.targets.map((t) => t.ipAddress)))].map((s) => s.replace(/:\d+$/, '')));
  const owned = new Set([...inbound.flatMap((e) => e.ips), ...fws.flatMap((f) => f.ips), AZURE_VNET_RESOLVER]);
  const unmatched = [...referenced].filter((ip) => !owned.has(ip));
  const nics = unmatched.length ? (await Promise.all(subs.map((s) => nicsWith(ctx, s, unmatched, gaps)))).flat() : [];
  if (subscriptions.length > subs.length) {
    gaps.push({ what: `subscriptions beyond the first ${MAX_SUBSCRIPTIONS}`, kind: 'not-listed', message: `not listed: ${subscriptions.slice(MAX_SUBSCRIPTIONS).join(', ')}` });
  }
  return { subscriptions: subs, inboundEndpoints: inbound, firewalls: fws, rulesets: sets, nics, gaps };
}

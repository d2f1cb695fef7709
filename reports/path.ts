// The two-tenant path as an engineer draws it, and which checks prove each hop. The one table that
// maps checks to hops: the HTML picture and heat map, the terminal's grouped view and report.md all
// read it. Pure functions of a target's results.
import type { CheckResult, RunReport, Status, TargetReport } from '../src/engine/types.js';
import { namesForIds } from '../src/azure/resourceId.js';
import { targetRootCauses } from './model.js';

/** Where a hop sits: this VM, tenant 1 (the consumer: VNet, endpoint, zone), tenant 2 (the workspace), the public path. */
export type HopGroup = 'machine' | 'tenant1' | 'tenant2' | 'public';

export interface Hop {
  id: string;
  label: string;
  group: HopGroup;
  /** The checks whose results colour this hop. */
  checks: readonly string[];
}

/**
 * In path order: from the jump VM through tenant 1 to the private endpoint, across to tenant 2, and
 * the public path beside. A credential colours its tenant's sign-in hop: every other check of that
 * side waits on it. The local probes colour the hop where what they observe happens: the answers
 * the VM gets (dns), the connection to the endpoint (tcp, tls) and the API behind it.
 */
export const HOPS: readonly Hop[] = [
  { id: 'jumpbox', label: 'Jump VM', group: 'machine', checks: ['consumer.credential', 'local.dns-private', 'local.dns-endpoint-ip', 'local.dns-all-endpoints'] },
  { id: 'dns-path', label: 'DNS path', group: 'tenant1', checks: ['consumer.dns-path', 'local.dns-consistent'] },
  { id: 'zone', label: 'Private DNS zone', group: 'tenant1', checks: ['consumer.zone-found', 'consumer.zone-linked'] },
  { id: 'records', label: 'A records', group: 'tenant1', checks: ['consumer.zone-records'] },
  { id: 'endpoint', label: 'Private endpoint', group: 'tenant1', checks: ['consumer.pe-found', 'consumer.pe-target', 'consumer.pe-in-vnet', 'local.tcp-443', 'local.tls'] },
  { id: 'connection', label: 'Approval', group: 'tenant2', checks: ['provider.connection-approved', 'consumer.pe-approved'] },
  { id: 'pls', label: 'Private link service', group: 'tenant2', checks: ['provider.credential', 'provider.pls-found', 'provider.pls-workspace-match'] },
  { id: 'workspace', label: 'Workspace', group: 'tenant2', checks: ['provider.workspace-found', 'local.api-reachable'] },
  { id: 'capacity', label: 'Capacity', group: 'tenant2', checks: ['provider.capacity-assigned', 'provider.capacity-sku'] },
  { id: 'policy', label: 'Inbound policy', group: 'tenant2', checks: ['provider.tenant-setting', 'provider.public-access-denied'] },
  { id: 'public', label: 'Public path', group: 'public', checks: ['public.access-denied-probe'] },
];

export const GROUP_LABEL: Record<HopGroup, string> = { machine: 'This VM', tenant1: 'Tenant 1 (consumer)', tenant2: 'Tenant 2 (provider)', public: 'Public path' };

const HOP_OF_CHECK = new Map(HOPS.flatMap((hop) => hop.checks.map((id) => [id, hop] as const)));

/** The hop a check proves; undefined for a check the picture does not know (a plugin's). */
export function hopOf(checkId: string): Hop | undefined {
  return HOP_OF_CHECK.get(checkId);
}

/** A hop's colour: `skip` means not reached (nothing that proves it ran). */
export type HopStatus = 'pass' | 'warn' | 'fail' | 'error' | 'skip';

export interface HopState {
  hop: Hop;
  status: HopStatus;
  /** A root cause of the target is on this hop. */
  rootCause: boolean;
  /** The target's results on this hop, in report order. */
  results: CheckResult[];
}

/** fail > error > warn > pass; only skips (or nothing) is not reached. */
export function combineStatus(statuses: readonly Status[]): HopStatus {
  for (const s of ['fail', 'error', 'warn', 'pass'] as const) if (statuses.includes(s)) return s;
  return 'skip';
}

/**
 * The check ids of a target's root causes with a status (`fail`: what to fix; `error`: what could
 * not be evaluated and explains the rest): the engine's `rootCauses`, or for a report from before
 * causality, what its results show (model.targetRootCauses).
 */
export function rootCauseIds(target: TargetReport, statuses: readonly Status[] = ['fail']): string[] {
  return targetRootCauses(target)
    .filter((c) => statuses.includes(c.status))
    .map((c) => c.checkId);
}

/** Each hop's state for one target. Hops whose checks are not in the report at all are left out. */
export function hopStates(target: TargetReport): HopState[] {
  const causes = new Set(rootCauseIds(target, ['fail', 'error']));
  const states: HopState[] = [];
  for (const hop of HOPS) {
    const results = target.results.filter((r) => hop.checks.includes(r.checkId));
    if (results.length === 0 && hop.id !== 'jumpbox') continue;
    states.push({ hop, status: combineStatus(results.map((r) => r.status)), rootCause: results.some((r) => causes.has(r.checkId)), results });
  }
  return states;
}

/** Results no hop claims (plugin checks), so a view can still list them. */
export function unmappedResults(target: TargetReport): CheckResult[] {
  return target.results.filter((r) => !HOP_OF_CHECK.has(r.checkId));
}

const TEXT_MARK: Record<HopStatus, string> = { pass: 'ok', warn: 'warn', fail: 'FAIL', error: 'unknown', skip: 'not reached' };

/**
 * The path in one line of text: `Jump VM ok → DNS path ok → Private DNS zone FAIL ⇢ … | Public path ok`.
 * Tenant 2 follows tenant 1 after `⇒`; with `ascii`, `->` and `=>`.
 */
export function pathLine(target: TargetReport, options: { ascii?: boolean } = {}): string {
  const arrow = options.ascii ? ' -> ' : ' → ';
  const cross = options.ascii ? ' => ' : ' ⇒ ';
  const states = hopStates(target);
  const part = (group: HopGroup) => states.filter((s) => s.hop.group === group).map((s) => `${s.hop.label} ${TEXT_MARK[s.status]}${s.rootCause ? ' (root cause)' : ''}`);
  const main = [[...part('machine'), ...part('tenant1')].join(arrow), part('tenant2').join(arrow)].filter(Boolean).join(cross);
  const pub = part('public');
  return pub.length ? `${main} | ${pub.join(arrow)}` : main;
}

/** A fleet's path: each hop's worst state across targets, with how many targets fail there. */
export function fleetPathLine(report: RunReport, options: { ascii?: boolean } = {}): string {
  const arrow = options.ascii ? ' -> ' : ' → ';
  const per = report.targets.map((t) => hopStates(t));
  const parts = HOPS.flatMap((hop) => {
    const states = per.flatMap((s) => s.filter((x) => x.hop.id === hop.id));
    if (!states.length) return [];
    const status = combineStatus(states.map((s) => s.status));
    const bad = states.filter((s) => s.status === 'fail' || s.status === 'error').length;
    const mark = status === 'pass' ? 'ok' : status === 'skip' ? 'not reached' : status === 'warn' ? 'warn' : `${status === 'fail' ? 'FAIL' : 'unknown'} on ${bad}/${report.targets.length}`;
    return [{ group: hop.group, text: `${hop.label} ${mark}` }];
  });
  const join = (groups: HopGroup[]) => parts.filter((p) => groups.includes(p.group)).map((p) => p.text).join(arrow);
  const main = [join(['machine', 'tenant1']), join(['tenant2'])].filter(Boolean).join(options.ascii ? ' => ' : ' ⇒ ');
  const pub = join(['public']);
  return pub ? `${main} | ${pub}` : main;
}

/** A hop the DNS path passes through, as `consumer.dns-path` lists it in its evidence. */
export interface DnsPathHop {
  kind: string;
  name: string;
  /** The VNet where the hop resolves, by name, when the evidence says. */
  vnet?: string;
}

/**
 * The hops of the VM's DNS path (forwarder, resolver inbound endpoint, firewall DNS proxy, Azure
 * DNS…) from `consumer.dns-path`'s evidence: its `hops` (or `servers`), each an object with a `kind`
 * and a resource id, a `server` address or a name. Empty when the check is absent or lists none.
 */
export function dnsPathHops(target: TargetReport): DnsPathHop[] {
  const result = target.results.find((r) => r.checkId === 'consumer.dns-path');
  const list = result?.evidence.hops ?? result?.evidence.servers;
  if (!Array.isArray(list)) return [];
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return list.flatMap((item): DnsPathHop[] => {
    if (typeof item === 'string') return [{ kind: 'server', name: item }];
    if (typeof item !== 'object' || item === null) return [];
    const o = item as Record<string, unknown>;
    const resource = text(o.resourceId) ?? text(o.id);
    const name = text(o.name) ?? (resource ? namesForIds(resource) : undefined) ?? text(o.server) ?? text(o.address) ?? text(o.ip);
    const kind = (text(o.kind) ?? text(o.type) ?? 'server').replace(/-/g, ' ');
    const vnet = text(o.vnetId);
    return name ? [{ kind, name, ...(vnet ? { vnet: namesForIds(vnet) } : {}) }] : [];
  });
}

// discover, the pure part: what was found in both tenants → the targets of a config, sorted and
// stable across runs (so the file can be committed and diffed). No I/O here.
import { isAbsolute, relative, resolve } from 'node:path';
import { parseResourceId, sameId, vnetOfSubnet } from '../azure/resourceId.js';
import type { Target, TenantSide } from '../engine/types.js';
import { workspaceIdFromFqdn } from '../fabric/workspace.js';

/** A tenant-1 private endpoint with a connection to a Fabric private link service. */
export interface FoundEndpoint {
  id: string;
  subnetId?: string;
  /** The Fabric private link service its connection targets. */
  privateLinkServiceId: string;
  /** FQDNs of its DNS configuration (`customDnsConfigs[].fqdn`). */
  fqdns: string[];
  /** Private DNS zones its DNS zone groups write to. */
  zoneIds: string[];
}

/** A tenant-2 private link service for a Fabric workspace, with the endpoints connected to it. */
export interface FoundService {
  id: string;
  workspaceId?: string;
  tenantId?: string;
  privateEndpointIds: string[];
}

export interface Found {
  consumerTenantId?: string;
  providerTenantId?: string;
  endpoints: FoundEndpoint[];
  services: FoundService[];
  /** `privatelink.fabric.microsoft.com` zones linked to a VNet (lower-case VNet id → zone ids). */
  zonesByVnet: Record<string, string[]>;
  /** Workspace display names read from Fabric (workspace id → name). */
  workspaceNames: Record<string, string>;
  /** The jump VM's VNet, when the doctor runs on an Azure VM and its metadata service answered. */
  vmVnetId?: string;
}

export interface DiscoveredTarget extends Target {
  /** Why a side is incomplete (e.g. the endpoint is not visible from tenant 1). */
  notes: string[];
}

/**
 * One target per (workspace, endpoint): the workspace from the endpoint's DNS config, else from the
 * service it connects to; the zone from the endpoint's zone group, else the one linked to the VM's
 * or the endpoint's VNet; services whose endpoints tenant 1 could not see become targets without a
 * consumer side, with a note.
 */
export function buildTargets(found: Found, filter: { workspaces?: string[] } = {}): DiscoveredTarget[] {
  const out: DiscoveredTarget[] = [];
  const coveredServiceEndpoints = new Set<string>();
  for (const pe of found.endpoints) {
    const service = found.services.find((s) => sameId(s.id, pe.privateLinkServiceId));
    const workspaceId = workspaceOfEndpoint(pe) ?? service?.workspaceId;
    const notes: string[] = [];
    if (!workspaceId) {
      // Without a name in its DNS config and without tenant 2, the endpoint cannot be tied to a workspace.
      continue;
    }
    if (service) coveredServiceEndpoints.add(`${service.id.toLowerCase()}|${pe.id.toLowerCase()}`);
    const peVnet = vnetOfSubnet(pe.subnetId);
    const vnetId = found.vmVnetId ?? peVnet;
    const zoneId = pe.zoneIds[0] ?? zoneLinkedTo(found, found.vmVnetId) ?? zoneLinkedTo(found, peVnet);
    if (!zoneId) notes.push('no privatelink.fabric.microsoft.com zone found through the endpoint\'s zone group or a VNet link');
    const peRef = parseResourceId(pe.id);
    const plsRef = parseResourceId(pe.privateLinkServiceId);
    out.push({
      name: '',
      workspaceId,
      provider: {
        ...(service?.tenantId ?? found.providerTenantId ? { tenantId: (service?.tenantId ?? found.providerTenantId)! } : {}),
        ...(plsRef ? { subscriptionId: plsRef.subscriptionId } : {}),
        privateLinkServiceId: pe.privateLinkServiceId,
      },
      consumer: {
        ...(found.consumerTenantId ? { tenantId: found.consumerTenantId } : {}),
        ...(peRef ? { subscriptionId: peRef.subscriptionId } : {}),
        privateEndpointId: pe.id,
        ...(vnetId ? { vnetId } : {}),
        ...(zoneId ? { privateDnsZoneId: zoneId } : {}),
      },
      notes,
    });
  }
  for (const service of found.services) {
    if (!service.workspaceId) continue;
    const plsRef = parseResourceId(service.id);
    const unseen = service.privateEndpointIds.filter((id) => !coveredServiceEndpoints.has(`${service.id.toLowerCase()}|${id.toLowerCase()}`));
    const provider = {
      ...(service.tenantId ?? found.providerTenantId ? { tenantId: (service.tenantId ?? found.providerTenantId)! } : {}),
      ...(plsRef ? { subscriptionId: plsRef.subscriptionId } : {}),
      privateLinkServiceId: service.id,
    };
    if (service.privateEndpointIds.length === 0) {
      out.push({ name: '', workspaceId: service.workspaceId, provider, notes: ['the private link service has no endpoint connection yet'] });
    }
    for (const peId of unseen) {
      const peRef = parseResourceId(peId);
      out.push({
        name: '',
        workspaceId: service.workspaceId,
        provider,
        consumer: { ...(peRef ? { subscriptionId: peRef.subscriptionId } : {}), privateEndpointId: peId },
        notes: ['the private endpoint is connected in tenant 2 but not visible with the tenant-1 credential: the consumer side is incomplete'],
      });
    }
  }
  const wanted = filter.workspaces?.map((w) => w.toLowerCase());
  const kept = wanted?.length ? out.filter((t) => wanted.includes(t.workspaceId)) : out;
  return nameTargets(kept, found.workspaceNames).sort((a, b) => a.name.localeCompare(b.name) || a.workspaceId.localeCompare(b.workspaceId));
}

/** The workspace an endpoint's DNS configuration names (`{id}.z{xy}.w.api.fabric.microsoft.com`). */
export function workspaceOfEndpoint(pe: FoundEndpoint): string | undefined {
  for (const fqdn of pe.fqdns) {
    const id = workspaceIdFromFqdn(fqdn);
    if (id) return id;
  }
  return undefined;
}

function zoneLinkedTo(found: Found, vnetId: string | undefined): string | undefined {
  if (!vnetId) return undefined;
  const zones = found.zonesByVnet[vnetId.toLowerCase()] ?? [];
  // Two zones of the same name linked to one VNet is a broken setup: name neither, the run says why.
  return zones.length === 1 ? zones[0] : undefined;
}

/** Names from the workspace display name (a slug), else `ws-<id prefix>`; the endpoint's name tells twins apart. */
function nameTargets(targets: DiscoveredTarget[], displayNames: Record<string, string>): DiscoveredTarget[] {
  const base = (t: DiscoveredTarget) => slug(displayNames[t.workspaceId] ?? '') || `ws-${t.workspaceId.slice(0, 8)}`;
  const counts = new Map<string, number>();
  for (const t of targets) counts.set(base(t), (counts.get(base(t)) ?? 0) + 1);
  const used = new Set<string>();
  for (const t of [...targets].sort((a, b) => key(a).localeCompare(key(b)))) {
    let name = base(t);
    if ((counts.get(name) ?? 0) > 1) {
      const pe = parseResourceId(t.consumer?.privateEndpointId)?.name;
      name = `${name}-${slug(pe ?? '') || 'no-endpoint'}`;
    }
    let unique = name;
    for (let n = 2; used.has(unique); n++) unique = `${name}-${n}`;
    used.add(unique);
    t.name = unique;
  }
  return targets;
}

function key(t: DiscoveredTarget): string {
  return `${t.workspaceId}|${(t.consumer?.privateEndpointId ?? '').toLowerCase()}|${(t.provider?.privateLinkServiceId ?? '').toLowerCase()}`;
}

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

/**
 * The config file discover writes: `$schema`, the targets (sorted, notes dropped: they are printed),
 * and the sections the input config supplied (credentials, cloud, dns, network, tls, probes), with
 * every object's keys sorted so two runs give the same bytes.
 */
export function discoveredConfig(targets: DiscoveredTarget[], carried: Record<string, unknown>, schemaRef: string): string {
  const config: Record<string, unknown> = { $schema: schemaRef };
  for (const section of CARRIED_SECTIONS) if (carried[section] !== undefined) config[section] = carried[section];
  config.targets = targets.map(({ notes: _notes, ...t }) => t);
  return `${JSON.stringify(sortKeys(config), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a === '$schema' ? -1 : b === '$schema' ? 1 : a.localeCompare(b)));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/** The sections of the input config that discover's output keeps. */
const CARRIED_SECTIONS = ['credentials', 'cloud', 'dns', 'network', 'tls', 'probes', 'timeouts', 'concurrency', 'limits'];

/** Config fields that name a file, relative to the config's own folder. */
const FILE_FIELDS = ['secretFile', 'certificateFile', 'tokenFile', 'armTokenFile', 'fabricTokenFile'];

/**
 * The carried sections with every relative file path (tls.caFile, credentials' secret, certificate
 * and token files) rewritten for a config written in another folder, so it names the same files.
 */
export function rebaseFilePaths(raw: Record<string, unknown>, fromDir: string, toDir: string): Record<string, unknown> {
  const move = (value: unknown) => (typeof value === 'string' && value && !isAbsolute(value) ? relative(toDir, resolve(fromDir, value)).split('\\').join('/') || '.' : value);
  const out: Record<string, unknown> = { ...raw };
  const tls = raw.tls as Record<string, unknown> | undefined;
  if (tls && typeof tls === 'object' && 'caFile' in tls) out.tls = { ...tls, caFile: move(tls.caFile) };
  const credentials = raw.credentials as Record<string, Record<string, unknown>> | undefined;
  if (credentials && typeof credentials === 'object') {
    out.credentials = Object.fromEntries(
      Object.entries(credentials).map(([side, spec]) => [side, spec && typeof spec === 'object' ? Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, FILE_FIELDS.includes(k) ? move(v) : v])) : spec]),
    );
  }
  return out;
}

/** A stand-in target: credentials find their tenant in the targets, and a search has none yet. */
export const TENANT_CARRIER_WORKSPACE = 'd15c0000-0000-4000-8000-000000000001';

/**
 * A config file's data made ready to search with: its targets replaced by one stand-in that carries
 * the tenant ids (those given, else the first the file's targets name), since a credential signs in
 * to the tenant its side's targets name. Used by `discover` and by `run --workspace` without targets.
 */
export function searchConfigData(raw: Record<string, unknown>, tenants: { consumer?: string | undefined; provider?: string | undefined } = {}): Record<string, unknown> {
  const given = Array.isArray(raw.targets) ? (raw.targets as Array<{ provider?: { tenantId?: unknown }; consumer?: { tenantId?: unknown } } | null>) : [];
  const named = (side: TenantSide) => given.map((t) => t?.[side]?.tenantId).find((id): id is string => typeof id === 'string' && id !== '');
  const consumer = tenants.consumer ?? named('consumer');
  const provider = tenants.provider ?? named('provider');
  const carrier = {
    name: 'discover',
    workspaceId: TENANT_CARRIER_WORKSPACE,
    ...(provider ? { provider: { tenantId: provider } } : {}),
    ...(consumer ? { consumer: { tenantId: consumer } } : {}),
  };
  return { ...raw, $schema: undefined, targets: [carrier] };
}

/** How a tenant was searched, in words. */
export function searchedBy(source: 'resource-graph' | 'arm' | undefined): string {
  return source === 'resource-graph' ? 'Azure Resource Graph' : source === 'arm' ? 'ARM listing' : 'not searched';
}

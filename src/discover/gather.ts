// discover, the reads: subscriptions, then the Fabric private endpoints (tenant 1) and private link
// services (tenant 2), through Azure Resource Graph (one query per tenant for every subscription)
// or, where it is unavailable or does not index the type, plain ARM listing per subscription.
// Reads only: GETs, token requests and the Resource Graph query POST.
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { createDefaultHttpClient } from '@azure/core-rest-pipeline';
import pLimit from 'p-limit';
import { armSide, readBudget, sideAuth } from '../azure/arm.js';
import { fabricClient } from '../azure/fabric.js';
import { guardedHttpClient } from '../azure/guard.js';
import { collectCursor, DEFAULT_LIST_LIMITS } from '../azure/paging.js';
import { FABRIC_PLS_API_VERSION, FABRIC_PLS_TYPE, isType, NETWORK_API_VERSION, parseResourceId, PRIVATE_DNS_API_VERSION, sameId, vnetOfSubnet } from '../azure/resourceId.js';
import { destinationAgents } from '../azure/agents.js';
import { instrumentedHttpClient, withAgents } from '../azure/transport.js';
import type { ResolvedConfig } from '../config/types.js';
import { serviceKey, type Services } from '../engine/services.js';
import type { TenantSide } from '../engine/types.js';
import { PRIVATELINK_ZONE } from '../fabric/workspace.js';
import { askImds, COMPUTE_API_VERSION, primaryIpConfig, primaryNicId } from '../gather/arm/vm.js';
import type { NetworkInterfaceJson } from '../gather/arm/shapes.js';
import { workspaceOfEndpoint, type Found, type FoundEndpoint, type FoundService } from './build.js';
import { ENDPOINTS_QUERY, SERVICES_QUERY } from './queries.js';

export const SUBSCRIPTIONS_API_VERSION = '2022-12-01';
/** Resource Graph pages at most 1000 rows. */
const GRAPH_PAGE = 1000;
/** A query's pages are bounded: 50 pages of 1000 rows. */
const GRAPH_MAX_PAGES = 50;

export interface DiscoverOptions {
  config: ResolvedConfig;
  services: Services;
  signal: AbortSignal;
  /** Try Azure Resource Graph first (default); false: ARM listing only. */
  resourceGraph: boolean;
  /** Only these subscriptions (ids). */
  subscriptions?: string[];
  /**
   * Only these workspaces (lower-case ids): endpoints and services of other workspaces are dropped
   * before their zones, the jump VM and the workspace names are read, so a narrowed search reads
   * for what it keeps only.
   */
  workspaces?: string[];
}

export interface Discovery {
  found: Found;
  /** What could not be read, each in one line (a subscription denied, Resource Graph unavailable…). */
  problems: string[];
  /** How each tenant was searched. */
  sources: { consumer?: 'resource-graph' | 'arm'; provider?: 'resource-graph' | 'arm' };
  /** How many subscriptions each tenant's credential could list (and so were searched). */
  searched: { consumer?: number; provider?: number };
}


export async function discover(options: DiscoverOptions): Promise<Discovery> {
  const { config } = options;
  const problems: string[] = [];
  const sources: Discovery['sources'] = {};
  const searched: Discovery['searched'] = {};
  const found: Found = { endpoints: [], services: [], zonesByVnet: {}, workspaceNames: {} };
  const tenantOf = (side: TenantSide) => config.targets[0]?.[side]?.tenantId;
  if (tenantOf('consumer')) found.consumerTenantId = tenantOf('consumer')!;
  if (tenantOf('provider')) found.providerTenantId = tenantOf('provider')!;

  const [endpoints, services] = await Promise.all([
    config.credentials.consumer.type === 'none' ? undefined : searchSide(options, 'consumer', problems, sources, searched),
    config.credentials.provider.type === 'none' ? undefined : searchSide(options, 'provider', problems, sources, searched),
  ]);
  if (!endpoints && !services) throw new Error('discover needs a credential for tenant 1 (credentials.consumer) or tenant 2 (credentials.provider)');
  found.endpoints = (endpoints as FoundEndpoint[] | undefined) ?? [];
  found.services = (services as FoundService[] | undefined) ?? [];
  if (options.workspaces?.length) narrowToWorkspaces(found, options.workspaces);

  if (found.endpoints.length) {
    const vm = await jumpVmVnet(options);
    if (vm.vnetId) found.vmVnetId = vm.vnetId;
    else if (vm.problem) problems.push(`tenant 1: ${vm.problem}; each target names its endpoint's VNet (edit it to the jump VM's)`);
    await readZones(options, found, problems);
  }
  if (found.services.length && config.credentials.provider.type !== 'none') await readWorkspaceNames(options, found, problems);
  return { found, problems, sources, searched };
}

/**
 * Keeps the endpoints and services of these workspaces: an endpoint by the workspace its DNS
 * configuration names, else by the service it connects to (the same rule as buildTargets).
 */
function narrowToWorkspaces(found: Found, workspaces: string[]): void {
  const wanted = new Set(workspaces.map((w) => w.toLowerCase()));
  found.services = found.services.filter((s) => s.workspaceId && wanted.has(s.workspaceId));
  found.endpoints = found.endpoints.filter((pe) => {
    const workspaceId = workspaceOfEndpoint(pe) ?? found.services.find((s) => sameId(s.id, pe.privateLinkServiceId))?.workspaceId;
    return !!workspaceId && wanted.has(workspaceId);
  });
}

async function searchSide(options: DiscoverOptions, side: TenantSide, problems: string[], sources: Discovery['sources'], searched: Discovery['searched']): Promise<FoundEndpoint[] | FoundService[]> {
  const tenant = side === 'consumer' ? 'tenant 1' : 'tenant 2';
  let subscriptions: string[];
  try {
    subscriptions = await listSubscriptions(options, side);
  } catch (error) {
    // Nothing of this tenant can be searched (its sign-in failed, or the listing itself): say which tenant.
    throw new Error(`${tenant}: the subscriptions could not be listed with credentials.${side} (${oneLineError(error)})`);
  }
  searched[side] = subscriptions.length;
  if (subscriptions.length === 0) {
    problems.push(`${tenant}: the credential can read no subscription${options.subscriptions?.length ? ' of those named by --subscription' : ''}`);
    return [];
  }
  if (options.resourceGraph) {
    try {
      const rows = await graphQuery(options, side, side === 'consumer' ? ENDPOINTS_QUERY : SERVICES_QUERY, subscriptions);
      sources[side] = 'resource-graph';
      // Resource Graph silently leaves out what the credential cannot read: say so.
      return side === 'consumer' ? rows.flatMap(endpointFromGraph) : rows.flatMap(serviceFromGraph);
    } catch (error) {
      problems.push(`${tenant}: Azure Resource Graph could not be used (${oneLineError(error)}); listed with ARM instead`);
    }
  }
  sources[side] = 'arm';
  const limit = pLimit(4);
  const perSubscription = await Promise.all(
    subscriptions.map((s) =>
      limit(async () => {
        try {
          return side === 'consumer' ? await listEndpoints(options, s) : await listServices(options, s);
        } catch (error) {
          problems.push(`${tenant}: subscription ${s} could not be listed (${oneLineError(error)})`);
          return [];
        }
      }),
    ),
  );
  return perSubscription.flat() as FoundEndpoint[] | FoundService[];
}

async function listSubscriptions(options: DiscoverOptions, side: TenantSide): Promise<string[]> {
  const arm = armSide(options.services, options.config, side);
  // A list cut short throws (paging.ts): discover never works from half a list.
  const list = await arm.listJson('/subscriptions', SUBSCRIPTIONS_API_VERSION, options.signal);
  const ids = list.value.map((s) => (s as { subscriptionId?: unknown }).subscriptionId).filter((id): id is string => typeof id === 'string');
  const wanted = options.subscriptions?.map((s) => s.toLowerCase());
  return [...new Set(ids.map((id) => id.toLowerCase()))].filter((id) => !wanted?.length || wanted.includes(id)).sort();
}

/** One Resource Graph query over the subscriptions, every page (`$skipToken`), bounded. */
async function graphQuery(options: DiscoverOptions, side: TenantSide, query: string, subscriptions: string[]): Promise<Record<string, unknown>[]> {
  const { config, services } = options;
  const auth = sideAuth(services, config, side);
  if (!auth) throw new Error('no credential');
  const client = services.shared(serviceKey<ResourceGraphClient>(`resourcegraph:${side}`), () => {
    const httpClient = instrumentedHttpClient(guardedHttpClient(withAgents(createDefaultHttpClient(), destinationAgents(config)), { allowResourceGraphQuery: true }), {
      service: `resourcegraph:${side}`,
      requestMs: config.timeouts.requestMs,
      log: services.requestLog,
      reads: readBudget(services, config),
    });
    return new ResourceGraphClient(auth.credential, {
      endpoint: config.cloud.armEndpoint,
      credentials: { scopes: [config.cloud.armScope] },
      httpClient,
      retryOptions: { maxRetries: 0 },
    });
  });
  // Paged through the one paging module: a repeated $skipToken or the page cap is a named cut, never half a list.
  const list = await collectCursor<string>({
    what: `the Resource Graph query's rows (narrow it with --subscription)`,
    first: '',
    key: (skipToken) => skipToken,
    limits: { ...DEFAULT_LIST_LIMITS, maxPages: GRAPH_MAX_PAGES },
    async fetchPage(skipToken) {
      const response = await client.resources(
        { query, subscriptions, options: { top: GRAPH_PAGE, resultFormat: 'objectArray', ...(skipToken ? { skipToken } : {}) } },
        { abortSignal: options.signal },
      );
      const items = Array.isArray(response.data) ? (response.data as unknown[]) : undefined;
      return { items, bytes: items ? JSON.stringify(items).length : 0, ...(response.skipToken ? { next: response.skipToken } : {}) };
    },
  });
  return list.value as Record<string, unknown>[];
}

function endpointFromGraph(row: Record<string, unknown>): FoundEndpoint[] {
  const id = str(row.id);
  const plsId = str(row.plsId);
  if (!id || !plsId) return [];
  return [{ id, privateLinkServiceId: plsId, ...(str(row.subnetId) ? { subnetId: str(row.subnetId)! } : {}), fqdns: dnsFqdns(row.customDnsConfigs), zoneIds: [] }];
}

function serviceFromGraph(row: Record<string, unknown>): FoundService[] {
  const id = str(row.id);
  if (!id) return [];
  return [{ id, ...workspaceAndTenant(row.workspaceId, row.tenantId), privateEndpointIds: connectedEndpoints(row.connections) }];
}

async function listEndpoints(options: DiscoverOptions, subscriptionId: string): Promise<FoundEndpoint[]> {
  const arm = armSide(options.services, options.config, 'consumer');
  const list = await arm.listJson(`/subscriptions/${subscriptionId}/providers/Microsoft.Network/privateEndpoints`, NETWORK_API_VERSION, options.signal);
  const out: FoundEndpoint[] = [];
  for (const item of list.value) {
    const pe = item as { id?: unknown; properties?: Record<string, unknown> };
    const id = str(pe.id);
    const props = pe.properties ?? {};
    const connections = [...arr(props.manualPrivateLinkServiceConnections), ...arr(props.privateLinkServiceConnections)];
    const plsId = connections.map((c) => str((c as { properties?: { privateLinkServiceId?: unknown } }).properties?.privateLinkServiceId)).find((p) => isType(p, FABRIC_PLS_TYPE));
    if (!id || !plsId) continue;
    const subnetId = str((props.subnet as { id?: unknown } | undefined)?.id);
    out.push({ id, privateLinkServiceId: plsId, ...(subnetId ? { subnetId } : {}), fqdns: dnsFqdns(props.customDnsConfigs), zoneIds: [] });
  }
  return out;
}

async function listServices(options: DiscoverOptions, subscriptionId: string): Promise<FoundService[]> {
  const arm = armSide(options.services, options.config, 'provider');
  const list = await arm.listJson(`/subscriptions/${subscriptionId}/providers/Microsoft.Fabric/privateLinkServicesForFabric`, FABRIC_PLS_API_VERSION, options.signal);
  return list.value.flatMap((item) => {
    const pls = item as { id?: unknown; properties?: Record<string, unknown> };
    const id = str(pls.id);
    if (!id) return [];
    const props = pls.properties ?? {};
    return [{ id, ...workspaceAndTenant(props.workspaceId ?? props.workspaceObjectId, props.tenantId), privateEndpointIds: connectedEndpoints(props.privateEndpointConnections) }];
  });
}

/**
 * The jump VM's VNet when the doctor runs on an Azure VM: the instance metadata service names the
 * VM (asked only where the sandbox allows it, briefly), its primary NIC's subnet names the VNet.
 * Not on a VM (or no metadata service): no VNet and no problem; unreadable VM or NIC: the reason.
 */
async function jumpVmVnet(options: DiscoverOptions): Promise<{ vnetId?: string; problem?: string }> {
  const answer = await askImds(options.config, options.signal, options.services.requestLog);
  if (!answer.ok) return {};
  const arm = armSide(options.services, options.config, 'consumer');
  try {
    const vm = (await arm.getJson(answer.vmId, COMPUTE_API_VERSION, options.signal)).body as Parameters<typeof primaryNicId>[0];
    const nicId = primaryNicId(vm);
    if (!nicId) return { problem: `the jump VM ${answer.vmId} lists no network interface` };
    const nic = (await arm.getJson(nicId, NETWORK_API_VERSION, options.signal)).body as NetworkInterfaceJson;
    const vnetId = vnetOfSubnet(primaryIpConfig(nic)?.properties?.subnet?.id);
    return vnetId ? { vnetId } : { problem: `the jump VM's network interface ${nicId} is in no VNet subnet` };
  } catch (error) {
    return { problem: `the jump VM ${answer.vmId} (named by the instance metadata service) could not be read (${oneLineError(error)})` };
  }
}

/**
 * The zone of each endpoint: its DNS zone groups first (policy-created zones live in a central
 * subscription), else the `privatelink.fabric.microsoft.com` zones of its subscription linked to its VNet.
 */
async function readZones(options: DiscoverOptions, found: Found, problems: string[]): Promise<void> {
  const arm = armSide(options.services, options.config, 'consumer');
  const limit = pLimit(8);
  await Promise.all(
    found.endpoints.map((pe) =>
      limit(async () => {
        try {
          const groups = await arm.listJson(`${pe.id}/privateDnsZoneGroups`, NETWORK_API_VERSION, options.signal);
          for (const group of groups.value) {
            const configs = arr((group as { properties?: { privateDnsZoneConfigs?: unknown } }).properties?.privateDnsZoneConfigs);
            for (const c of configs) {
              const zoneId = str((c as { properties?: { privateDnsZoneId?: unknown } }).properties?.privateDnsZoneId);
              if (zoneId && zoneId.toLowerCase().endsWith(`/${PRIVATELINK_ZONE}`)) pe.zoneIds.push(zoneId);
            }
          }
        } catch (error) {
          problems.push(`tenant 1: the DNS zone groups of ${pe.id} could not be read (${oneLineError(error)})`);
        }
      }),
    ),
  );
  const withoutGroup = found.endpoints.filter((pe) => pe.zoneIds.length === 0);
  const subscriptions = [...new Set(withoutGroup.flatMap((pe) => parseResourceId(pe.id)?.subscriptionId.toLowerCase() ?? []))].sort();
  for (const s of subscriptions) {
    try {
      const zones = await arm.listJson(`/subscriptions/${s}/providers/Microsoft.Network/privateDnsZones`, PRIVATE_DNS_API_VERSION, options.signal);
      for (const zone of zones.value) {
        const z = zone as { id?: unknown; name?: unknown };
        const zoneId = str(z.id);
        if (!zoneId || str(z.name)?.toLowerCase() !== PRIVATELINK_ZONE) continue;
        const links = await arm.listJson(`${zoneId}/virtualNetworkLinks`, PRIVATE_DNS_API_VERSION, options.signal);
        for (const link of links.value) {
          const vnet = str((link as { properties?: { virtualNetwork?: { id?: unknown } } }).properties?.virtualNetwork?.id)?.toLowerCase();
          if (vnet) (found.zonesByVnet[vnet] ??= []).push(zoneId);
        }
      }
    } catch (error) {
      problems.push(`tenant 1: the private DNS zones of subscription ${s} could not be read (${oneLineError(error)})`);
    }
  }
  for (const pe of withoutGroup) {
    const vnet = vnetOfSubnet(pe.subnetId);
    if (vnet && !found.zonesByVnet[vnet.toLowerCase()]) problems.push(`tenant 1: no ${PRIVATELINK_ZONE} zone found for ${pe.id} (no zone group, none linked to its VNet in its subscription)`);
  }
}

/** Workspace display names, for target names; a workspace the provider credential cannot read keeps an id-based name. */
async function readWorkspaceNames(options: DiscoverOptions, found: Found, problems: string[]): Promise<void> {
  const fabric = fabricClient(options.services, options.config, 'provider');
  const ids = [...new Set(found.services.map((s) => s.workspaceId).filter((id): id is string => !!id))].sort();
  const limit = pLimit(8);
  await Promise.all(
    ids.map((id) =>
      limit(async () => {
        try {
          const { body } = await fabric.get(`/v1/workspaces/${id}`, options.signal);
          const name = str((body as { displayName?: unknown } | undefined)?.displayName);
          if (name) found.workspaceNames[id] = name;
        } catch (error) {
          problems.push(`tenant 2: workspace ${id} could not be read for its name (${oneLineError(error)})`);
        }
      }),
    ),
  );
}

function workspaceAndTenant(workspaceId: unknown, tenantId: unknown): { workspaceId?: string; tenantId?: string } {
  const ws = str(workspaceId)?.toLowerCase();
  const tenant = str(tenantId)?.toLowerCase();
  return { ...(ws ? { workspaceId: ws } : {}), ...(tenant ? { tenantId: tenant } : {}) };
}

function connectedEndpoints(connections: unknown): string[] {
  return arr(connections)
    .map((c) => str((c as { properties?: { privateEndpoint?: { id?: unknown } } }).properties?.privateEndpoint?.id))
    .filter((id): id is string => !!id);
}

function dnsFqdns(configs: unknown): string[] {
  return arr(configs)
    .map((c) => str((c as { fqdn?: unknown }).fqdn))
    .filter((f): f is string => !!f);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function oneLineError(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 300);
}

// Tenant 1: the private DNS zone privatelink.fabric.microsoft.com: configured; else the one the
// endpoint's DNS zone group writes into (often in a central connectivity subscription); else found
// among the zones of that name in the subscriptions of the consumer and of the resolving VNets,
// preferring the one linked to a resolving VNet (several candidates are reported, never guessed).
// Also the workspace's A record sets and the zone's VNet links.
//
// A shared zone holds every workspace of the company (the landing-zone pattern): a target reads its
// five record sets by name, so its cost does not grow with the zone. A fleet whose targets share the
// zone reads the zone's list once instead, with the largest pages, within a page budget that the
// targets pay for; a list that cannot be read to its end is never judged: the targets then read by
// name.
import { armRead, armSide } from '../../azure/arm.js';
import { HttpStatusError } from '../../azure/http.js';
import type { ResolvedConfig } from '../../config/types.js';
import { PRIVATE_DNS_API_VERSION, parseResourceId, sameId } from '../../azure/resourceId.js';
import { defineFact, type GatherContext } from '../../engine/define.js';
import { FactUnavailableError, unavailable, type Unavailable } from '../../engine/types.js';
import { ENDPOINT_KINDS, PRIVATELINK_ZONE, workspaceNames } from '../../fabric/workspace.js';
import { armService, expectFields, memoKey, readAs } from './common.js';
import { CONNECTIVITY_READER, type ARecordSetJson, type PrivateDnsZoneGroupJson, type PrivateDnsZoneJson, type VirtualNetworkLinkJson } from './shapes.js';
import { serviceKey } from '../../engine/services.js';

/**
 * The largest page the Private DNS lists are asked for (`$top`; the API's default is 100). The spec
 * documents no maximum; Azure DNS answers "Invalid $top value: '1001'. It must be a number between
 * '1' and '1000'" (docs/control-plane.md, "Lists"). A service that caps the page lower still pages.
 */
export const PRIVATE_DNS_MAX_TOP = 1000;

export const ZONE_READER = 'Reader (or Private DNS Zone Contributor) on the private DNS zone in tenant 1';

export interface DnsZoneFact {
  /** The zone's ARM wire JSON. */
  zone: PrivateDnsZoneJson & { id: string; name: string };
  /** `zone-group`: named by the endpoint's privateDnsZoneGroups. */
  source: 'config' | 'zone-group' | 'discovered';
  /** Every zone of that name seen (discovery), or the configured / zone group's one. */
  candidates: string[];
  /** The subscriptions searched (discovery). */
  searched?: string[];
  /** `children`: a configured (or zone group's) zone whose VNet links answered, so the zone itself was not read (no properties). */
  confirmedBy?: 'children';
}

interface Located {
  kind: 'config' | 'zone-group' | 'discover';
  zoneId?: string;
  subscriptionIds?: string[];
  /** VNets whose link makes a zone the one that answers: the resolving VNets, then the jump VM's. */
  preferVnetIds?: string[];
}

/** The zone id the endpoint's DNS zone groups name for privatelink.fabric.microsoft.com. */
export function zoneFromGroups(groups: { value: PrivateDnsZoneGroupJson[] } | undefined): string | undefined {
  for (const group of groups?.value ?? []) {
    for (const config of group?.properties?.privateDnsZoneConfigs ?? []) {
      const id = config?.properties?.privateDnsZoneId;
      const parsed = parseResourceId(id);
      if (parsed && parsed.type.toLowerCase() === 'microsoft.network/privatednszones' && parsed.name.toLowerCase() === PRIVATELINK_ZONE) return parsed.id;
    }
  }
  return undefined;
}

async function locate(ctx: GatherContext): Promise<Located> {
  const configured = ctx.target.consumer?.privateDnsZoneId;
  if (configured) {
    const parsed = parseResourceId(configured);
    if (parsed?.type.toLowerCase() !== 'microsoft.network/privatednszones') {
      unavailable('error', `targets[${ctx.target.name}].consumer.privateDnsZoneId is not a Microsoft.Network/privateDnsZones resource id: ${JSON.stringify(configured)}`);
    }
    return { kind: 'config', zoneId: configured };
  }
  if (ctx.target.consumer?.privateEndpointId) {
    const groups = await ctx.fact('consumer.dnsZoneGroups');
    const fromGroup = groups.ok ? zoneFromGroups(groups.value) : undefined;
    if (fromGroup) return { kind: 'zone-group', zoneId: fromGroup };
  }
  const ref = await ctx.fact('consumer.vnetId');
  const path = ref.ok ? await ctx.fact('consumer.dnsPath') : undefined;
  const preferVnetIds = [...(path?.ok ? path.value.resolvingVnetIds : []), ...(ref.ok ? [ref.value.vnetId] : [])];
  const subscriptionIds = [
    ctx.target.consumer?.subscriptionId,
    parseResourceId(ctx.target.consumer?.privateEndpointId)?.subscriptionId,
    ...preferVnetIds.map((v) => parseResourceId(v)?.subscriptionId),
  ].filter((s, i, all): s is string => !!s && all.findIndex((o) => o?.toLowerCase() === s.toLowerCase()) === i);
  if (subscriptionIds.length === 0) {
    unavailable('not-configured', `targets[${ctx.target.name}].consumer: neither privateDnsZoneId nor a subscription (subscriptionId, privateEndpointId or vnetId) to look for the zone in`);
  }
  return { kind: 'discover', subscriptionIds, preferVnetIds };
}

export const dnsZoneFact = defineFact({
  id: 'consumer.privateDnsZone',
  version: 1,
  description: `the private DNS zone ${PRIVATELINK_ZONE} in tenant 1`,
  side: 'consumer',
  key: async (ctx): Promise<string> => {
    const where = await locate(ctx);
    if (where.kind !== 'discover') return memoKey('arm', where.zoneId!);
    return memoKey('zone-discovery', `${where.subscriptionIds!.join(',')}|${where.preferVnetIds!.join(',')}`);
  },
  async gather(ctx): Promise<DnsZoneFact> {
    const where = await locate(ctx);
    const arm = () => armSide(ctx.services, ctx.config, 'consumer', ctx.target);
    if (where.kind !== 'discover') {
      const zone = parseResourceId(where.zoneId)!;
      const what = `the private DNS zone ${where.zoneId}${where.kind === 'zone-group' ? " (named by the endpoint's DNS zone group)" : ''}`;
      const neededRole = where.kind === 'zone-group' ? `${CONNECTIVITY_READER} (subscription ${zone.subscriptionId})` : ZONE_READER;
      const source = where.kind === 'config' ? ('config' as const) : ('zone-group' as const);
      // The zone's children answered (its links are read anyway): the zone exists, its GET would add nothing.
      const links = await ctx.fact('consumer.privateDnsZone.vnetLinks');
      if (links.ok) return { zone: { id: zone.id, name: zone.name }, source, candidates: [zone.id], confirmedBy: 'children' as const };
      try {
        return await readAs(ctx, { side: 'consumer', what, neededRole, service: armService(zone.id), scope: zone.id }, async () => {
          const { body, requestId } = await armRead(async (options) => (await arm().dns(zone.subscriptionId)).privateZones.get(zone.resourceGroup, zone.name, options), ctx.signal);
          expectFields(body, what, requestId, 'id', 'name');
          return { zone: body as DnsZoneFact['zone'], source, candidates: [zone.id] };
        });
      } catch (error) {
        // Where the zone is, for the no-access message: its subscription and the role to ask for.
        if (error instanceof FactUnavailableError) throw new FactUnavailableError(withZoneDetails(error.unavailable, zone.id, zone.subscriptionId, where.kind));
        throw error;
      }
    }
    const named: DnsZoneFact['zone'][] = [];
    const unreadable: Unavailable[] = [];
    for (const subscriptionId of where.subscriptionIds!) {
      const what = `the private DNS zones in subscription ${subscriptionId}`;
      const spec = { side: 'consumer' as const, what, neededRole: 'Reader on the subscription in tenant 1 (to find the zone), or set consumer.privateDnsZoneId', service: `arm:${subscriptionId.toLowerCase()}`, scope: `/subscriptions/${subscriptionId}` };
      try {
        const zones = await readAs(ctx, spec, () => arm().listJson(`/subscriptions/${subscriptionId}/providers/Microsoft.Network/privateDnsZones`, PRIVATE_DNS_API_VERSION, ctx.signal, { top: PRIVATE_DNS_MAX_TOP }));
        named.push(...(zones.value as DnsZoneFact['zone'][]).filter((z) => z?.name?.toLowerCase() === PRIVATELINK_ZONE));
      } catch (error) {
        if (!(error instanceof FactUnavailableError)) throw error;
        unreadable.push({ ...error.unavailable, details: { ...(error.unavailable.details ?? {}), subscriptionId } });
      }
    }
    const candidates = named.map((z) => z.id);
    const searched = where.subscriptionIds!;
    if (named.length === 0) {
      // A subscription that could not be read may hold the zone: that is unknown, not missing.
      if (unreadable.length) throw new FactUnavailableError({ ...unreadable[0]!, details: { ...(unreadable[0]!.details ?? {}), searched } });
      unavailable('not-found', `no private DNS zone named ${PRIVATELINK_ZONE} in subscription${searched.length > 1 ? 's' : ''} ${searched.join(', ')}`, { details: { subscriptionId: searched[0], searched } });
    }
    if (named.length === 1) return { zone: named[0]!, source: 'discovered', candidates, searched };
    // Several zones of that name: the one linked to a resolving VNet is the one that answers.
    const linked: string[] = [];
    for (const vnetId of where.preferVnetIds!) {
      for (const zone of named) {
        const links = await readAs(ctx, { side: 'consumer', what: `the VNet links of ${zone.id}`, neededRole: ZONE_READER, service: armService(zone.id), scope: zone.id }, () =>
          arm().listJson(`${zone.id}/virtualNetworkLinks`, PRIVATE_DNS_API_VERSION, ctx.signal, { top: PRIVATE_DNS_MAX_TOP }),
        );
        if ((links.value as VirtualNetworkLinkJson[]).some((link) => sameId(link?.properties?.virtualNetwork?.id, vnetId))) linked.push(zone.id);
      }
      if (linked.length) break;
    }
    if (linked.length === 1) return { zone: named.find((z) => z.id === linked[0])!, source: 'discovered', candidates, searched };
    unavailable(
      'ambiguous',
      `${named.length} private DNS zones named ${PRIVATELINK_ZONE} in subscription${searched.length > 1 ? 's' : ''} ${searched.join(', ')}, ${linked.length} of them linked to ${where.preferVnetIds!.join(', ') || 'the VNet (unknown)'}: set consumer.privateDnsZoneId to the one you mean`,
      { details: { candidates, linkedToVnet: linked, vnetId: where.preferVnetIds![0] ?? null } },
    );
  },
});

function withZoneDetails(u: Unavailable, zoneId: string, subscriptionId: string, source: Located['kind']): Unavailable {
  return { ...u, details: { ...(u.details ?? {}), zoneId, subscriptionId, source } };
}

/**
 * The zone whose children to list. A configured (or zone group's) zone id is used as is, so the record sets and links
 * are read alongside the zone instead of after it (one round trip less); a zone that does not exist
 * then answers 404 there too. A discovered zone has to be found first.
 */
async function zoneId(ctx: GatherContext): Promise<string> {
  const where = await locate(ctx);
  if (where.kind !== 'discover') return parseResourceId(where.zoneId)!.id;
  return (await ctx.require('consumer.privateDnsZone')).zone.id;
}

export interface ZoneListFact {
  zoneId: string;
  /** Every item: a list that could not be read to its end is an error fact, never a partial value. */
  value: VirtualNetworkLinkJson[];
}

/** The zone's VNet links (every page). */
export const zoneLinksFact = defineFact({
  id: 'consumer.privateDnsZone.vnetLinks',
  version: 1,
  description: 'the virtual network links of the private DNS zone',
  side: 'consumer',
  key: async (ctx): Promise<string> => memoKey('arm-list', `${await zoneId(ctx)}/virtualNetworkLinks`),
  async gather(ctx): Promise<ZoneListFact> {
    const zone = await zoneId(ctx);
    return readAs(ctx, { side: 'consumer', what: `the virtual network links of ${zone}`, neededRole: ZONE_READER, service: armService(zone), scope: zone }, async () => {
      const list = await armSide(ctx.services, ctx.config, 'consumer', ctx.target).listJson(`${zone}/virtualNetworkLinks`, PRIVATE_DNS_API_VERSION, ctx.signal, { top: PRIVATE_DNS_MAX_TOP });
      return { zoneId: zone, value: list.value as VirtualNetworkLinkJson[] };
    });
  },
});

/**
 * A target alone in its zone looks for stale records in one page of the API's default size: a zone
 * that small is read whole at little cost; in a shared zone of thousands the page would only cost.
 */
export const SMALL_ZONE_PAGE = 100;
/** A fleet reads the zone's whole list when each page of it serves this many targets (5 by-name GETs each). */
export const TARGETS_PER_ZONE_PAGE = 20;

export interface WorkspaceRecordsFact {
  zoneId: string;
  /**
   * The A record sets this target needs: its five by name (those that exist; a 404 means the record
   * is missing) and, when the zone's list was read to its end, every other record set of the zone.
   */
  value: ARecordSetJson[];
  /** `by-name`: the five GETs; `zone` (and absent, in older recordings): the zone's whole list. */
  read?: 'by-name' | 'zone';
  /** Whether records of this workspace under other names (stale leftovers) were looked for, and why not. */
  staleSearch?: { searched: boolean; reason?: string };
}

/** How many targets may read this zone (configured with it, or looking for a zone): they share its list. */
const zoneSharers = new WeakMap<ResolvedConfig, Map<string, number>>();

export function targetsSharingZone(config: ResolvedConfig, zone: string): number {
  let counts = zoneSharers.get(config);
  if (!counts) {
    counts = new Map();
    for (const target of config.targets) {
      const key = target.consumer?.privateDnsZoneId?.toLowerCase() ?? '';
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    zoneSharers.set(config, counts);
  }
  return (counts.get(zone.toLowerCase()) ?? 0) + (counts.get('') ?? 0);
}

/** The zone's A record sets, read to its end within `maxPages` pages of `top`, once per run. */
function sharedZoneList(ctx: GatherContext, zone: string, top: number, maxPages: number): Promise<{ value: ARecordSetJson[] } | { failure: string }> {
  return ctx.services.shared(serviceKey<Promise<{ value: ARecordSetJson[] } | { failure: string }>>(`zone-a-list:${zone.toLowerCase()}`), () =>
    ctx.services
      .limit(armService(zone), () => armSide(ctx.services, ctx.config, 'consumer', ctx.target).listJson(`${zone}/A`, PRIVATE_DNS_API_VERSION, ctx.services.signal, { top, maxPages }))
      .then(
        (list) => ({ value: list.value as ARecordSetJson[] }),
        (error: unknown) => ({ failure: error instanceof Error ? error.message : String(error) }),
      ),
  );
}

/** The workspace's five record sets by name, in parallel; a 404 is a fact (the record is missing). */
async function recordsByName(ctx: GatherContext, zone: string): Promise<ARecordSetJson[]> {
  const names = workspaceNames(ctx.target.workspaceId);
  const arm = armSide(ctx.services, ctx.config, 'consumer', ctx.target);
  const sets = await Promise.all(
    ENDPOINT_KINDS.map((kind) =>
      readAs(ctx, { side: 'consumer', what: `the A record set ${names.records[kind]} of ${zone}`, neededRole: ZONE_READER, service: armService(zone), scope: zone }, async () => {
        try {
          return (await arm.getJson(`${zone}/A/${encodeURIComponent(names.records[kind])}`, PRIVATE_DNS_API_VERSION, ctx.signal)).body as ARecordSetJson;
        } catch (error) {
          if (error instanceof HttpStatusError && error.status === 404) return undefined;
          throw error;
        }
      }),
    ),
  );
  return sets.filter((set): set is ARecordSetJson => set !== undefined);
}

export const zoneRecordsFact = defineFact({
  id: 'consumer.privateDnsZone.aRecords',
  version: 1,
  description: "the workspace's A record sets in the private DNS zone (by name, or from the zone's list in a fleet)",
  side: 'consumer',
  key: async (ctx): Promise<string> => memoKey('zone-records', `${await zoneId(ctx)}|${ctx.target.workspaceId}`),
  async gather(ctx): Promise<WorkspaceRecordsFact> {
    const zone = await zoneId(ctx);
    const sharers = targetsSharingZone(ctx.config, zone);
    if (sharers <= 1) {
      // Alone in the zone: the five GETs decide; the list's first page, read beside them, finds stale records in a small zone.
      const [sets, listed] = await Promise.all([recordsByName(ctx, zone), sharedZoneList(ctx, zone, SMALL_ZONE_PAGE, 1)]);
      const staleSearch = 'value' in listed ? { searched: true } : { searched: false, reason: listed.failure };
      return { zoneId: zone, value: 'value' in listed ? mergeSets(sets, setsOfWorkspace(listed.value, ctx.target.workspaceId)) : sets, read: 'by-name' as const, staleSearch };
    }
    const listed = await sharedZoneList(ctx, zone, PRIVATE_DNS_MAX_TOP, Math.ceil(sharers / TARGETS_PER_ZONE_PAGE));
    if ('value' in listed) return { zoneId: zone, value: setsOfWorkspace(listed.value, ctx.target.workspaceId), read: 'zone' as const, staleSearch: { searched: true } };
    return { zoneId: zone, value: await recordsByName(ctx, zone), read: 'by-name' as const, staleSearch: { searched: false, reason: listed.failure } };
  },
});

/** The record sets of the zone's list whose name holds the workspace's label (its id without dashes, any case), in list order: a target keeps only its own. */
export function setsOfWorkspace(sets: ARecordSetJson[], workspaceId: string): ARecordSetJson[] {
  const label = workspaceNames(workspaceId).workspaceId.replace(/-/g, '');
  return setsByLabel(sets).get(label) ?? [];
}

const LABEL_LENGTH = 32;
/** Each zone list's record sets by every workspace label their names contain, in list order. */
const labelIndexes = new WeakMap<ARecordSetJson[], Map<string, ARecordSetJson[]>>();

/**
 * The record sets whose name contains a label, for every label, built once per list: each target of
 * a fleet in a shared zone looked through the whole list for its own. A label (32 hex digits) is in
 * a name exactly when it is within one of the name's runs of hex digits, so every 32-digit window of
 * those runs is a key: the same sets, in the same order, as a search of each name for the label.
 */
function setsByLabel(sets: ARecordSetJson[]): Map<string, ARecordSetJson[]> {
  let index = labelIndexes.get(sets);
  if (index) return index;
  index = new Map();
  for (const set of sets) {
    const name: unknown = set?.name;
    if (typeof name !== 'string') continue;
    const keys = new Set<string>();
    for (const run of name.toLowerCase().match(/[0-9a-f]{32,}/g) ?? []) {
      for (let i = 0; i + LABEL_LENGTH <= run.length; i++) keys.add(run.slice(i, i + LABEL_LENGTH));
    }
    for (const key of keys) {
      const list = index.get(key);
      if (list) list.push(set);
      else index.set(key, [set]);
    }
  }
  labelIndexes.set(sets, index);
  return index;
}

/** The by-name answers first (the freshest), then the list's other record sets. */
function mergeSets(byName: ARecordSetJson[], listed: ARecordSetJson[]): ARecordSetJson[] {
  const names = new Set(byName.map((set) => set?.name?.toLowerCase()));
  return [...byName, ...listed.filter((set) => !names.has(set?.name?.toLowerCase()))];
}

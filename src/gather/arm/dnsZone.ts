// Tenant 1: the private DNS zone privatelink.fabric.microsoft.com (configured, or discovered among
// the subscription's zones of that name, preferring the one linked to the VNet; several candidates
// are reported, never guessed), its A record sets and its VNet links.
import { armRead, armSide } from '../../azure/arm.js';
import { PRIVATE_DNS_API_VERSION, parseResourceId, sameId } from '../../azure/resourceId.js';
import { defineFact, type GatherContext } from '../../engine/define.js';
import { unavailable } from '../../engine/types.js';
import { PRIVATELINK_ZONE } from '../../fabric/workspace.js';
import { armService, expectFields, memoKey, readAs } from './common.js';
import type { VnetRef } from './vnet.js';

export const ZONE_READER = 'Reader (or Private DNS Zone Contributor) on the private DNS zone in tenant 1';

export interface DnsZoneFact {
  /** The zone's ARM wire JSON. */
  zone: { id: string; name: string; properties?: Record<string, unknown> };
  source: 'config' | 'discovered';
  /** Every zone of that name seen in the subscription (discovery), or the configured one. */
  candidates: string[];
}

interface Located {
  kind: 'config' | 'discover';
  zoneId?: string;
  subscriptionId?: string;
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
  const subscriptionId =
    ctx.target.consumer?.subscriptionId ??
    parseResourceId(ctx.target.consumer?.privateEndpointId)?.subscriptionId ??
    parseResourceId(ctx.target.consumer?.vnetId)?.subscriptionId;
  if (!subscriptionId) {
    unavailable('not-configured', `targets[${ctx.target.name}].consumer: neither privateDnsZoneId nor a subscription (subscriptionId, privateEndpointId or vnetId) to look for the zone in`);
  }
  return { kind: 'discover', subscriptionId };
}

async function vnetIdOrUndefined(ctx: GatherContext): Promise<string | undefined> {
  const ref = await ctx.fact<VnetRef>('consumer.vnetId');
  return ref.ok ? ref.value.vnetId : undefined;
}

export const dnsZoneFact = defineFact<DnsZoneFact>({
  id: 'consumer.privateDnsZone',
  version: 1,
  description: `the private DNS zone ${PRIVATELINK_ZONE} in tenant 1`,
  side: 'consumer',
  key: async (ctx) => {
    const where = await locate(ctx);
    if (where.kind === 'config') return memoKey('arm', where.zoneId!);
    return memoKey('zone-discovery', `/subscriptions/${where.subscriptionId}|${(await vnetIdOrUndefined(ctx)) ?? ''}`);
  },
  async gather(ctx) {
    const where = await locate(ctx);
    const arm = () => armSide(ctx.services, ctx.config, 'consumer');
    if (where.kind === 'config') {
      const zone = parseResourceId(where.zoneId)!;
      const what = `the private DNS zone ${where.zoneId}`;
      return readAs(ctx, { side: 'consumer', what, neededRole: ZONE_READER, service: armService(zone.id) }, async () => {
        const { body, requestId } = await armRead((options) => arm().dns(zone.subscriptionId).privateZones.get(zone.resourceGroup, zone.name, options), ctx.signal);
        expectFields(body, what, requestId, 'id', 'name');
        return { zone: body as DnsZoneFact['zone'], source: 'config' as const, candidates: [zone.id] };
      });
    }
    const subscription = `/subscriptions/${where.subscriptionId}`;
    const what = `the private DNS zones in subscription ${where.subscriptionId}`;
    const spec = { side: 'consumer' as const, what, neededRole: 'Reader on the subscription in tenant 1 (to find the zone), or set consumer.privateDnsZoneId', service: `arm:${where.subscriptionId!.toLowerCase()}` };
    const zones = await readAs(ctx, spec, () => arm().listJson(`${subscription}/providers/Microsoft.Network/privateDnsZones`, PRIVATE_DNS_API_VERSION, ctx.signal));
    const named = (zones.value as DnsZoneFact['zone'][]).filter((z) => z?.name?.toLowerCase() === PRIVATELINK_ZONE);
    const candidates = named.map((z) => z.id);
    if (named.length === 0) {
      unavailable('not-found', `no private DNS zone named ${PRIVATELINK_ZONE} in subscription ${where.subscriptionId}`, { details: { subscriptionId: where.subscriptionId } });
    }
    if (named.length === 1) return { zone: named[0]!, source: 'discovered', candidates };
    // Several zones of that name: the one linked to the VNet is the one that answers.
    const vnetId = await vnetIdOrUndefined(ctx);
    const linked: string[] = [];
    if (vnetId) {
      for (const zone of named) {
        const links = await readAs(ctx, { ...spec, what: `the VNet links of ${zone.id}` }, () =>
          arm().listJson(`${zone.id}/virtualNetworkLinks`, PRIVATE_DNS_API_VERSION, ctx.signal),
        );
        if ((links.value as LinkJson[]).some((link) => sameId(link?.properties?.virtualNetwork?.id, vnetId))) linked.push(zone.id);
      }
    }
    if (linked.length === 1) return { zone: named.find((z) => z.id === linked[0])!, source: 'discovered', candidates };
    unavailable(
      'ambiguous',
      `${named.length} private DNS zones named ${PRIVATELINK_ZONE} in subscription ${where.subscriptionId}, ${linked.length} of them linked to ${vnetId ?? 'the VNet (unknown)'}: set consumer.privateDnsZoneId to the one you mean`,
      { details: { candidates, linkedToVnet: linked, vnetId: vnetId ?? null } },
    );
  },
});

export interface LinkJson {
  id?: string;
  name?: string;
  properties?: { virtualNetwork?: { id?: string }; virtualNetworkLinkState?: string; provisioningState?: string; resolutionPolicy?: string; registrationEnabled?: boolean };
}

/**
 * The zone whose children to list. A configured zone id is used as is, so the record sets and links
 * are read alongside the zone instead of after it (one round trip less); a zone that does not exist
 * then answers 404 there too. A discovered zone has to be found first.
 */
async function zoneId(ctx: GatherContext): Promise<string> {
  const configured = ctx.target.consumer?.privateDnsZoneId;
  if (configured && parseResourceId(configured)?.type.toLowerCase() === 'microsoft.network/privatednszones') return parseResourceId(configured)!.id;
  return (await ctx.require<DnsZoneFact>('consumer.privateDnsZone')).zone.id;
}

export interface ZoneListFact {
  zoneId: string;
  value: unknown[];
  truncated?: boolean;
}

function zoneChildList(id: string, child: 'A' | 'virtualNetworkLinks', description: string) {
  return defineFact<ZoneListFact>({
    id,
    version: 1,
    description,
    side: 'consumer',
    key: async (ctx) => memoKey('arm-list', `${await zoneId(ctx)}/${child}`),
    async gather(ctx) {
      const zone = await zoneId(ctx);
      const what = `the ${child === 'A' ? 'A record sets' : 'virtual network links'} of ${zone}`;
      return readAs(ctx, { side: 'consumer', what, neededRole: ZONE_READER, service: armService(zone) }, async () => {
        const list = await armSide(ctx.services, ctx.config, 'consumer').listJson(`${zone}/${child}`, PRIVATE_DNS_API_VERSION, ctx.signal);
        return { zoneId: zone, value: list.value, ...(list.truncated ? { truncated: true } : {}) };
      });
    },
  });
}

export const zoneRecordsFact = zoneChildList('consumer.privateDnsZone.aRecords', 'A', 'the A record sets of the private DNS zone');
export const zoneLinksFact = zoneChildList('consumer.privateDnsZone.vnetLinks', 'virtualNetworkLinks', 'the virtual network links of the private DNS zone');

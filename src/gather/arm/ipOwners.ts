// consumer.ipOwners: whose IP the VM's DNS answer is when it is not this endpoint's: another private
// endpoint for the same workspace (a shared zone keeps the last writer's records), a tenant-level
// Fabric (Power BI) private link endpoint, or another endpoint. Read only when the answer is a
// private address that is not the endpoint's, by listing the private endpoints of the consumer's
// subscriptions (GET).
import { armSide } from '../../azure/arm.js';
import { NETWORK_API_VERSION, parseResourceId, sameId } from '../../azure/resourceId.js';
import { classifyAddress } from '../../dns/classify.js';
import { defineFact } from '../../engine/define.js';
import { FactUnavailableError } from '../../engine/types.js';
import { workspaceNames } from '../../fabric/workspace.js';
import { readAs } from './common.js';
import { endpointConnections, type PrivateEndpointJson } from './shapes.js';

export type OwnerKind = 'same-workspace-endpoint' | 'tenant-private-link' | 'other-endpoint';

export interface IpOwner {
  ip: string;
  kind: OwnerKind;
  privateEndpointId: string;
  privateLinkServiceId: string | null;
  groupIds: string[];
}

export interface IpOwnersFact {
  /** The private addresses DNS gave that are not the endpoint's. */
  unexpected: string[];
  owners: IpOwner[];
  subscriptions: string[];
  /** Subscriptions whose endpoints could not be listed. */
  unreadable: Array<{ subscriptionId: string; message: string }>;
}

const POWERBI_PLS_TYPE = 'microsoft.powerbi/privatelinkservicesforpowerbi';

/** What a private endpoint holding `ip` is, relative to this target's endpoint and its service. */
export function ownerKind(pe: PrivateEndpointJson, ourPlsId: string | undefined): { kind: OwnerKind; plsId: string | null; groupIds: string[] } {
  const connection = endpointConnections(pe)[0];
  const plsId = connection?.properties?.privateLinkServiceId ?? null;
  const groupIds = connection?.properties?.groupIds ?? [];
  if (ourPlsId && sameId(plsId, ourPlsId)) return { kind: 'same-workspace-endpoint', plsId, groupIds };
  if (parseResourceId(plsId)?.type.toLowerCase() === POWERBI_PLS_TYPE || groupIds.some((g) => g.toLowerCase() === 'tenant')) return { kind: 'tenant-private-link', plsId, groupIds };
  return { kind: 'other-endpoint', plsId, groupIds };
}

export const ipOwnersFact = defineFact({
  id: 'consumer.ipOwners',
  version: 1,
  description: "the private endpoints that hold the addresses DNS gives for the workspace API FQDN when they are not this endpoint's",
  side: 'consumer',
  async gather(ctx): Promise<IpOwnersFact> {
    const fqdn = workspaceNames(ctx.target.workspaceId).fqdns.api;
    const system = await ctx.require('local.systemResolve');
    const pe = await ctx.require('consumer.privateEndpoint');
    const expected = (await ctx.require('consumer.endpointIps')).byFqdn[fqdn] ?? [];
    const answered = (system.answers[fqdn]?.addresses ?? []).map((a) => a.address);
    const unexpected = answered.filter((ip) => classifyAddress(ip) === 'private' && !expected.includes(ip));
    if (unexpected.length === 0) return { unexpected, owners: [], subscriptions: [], unreadable: [] };
    const ref = await ctx.fact('consumer.vnetId');
    const subscriptions = [ctx.target.consumer?.subscriptionId, parseResourceId(pe.id)?.subscriptionId, ref.ok ? parseResourceId(ref.value.vnetId)?.subscriptionId : undefined].filter(
      (s, i, all): s is string => !!s && all.findIndex((o) => o?.toLowerCase() === s.toLowerCase()) === i,
    );
    const ourPls = endpointConnections(pe)[0]?.properties?.privateLinkServiceId;
    const owners: IpOwner[] = [];
    const unreadable: IpOwnersFact['unreadable'] = [];
    for (const subscriptionId of subscriptions) {
      try {
        const listed = await readAs(ctx, { side: 'consumer', what: `the private endpoints of subscription ${subscriptionId}`, neededRole: 'Reader on the subscription in tenant 1', service: `arm:${subscriptionId.toLowerCase()}`, scope: `/subscriptions/${subscriptionId}` }, () =>
          armSide(ctx.services, ctx.config, 'consumer', ctx.target).listJson(`/subscriptions/${subscriptionId}/providers/Microsoft.Network/privateEndpoints`, NETWORK_API_VERSION, ctx.signal),
        );
        for (const other of listed.value as PrivateEndpointJson[]) {
          if (!other?.id || sameId(other.id, pe.id)) continue;
          const ips = (other.properties?.customDnsConfigs ?? []).flatMap((c) => (Array.isArray(c?.ipAddresses) ? c.ipAddresses : []));
          for (const ip of unexpected.filter((u) => ips.includes(u))) {
            if (owners.some((o) => o.ip === ip)) continue;
            const { kind, plsId, groupIds } = ownerKind(other, ourPls);
            owners.push({ ip, kind, privateEndpointId: other.id, privateLinkServiceId: plsId, groupIds });
          }
        }
      } catch (error) {
        if (!(error instanceof FactUnavailableError)) throw error;
        unreadable.push({ subscriptionId, message: error.unavailable.message });
      }
    }
    return { unexpected, owners, subscriptions, unreadable };
  },
});

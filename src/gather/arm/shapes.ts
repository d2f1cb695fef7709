// Readers of the ARM shapes the facts hold: pure, with no client behind them, so the checks (and
// the light commands that list them) import them without loading an Azure SDK.
import { FABRIC_PLS_TYPE } from '../../azure/resourceId.js';
import type { Target } from '../../engine/types.js';

/** A connection in the endpoint's wire JSON (either array). */
export interface PeConnection {
  id?: string;
  name?: string;
  properties?: {
    privateLinkServiceId?: string;
    groupIds?: string[];
    privateLinkServiceConnectionState?: { status?: string; description?: string; actionsRequired?: string };
    requestMessage?: string;
  };
}

/** Both connection arrays of an endpoint: cross-tenant ones sit in the manual array. */
export function endpointConnections(pe: unknown): Array<PeConnection & { manual: boolean }> {
  const props = (pe as { properties?: { manualPrivateLinkServiceConnections?: PeConnection[]; privateLinkServiceConnections?: PeConnection[] } })?.properties;
  return [
    ...(props?.manualPrivateLinkServiceConnections ?? []).map((c) => ({ ...c, manual: true })),
    ...(props?.privateLinkServiceConnections ?? []).map((c) => ({ ...c, manual: false })),
  ];
}

/** The private link service id the config names (full id, or subscription + group + name). */
export function configuredPlsId(target: Target): string | undefined {
  const p = target.provider;
  if (p?.privateLinkServiceId) return p.privateLinkServiceId;
  if (p?.subscriptionId && p.resourceGroup && p.privateLinkServiceName) {
    return `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroup}/providers/${FABRIC_PLS_TYPE}/${p.privateLinkServiceName}`;
  }
  return undefined;
}

/** The role a platform team grants on its connectivity subscription so the zone (and its links) can be read. */
export const CONNECTIVITY_READER = 'Reader on the subscription holding the zone (the connectivity subscription), granted by its owners';

export interface PeeringSummary {
  name: string | null;
  remoteVirtualNetwork: string | null;
  peeringState: string | null;
  allowForwardedTraffic: boolean | null;
}

/** A VNet's peerings (wire JSON) in short. */
export function peerings(vnet: { properties?: { virtualNetworkPeerings?: Array<{ name?: string; properties?: { remoteVirtualNetwork?: { id?: string }; peeringState?: string; allowForwardedTraffic?: boolean } }> } }): PeeringSummary[] {
  return (vnet.properties?.virtualNetworkPeerings ?? []).map((p) => ({
    name: p.name ?? null,
    remoteVirtualNetwork: p.properties?.remoteVirtualNetwork?.id ?? null,
    peeringState: p.properties?.peeringState ?? null,
    allowForwardedTraffic: p.properties?.allowForwardedTraffic ?? null,
  }));
}

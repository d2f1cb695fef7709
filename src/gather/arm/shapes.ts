// The ARM wire shapes the facts hold, declared once from the official examples
// (test/fixtures/reference/arm-*), and pure readers of them: no client behind them, so the checks,
// the lab and the light commands that list them import them without loading an Azure SDK. Every
// field is optional: the JSON comes from outside, and a reader says what it lacks.
import { FABRIC_PLS_TYPE } from '../../azure/resourceId.js';
import type { Target } from '../../engine/types.js';

/**
 * A wire shape as a server sends it: the declared fields with their declared types, at every depth,
 * and any other field besides. The lab renders these, so it is held to the shapes the doctor reads.
 */
export type AsSent<T> = T extends ReadonlyArray<infer U>
  ? Array<AsSent<U>>
  : T extends object
    ? { [K in keyof T]: AsSent<T[K]> } & { [field: string]: unknown }
    : T;

/** What every ARM resource carries. */
export interface ArmResourceJson {
  id?: string;
  name?: string;
  type?: string;
  location?: string;
  etag?: string;
  tags?: Record<string, string>;
}

/** A connection in the endpoint's wire JSON (either array). */
export interface PeConnection {
  id?: string;
  name?: string;
  properties?: {
    privateLinkServiceId?: string;
    groupIds?: string[];
    privateLinkServiceConnectionState?: { status?: string; description?: string; actionsRequired?: string };
    requestMessage?: string;
    provisioningState?: string;
  };
}

/** Microsoft.Network/privateEndpoints (PrivateEndpointGet*.json). */
export interface PrivateEndpointJson extends ArmResourceJson {
  properties?: {
    provisioningState?: string;
    subnet?: { id?: string };
    privateLinkServiceConnections?: PeConnection[];
    /** Cross-tenant connections (approved by the other tenant) sit here. */
    manualPrivateLinkServiceConnections?: PeConnection[];
    customDnsConfigs?: Array<{ fqdn?: string; ipAddresses?: string[] }>;
    ipConfigurations?: Array<{ name?: string; properties?: { groupId?: string; memberName?: string; privateIPAddress?: string } }>;
    networkInterfaces?: Array<{ id?: string }>;
  };
}

/** A connection of the Fabric private link service (PrivateEndpointConnections_Get.json). */
export interface PlsConnection {
  id?: string;
  name?: string;
  type?: string;
  properties?: {
    privateEndpoint?: { id?: string };
    privateLinkServiceConnectionState?: { status?: string; description?: string; actionsRequired?: string };
    provisioningState?: string;
  };
}

/** Microsoft.Fabric/privateLinkServicesForFabric (PrivateLinkServicesForFabric_Get.json). */
export interface FabricPrivateLinkServiceJson extends ArmResourceJson {
  properties?: {
    tenantId?: string;
    /** The workspace it serves (the examples call it workspaceObjectId; some answers workspaceId). */
    workspaceObjectId?: string;
    workspaceId?: string;
    provisioningState?: string;
    privateEndpointConnections?: PlsConnection[];
  };
}

/** A VNet peering (VirtualNetworkPeeringGet.json). */
export interface PeeringJson extends ArmResourceJson {
  properties?: {
    remoteVirtualNetwork?: { id?: string };
    remoteAddressSpace?: { addressPrefixes?: string[] };
    peeringState?: string;
    peeringSyncLevel?: string;
    allowVirtualNetworkAccess?: boolean;
    allowForwardedTraffic?: boolean;
    allowGatewayTransit?: boolean;
    useRemoteGateways?: boolean;
    provisioningState?: string;
  };
}

/** A VNet's subnet (SubnetGet.json). */
export interface SubnetJson extends ArmResourceJson {
  properties?: {
    addressPrefix?: string;
    addressPrefixes?: string[];
    routeTable?: { id?: string };
    privateEndpointNetworkPolicies?: string;
    provisioningState?: string;
    ipConfigurations?: Array<{ id?: string }>;
    privateEndpoints?: Array<{ id?: string }>;
  };
}

/** Microsoft.Network/virtualNetworks (VirtualNetworkGet.json). */
export interface VirtualNetworkJson extends ArmResourceJson {
  properties?: {
    provisioningState?: string;
    resourceGuid?: string;
    addressSpace?: { addressPrefixes?: string[] };
    dhcpOptions?: { dnsServers?: string[] };
    subnets?: SubnetJson[];
    virtualNetworkPeerings?: PeeringJson[];
    enableDdosProtection?: boolean;
  };
}

/** Microsoft.Network/networkInterfaces (NetworkInterfaceGet.json; a private endpoint's NIC has privateLinkConnectionProperties). */
export interface NetworkInterfaceJson extends ArmResourceJson {
  properties?: {
    dnsSettings?: { dnsServers?: string[]; appliedDnsServers?: string[] };
    ipConfigurations?: Array<{
      name?: string;
      properties?: {
        privateIPAddress?: string;
        subnet?: { id?: string };
        primary?: boolean;
        privateLinkConnectionProperties?: { fqdns?: string[]; requiredMemberName?: string; groupId?: string };
      };
    }>;
    virtualMachine?: { id?: string };
    privateEndpoint?: { id?: string };
  };
}

/** A private endpoint's DNS zone group (PrivateDnsZoneGroupGet.json). */
export interface PrivateDnsZoneGroupJson extends ArmResourceJson {
  properties?: { privateDnsZoneConfigs?: Array<{ name?: string; properties?: { privateDnsZoneId?: string } }> };
}

/** A private DNS zone's virtual network link (VirtualNetworkLinkGet.json). */
export interface VirtualNetworkLinkJson extends ArmResourceJson {
  properties?: { virtualNetwork?: { id?: string }; virtualNetworkLinkState?: string; provisioningState?: string; resolutionPolicy?: string; registrationEnabled?: boolean };
}

/** Microsoft.Network/privateDnsZones (PrivateZoneGet.json). */
export interface PrivateDnsZoneJson extends ArmResourceJson {
  properties?: { numberOfRecordSets?: number; numberOfVirtualNetworkLinks?: number; provisioningState?: string; [field: string]: unknown };
}

/** A private DNS A record set (RecordSetAGet.json). */
export interface ARecordSetJson extends ArmResourceJson {
  properties?: { fqdn?: string; ttl?: number; aRecords?: Array<{ ipv4Address?: string }> };
}

/** Both connection arrays of an endpoint: cross-tenant ones sit in the manual array. */
export function endpointConnections(pe: PrivateEndpointJson | undefined): Array<PeConnection & { manual: boolean }> {
  const props = pe?.properties;
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
export function peerings(vnet: Pick<VirtualNetworkJson, 'properties'>): PeeringSummary[] {
  return (vnet.properties?.virtualNetworkPeerings ?? []).map((p) => ({
    name: p.name ?? null,
    remoteVirtualNetwork: p.properties?.remoteVirtualNetwork?.id ?? null,
    peeringState: p.properties?.peeringState ?? null,
    allowForwardedTraffic: p.properties?.allowForwardedTraffic ?? null,
  }));
}

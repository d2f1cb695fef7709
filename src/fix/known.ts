// What the doctor knows about a target's resources, for filling in fix commands: the config first,
// then whatever facts the check could read. Every field is optional: a fix asks a command for what is
// missing (see steps.ts), it never prints a placeholder. Pure: no I/O.
import { FABRIC_PLS_TYPE, parseResourceId, vnetOfSubnet, type ResourceId } from '../azure/resourceId.js';
import type { ResolvedConfig } from '../config/types.js';
import type { FactId, FactReader, FactValue, Target, TenantSide } from '../engine/types.js';
import { configuredPlsId, endpointConnections } from '../gather/arm/shapes.js';

export interface KnownValues {
  workspaceId?: string;
  /** Fabric REST base and token resource of the configured cloud (`az rest --resource`). */
  fabric: { endpoint: string; resource: string };
  provider: {
    tenantId?: string;
    /** The application (client) id of the doctor's provider identity, when its credential names one. */
    clientId?: string;
    subscriptionId?: string;
    privateLinkService?: ResourceId;
  };
  consumer: {
    tenantId?: string;
    subscriptionId?: string;
    privateEndpoint?: ResourceId;
    /** The endpoint's subnet, or else a subnet of the jump VM's VNet that can hold it. */
    subnetId?: string;
    /** The jump VM's VNet. */
    vnet?: ResourceId;
    zone?: ResourceId;
  };
}

const PUBLIC_FABRIC = { endpoint: 'https://api.fabric.microsoft.com', resource: 'https://api.fabric.microsoft.com' };

// Subnets Azure reserves for its own services: never a place for a private endpoint.
const RESERVED_SUBNETS = /^(GatewaySubnet|AzureFirewallSubnet|AzureFirewallManagementSubnet|AzureBastionSubnet|RouteServerSubnet)$/i;

/** The known values of a target: config first, facts (read leniently, any that the check has) second. */
export function knownValues(target: Target | undefined, config?: ResolvedConfig, facts?: FactReader<FactId>): KnownValues {
  // A check passes its own reader: a fact it does not list in `needs` reads as unavailable, so unknown here.
  const read = <K extends FactId>(id: K): FactValue<K> | undefined => {
    const result = facts?.get(id);
    return result?.ok ? result.value : undefined;
  };
  const pe = read('consumer.privateEndpoint');
  const pls = read('provider.privateLinkService');
  const zoneFact = read('consumer.privateDnsZone');
  const zoneList = read('consumer.privateDnsZone.aRecords') ?? read('consumer.privateDnsZone.vnetLinks');
  const vnetRef = read('consumer.vnetId');
  const vnet = read('consumer.vnet');

  const peId = parseResourceId(pe?.id ?? target?.consumer?.privateEndpointId);
  // The service the endpoint connects to is the one in tenant 2 when the config does not name it.
  const fromEndpoint = endpointConnections(pe)
    .map((c) => c.properties?.privateLinkServiceId)
    .find((id) => parseResourceId(id)?.type.toLowerCase() === FABRIC_PLS_TYPE.toLowerCase());
  const plsId = parseResourceId(pls?.id ?? (target ? configuredPlsId(target) : undefined) ?? fromEndpoint);
  const vnetId = parseResourceId(target?.consumer?.vnetId ?? (vnetRef?.source === 'config' ? vnetRef.vnetId : undefined) ?? vnetOfSubnet(pe?.properties?.subnet?.id));
  const usableSubnet = vnet?.properties?.subnets?.find((s) => s.id && !RESERVED_SUBNETS.test(s.name ?? ''))?.id;
  const zone = parseResourceId(target?.consumer?.privateDnsZoneId ?? zoneFact?.zone?.id ?? zoneList?.zoneId);
  const cloud = config?.cloud;

  return {
    ...(target ? { workspaceId: target.workspaceId } : {}),
    fabric: cloud ? { endpoint: cloud.fabricEndpoint.replace(/\/+$/, ''), resource: cloud.fabricScope.replace(/\/\.default$/, '') } : PUBLIC_FABRIC,
    provider: {
      tenantId: target?.provider?.tenantId,
      ...(credentialClientId(config, 'provider') ? { clientId: credentialClientId(config, 'provider') } : {}),
      subscriptionId: target?.provider?.subscriptionId ?? plsId?.subscriptionId,
      privateLinkService: plsId,
    },
    consumer: {
      tenantId: target?.consumer?.tenantId,
      subscriptionId: target?.consumer?.subscriptionId ?? peId?.subscriptionId ?? vnetId?.subscriptionId,
      privateEndpoint: peId,
      subnetId: pe?.properties?.subnet?.id ?? usableSubnet,
      vnet: vnetId,
      zone,
    },
  };
}

/** A side's credential's client id (an app registration's, or a user-assigned managed identity's). */
export function credentialClientId(config: ResolvedConfig | undefined, side: TenantSide): string | undefined {
  const c = config?.credentials[side] as { clientId?: unknown; managedIdentityClientId?: unknown } | undefined;
  const id = c?.clientId ?? c?.managedIdentityClientId;
  return typeof id === 'string' && id ? id : undefined;
}

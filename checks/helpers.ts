// Pure helpers shared by the provider and consumer checks (no I/O).
import { FABRIC_PLS_TYPE, isType, sameId } from '../src/azure/resourceId.js';
import type { FactResult } from '../src/engine/types.js';
import { configuredPlsId, endpointConnections, type PeConnection } from '../src/gather/arm/shapes.js';

export { configuredPlsId, endpointConnections, sameId };

/** The endpoint's connection to the Fabric private link service: the configured one, else the first to any Fabric service. */
export function fabricConnection(pe: unknown, expectedPlsId: string | undefined): (PeConnection & { manual: boolean }) | undefined {
  const all = endpointConnections(pe);
  if (expectedPlsId) {
    const exact = all.find((c) => sameId(c.properties?.privateLinkServiceId, expectedPlsId));
    if (exact) return exact;
  }
  return all.find((c) => isType(c.properties?.privateLinkServiceId, FABRIC_PLS_TYPE)) ?? all[0];
}

export function connectionSummary(c: PeConnection & { manual?: boolean }) {
  return {
    name: c.name ?? null,
    privateLinkServiceId: c.properties?.privateLinkServiceId ?? null,
    groupIds: c.properties?.groupIds ?? [],
    status: c.properties?.privateLinkServiceConnectionState?.status ?? null,
    description: c.properties?.privateLinkServiceConnectionState?.description ?? null,
    actionsRequired: c.properties?.privateLinkServiceConnectionState?.actionsRequired ?? null,
    ...(c.manual !== undefined ? { array: c.manual ? 'manualPrivateLinkServiceConnections' : 'privateLinkServiceConnections' } : {}),
  };
}

/** The id of the endpoint this target is about: as read, else as configured. */
export function endpointIdOf(pe: FactResult, configured: string | undefined): string | undefined {
  if (pe.ok) return (pe.value as { id?: string }).id ?? configured;
  return configured;
}

export function lower(value: unknown): string {
  return typeof value === 'string' ? value.toLowerCase() : '';
}

/** Fabric SKU rule: an F SKU (F2, F64…); trial (FT1), P and A SKUs are not supported. */
export function isSupportedSku(sku: unknown): boolean {
  return typeof sku === 'string' && /^F\d+$/i.test(sku);
}

// Pure helpers shared by the provider and consumer checks (no I/O).
import { FABRIC_PLS_TYPE, isType, nameOf, sameId } from '../src/azure/resourceId.js';
import type { TargetResults } from '../src/engine/define.js';
import type { CheckResult, FactResult } from '../src/engine/types.js';
import { configuredPlsId, endpointConnections, type PeConnection, type PrivateEndpointJson } from '../src/gather/arm/shapes.js';

export { configuredPlsId, endpointConnections, nameOf, sameId };

/** The endpoint's connection to the Fabric private link service: the configured one, else the first to any Fabric service. */
export function fabricConnection(pe: PrivateEndpointJson | undefined, expectedPlsId: string | undefined): (PeConnection & { manual: boolean }) | undefined {
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
export function endpointIdOf(pe: FactResult<PrivateEndpointJson>, configured: string | undefined): string | undefined {
  if (pe.ok) return pe.value.id ?? configured;
  return configured;
}

export function lower(value: unknown): string {
  return typeof value === 'string' ? value.toLowerCase() : '';
}

/** Fabric SKU rule: an F SKU (F2, F64…); trial (FT1), P and A SKUs are not supported. */
export function isSupportedSku(sku: unknown): boolean {
  return typeof sku === 'string' && /^F\d+$/i.test(sku);
}

/** Another result of the target when it failed (causality hooks link only to what ARM or a probe showed wrong). */
export function failedResult(results: TargetResults, checkId: string): CheckResult | undefined {
  const result = results.get(checkId);
  return result?.status === 'fail' ? result : undefined;
}

/** An evidence field as a list of strings (absent or of another shape: empty). */
export function evidenceStrings(evidence: Record<string, unknown> | undefined, key: string): string[] {
  const value = evidence?.[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

// Upgrades of recorded facts from an older gatherer version, so a newer tool can still replay an
// older bundle. A gatherer that bumps its `version` and can read the old shape adds a step here:
// FACT_MIGRATIONS['consumer.privateEndpoint'] = { 1: (v1) => v2 }. Without a step, a fact recorded
// with another version is treated as missing (its checks `skip` with reason missing-fact).
import type { FactResult, RecordedFact, TargetReport } from '../engine/types.js';
import { endpointIps } from '../gather/arm/endpoint-ips.js';
import type { PrivateEndpointJson } from '../gather/arm/shapes.js';

export type FactMigration = (value: unknown) => unknown;

/** fact id → recorded version → upgrade to version + 1. */
export const FACT_MIGRATIONS: Record<string, Record<number, FactMigration>> = {};

/**
 * Facts a newer tool reads that an older recording can still give, derived from a fact it does
 * hold for the same target (never from the network): `consumer.endpointIps`, the one reading of the
 * endpoint's IPs, from the recorded endpoint (without its NIC, which older tools never read).
 */
export const DERIVED_FACTS: Record<string, { from: string; version: number; derive(value: unknown, workspaceId: string): unknown }> = {
  'consumer.endpointIps': { from: 'consumer.privateEndpoint', version: 1, derive: (pe, workspaceId) => endpointIps(pe as PrivateEndpointJson, [], workspaceId) },
};

/** The recording with each derivable fact a target lacks added (its targets' factRefs pointing to it). */
export function deriveMissingFacts(facts: Record<string, RecordedFact>, targets: TargetReport[]): { facts: Record<string, RecordedFact>; targets: TargetReport[] } {
  const out = { ...facts };
  const withDerived = targets.map((target) => {
    const refs = { ...target.factRefs };
    for (const [id, rule] of Object.entries(DERIVED_FACTS)) {
      const sourceKey = refs[rule.from];
      const source = sourceKey ? out[sourceKey] : undefined;
      if (refs[id] || !source) continue;
      const key = `${id}@derived|${sourceKey}|${target.workspaceId}`;
      const result: FactResult = source.result.ok ? { ok: true, value: rule.derive(source.result.value, target.workspaceId) } : source.result;
      out[key] = { id, version: rule.version, key, result, durationMs: 0 };
      refs[id] = key;
    }
    return { ...target, factRefs: refs };
  });
  return { facts: out, targets: withDerived };
}

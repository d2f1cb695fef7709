// Upgrades of recorded facts from an older gatherer version, so a newer tool can still replay an
// older bundle. A gatherer that bumps its `version` and can read the old shape adds a step here:
// FACT_MIGRATIONS['consumer.privateEndpoint'] = { 1: (v1) => v2 }. Without a step, a fact recorded
// with another version is treated as missing (its checks `skip` with reason missing-fact).
export type FactMigration = (value: unknown) => unknown;

/** fact id → recorded version → upgrade to version + 1. */
export const FACT_MIGRATIONS: Record<string, Record<number, FactMigration>> = {};

// The public API: write checks against it (plugins), or run a diagnosis from code.
export { defineCheck, defineFact, qualifyPrerequisite, withFacts } from './engine/define.js';
export type { CheckDef, CheckInput, FactDef, FactId, FactReader, FactTypes, FactTypesOf, FactValue, GatherContext } from './engine/define.js';
// The built-in fact map (and, with it, the augmentation that types FactTypes for every importer).
export type { BuiltInFactTypes } from './gather/index.js';
export { unavailable, FactUnavailableError, SIDES, STATUSES, SEVERITIES } from './engine/types.js';
export type * from './engine/types.js';
export { runDiagnosis, type EngineEvent, type EngineOptions } from './engine/run.js';
export { computeSummary, tripsGate, EXIT } from './engine/status.js';
export { diagnose, loadCatalogue, type DiagnoseOptions } from './diagnose.js';
export { loadConfigFile, parseConfigText, resolveConfig, ConfigError } from './config/load.js';
export { defaultConfig, testConfig } from './config/defaults.js';
export type { ResolvedConfig, CredentialConfig } from './config/types.js';
export { parseWorkspaceId, workspaceNames, PRIVATELINK_ZONE } from './fabric/workspace.js';

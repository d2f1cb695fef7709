// The library entry point: runs a diagnosis for a resolved config and returns the RunReport.
// The CLI is one user of it; plugins and scripts are others.
import type { ResolvedConfig } from './config/types.js';
import { buildCatalogue, loadPlugins, type Catalogue, type PluginModule } from './engine/catalogue.js';
import { runDiagnosis, type EngineEvent, type FactSpill } from './engine/run.js';
import { createServices, type Services } from './engine/services.js';
import type { RunReport } from './engine/types.js';
import { collectEnvironment, vantageOf } from './environment.js';
import { undici } from './net/undici.js';
import { toolInfo } from './version.js';

export interface DiagnoseOptions {
  onEvent?: (event: EngineEvent) => void;
  /** Facts of finished targets leave memory here; the report then lists only the facts kept (engine/run.ts). */
  factSpill?: FactSpill;
  signal?: AbortSignal;
  failOn?: string;
  /** Checks and facts added in code (besides config.plugins). */
  plugins?: Array<PluginModule & { source: string }>;
  /** Pass your own to read the request log afterwards. */
  services?: Services;
  /** Replay: evaluate the checks on these recorded facts instead of gathering. */
  recording?: Pick<RunReport, 'facts' | 'targets'>;
  /** An already loaded catalogue (the CLI loads it first to size its progress display). */
  catalogue?: Catalogue;
  /** The name of this vantage point in a merged estate report (default: the host name). */
  vantage?: string;
}

/** The built-in checks and facts, loaded on demand so light commands stay light. */
export async function builtInCatalogue(): Promise<Catalogue> {
  const [{ CATALOGUE }, { ALL_FACTS }] = await Promise.all([import('../checks/index.js'), import('./gather/index.js')]);
  return { checks: CATALOGUE, facts: ALL_FACTS };
}

/** Built-ins plus config.plugins plus plugins given in code, validated. */
export async function loadCatalogue(config: ResolvedConfig, extra: Array<PluginModule & { source: string }> = []): Promise<Catalogue> {
  const plugins = [...(await loadPlugins(config.plugins)), ...extra];
  return buildCatalogue(await builtInCatalogue(), plugins);
}

/**
 * The engine's head start: the sign-in's first request on the wire (signInOnTheWire), then the code
 * the first wave of reads needs (the generated ARM clients; undici for Fabric and the connections
 * opened while the tokens are in flight), loaded before the other facts start: the wave then goes
 * out at once when the tokens come, not in two parts around a load (each part a round trip in a row).
 */
async function headStart(config: ResolvedConfig): Promise<void> {
  const [{ signInOnTheWire }, { armClients }] = await Promise.all([import('./azure/credentials.js'), import('./azure/arm.js')]);
  await signInOnTheWire(config);
  await Promise.all([undici(), armClients()]);
}

export async function diagnose(config: ResolvedConfig, options: DiagnoseOptions = {}): Promise<RunReport> {
  const catalogue = options.catalogue ?? (await loadCatalogue(config, options.plugins));
  const signal = options.signal ?? new AbortController().signal;
  const report = await runDiagnosis({
    config,
    checks: catalogue.checks,
    facts: catalogue.facts,
    services: options.services ?? createServices(config, signal),
    signal,
    onEvent: options.onEvent,
    ...(options.factSpill ? { factSpill: options.factSpill } : {}),
    failOn: options.failOn,
    recording: options.recording,
    tool: toolInfo(),
    environment: collectEnvironment(config),
    headStart: () => headStart(config),
  });
  return { ...report, vantage: vantageOf(config, report.startedAt, options.vantage) };
}

// Runs the control-plane checks (and the DNS path's local confirmation) against a hub-and-spoke
// world served by the ARM mock, through the real engine, gatherers and Azure SDK clients.
import { CATALOGUE } from '../../checks/index.js';
import { testConfig } from '../../src/config/defaults.js';
import type { CredentialConfig } from '../../src/config/types.js';
import type { LookupFn } from '../../src/dns/system.js';
import { runDiagnosis } from '../../src/engine/run.js';
import { createServices } from '../../src/engine/services.js';
import type { CheckResult, RunReport, Target } from '../../src/engine/types.js';
import { ALL_FACTS } from '../../src/gather/index.js';
import { serve, type Overrides, type Seen } from '../fixtures/azure-mock.js';
import * as fx from '../fixtures/control.js';
import { routes, type World } from '../fixtures/topology.js';
import { GET_SERVERS } from '../../src/gather/dns/servers.js';
import { SYSTEM_LOOKUP } from '../../src/gather/dns/system-resolve.js';

export const CONSUMER: CredentialConfig = { type: 'access-token', armTokenEnv: 'XTD_T1_ARM' };

/** A target whose config names no zone (the landing-zone case): the zone group names it. */
export function topologyTarget(consumer: Partial<NonNullable<Target['consumer']>> = {}): Target {
  const base = fx.target();
  const { privateDnsZoneId: _zone, ...rest } = base.consumer!;
  return { ...base, consumer: { ...rest, ...consumer } };
}

/** The system resolver's answer for every name (what the jump VM sees). */
export function answering(address: string): LookupFn {
  return (_name, _options, callback) => callback(null, [{ address, family: 4 }]);
}

export interface TopologyRun {
  report: RunReport;
  byId: Record<string, CheckResult>;
  seen: Seen[];
  fact<T = any>(id: string): T;
}

export async function runWorld(world: World, options: { target?: Target; overrides?: Overrides; systemAnswer?: string; extraChecks?: string[] } = {}): Promise<TopologyRun> {
  process.env.XTD_T1_ARM = 'consumer-arm-token-t1';
  const seen = serve(routes(world), options.overrides ?? {});
  const config = testConfig({ targets: [options.target ?? topologyTarget()], credentials: { provider: { type: 'none' }, consumer: CONSUMER }, timeouts: { requestMs: 2000, factMs: 20000 } });
  const services = createServices(config, new AbortController().signal);
  // The VM's resolver: public unless a test says otherwise (no lookup leaves the process).
  services.shared(SYSTEM_LOOKUP, () => answering(options.systemAnswer ?? '20.42.0.10'));
  // No system DNS server: a direct query would otherwise go to this machine's resolver and beyond.
  services.shared(GET_SERVERS, () => () => []);
  const checks = CATALOGUE.filter((c) => c.side === 'consumer' || options.extraChecks?.includes(c.id));
  const report = await runDiagnosis({ config, checks, facts: ALL_FACTS, services });
  const target = report.targets[0]!;
  return {
    report,
    seen,
    byId: Object.fromEntries(target.results.map((r) => [r.checkId, r])),
    fact(id) {
      const result = report.facts[target.factRefs[id]!]!.result;
      if (!result.ok) throw new Error(`${id} is unavailable: ${result.unavailable.message}`);
      return result.value as any;
    },
  };
}

// Builders for DNS fact values and a runner that evaluates checks through the real engine on
// canned facts (so `after`, blocking and the unavailable-fact rules are the engine's own).
import { testConfig } from '../../src/config/defaults.js';
import type { DnsAnswer } from '../../src/dns/resolver.js';
import { classified } from '../../src/dns/classify.js';
import { defineFact, type CheckDef, type FactDef } from '../../src/engine/define.js';
import type { PrivateEndpointJson } from '../../src/gather/arm/shapes.js';
import { runDiagnosis } from '../../src/engine/run.js';
import { unavailable, type CheckResult, type FactResult, type UnavailableKind } from '../../src/engine/types.js';
import { ENDPOINT_KINDS, workspaceNames, type EndpointKind } from '../../src/fabric/workspace.js';
import { endpointIps } from '../../src/gather/arm/endpoint-ips.js';
import type { DirectResolveFact } from '../../src/gather/dns/direct-resolve.js';
import type { SystemResolveFact } from '../../src/gather/dns/system-resolve.js';

export const WS = 'cfafbeb1-8037-4d0c-896e-a46fb27ff227';
export const NAMES = workspaceNames(WS);
export const API = NAMES.fqdns.api;
export const privatelink = (fqdn: string) => fqdn.replace('.fabric.microsoft.com', '.privatelink.fabric.microsoft.com');

export const HEALTHY_IPS: Record<EndpointKind, string> = { api: '10.0.0.5', compute: '10.0.0.6', onelake: '10.0.0.7', dfs: '10.0.0.8', blob: '10.0.0.9' };

export function systemFact(ips: Partial<Record<EndpointKind, string[]>>, errors: Partial<Record<EndpointKind, string>> = {}): SystemResolveFact {
  const answers: SystemResolveFact['answers'] = {};
  for (const kind of ENDPOINT_KINDS) {
    const fqdn = NAMES.fqdns[kind];
    const addresses = ips[kind] ?? [];
    answers[fqdn] = { name: fqdn, via: 'os', addresses: classified(addresses), ms: 1, ...(addresses.length ? {} : { code: 'ENOTFOUND', error: errors[kind] ?? 'ENOTFOUND: no address' }) };
  }
  return { via: 'os', answers };
}

export interface ServerAnswer {
  addresses?: string[];
  rcode?: string;
  chain?: string[];
  error?: string;
}

/** Direct queries: per server, the API FQDN's answer (the other names answer privately). */
export function directFact(servers: Record<string, ServerAnswer>): DirectResolveFact {
  const queries: DnsAnswer[] = [];
  for (const [server, api] of Object.entries(servers)) {
    for (const kind of ENDPOINT_KINDS) {
      const fqdn = NAMES.fqdns[kind];
      const answer = kind === 'api' ? api : { addresses: [HEALTHY_IPS[kind]] };
      const rcode = answer.rcode ?? 'NOERROR';
      const chain = answer.chain ?? [fqdn, privatelink(fqdn)];
      queries.push({ name: fqdn, server, type: 'A', rcode, chain, addresses: classified(answer.addresses ?? []), ms: 1, ...(answer.error ? { error: answer.error } : {}) });
      queries.push({ name: fqdn, server, type: 'AAAA', rcode, chain, addresses: [], ms: 1, ...(answer.error ? { error: answer.error } : {}) });
    }
  }
  return { servers: Object.keys(servers), queries };
}

/** An ARM PrivateEndpoint with customDnsConfigs for the given kinds. */
export function privateEndpoint(ips: Partial<Record<EndpointKind, string>> = HEALTHY_IPS): PrivateEndpointJson {
  return {
    id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe',
    name: 'pe',
    properties: {
      provisioningState: 'Succeeded',
      customDnsConfigs: Object.entries(ips).map(([kind, ip]) => ({ fqdn: NAMES.fqdns[kind as EndpointKind], ipAddresses: [ip] })),
    },
  };
}

export type Canned = Record<string, FactResult | { unavailable: UnavailableKind; message?: string }>;

export const ok = <T>(value: T): FactResult<T> => ({ ok: true, value });

export async function runChecks(checks: CheckDef[], facts: Canned): Promise<Record<string, CheckResult>> {
  const pe = facts['consumer.privateEndpoint'] as FactResult | undefined;
  const derived: Canned = pe && pe.ok && !('consumer.endpointIps' in facts) ? { 'consumer.endpointIps': ok(endpointIps(pe.value as PrivateEndpointJson, [], WS)) } : {};
  if (pe && !pe.ok && !('consumer.endpointIps' in facts)) derived['consumer.endpointIps'] = pe;
  const defs: FactDef[] = Object.entries({ ...facts, ...derived }).map(([id, result]) =>
    defineFact({
      id,
      version: 1,
      description: id,
      async gather() {
        if ('unavailable' in result && typeof result.unavailable === 'string') return unavailable(result.unavailable, result.message ?? `${id} unavailable`);
        const r = result as FactResult;
        return r.ok ? r.value : unavailable(r.unavailable.kind, r.unavailable.message);
      },
    }),
  );
  const report = await runDiagnosis({ config: testConfig({ targets: [{ name: 't', workspaceId: WS }] }), checks, facts: defs });
  return Object.fromEntries(report.targets[0]!.results.map((r) => [r.checkId, r]));
}

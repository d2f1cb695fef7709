// local.systemResolve: what applications on this machine see for the five workspace FQDNs.
import dns from 'node:dns';
import { resolveName } from '../../dns/resolver.js';
import { osLookup, systemLookup, type LookupFn, type SystemAnswer } from '../../dns/system.js';
import { serviceKey } from '../../engine/services.js';
import { ENDPOINT_KINDS, workspaceNames } from '../../fabric/workspace.js';
import { defineFact, type GatherContext } from '../../engine/define.js';
import { FactUnavailableError } from '../../engine/types.js';

export interface SystemResolveFact {
  /** `os`, or `server <host[:port]>` when dns.systemResolver names a server standing in for it. */
  via: string;
  /** FQDN → answer, in the order api, compute, onelake, dfs, blob. */
  answers: Record<string, SystemAnswer>;
}

/** A server standing in for the OS resolver: A and AAAA merged, rcodes mapped to getaddrinfo's codes. */
async function viaServer(ctx: GatherContext, name: string, server: string): Promise<SystemAnswer> {
  const started = performance.now();
  const ask = (type: 'A' | 'AAAA') =>
    ctx.services.limit('dns', () => resolveName(name, { type, server, config: ctx.config, signal: ctx.signal }));
  const [a, aaaa] = await Promise.all([ask('A'), ask('AAAA')]);
  const addresses = [...a.addresses, ...aaaa.addresses];
  const answer: SystemAnswer = { name, via: `server ${server}`, addresses, ms: Math.round(performance.now() - started), chain: a.chain };
  if (addresses.length) return answer;
  const failed = [a, aaaa].find((x) => x.rcode !== 'NOERROR' && x.rcode !== 'NXDOMAIN') ?? a;
  const code = failed.rcode === 'NXDOMAIN' || failed.rcode === 'NOERROR' ? 'ENOTFOUND' : failed.rcode === 'TIMEOUT' || failed.rcode === 'SERVFAIL' ? 'EAI_AGAIN' : 'ERROR';
  return { ...answer, code, error: `${code}: ${failed.error ?? `${failed.rcode} from ${server}`}` };
}

/** The system resolver's lookup: the OS's, unless a test or the lab registers its own first. */
export const SYSTEM_LOOKUP = serviceKey<LookupFn>('dns:systemLookup');

export const systemResolveFact = defineFact({
  id: 'local.systemResolve',
  version: 1,
  description: 'The system resolver (dns.lookup: hosts file, OS cache) for the five workspace FQDNs',
  key: (ctx) => `system:${ctx.target.workspaceId}`,
  async gather(ctx): Promise<SystemResolveFact> {
    const { systemResolver } = await ctx.require('local.dnsServers');
    const names = workspaceNames(ctx.target.workspaceId);
    // Tests and the lab inject the lookup: `services.shared(SYSTEM_LOOKUP, () => fn)` before the run.
    const lookup = ctx.services.shared(SYSTEM_LOOKUP, () => osLookup);
    // The sandbox holds for the OS resolver too: getaddrinfo may send queries anywhere.
    if (systemResolver === 'os' && ctx.config.network.sandbox && lookup === osLookup) {
      throw new FactUnavailableError({
        kind: 'network',
        message: 'sandbox: the OS resolver is not asked (it may query servers off loopback); set dns.systemResolver to a server that stands in for it',
      });
    }
    const answers: Record<string, SystemAnswer> = {};
    const results = await Promise.all(
      ENDPOINT_KINDS.map((kind) =>
        systemResolver === 'os'
          ? ctx.services.limit('dns', () => systemLookup(names.fqdns[kind], lookup))
          : viaServer(ctx, names.fqdns[kind], systemResolver),
      ),
    );
    for (const result of results) answers[result.name] = result;
    return { via: systemResolver === 'os' ? 'os' : `server ${systemResolver}`, answers };
  },
});

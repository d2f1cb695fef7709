// local.directResolve: each DNS server asked directly for the five FQDNs, A and AAAA.
import { resolveName, type DnsAnswer } from '../../dns/resolver.js';
import { ENDPOINT_KINDS, workspaceNames } from '../../fabric/workspace.js';
import { defineFact } from '../../engine/define.js';
import { unavailable } from '../../engine/types.js';
import type { DnsServersFact } from './servers.js';

export interface DirectResolveFact {
  servers: string[];
  /** One per server × FQDN × type, in that order. */
  queries: DnsAnswer[];
}

export const directResolveFact = defineFact<DirectResolveFact>({
  id: 'local.directResolve',
  version: 1,
  description: 'Direct queries (stub resolver, no hosts file, no OS cache) to each DNS server for the five workspace FQDNs, A and AAAA',
  key: (ctx) => `direct:${ctx.target.workspaceId}`,
  async gather(ctx) {
    const { servers } = await ctx.require<DnsServersFact>('local.dnsServers');
    if (servers.length === 0) {
      unavailable('not-configured', 'no DNS server to ask: dns.servers is empty and dns.getServers() returned none');
    }
    const names = workspaceNames(ctx.target.workspaceId);
    const jobs = servers.flatMap(({ server }) =>
      ENDPOINT_KINDS.flatMap((kind) =>
        (['A', 'AAAA'] as const).map((type) =>
          ctx.services.limit('dns', () => resolveName(names.fqdns[kind], { type, server, config: ctx.config, signal: ctx.signal })),
        ),
      ),
    );
    return { servers: servers.map((s) => s.server), queries: await Promise.all(jobs) };
  },
});

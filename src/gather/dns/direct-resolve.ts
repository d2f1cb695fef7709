// local.directResolve: each DNS server asked directly for the five FQDNs, A and AAAA: the servers
// on the VM's DNS path when ARM shows it, and 168.63.129.16 only when that path is Azure-provided DNS
// (asked from a VNet with custom DNS it gives that VNet's view, which the VM never asks for).
import { AZURE_VNET_RESOLVER } from '../../config/defaults.js';
import { formatServer, parseServer } from '../../dns/server.js';
import { resolveName, type DnsAnswer } from '../../dns/resolver.js';
import { ENDPOINT_KINDS, workspaceNames } from '../../fabric/workspace.js';
import { defineFact, type GatherContext } from '../../engine/define.js';
import { unavailable } from '../../engine/types.js';
import type { DnsPathFact } from '../arm/dnsPath.js';
import type { DnsServerEntry } from './servers.js';

/** The servers to ask: the configured or system ones, adjusted to the VM's DNS path when it is known. */
export function serversOnPath(servers: DnsServerEntry[], path: Pick<DnsPathFact, 'serversSource' | 'servers'> | undefined): DnsServerEntry[] {
  if (!path) return servers;
  const out = servers.filter((entry) => path.serversSource === 'azure-provided' || !(entry.source === 'azure' || entry.server === AZURE_VNET_RESOLVER));
  for (const spec of path.servers) {
    let server: string;
    try {
      server = formatServer(parseServer(spec));
    } catch {
      continue; // not an address a query can go to (ARM holds what the user typed)
    }
    if (!out.some((entry) => entry.server === server)) out.push({ server, source: 'path' });
  }
  return out;
}

async function serversToAsk(ctx: GatherContext): Promise<DnsServerEntry[]> {
  const { servers } = await ctx.require('local.dnsServers');
  const path = await ctx.fact('consumer.dnsPath');
  return serversOnPath(servers, path.ok ? path.value : undefined);
}

export interface DirectResolveFact {
  servers: string[];
  /** Where each server comes from (config, system, azure, path), in the same order. */
  sources?: DnsServerEntry['source'][];
  /** One per server × FQDN × type, in that order. */
  queries: DnsAnswer[];
}

export const directResolveFact = defineFact({
  id: 'local.directResolve',
  version: 1,
  description: "Direct queries (stub resolver, no hosts file, no OS cache) to each DNS server (those on the VM's DNS path included) for the five workspace FQDNs, A and AAAA",
  key: async (ctx): Promise<string> => `direct:${ctx.target.workspaceId}:${(await serversToAsk(ctx)).map((s) => s.server).join(',')}`,
  async gather(ctx): Promise<DirectResolveFact> {
    const servers = await serversToAsk(ctx);
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
    return { servers: servers.map((s) => s.server), sources: servers.map((s) => s.source), queries: await Promise.all(jobs) };
  },
});

// local.dnsServers: which servers the direct queries go to, and what stands for the system resolver.
import dns from 'node:dns';
import { AZURE_VNET_RESOLVER } from '../../config/defaults.js';
import { formatServer, parseServer } from '../../dns/server.js';
import { defineFact } from '../../engine/define.js';
import { unavailable } from '../../engine/types.js';
import { serviceKey } from '../../engine/services.js';

export interface DnsServerEntry {
  /** Canonical `host` or `host:port`. */
  server: string;
  /** config: dns.servers; system: dns.getServers(); azure: 168.63.129.16 because dns.azureVm is set; path: a server on the VM's DNS path (consumer.dnsPath). */
  source: 'config' | 'system' | 'azure' | 'path';
}

export interface DnsServersFact {
  servers: DnsServerEntry[];
  /** What dns.getServers() returned, shown as such (on Windows it may be a wrong 127.0.0.1). */
  systemReported: string[];
  /** `os` (dns.lookup), or the server that stands for the system resolver (dns.systemResolver). */
  systemResolver: string;
}

export type GetServersFn = () => string[];

/** Injectable for tests: `services.shared(GET_SERVERS, () => fn)` before the run. */
export const GET_SERVERS = serviceKey<GetServersFn>('dns:getServers');

export const dnsServersFact = defineFact({
  id: 'local.dnsServers',
  version: 1,
  description: 'The DNS servers asked directly (dns.servers, else what dns.getServers() reports; plus 168.63.129.16 in Azure) and the system resolver in use',
  key: () => 'local',
  async gather(ctx): Promise<DnsServersFact> {
    const getServers = ctx.services.shared(GET_SERVERS, () => () => dns.getServers());
    const systemReported = getServers();
    const parse = (spec: string, where: string) => {
      try {
        return formatServer(parseServer(spec));
      } catch (error) {
        return unavailable('error', `${where}: ${(error as Error).message}`);
      }
    };
    const servers: DnsServerEntry[] = [];
    const push = (server: string, source: DnsServerEntry['source']) => {
      if (!servers.some((entry) => entry.server === server)) servers.push({ server, source });
    };
    if (ctx.config.dns.servers.length) ctx.config.dns.servers.forEach((spec, i) => push(parse(spec, `dns.servers[${i}]`), 'config'));
    else systemReported.forEach((spec) => push(parse(spec, 'dns.getServers()'), 'system'));
    if (ctx.config.dns.azureVm) push(AZURE_VNET_RESOLVER, 'azure');
    const systemResolver = ctx.config.dns.systemResolver === 'os' ? 'os' : parse(ctx.config.dns.systemResolver, 'dns.systemResolver');
    return { servers, systemReported, systemResolver };
  },
});

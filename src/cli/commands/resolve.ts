// `xtenant-doctor resolve <fqdn|workspaceId> [--server S]... [--system] [--json]`: nslookup done
// right. Direct queries (the CNAME chain, each address classified) beside the system resolver.
import dns from 'node:dns';
import type { Argv, CommandModule } from 'yargs';
import { defaultConfig } from '../../config/defaults.js';
import type { ResolvedConfig } from '../../config/types.js';
import type { ClassifiedAddress } from '../../dns/classify.js';
import { isValidDnsName, normalizeName } from '../../dns/packet.js';
import { resolveName, type DnsAnswer } from '../../dns/resolver.js';
import { formatServer, parseServer } from '../../dns/server.js';
import { systemLookup, type LookupFn, type SystemAnswer } from '../../dns/system.js';
import { ENDPOINT_KINDS, isWorkspaceId, workspaceNames } from '../../fabric/workspace.js';

export class ResolveUsageError extends Error {
  override name = 'ResolveUsageError';
}

/** The names to ask: the five FQDNs of a workspace id, or the one FQDN given. */
export function namesFor(input: string): string[] {
  const text = input.trim();
  if (isWorkspaceId(text)) {
    const names = workspaceNames(text);
    return ENDPOINT_KINDS.map((kind) => names.fqdns[kind]);
  }
  if (!isValidDnsName(text) || !text.includes('.')) {
    throw new ResolveUsageError(`resolve: ${JSON.stringify(input)} is neither a workspace id (a GUID) nor a fully qualified domain name`);
  }
  return [normalizeName(text)];
}

export interface ResolveServer {
  server: string;
  /** `--server`, or `dns.getServers()` when none was given. */
  source: 'flag' | 'system';
}

export interface ResolvePlan {
  names: string[];
  servers: ResolveServer[];
  /** Ask the system resolver (dns.lookup) too. */
  system: boolean;
}

/** Validates the arguments into a plan; throws ResolveUsageError naming the bad one. */
export function planResolve(input: { target: string; server?: string[]; system?: boolean }, getServers: () => string[] = () => dns.getServers()): ResolvePlan {
  const names = namesFor(input.target);
  const flagged = (input.server ?? []).map((spec) => {
    try {
      return formatServer(parseServer(String(spec)));
    } catch (error) {
      throw new ResolveUsageError(`resolve --server: ${(error as Error).message}`);
    }
  });
  if (flagged.length) return { names, servers: flagged.map((server) => ({ server, source: 'flag' })), system: Boolean(input.system) };
  const system = getServers().flatMap((spec) => {
    try {
      return [formatServer(parseServer(spec))];
    } catch {
      return []; // whatever the OS reports that we cannot parse is simply not asked
    }
  });
  return { names, servers: [...new Set(system)].map((server) => ({ server, source: 'system' })), system: true };
}

export interface ResolveResult {
  plan: ResolvePlan;
  queries: DnsAnswer[];
  system: SystemAnswer[];
}

export async function runResolve(
  plan: ResolvePlan,
  options: { config?: ResolvedConfig; lookup?: LookupFn; signal?: AbortSignal } = {},
): Promise<ResolveResult> {
  const config = options.config ?? defaultConfig();
  const queries = await Promise.all(
    plan.servers.flatMap(({ server }) =>
      plan.names.flatMap((name) =>
        (['A', 'AAAA'] as const).map((type) => resolveName(name, { type, server, config, ...(options.signal ? { signal: options.signal } : {}) })),
      ),
    ),
  );
  const system = plan.system ? await Promise.all(plan.names.map((name) => systemLookup(name, options.lookup))) : [];
  return { plan, queries, system };
}

const pickAddresses = (addresses: ClassifiedAddress[]) => addresses.map((a) => ({ address: a.address, class: a.class }));

/** The --json document: exactly the keys the contract names. */
export function resolveJson(result: Pick<ResolveResult, 'queries' | 'system'>) {
  return {
    queries: result.queries.map((q) => ({
      name: q.name,
      server: q.server,
      type: q.type,
      rcode: q.rcode,
      chain: q.chain,
      addresses: pickAddresses(q.addresses),
      ms: q.ms,
    })),
    system: result.system.map((s) => ({ name: s.name, addresses: pickAddresses(s.addresses) })),
  };
}

export function formatResolveJson(result: Pick<ResolveResult, 'queries' | 'system'>): string {
  return `${JSON.stringify(resolveJson(result), null, 2)}\n`;
}

function addressLines(addresses: ClassifiedAddress[], indent: string): string[] {
  const width = Math.max(0, ...addresses.map((a) => a.address.length));
  return addresses.map((a) => `${indent}${a.address.padEnd(width)}  ${a.class}`);
}

/** Text like a better nslookup: per name, each server's chain and classified addresses, then the system resolver. */
export function formatResolveText(result: ResolveResult): string {
  const out: string[] = [];
  for (const name of result.plan.names) {
    out.push(`Name: ${name}`);
    for (const { server, source } of result.plan.servers) {
      const label = source === 'system' ? `${server} (from dns.getServers())` : server;
      for (const q of result.queries.filter((x) => x.name === name && x.server === server)) {
        out.push(`  ${q.type.padEnd(4)} @ ${label}: ${q.rcode} in ${q.ms} ms${q.truncatedRetriedOverTcp ? ' (truncated over UDP, retried over TCP)' : ''}`);
        if (q.chain.length > 1) out.push(`       chain: ${q.chain.join(' → ')}`);
        if (q.error) out.push(`       error: ${q.error}`);
        out.push(...addressLines(q.addresses, '       '));
        if (!q.addresses.length && !q.error) out.push('       (no address)');
      }
    }
    const system = result.system.find((s) => s.name === name);
    if (system) {
      out.push(`  system resolver (dns.lookup: hosts file, OS cache) in ${system.ms} ms${system.error ? `: ${system.error}` : ''}`);
      out.push(...addressLines(system.addresses, '       '));
      if (!system.addresses.length && !system.error) out.push('       (no address)');
    }
    out.push('');
  }
  if (result.plan.servers.length === 0) out.push('No DNS server to ask directly: dns.getServers() returned none; name one with --server HOST[:PORT].', '');
  return out.join('\n');
}

interface ResolveArgs {
  target: string;
  server?: string[];
  system?: boolean;
  json?: boolean;
}

const command: CommandModule<object, ResolveArgs> = {
  command: 'resolve <target>',
  describe: 'nslookup done right: the CNAME chain and each address classified, from each DNS server and the system resolver',
  builder: (yargs: Argv) =>
    yargs
      .positional('target', { type: 'string', describe: 'an FQDN, or a workspace id (all five workspace FQDNs)', demandOption: true })
      .option('server', { type: 'string', array: true, describe: 'ask only this DNS server (host, host:port, [ipv6]:port); repeatable' })
      .option('system', { type: 'boolean', describe: 'with --server, also ask the system resolver (dns.lookup)' })
      .option('json', { type: 'boolean', describe: 'print {"queries": [...], "system": [...]} as JSON' }) as unknown as Argv<ResolveArgs>,
  async handler(argv) {
    let plan: ResolvePlan;
    try {
      plan = planResolve(argv);
    } catch (error) {
      if (!(error instanceof ResolveUsageError)) throw error;
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    const result = await runResolve(plan);
    process.stdout.write(argv.json ? formatResolveJson(result) : formatResolveText(result));
  },
};

export default command;

// `xtenant-doctor resolve <fqdn|workspaceId> [--server S]... [--system] [--json]`: nslookup done
// right. Direct queries (the CNAME chain, each address classified) beside the system resolver, and
// a verdict (private, public, mixed, NXDOMAIN, no answer); exit 1 unless every name is private.
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

export type NameVerdict = 'private' | 'public' | 'mixed' | 'NXDOMAIN' | 'no answer';

export interface ResolveVerdict {
  /** The run's verdict: every name's when they agree, else `mixed`. */
  verdict: NameVerdict;
  /** Each name's verdict, over every server asked and the system resolver. */
  names: Array<{ name: string; verdict: NameVerdict; addresses: string[] }>;
  /** true when every name resolves to private addresses only: the exit code's question. */
  allPrivate: boolean;
}

/**
 * What the answers add up to, per name and in all: `private` when every address any server (and
 * the system resolver) gave is private; `public` when all are public; `mixed` when both appear
 * (or servers disagree); `NXDOMAIN` when no address came and a server said the name does not
 * exist; `no answer` otherwise (empty answers, timeouts, errors).
 */
export function resolveVerdict(result: Pick<ResolveResult, 'plan' | 'queries' | 'system'>): ResolveVerdict {
  const names = result.plan.names.map((name) => {
    const answers = [...result.queries.filter((q) => q.name === name), ...result.system.filter((s) => s.name === name)];
    const addresses = answers.flatMap((a) => a.addresses);
    const classes = new Set(addresses.map((a) => (a.class === 'private' ? 'private' : 'public')));
    let verdict: NameVerdict;
    if (classes.size === 2) verdict = 'mixed';
    else if (classes.has('private')) verdict = 'private';
    else if (classes.has('public')) verdict = 'public';
    else if (result.queries.some((q) => q.name === name && q.rcode === 'NXDOMAIN') || result.system.some((s) => s.name === name && s.code === 'ENOTFOUND')) verdict = 'NXDOMAIN';
    else verdict = 'no answer';
    return { name, verdict, addresses: [...new Set(addresses.map((a) => a.address))] };
  });
  const kinds = new Set(names.map((n) => n.verdict));
  const verdict: NameVerdict = kinds.size === 1 ? [...kinds][0]! : 'mixed';
  return { verdict, names, allPrivate: names.length > 0 && names.every((n) => n.verdict === 'private') };
}

const VERDICT_WORDS: Record<NameVerdict, string> = {
  private: 'resolves to private addresses only',
  public: 'resolves to public addresses: the private zone does not answer for this machine',
  mixed: 'gets private and public answers (servers disagree, or a record is missing)',
  NXDOMAIN: 'does not exist (NXDOMAIN): a record is missing in the private zone',
  'no answer': 'gets no address (empty answers, timeouts or errors)',
};

/** The closing lines: one per name when there are several, then the verdict. */
export function formatVerdictText(v: ResolveVerdict): string {
  const lines: string[] = [];
  if (v.names.length > 1) for (const n of v.names) lines.push(`  ${n.verdict.padEnd(9)} ${n.name}${n.addresses.length ? `  ${n.addresses.join(', ')}` : ''}`);
  const all = v.names.length > 1 ? (v.verdict === 'mixed' ? `the ${v.names.length} names disagree` : `all ${v.names.length} names: ${VERDICT_WORDS[v.verdict]}`) : `${v.names[0]?.name ?? 'the name'} ${VERDICT_WORDS[v.verdict]}`;
  lines.push(`Verdict: ${v.verdict}: ${all}${v.allPrivate ? '' : ' (exit 1)'}`);
  return `${lines.join('\n')}\n`;
}

interface ResolveArgs {
  target: string;
  server?: string[];
  system?: boolean;
  json?: boolean;
}

const command: CommandModule<object, ResolveArgs> = {
  command: 'resolve <target>',
  describe: 'nslookup done right: the CNAME chain and each address classified, from each DNS server and the system resolver; a verdict, exit 1 unless every name resolves privately',
  builder: (yargs: Argv) =>
    yargs
      .positional('target', { type: 'string', describe: 'an FQDN, or a workspace id (all five workspace FQDNs)', demandOption: true })
      .option('server', { type: 'string', array: true, describe: 'ask only this DNS server (host, host:port, [ipv6]:port); repeatable' })
      .option('system', { type: 'boolean', describe: 'with --server, also ask the system resolver (dns.lookup)' })
      .option('json', { type: 'boolean', describe: 'print {"queries": [...], "system": [...]} as JSON' }),
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
    const verdict = resolveVerdict(result);
    process.stdout.write(argv.json ? formatResolveJson(result) : formatResolveText(result) + formatVerdictText(verdict));
    // Like a check: the names not all resolving privately is a finding (exit 1).
    process.exitCode = verdict.allPrivate ? 0 : 1;
  },
};

export default command;

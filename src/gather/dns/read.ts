// Pure helpers the local DNS checks share to read the DNS facts.
import type { SystemAnswer } from '../../dns/system.js';
import { PRIVATELINK_ZONE } from '../../fabric/workspace.js';
import type { FactResult } from '../../engine/types.js';
import type { DirectResolveFact } from './direct-resolve.js';

export function addressList(answer: { addresses: Array<{ address: string }> }): string[] {
  return [...new Set(answer.addresses.map((a) => a.address))].sort();
}

export function sameSet(a: string[], b: string[]): boolean {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

export function passesThroughPrivatelink(chain: string[]): boolean {
  return chain.some((name) => name.endsWith(`.${PRIVATELINK_ZONE}`));
}

/** One server's direct view of one FQDN: A and AAAA merged. */
export interface ServerView {
  server: string;
  addresses: string[];
  chain: string[];
  rcode: string;
  /** Set when neither query got an answer (timeout, network, malformed, sandbox). */
  error?: string;
}

export function serverViews(direct: DirectResolveFact, fqdn: string): ServerView[] {
  return direct.servers.map((server) => {
    const mine = direct.queries.filter((q) => q.server === server && q.name === fqdn);
    const a = mine.find((q) => q.type === 'A');
    const answered = mine.filter((q) => q.rcode !== 'TIMEOUT' && q.rcode !== 'ERROR');
    const view: ServerView = {
      server,
      addresses: [...new Set(answered.flatMap((q) => q.addresses.map((x) => x.address)))].sort(),
      chain: a?.chain ?? [fqdn],
      rcode: a?.rcode ?? mine[0]?.rcode ?? 'ERROR',
    };
    if (answered.length === 0) view.error = mine.map((q) => `${q.type}: ${q.error ?? q.rcode}`).join('; ') || 'no query was made';
    return view;
  });
}

/** Direct queries if the fact is there, else nothing (they only enrich a message). */
export function optionalDirect(result: FactResult<DirectResolveFact>): DirectResolveFact | undefined {
  return result.ok ? result.value : undefined;
}

/** A likely cause for a system answer with no address, from what the servers said directly. */
export function whyNoAddress(system: SystemAnswer, views: ServerView[]): string {
  const chain = system.chain ?? views.find((v) => !v.error)?.chain ?? [];
  const rcode = views.find((v) => !v.error)?.rcode;
  if (passesThroughPrivatelink(chain) && (rcode === 'NXDOMAIN' || system.code === 'ENOTFOUND')) {
    return `NXDOMAIN after the CNAME into ${PRIVATELINK_ZONE} (${chain.join(' → ')}): the zone answers for this VNet but has no A record for this name, or the endpoint is not approved yet`;
  }
  if (rcode === 'NXDOMAIN') return 'the name does not exist at all (NXDOMAIN without a CNAME): check the workspace id';
  if (views.length && views.every((v) => v.error)) return `no DNS server answered (${views.map((v) => `${v.server}: ${v.error}`).join('; ')})`;
  if (rcode === 'SERVFAIL' || system.code === 'EAI_AGAIN') return 'the DNS server fails (SERVFAIL or timeout): a custom DNS server that does not forward to Azure DNS (168.63.129.16)?';
  return system.error ?? 'no address';
}

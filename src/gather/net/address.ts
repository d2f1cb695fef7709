// Where the probes connect: the address the system resolver gives for the API FQDN, read from the
// DNS fact (local.systemResolve): the probes go where applications on this machine would go.
import type { ClassifiedAddress } from '../../dns/classify.js';
import type { SystemResolveFact } from '../dns/system-resolve.js';

/** The DNS fact the probes take their address from: what applications on this machine see. */
export const ADDRESS_SOURCE_FACT = 'local.systemResolve';

export interface ApiAddress {
  fqdn: string;
  /** The address the probes connect to: the first the resolver gave, as an application would, or the endpoint's own when DNS is wrong. */
  address: string;
  addresses: ClassifiedAddress[];
  /** Where `address` comes from: the DNS fact, or `consumer.privateEndpoint` (its IP from ARM) when DNS does not give it. */
  source: string;
  /** Why the endpoint's IP from ARM was used instead of the DNS answer. */
  reason?: string;
  /**
   * The private address the DNS answer gave, which the probes started with before ARM's endpoint
   * IPs were known (earlyAddress). Equal to `address` when ARM confirmed it (or could not say);
   * otherwise that early probe was dropped and the probes went to `address`.
   */
  early?: string;
}

/**
 * The address the probes start with at once, before ARM answers: the first the VM's own resolver
 * gives, when it is private (the VM's observation is the ground truth; a private answer is most
 * likely the endpoint). Undefined: no private answer, the probes wait for the endpoint's IPs.
 */
export function earlyAddress(resolved: ClassifiedAddress[]): string | undefined {
  const first = resolved[0];
  return first?.class === 'private' ? first.address : undefined;
}

/**
 * Where the probes connect: what the resolver gave, unless the endpoint's IPs from ARM are known and
 * the answer holds none of them (public, stale, missing): then the endpoint's first IP, so the probes
 * still test the private path and one run shows DNS and network problems together.
 */
export function chooseAddress(fqdn: string, resolved: ClassifiedAddress[], endpointIps: string[]): Pick<ApiAddress, 'address' | 'source' | 'reason'> | undefined {
  const first = resolved[0];
  const expected = endpointIps[0];
  if (expected && !resolved.some((a) => endpointIps.includes(a.address))) {
    const said = resolved.length ? `DNS answers ${resolved.map((a) => a.address).join(', ')}` : 'DNS gives no address';
    return { address: expected, source: 'consumer.privateEndpoint', reason: `${said} for ${fqdn}, not the endpoint's ${endpointIps.join(', ')}: the probes go to the endpoint's IP from ARM` };
  }
  return first ? { address: first.address, source: ADDRESS_SOURCE_FACT } : undefined;
}

/** `fqdn`'s addresses in the system resolver's fact; undefined when the fact does not cover the name. */
export function addressesFor(value: SystemResolveFact, fqdn: string): ClassifiedAddress[] | undefined {
  const wanted = normalise(fqdn);
  const entry = Object.entries(value.answers).find(([name]) => normalise(name) === wanted)?.[1];
  return entry?.addresses;
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

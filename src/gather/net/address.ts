// Where the probes connect: the address the system resolver gives for the API FQDN, read from the
// DNS fact (local.systemResolve): the probes go where applications on this machine would go.
import type { ClassifiedAddress } from '../../dns/classify.js';
import type { SystemResolveFact } from '../dns/system-resolve.js';

/** The DNS fact the probes take their address from: what applications on this machine see. */
export const ADDRESS_SOURCE_FACT = 'local.systemResolve';

export interface ApiAddress {
  fqdn: string;
  /** The address the probes connect to: the first the resolver gave, as an application would. */
  address: string;
  addresses: ClassifiedAddress[];
  source: string;
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

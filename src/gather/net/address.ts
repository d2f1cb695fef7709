// Where the probes connect: the address the system resolver gives for the API FQDN, read from the
// DNS fact. This file is the one seam between the DNS gatherers (src/gather/dns, src/dns) and the
// probes: point ADDRESS_SOURCE_FACT elsewhere and every probe follows.
import { classifyAddress, type ClassifiedAddress } from '../../dns/classify.js';

/** The DNS fact the probes take their address from: what applications on this machine see. */
export const ADDRESS_SOURCE_FACT = 'local.systemResolve';

export { classifyAddress, type AddressClass, type ClassifiedAddress } from '../../dns/classify.js';

export interface ApiAddress {
  fqdn: string;
  /** The address the probes connect to: the first the resolver gave, as an application would. */
  address: string;
  addresses: ClassifiedAddress[];
  source: string;
}

/** One name's answer in the DNS fact: `{ name, addresses: [{ address, class }] }`. */
interface NameEntry {
  name: string;
  addresses: Array<ClassifiedAddress | string>;
}

/**
 * Finds `fqdn`'s addresses in the DNS fact's value: a list of `{ name, addresses }`, a record keyed by
 * name, or one entry, so the seam holds whichever container the DNS fact settles on. Returns
 * undefined when the value does not mention the name.
 */
export function addressesFor(value: unknown, fqdn: string): ClassifiedAddress[] | undefined {
  const wanted = normalise(fqdn);
  const entries: unknown[] = Array.isArray(value)
    ? value
    : isEntry(value)
      ? [value]
      : value && typeof value === 'object'
        ? Object.entries(value as Record<string, unknown>).flatMap(([key, entry]) =>
            isEntry(entry) ? [entry] : isAddressList(entry) ? [{ name: key, addresses: entry }] : Array.isArray(entry) ? entry : [],
          )
        : [];
  const entry = entries.find((e): e is NameEntry => isEntry(e) && normalise(e.name) === wanted);
  if (!entry) return undefined;
  return entry.addresses.map((a) =>
    typeof a === 'string' ? { address: a, class: classifyAddress(a) } : { address: a.address, class: a.class ?? classifyAddress(a.address) },
  );
}

function isEntry(value: unknown): value is NameEntry {
  return !!value && typeof value === 'object' && typeof (value as NameEntry).name === 'string' && Array.isArray((value as NameEntry).addresses);
}

function isAddressList(value: unknown): value is NameEntry['addresses'] {
  return Array.isArray(value) && value.length > 0 && value.every((a) => typeof a === 'string' || (!!a && typeof a === 'object' && 'address' in a));
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

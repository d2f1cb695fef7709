// The private endpoint's IP for each workspace FQDN, from the ARM PrivateEndpoint JSON. Both places
// are read: customDnsConfigs (fqdn → ipAddresses) and ipConfigurations (memberName → privateIPAddress,
// mapped to the FQDN through the member names of REFERENCE.md §1).
import { ENDPOINT_KINDS, workspaceNames } from '../../fabric/workspace.js';

interface PrivateEndpointLike {
  properties?: {
    customDnsConfigs?: Array<{ fqdn?: unknown; ipAddresses?: unknown }>;
    ipConfigurations?: Array<{ properties?: { groupId?: unknown; memberName?: unknown; privateIPAddress?: unknown } }>;
  };
}

/** FQDN (lower case) → the endpoint's IPs for it, sorted and unique. */
export function endpointIpsByFqdn(pe: unknown, workspaceId?: string): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  const add = (fqdn: string, ip: unknown) => {
    if (typeof ip !== 'string' || !ip) return;
    const key = fqdn.toLowerCase().replace(/\.$/, '');
    (out[key] ??= new Set()).add(ip);
  };
  const properties = (pe as PrivateEndpointLike | undefined)?.properties;
  for (const config of properties?.customDnsConfigs ?? []) {
    if (typeof config?.fqdn !== 'string' || !Array.isArray(config.ipAddresses)) continue;
    for (const ip of config.ipAddresses) add(config.fqdn, ip);
  }
  if (workspaceId) {
    const names = workspaceNames(workspaceId);
    for (const ipConfig of properties?.ipConfigurations ?? []) {
      const member = ipConfig?.properties?.memberName;
      const kind = ENDPOINT_KINDS.find((k) => names.members[k] === member);
      if (kind) add(names.fqdns[kind], ipConfig.properties?.privateIPAddress);
    }
  }
  return Object.fromEntries(Object.entries(out).map(([fqdn, ips]) => [fqdn, [...ips].sort()]));
}

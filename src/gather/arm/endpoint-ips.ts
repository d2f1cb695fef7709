// The one reading of the private endpoint's IPs: for each workspace FQDN, the addresses the endpoint
// holds for it. Every check that compares with the endpoint (the zone's records, the local DNS
// answers) reads the derived fact built here, so they can never disagree. Pure: the fact
// (consumer.endpointIps, src/gather/arm/privateEndpoint.ts) gathers the inputs.
//
// Where the endpoint says it, in order (a later source fills only the FQDNs an earlier one left
// out; REFERENCE §2):
// 1. `properties.customDnsConfigs[] {fqdn, ipAddresses}`: the endpoint's DNS configuration;
// 2. its NIC's `ipConfigurations[].properties.privateLinkConnectionProperties {fqdns, requiredMemberName}`
//    with `privateIPAddress` (customDnsConfigs is empty with some zone-group setups);
// 3. the endpoint's own `ipConfigurations[] {memberName, privateIPAddress}`, mapped to the FQDN through
//    the member names (workspace-api → the API FQDN, …).
import { ENDPOINT_KINDS, workspaceNames } from '../../fabric/workspace.js';
import type { NetworkInterfaceJson, PrivateEndpointJson } from './shapes.js';

export type EndpointIpSource = 'customDnsConfigs' | 'nic' | 'ipConfigurations';

export interface EndpointIps {
  /** FQDN (lower case, no trailing dot) → the endpoint's IPs for it, sorted and unique. */
  byFqdn: Record<string, string[]>;
  /** Where each FQDN's IPs came from. */
  sources: Record<string, EndpointIpSource>;
  /** The NIC ids read (only when the endpoint's own JSON left one of the workspace's FQDNs without an IP). */
  nicsRead: string[];
}

const normalise = (fqdn: string) => fqdn.toLowerCase().replace(/\.$/, '');

/** The NIC ids the endpoint names (`properties.networkInterfaces[].id`). */
export function endpointNicIds(pe: PrivateEndpointJson | undefined): string[] {
  const nics = pe?.properties?.networkInterfaces;
  return Array.isArray(nics) ? nics.map((n) => n?.id).filter((id): id is string => typeof id === 'string' && !!id) : [];
}

/** The workspace FQDNs the endpoint's own JSON (customDnsConfigs, ipConfigurations) gives no IP for. */
export function fqdnsWithoutIp(pe: PrivateEndpointJson | undefined, workspaceId: string): string[] {
  const known = endpointIps(pe, [], workspaceId).byFqdn;
  return Object.values(workspaceNames(workspaceId).fqdns).filter((fqdn) => !known[fqdn]?.length);
}

/** The endpoint's IPs by FQDN from the endpoint's JSON and the NICs read (none: pass []). */
export function endpointIps(pe: PrivateEndpointJson | undefined, nics: NetworkInterfaceJson[], workspaceId?: string): EndpointIps {
  const collected = new Map<string, { ips: Set<string>; source: EndpointIpSource }>();
  const add = (fqdn: unknown, ip: unknown, source: EndpointIpSource, filled: Set<string>) => {
    if (typeof fqdn !== 'string' || !fqdn || typeof ip !== 'string' || !ip) return;
    const key = normalise(fqdn);
    if (filled.has(key)) return;
    let entry = collected.get(key);
    if (!entry) collected.set(key, (entry = { ips: new Set(), source }));
    entry.ips.add(ip);
  };
  const properties = pe?.properties;
  // Each source only fills FQDNs the earlier ones left out.
  const before = () => new Set(collected.keys());
  let filled = before();
  for (const config of properties?.customDnsConfigs ?? []) {
    if (Array.isArray(config?.ipAddresses)) for (const ip of config.ipAddresses) add(config.fqdn, ip, 'customDnsConfigs', filled);
  }
  filled = before();
  for (const nic of nics) {
    for (const ipConfig of nic?.properties?.ipConfigurations ?? []) {
      const fqdns = ipConfig?.properties?.privateLinkConnectionProperties?.fqdns;
      if (Array.isArray(fqdns)) for (const fqdn of fqdns) add(fqdn, ipConfig.properties?.privateIPAddress, 'nic', filled);
    }
  }
  filled = before();
  if (workspaceId) {
    const names = workspaceNames(workspaceId);
    for (const ipConfig of properties?.ipConfigurations ?? []) {
      const kind = ENDPOINT_KINDS.find((k) => names.members[k] === ipConfig?.properties?.memberName);
      if (kind) add(names.fqdns[kind], ipConfig.properties?.privateIPAddress, 'ipConfigurations', filled);
    }
  }
  const byFqdn: Record<string, string[]> = {};
  const sources: Record<string, EndpointIpSource> = {};
  for (const [fqdn, entry] of [...collected].sort(([a], [b]) => a.localeCompare(b))) {
    byFqdn[fqdn] = [...entry.ips].sort();
    sources[fqdn] = entry.source;
  }
  const nicsRead = nics.map((n) => n?.id).filter((id): id is string => typeof id === 'string');
  return { byFqdn, sources, nicsRead };
}

// ARM resource ids: parse, compare (case-insensitively, as ARM does), derive parents.

export interface ResourceId {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  /** e.g. `Microsoft.Network/privateEndpoints` (child types appended: `…/virtualNetworks/subnets`). */
  type: string;
  /** The last name segment. */
  name: string;
  /** Every name segment after the provider namespace, in order. */
  names: string[];
}

const PATTERN = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/([^/]+)\/(.+)$/i;

/**
 * Ids already parsed: a fleet parses the same few ids (its zone, VNet, subscriptions) for every
 * target and check, ~0.1 ms of CPU a target. Bounded; each caller gets its own copy.
 */
const parsedIds = new Map<string, ResourceId | undefined>();
const MAX_PARSED_IDS = 4096;

/** Parses an ARM id; undefined when it is not one. */
export function parseResourceId(id: string | undefined | null): ResourceId | undefined {
  if (!id) return undefined;
  let parsed = parsedIds.get(id);
  if (parsed === undefined && !parsedIds.has(id)) {
    if (parsedIds.size >= MAX_PARSED_IDS) parsedIds.clear();
    parsed = parse(id);
    parsedIds.set(id, parsed);
  }
  return parsed && { ...parsed, names: [...parsed.names] };
}

function parse(id: string): ResourceId | undefined {
  const match = PATTERN.exec(id.trim().replace(/\/+$/, ''));
  const [, subscriptionId, resourceGroup, namespace, rest] = match ?? [];
  // Every group of PATTERN is non-empty when it matches.
  if (!subscriptionId || !resourceGroup || !namespace || !rest) return undefined;
  const parts = rest.split('/');
  if (parts.length % 2 !== 0) return undefined;
  const types: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    types.push(parts[i]!);
    names.push(decodeURIComponent(parts[i + 1]!));
  }
  return { id: id.trim().replace(/\/+$/, ''), subscriptionId, resourceGroup, type: [namespace, ...types].join('/'), name: names[names.length - 1]!, names };
}

/** A resource's name for a message (the full id stays in the evidence); the input when it is not an id. */
export function nameOf(id: string | undefined | null): string {
  return parseResourceId(id)?.name ?? id ?? '';
}

export function sameId(a: string | undefined | null, b: string | undefined | null): boolean {
  return !!a && !!b && idKey(a) === idKey(b);
}

/** What sameId compares: the id without trailing slashes, in lower case (a key for a map of ids). */
export function idKey(id: string): string {
  return id.replace(/\/+$/, '').toLowerCase();
}

export function isType(id: string | undefined | null, type: string): boolean {
  return parseResourceId(id)?.type.toLowerCase() === type.toLowerCase();
}

/** The VNet id of a subnet id (`…/virtualNetworks/{vnet}/subnets/{subnet}`). */
export function vnetOfSubnet(subnetId: string | undefined | null): string | undefined {
  const match = /^(.*\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+)\/subnets\/[^/]+\/?$/i.exec(subnetId ?? '');
  return match?.[1];
}

export const FABRIC_PLS_TYPE = 'Microsoft.Fabric/privateLinkServicesForFabric';
export const FABRIC_PLS_API_VERSION = '2024-06-01';
export const NETWORK_API_VERSION = '2026-01-01';
export const PRIVATE_DNS_API_VERSION = '2024-06-01';

const ID_IN_TEXT = /\/subscriptions\/[^\s,;'"()<>`]+/gi;

/** Text with every ARM id in it replaced by the resource's name (reports show names; the ids stay in the evidence). */
export function namesForIds(text: string): string {
  return text.replace(ID_IN_TEXT, (match) => {
    const trailing = /[.:]+$/.exec(match)?.[0] ?? '';
    const parsed = parseResourceId(match.slice(0, match.length - trailing.length));
    return parsed ? `${parsed.name}${trailing}` : match;
  });
}

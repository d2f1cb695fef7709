// Fact changes said the way a person says them: "zone link link-hub-weu removed", "api FQDN
// 10.95.128.4 private → 20.94.123.229 public", "private endpoint connection pe-1-connection: status
// Approved → Pending". Run-to-run noise (ephemeral ports, the CNAME chain's hops, each certificate
// field) is folded; the full paths stay behind `diff --verbose`. Pure functions.
import { parseResourceId } from '../azure/resourceId.js';
import { classifyAddress } from '../dns/classify.js';
import { endpointKindOf, isWorkspaceId } from '../fabric/workspace.js';
import type { FactChange } from './diff.js';
import { isJsonObject } from '../text/json.js';

/** What each recorded fact is about, in words. */
const FACT_NOUN: Record<string, string> = {
  'consumer.privateDnsZone': 'zone',
  'consumer.privateDnsZone.vnetLinks': 'zone',
  'consumer.privateDnsZone.aRecords': 'zone',
  'consumer.privateEndpoint': 'private endpoint',
  'consumer.dnsZoneGroups': 'DNS zone group',
  'consumer.vnet': 'VNet',
  'provider.privateLinkService': 'private link service',
  'provider.workspace': 'workspace',
  'provider.capacities': 'capacities',
  'provider.communicationPolicy': 'communication policy',
  'provider.tenantSettings': 'tenant settings',
  'local.tcp443': 'TCP 443',
  'local.tls': 'TLS',
  'local.https': 'HTTPS to the workspace',
  'public.probe': 'public probe',
};

/** What an element of a list is, by the list's key (and, for a bare `value` list, by the fact). */
function elementNoun(factId: string, key: string): string {
  const last = key.split('.').pop() ?? key;
  if (last === 'value' || last === '') {
    if (factId.endsWith('vnetLinks')) return 'zone link';
    if (factId.endsWith('aRecords') || factId.endsWith('recordSets')) return 'A record';
    if (factId === 'provider.capacities') return 'capacity';
    if (factId === 'provider.tenantSettings') return 'tenant setting';
  }
  const nouns: Record<string, string> = {
    virtualNetworkLinks: 'zone link',
    privateEndpointConnections: 'connection',
    manualPrivateLinkServiceConnections: 'private endpoint connection',
    privateLinkServiceConnections: 'private endpoint connection',
    subnets: 'subnet',
    tenantSettings: 'tenant setting',
    privateDnsZoneConfigs: 'zone config',
    customDnsConfigs: 'DNS config',
    servers: 'DNS server',
  };
  return nouns[last] ?? last;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}


/** A value in a line: names for ARM ids, short JSON for objects. */
function show(value: unknown): string {
  if (typeof value === 'string') return parseResourceId(value)?.name ?? value;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** The same text once an ephemeral port (`:39583`) is taken out: two loopback listeners of the lab, or two runs. */
function withoutPort(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(/:\d{2,5}\b/g, ':*') : value;
}

const NOISE_KEYS = new Set(['port', 'server', 'servers', 'via', 'destination', 'ms', 'class']);
const CERTIFICATE_KEYS = new Set(['fingerprint', 'fingerprint256', 'serialNumber', 'validFrom', 'validTo', 'raw', 'pem']);

/** The reason a fact could not be learned, when a recorded value is one (`{unavailable: 'not-found', …}`). */
function unavailableKind(value: unknown): string | undefined {
  return isObject(value) && typeof value.unavailable === 'string' ? value.unavailable : undefined;
}

/**
 * The changes in words, each once. `workspaceId` names a workspace FQDN by its kind (`api`,
 * `onelake`…). Changes that are run-to-run noise are left out; `--verbose` shows them all.
 */
export function describeFactChanges(changes: readonly FactChange[], workspaceId?: string): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  const add = (line: string) => {
    if (!seen.has(line)) {
      seen.add(line);
      lines.push(line);
    }
  };
  // An element of a list that was removed and added again with another port is the same listener (lab, ephemeral ports).
  const elementKey = (change: FactChange) => {
    const segs = change.path.split(' › ');
    return `${segs.slice(0, -1).join(' › ')}|${withoutPort(segs[segs.length - 1])}`;
  };
  const addedKeys = new Set(changes.filter((c) => c.change === 'added').map(elementKey));
  const removedKeys = new Set(changes.filter((c) => c.change === 'removed').map(elementKey));
  // Address changes first, by name when the path says which FQDN.
  const addresses = new Map<string, { label?: string; before: unknown; after: unknown }>();
  for (const change of changes) {
    const segs = change.path.split(' › ');
    const factId = segs[0]!;
    const leaf = segs[segs.length - 1]!;
    const leafKey = (leaf.split('.').pop() ?? leaf).replace(/\[\d+\]$/, '');
    if (change.change === 'changed' && withoutPort(change.before) === withoutPort(change.after)) continue;
    if (change.change !== 'changed' && addedKeys.has(elementKey(change)) && removedKeys.has(elementKey(change))) continue;
    // A whole fact that one run gathered and the other did not: its checks were blocked, which the status lines say.
    if (segs.length === 1 && change.change !== 'changed') continue;
    if (segs.length === 1) {
      const name = isObject(change.before) && typeof change.before.name === 'string' ? ` ${change.before.name}` : '';
      const now = unavailableKind(change.after);
      const was = unavailableKind(change.before);
      if (now && !was) add(`${FACT_NOUN[factId] ?? factId}${name}: ${now.replace(/-/g, ' ')}`);
      else if (was && !now) add(`${FACT_NOUN[factId] ?? factId}: readable again (was ${was.replace(/-/g, ' ')})`);
      else if (now && was) add(`${FACT_NOUN[factId] ?? factId}: ${was.replace(/-/g, ' ')} → ${now.replace(/-/g, ' ')}`);
      else add(`${FACT_NOUN[factId] ?? factId} changed`);
      continue;
    }
    if (leafKey === 'address' || (leafKey === 'addresses' && change.change !== 'changed')) {
      const fqdn = /answers\.(.+?)\.(?:addresses|via)/.exec(change.path)?.[1];
      const kind = fqdn && workspaceId && isWorkspaceId(workspaceId) ? endpointKindOf(fqdn, workspaceId) : undefined;
      const key = `${JSON.stringify(change.before)}→${JSON.stringify(change.after)}`;
      const known = addresses.get(key);
      const label = kind ? `${kind} FQDN` : fqdn ? fqdn : undefined;
      if (!known || (!known.label && label)) addresses.set(key, { ...(label ? { label } : {}), before: change.before, after: change.after });
      continue;
    }
    if (NOISE_KEYS.has(leafKey) || /(^|\.)chain\[\d+\]/.test(leaf) || /\bchain\[\d+\]/.test(change.path)) continue;
    if (factId === 'local.tls' && (CERTIFICATE_KEYS.has(leafKey) || /certificate\.|chain\[/.test(change.path))) {
      add('TLS certificate changed');
      continue;
    }
    const factNoun = FACT_NOUN[factId] ?? factId;
    const verb = change.change === 'added' ? 'added' : 'removed';
    // A whole element of a named list added or removed: "zone link link-x removed".
    if (change.change !== 'changed' && segs.length >= 3 && (isJsonObject(change.before) || isJsonObject(change.after))) {
      add(`${elementNoun(factId, segs[segs.length - 2]!)} ${segs[segs.length - 1]} ${verb}`);
      continue;
    }
    // A field inside a named element: "private endpoint connection pe-1-connection: status Approved → Pending".
    // Four segments or more: fact › list › element › field; three: a list at the fact's root, fact › element › field.
    const where =
      segs.length >= 4 ? `${elementNoun(factId, segs[segs.length - 3]!)} ${segs[segs.length - 2]}` : segs.length === 3 ? `${elementNoun(factId, '')} ${segs[1]}` : factNoun;
    if (change.change === 'changed') add(`${where}: ${leafKey} ${show(change.before)} → ${show(change.after)}`);
    else add(`${where}: ${leafKey} ${verb}${change.change === 'added' ? ` (${show(change.after)})` : ` (was ${show(change.before)})`}`);
  }
  const addressLines = [...addresses.values()].map(({ label, before, after }) => {
    const side = (v: unknown) => (typeof v === 'string' ? `${v} ${classifyAddress(v)}` : v === undefined ? 'none' : show(v));
    return `${label ?? 'DNS answer'} ${side(before)} → ${side(after)}`;
  });
  return [...lines.filter((l) => !l.startsWith('TLS')), ...addressLines, ...lines.filter((l) => l.startsWith('TLS'))];
}

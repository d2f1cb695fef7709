// Shared by the ARM and Fabric gatherers: run a read with the side's clients under the service's
// concurrency limit, and turn any failure into a typed unavailable fact naming the tenant, the
// principal and the role that is needed.
import type { GatherContext } from '../../engine/define.js';
import { armSide, sideAuth, type ArmList } from '../../azure/arm.js';
import type { TenantSide } from '../../engine/types.js';
import { requireField, toFact } from '../../azure/http.js';
import { idKey, parseResourceId } from '../../azure/resourceId.js';
import type { ResolvedConfig } from '../../config/types.js';
import type { Target } from '../../engine/types.js';
import { serviceKey } from '../../engine/services.js';
import { credentialClientId } from '../../fix/known.js';

export interface ReadSpec {
  side: TenantSide;
  /** What is read, for messages: "the private endpoint /subscriptions/…". */
  what: string;
  /** The least role that allows this read. */
  neededRole: string;
  /** For an ARM read: the id (resource or subscription) where Reader allows it, for the fix's `az role assignment create`. */
  scope?: string;
  /** Concurrency bucket: `arm:<subscription>` or `fabric`. */
  service: string;
}

export async function readAs<T>(ctx: GatherContext, spec: ReadSpec, read: () => Promise<T>): Promise<T> {
  try {
    return await ctx.services.limit(spec.service, read);
  } catch (error) {
    let principal: string | undefined;
    try {
      principal = sideAuth(ctx.services, ctx.config, spec.side, ctx.target)?.principal();
    } catch {
      // the credential itself could not be built: the error says why
    }
    // Who was refused: the token's own claims, else the client id the config names.
    principal ??= credentialClientId(ctx.config, spec.side);
    const tenantId = ctx.target[spec.side]?.tenantId;
    throw toFact(error, { what: spec.what, side: spec.side, neededRole: spec.neededRole, ...(spec.scope ? { scope: spec.scope } : {}), ...(tenantId ? { tenantId } : {}), ...(principal ? { principal } : {}) });
  }
}

/** The ARM concurrency bucket of a resource id (ARM throttles per subscription). */
export function armService(id: string): string {
  return `arm:${parseResourceId(id)?.subscriptionId.toLowerCase() ?? 'unknown'}`;
}

/** Every dotted path must be present in the body; else invalid-response naming the field. */
export function expectFields(body: unknown, what: string, requestId: string | undefined, ...paths: string[]): void {
  for (const path of paths) requireField(body, path, what, requestId);
}

export function memoKey(kind: string, id: string): string {
  return `${kind}:${id.toLowerCase()}`;
}

/** How many targets name a resource of the same type in each resource group (by lower-cased list path). */
const groupCounts = new WeakMap<ResolvedConfig, Map<string, Map<string, number>>>();

/** The collection path of a resource: `/subscriptions/…/resourceGroups/…/providers/{type}`. */
export function groupListPath(id: string): string | undefined {
  const parsed = parseResourceId(id);
  if (!parsed || parsed.names.length !== 1) return undefined;
  return `/subscriptions/${parsed.subscriptionId}/resourceGroups/${parsed.resourceGroup}/providers/${parsed.type}`;
}

function targetsInGroup(config: ResolvedConfig, kind: string, idOf: (t: Target) => string | undefined, listPath: string): number {
  let byKind = groupCounts.get(config);
  if (!byKind) groupCounts.set(config, (byKind = new Map()));
  let counts = byKind.get(kind);
  if (!counts) {
    counts = new Map();
    const seen = new Set<string>();
    for (const target of config.targets) {
      const id = idOf(target)?.toLowerCase();
      const path = id && !seen.has(id) ? groupListPath(id) : undefined;
      if (!id || !path) continue;
      seen.add(id);
      counts.set(path.toLowerCase(), (counts.get(path.toLowerCase()) ?? 0) + 1);
    }
    byKind.set(kind, counts);
  }
  return counts.get(listPath.toLowerCase()) ?? 0;
}

export interface GroupListSpec {
  side: TenantSide;
  /** Names the kind of resource, for the per-config counts (e.g. `privateEndpoint`). */
  kind: string;
  /** The resource this target needs. */
  id: string;
  apiVersion: string;
  /** The same kind of resource for any target (to find resource groups shared by several targets). */
  idOf: (target: Target) => string | undefined;
}

/**
 * A fleet's shortcut: when several targets' resources of one kind sit in the same resource group,
 * one list of that group (shared by the run) answers them all instead of one GET each. Returns the
 * resource's wire JSON from the list, or undefined when the caller should GET it as usual: a single
 * target in the group, a list that failed (a Reader on the resource alone may not list the group),
 * could not be read to its end (ListTruncated), or does not hold the resource (the GET then gives ARM's own 404).
 */
export async function fromGroupList(ctx: GatherContext, spec: GroupListSpec): Promise<unknown | undefined> {
  const listPath = groupListPath(spec.id);
  if (!listPath || targetsInGroup(ctx.config, spec.kind, spec.idOf, listPath) < 2) return undefined;
  const list = ctx.services.shared(serviceKey<Promise<ArmList | undefined>>(`arm-group-list:${spec.side}:${listPath.toLowerCase()}`), () =>
    ctx.services
      .limit(armService(spec.id), () => armSide(ctx.services, ctx.config, spec.side, ctx.target).listJson(listPath, spec.apiVersion, ctx.services.signal))
      .catch(() => undefined),
  );
  const result = await list;
  if (!result) return undefined;
  return listIndex(result.value).get(idKey(spec.id));
}

/** A group list's items by id (idKey; the first of equal ids, as a search in order finds): each target of a fleet looks itself up in the same list. */
const listIndexes = new WeakMap<unknown[], Map<string, unknown>>();

function listIndex(items: unknown[]): Map<string, unknown> {
  let index = listIndexes.get(items);
  if (!index) {
    index = new Map();
    for (const item of items) {
      const id = (item as { id?: unknown } | null)?.id;
      if (typeof id === 'string' && id && !index.has(idKey(id))) index.set(idKey(id), item);
    }
    listIndexes.set(items, index);
  }
  return index;
}

// Shared by the ARM and Fabric gatherers: run a read with the side's clients under the service's
// concurrency limit, and turn any failure into a typed unavailable fact naming the tenant, the
// principal and the role that is needed.
import type { GatherContext } from '../../engine/define.js';
import { sideAuth } from '../../azure/arm.js';
import type { TenantSide } from '../../azure/credentials.js';
import { requireField, toFact } from '../../azure/http.js';
import { parseResourceId } from '../../azure/resourceId.js';

export interface ReadSpec {
  side: TenantSide;
  /** What is read, for messages: "the private endpoint /subscriptions/…". */
  what: string;
  /** The least role that allows this read. */
  neededRole: string;
  /** Concurrency bucket: `arm:<subscription>` or `fabric`. */
  service: string;
}

export async function readAs<T>(ctx: GatherContext, spec: ReadSpec, read: () => Promise<T>): Promise<T> {
  try {
    return await ctx.services.limit(spec.service, read);
  } catch (error) {
    let principal: string | undefined;
    try {
      principal = sideAuth(ctx.services, ctx.config, spec.side)?.principal();
    } catch {
      // the credential itself could not be built: the error says why
    }
    const tenantId = ctx.target[spec.side]?.tenantId;
    throw toFact(error, { what: spec.what, side: spec.side, neededRole: spec.neededRole, ...(tenantId ? { tenantId } : {}), ...(principal ? { principal } : {}) });
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

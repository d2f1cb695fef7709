// Every address a report links to, in one place: the setup guide's sections (by the step a check
// verifies) and the Azure portal page of a resource (on the report's cloud, in the tenant that owns
// it). The guide's headings and their anchors are recorded in docs/reports.md ("Links"), with the
// version they were read from.
import { parseResourceId, type ResourceId } from '../src/azure/resourceId.js';
import { CLOUDS } from '../src/config/defaults.js';
import type { CheckResult, RunReport, TargetReport, TenantSide } from '../src/engine/types.js';

/** Microsoft Learn, "Set up and use workspace-level private links" (Fabric). */
export const SETUP_GUIDE_URL = 'https://learn.microsoft.com/fabric/security/security-workspace-level-private-links-set-up';

/**
 * A check's `docStep` (this project's numbering of the setup, see README "Checks") → the guide's
 * section that does that step. The guide's own step numbers differ from ours (it has no step for
 * the approval, and the DNS zone is part of its private endpoint step).
 */
const SECTION_BY_STEP: Record<string, string> = {
  prerequisite: 'prerequisites',
  '1': 'prerequisites',
  '2': 'step-2-create-the-private-link-service-in-azure',
  '3': 'step-3-create-a-virtual-network',
  '4': 'step-4-create-a-virtual-machine',
  '5': 'step-5-create-a-private-endpoint',
  '6': 'step-5-create-a-private-endpoint',
  '7': 'step-5-create-a-private-endpoint',
  '9': 'step-7-access-fabric-privately-from-the-virtual-machine',
  '10': 'step-8-deny-public-access-to-the-workspace',
};

/** The guide's section for a docStep (`7`, `3, 5`, `prerequisite`); the guide itself when unknown. */
export function setupStepUrl(docStep: string): string {
  const first = docStep.split(/[,\s]+/).find(Boolean) ?? '';
  const section = SECTION_BY_STEP[first.toLowerCase()];
  return section ? `${SETUP_GUIDE_URL}#${section}` : SETUP_GUIDE_URL;
}

/** The Azure portal page of an ARM resource, in the directory (tenant) that owns it, on the cloud's portal. */
export function portalUrl(resourceId: string, tenantId?: string, portal: string = CLOUDS.public.portalEndpoint): string | undefined {
  const parsed = parseResourceId(resourceId);
  if (!parsed || !/^https:\/\/[^/\s#?]+$/i.test(portal.replace(/\/+$/, ''))) return undefined;
  const directory = tenantId && /^[0-9a-f-]{36}$/i.test(tenantId) ? `@${tenantId}` : '';
  // The id is text from outside: encoded so that it stays one path (quotes, spaces, markup cannot break out).
  return `${portal.replace(/\/+$/, '')}/#${directory}/resource${encodeURI(parsed.id).replace(/[#?]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** A resource a report names: shown by its name, the id on hover, a portal link when the cloud's portal is known. */
export interface ResourceLink {
  id: string;
  name: string;
  url?: string;
}

/**
 * The portal of the cloud the report ran against (the recorded config's `cloud`): a named cloud's
 * own, whatever the file says (a report may come from elsewhere); a custom cloud's `portalEndpoint`;
 * none for a custom cloud that names none.
 */
export function reportPortal(report: RunReport): string | undefined {
  const cloud = (report.environment.config as { cloud?: { name?: unknown; portalEndpoint?: unknown } } | undefined)?.cloud;
  if (!cloud) return undefined;
  if (typeof cloud.name === 'string' && Object.hasOwn(CLOUDS, cloud.name)) return CLOUDS[cloud.name as keyof typeof CLOUDS].portalEndpoint;
  return typeof cloud.portalEndpoint === 'string' ? cloud.portalEndpoint : undefined;
}

/** The tenant id of a target's side, from the config the report recorded. */
export function tenantIdOf(report: RunReport, target: TargetReport, side: TenantSide): string | undefined {
  const config = report.environment.config as { targets?: Array<{ name?: unknown; provider?: { tenantId?: unknown }; consumer?: { tenantId?: unknown } }> } | undefined;
  const id = config?.targets?.find((t) => t.name === target.name)?.[side]?.tenantId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * The ARM resources a value names (strings, arrays and objects, walked to a bounded depth), each
 * once, in the order met: the resources a result's evidence names.
 */
export function resourceIdsIn(value: unknown, limit = 8): ResourceId[] {
  const found = new Map<string, ResourceId>();
  const visit = (v: unknown, depth: number): void => {
    if (found.size >= limit || depth > 4) return;
    if (typeof v === 'string') {
      const parsed = parseResourceId(v);
      if (parsed && !found.has(parsed.id.toLowerCase())) found.set(parsed.id.toLowerCase(), parsed);
    } else if (Array.isArray(v)) v.slice(0, 50).forEach((x) => visit(x, depth + 1));
    else if (v && typeof v === 'object') Object.values(v).slice(0, 50).forEach((x) => visit(x, depth + 1));
  };
  visit(value, 0);
  return [...found.values()];
}

/**
 * Portal links to the resources a result's evidence names. Fabric's resources (the private link
 * service, capacities) live in tenant 2, the network (endpoint, VNets, zone, links) in tenant 1: each
 * opens in its own tenant's directory, whichever side's check names it.
 */
export function resourceLinks(report: RunReport, target: TargetReport, result: CheckResult, limit = 6): ResourceLink[] {
  const portal = reportPortal(report);
  return resourceIdsIn(result.evidence, limit).map((r) => {
    const side = r.type.toLowerCase().startsWith('microsoft.fabric/') ? 'provider' : 'consumer';
    const url = portal ? portalUrl(r.id, tenantIdOf(report, target, side), portal) : undefined;
    return { id: r.id, name: r.name, ...(url ? { url } : {}) };
  });
}

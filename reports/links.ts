// Every address a report links to, in one place: the setup guide's sections (by the step a check
// verifies) and the Azure portal page of a resource. The guide's headings and their anchors are
// recorded in docs/reports.md ("Links"), with the version they were read from.
import { parseResourceId } from '../src/azure/resourceId.js';

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

/** The Azure portal page of an ARM resource, in the directory (tenant) that owns it. */
export function portalUrl(resourceId: string, tenantId?: string): string | undefined {
  const parsed = parseResourceId(resourceId);
  if (!parsed) return undefined;
  const directory = tenantId && /^[0-9a-f-]{36}$/i.test(tenantId) ? `@${tenantId}` : '';
  return `https://portal.azure.com/#${directory}/resource${parsed.id}`;
}

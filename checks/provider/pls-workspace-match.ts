import { parseResourceId } from '../../src/azure/resourceId.js';
import { defineCheck } from '../../src/engine/define.js';
import type { KnownValues } from '../../src/fix/known.js';
import { approveNewConnectionSteps, createEndpointStep, createPlsSteps, deleteEndpointStep, fix } from '../../src/fix/steps.js';
import { lower } from '../helpers.js';

export default defineCheck({
  id: 'provider.pls-workspace-match',
  title: 'The private link service is for this workspace and tenant 2',
  side: 'provider',
  severity: 'critical',
  needs: ['provider.privateLinkService'],
  after: ['pls-found'],
  docStep: '2',
  explain:
    "A Fabric private link service serves exactly one workspace of one tenant. Its `workspaceId` (Learn's template and deployments) or `workspaceObjectId` (the API spec) and its `tenantId` must be this workspace's and tenant 2's, compared case-insensitively; a service created for another workspace connects fine but leads elsewhere.",
  fix: matchFix,
  run({ target, facts }) {
    const pls = facts.value('provider.privateLinkService');
    const foundWorkspace = pls.properties?.workspaceId ?? pls.properties?.workspaceObjectId;
    const foundTenant = pls.properties?.tenantId;
    const expectedTenant = target.provider?.tenantId;
    const evidence: Record<string, unknown> = {
      privateLinkServiceId: pls.id ?? null,
      expectedWorkspaceId: target.workspaceId,
      foundWorkspaceId: foundWorkspace ?? null,
      expectedTenantId: expectedTenant ?? null,
      foundTenantId: foundTenant ?? null,
    };
    if (!foundWorkspace) {
      return { status: 'error', message: 'the private link service has neither properties.workspaceId nor properties.workspaceObjectId', evidence };
    }
    const problems: string[] = [];
    if (lower(foundWorkspace) !== lower(target.workspaceId)) problems.push(`it is for workspace ${foundWorkspace}, not ${target.workspaceId}`);
    if (expectedTenant && lower(foundTenant) !== lower(expectedTenant)) problems.push(`it is for tenant ${foundTenant ?? '(none)'}, not ${expectedTenant}`);
    if (problems.length) return { status: 'fail', message: `the private link service does not match: ${problems.join('; ')}`, evidence };
    if (!expectedTenant) evidence.note = 'tenant not compared: targets[].provider.tenantId is not set';
    return { status: 'pass', message: `the private link service is for workspace ${target.workspaceId}${expectedTenant ? ` in tenant ${expectedTenant}` : ''}`, evidence };
  },
});

/**
 * One service serves one workspace: deploy one for this workspace beside the wrong one, then move the
 * endpoint to it (a connection's target cannot change: delete and create the endpoint).
 */
export function matchFix(k: KnownValues) {
  const wrong = k.provider.privateLinkService;
  const label = (k.workspaceId ?? '').replace(/-/g, '').slice(0, 8);
  const pls = wrong && label ? parseResourceId(`${wrong.id.slice(0, wrong.id.length - wrong.name.length)}pls-fabric-${label}`) : undefined;
  const moved: KnownValues = { ...k, provider: { ...k.provider, privateLinkService: pls } };
  const recreate = deleteEndpointStep(k, 'Delete the endpoint: its connection leads to the other workspace and cannot be pointed elsewhere.');
  return fix(
    `Deploy a private link service for workspace ${k.workspaceId ?? '(this one)'} in tenant 2 and connect the endpoint to it.`,
    [...createPlsSteps(k, pls), ...(recreate ? [recreate] : []), createEndpointStep(moved), ...approveNewConnectionSteps(moved)],
    k,
  );
}

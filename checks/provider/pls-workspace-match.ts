import { defineCheck } from '../../src/engine/define.js';
import { lower } from '../helpers.js';

interface Pls {
  id?: string;
  properties?: { workspaceId?: string; workspaceObjectId?: string; tenantId?: string };
}

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
  remediation:
    'Deploy a private link service for this workspace in tenant 2 (step 2) with workspaceId set to this workspace id and tenantId to tenant 2, then point the private endpoint at it (step 5).',
  run({ target, facts }) {
    const pls = facts.value<Pls>('provider.privateLinkService');
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

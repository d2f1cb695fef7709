import { defineCheck } from '../../src/engine/define.js';
import type { KnownValues } from '../../src/fix/known.js';
import { fabricRest, fix, grantWorkspaceViewerSteps, step } from '../../src/fix/steps.js';

/** The id may be wrong, the credential for another tenant, or the identity may lack a role: list what it sees, then grant Viewer. */
export function workspaceFix(k: KnownValues) {
  return fix(
    `Check the workspace id${k.workspaceId ? ` ${k.workspaceId}` : ''}, that the provider credential is for tenant 2 (credentials.provider), and that its identity can read the workspace.`,
    [
      step("List the workspaces the signed-in identity sees: the id is the one after /groups/ in the workspace's Fabric portal URL.", 'provider', fabricRest(k, 'get', '/workspaces', [['query', 'value[].{id:id, name:displayName}'], ['output', 'table']])),
      ...grantWorkspaceViewerSteps(k),
    ],
    k,
  );
}

export default defineCheck({
  id: 'provider.workspace-found',
  title: 'The workspace exists and the provider identity can read it',
  side: 'provider',
  severity: 'critical',
  needs: ['provider.workspace'],
  after: [],
  docStep: '1',
  explain:
    'Reads the workspace with the Fabric REST API (GET /v1/workspaces/{id}) as the provider identity in tenant 2. Every other provider check is about this workspace: if it cannot be read, the id is wrong, the workspace is in another tenant, or the identity has no role on it.',
  fix: workspaceFix,
  run({ target, facts }) {
    const result = facts.get('provider.workspace');
    if (!result.ok && result.unavailable.kind === 'not-found') {
      return {
        status: 'fail',
        message: `workspace ${target.workspaceId} was not found in tenant 2`,
        evidence: { workspaceId: target.workspaceId, httpStatus: result.unavailable.httpStatus ?? 404, code: result.unavailable.code ?? null, requestId: result.unavailable.requestId ?? null },
      };
    }
    const ws = facts.value('provider.workspace');
    return {
      status: 'pass',
      message: `workspace "${ws.displayName ?? ws.id}" (${ws.id}) is readable`,
      evidence: { workspaceId: ws.id, displayName: ws.displayName ?? null, type: ws.type ?? null, capacityId: ws.capacityId ?? null },
    };
  },
});

import { defineCheck } from '../../src/engine/define.js';
import { knownValues, type KnownValues } from '../../src/fix/known.js';
import { assignCapacitySteps, fix, listCapacitiesStep, watchAssignmentStep } from '../../src/fix/steps.js';

/**
 * Assign the workspace to an active F capacity: the capacity is the user's choice (the list shows
 * what there is, the body takes the first Active F one); after a failed assignment, the same capacity again.
 */
export function assignCapacityFix(k: KnownValues, failedCapacityId?: string) {
  return fix(
    failedCapacityId ? 'Assign the capacity again; it must be an Active F SKU you administer or contribute to.' : 'Assign the workspace to an Active F SKU capacity.',
    [listCapacitiesStep(k), ...assignCapacitySteps(k, failedCapacityId)],
    k,
  );
}

export default defineCheck({
  id: 'provider.capacity-assigned',
  title: 'The workspace is assigned to a capacity',
  side: 'provider',
  severity: 'critical',
  needs: ['provider.workspace'],
  after: ['workspace-found'],
  docStep: '1',
  explain:
    'Workspace-level private links need the workspace on a Fabric capacity: `capacityId` must be set and `capacityAssignmentProgress` Completed. A workspace on no capacity (or still moving) cannot have its inbound access restricted.',
  fix: (k) => assignCapacityFix(k),
  run({ target, config, facts }) {
    const ws = facts.value('provider.workspace');
    const evidence = { workspaceId: ws.id ?? null, capacityId: ws.capacityId ?? null, capacityAssignmentProgress: ws.capacityAssignmentProgress ?? null, capacityRegion: ws.capacityRegion ?? null };
    if (!ws.capacityId) return { status: 'fail', message: 'the workspace is not assigned to any capacity', evidence };
    switch (ws.capacityAssignmentProgress) {
      case 'Completed':
        return { status: 'pass', message: `assigned to capacity ${ws.capacityId}`, evidence };
      case 'InProgress':
        return {
          status: 'fail',
          message: `the assignment to capacity ${ws.capacityId} is still in progress`,
          evidence,
          fix: fix('Wait for the capacity assignment to finish, then run again.', [watchAssignmentStep(knownValues(target, config, facts))], knownValues(target, config, facts)),
        };
      case 'Failed':
        return {
          status: 'fail',
          message: `the assignment to capacity ${ws.capacityId} failed`,
          evidence,
          fix: assignCapacityFix(knownValues(target, config, facts), ws.capacityId),
        };
      default:
        return { status: 'fail', message: `capacityAssignmentProgress is ${JSON.stringify(ws.capacityAssignmentProgress ?? null)}, not Completed`, evidence };
    }
  },
});

import { defineCheck } from '../../src/engine/define.js';

interface Workspace {
  id?: string;
  capacityId?: string;
  capacityAssignmentProgress?: string;
  capacityRegion?: string;
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
  remediation:
    'Assign the workspace to an F capacity: Fabric portal → the workspace → Workspace settings → License info → Edit → Fabric capacity, pick an F SKU capacity, Apply. Wait until the assignment completes.',
  run({ facts }) {
    const ws = facts.value<Workspace>('provider.workspace');
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
          remediation: 'Wait for the capacity assignment to finish (Fabric portal → Workspace settings → License info), then run again.',
        };
      case 'Failed':
        return {
          status: 'fail',
          message: `the assignment to capacity ${ws.capacityId} failed`,
          evidence,
          remediation: 'Assign the capacity again: Fabric portal → the workspace → Workspace settings → License info → Edit; if it fails again, check the capacity is Active and that you are its admin or contributor.',
        };
      default:
        return { status: 'fail', message: `capacityAssignmentProgress is ${JSON.stringify(ws.capacityAssignmentProgress ?? null)}, not Completed`, evidence };
    }
  },
});

import { describe, expect, it } from 'vitest';
import check from '../../../checks/provider/capacity-assigned.js';
import { pastableCommands } from '../../helpers/shells.js';
import { fx, one, scratch } from '../fixture.js';

describe('provider.capacity-assigned fix', () => {
  it('no capacity: list the capacities, write the first Active F SKU to the body, assign it with Fabric REST, watch the assignment', async () => {
    const ws = fx.workspace();
    delete ws.capacityId;
    const r = await one(check, { 'provider.workspace': ws });
    expect(r.status).toBe('fail');
    const commands = pastableCommands(r.fix, scratch);
    const fabric = 'az rest --method get --url https://api.fabric.microsoft.com/v1';
    expect(commands).toEqual([
      `az login --tenant ${fx.TENANT_2}`,
      expect.stringMatching(/^az rest --method get --url https:\/\/api\.fabric\.microsoft\.com\/v1\/capacities /),
      `${fabric}/capacities --resource https://api.fabric.microsoft.com --query '{capacityId: value[?state=='\\''Active'\\'' && starts_with(sku, '\\''F'\\'') && !starts_with(sku, '\\''FT'\\'')] | [0].id}' --output json > assign-capacity.json`,
      `az rest --method post --url https://api.fabric.microsoft.com/v1/workspaces/${ws.id}/assignToCapacity --resource https://api.fabric.microsoft.com --body @assign-capacity.json`,
      `${fabric}/workspaces/${ws.id} --resource https://api.fabric.microsoft.com --query '{capacityId: capacityId, progress: capacityAssignmentProgress}' --output table`,
    ]);
    // The portal way is named beside the command.
    expect(r.fix!.steps.find((s) => s.commands?.bash.includes('assignToCapacity'))!.text).toMatch(/License info/);
  });

  it('a failed assignment: the same capacity again, its id in the body', async () => {
    const ws = fx.workspace();
    ws.capacityAssignmentProgress = 'Failed';
    const r = await one(check, { 'provider.workspace': ws });
    const commands = pastableCommands(r.fix, scratch);
    expect(commands).toContain(`printf '%s\\n' '{"capacityId":"${ws.capacityId}"}' > assign-capacity.json`);
    expect(commands.some((c) => c.includes(`/v1/workspaces/${ws.id}/assignToCapacity`))).toBe(true);
  });

  it('an assignment in progress: wait, watching it with the workspace read', async () => {
    const ws = fx.workspace();
    ws.capacityAssignmentProgress = 'InProgress';
    const r = await one(check, { 'provider.workspace': ws });
    expect(r.fix!.summary).toMatch(/^Wait/);
    expect(pastableCommands(r.fix, scratch)).toEqual([
      `az login --tenant ${fx.TENANT_2}`,
      `az rest --method get --url https://api.fabric.microsoft.com/v1/workspaces/${ws.id} --resource https://api.fabric.microsoft.com --query '{capacityId: capacityId, progress: capacityAssignmentProgress}' --output table`,
    ]);
  });
});

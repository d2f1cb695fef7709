import { describe, expect, it } from 'vitest';
import check from '../../../checks/provider/capacity-assigned.js';
import { pastableCommands } from '../../helpers/shells.js';
import { fx, one, scratch } from '../fixture.js';

describe('provider.capacity-assigned fix', () => {
  it('no capacity: list the capacities to pick an Active F SKU, then assign it in the portal', async () => {
    const ws = fx.workspace();
    delete ws.capacityId;
    const r = await one(check, { 'provider.workspace': ws });
    expect(r.status).toBe('fail');
    const commands = pastableCommands(r.fix, scratch);
    expect(commands).toEqual([`az login --tenant ${fx.TENANT_2}`, expect.stringMatching(/^az rest --method get --url https:\/\/api\.fabric\.microsoft\.com\/v1\/capacities /)]);
    expect(r.fix!.steps.at(-1)!.text).toMatch(/License info/);
  });

  it('an assignment in progress: wait, no command', async () => {
    const ws = fx.workspace();
    ws.capacityAssignmentProgress = 'InProgress';
    const r = await one(check, { 'provider.workspace': ws });
    expect(r.fix!.summary).toMatch(/^Wait/);
    expect(pastableCommands(r.fix, scratch)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import check from '../../../checks/provider/capacity-sku.js';
import { na } from '../../fixtures/engine.js';
import { pastableCommands } from '../../helpers/shells.js';
import { fx, one, scratch } from '../fixture.js';

function capacities(patch: Record<string, unknown>) {
  const list = fx.capacities();
  list.value[0] = { ...list.value[0], id: fx.CAPACITY_ID, ...patch };
  return list;
}

describe('provider.capacity-sku fix', () => {
  it('a paused capacity: resume it by name, its resource group looked up in the subscription, never a placeholder', async () => {
    const r = await one(check, { 'provider.capacities': capacities({ sku: 'F64', state: 'Inactive', displayName: 'fabric-weu' }) });
    expect(r.status).toBe('fail');
    const commands = pastableCommands(r.fix, scratch);
    expect(commands).toContain('az extension add --name microsoft-fabric --upgrade');
    expect(commands.at(-1)).toBe(
      `az fabric capacity resume --subscription ${fx.SUB_2} --resource-group "$(az fabric capacity list --subscription ${fx.SUB_2} --query '[?name=='\\''fabric-weu'\\''].resourceGroup | [0]' --output tsv)" --capacity-name fabric-weu`,
    );
    expect(r.fix!.steps.find((s) => s.commands?.bash.startsWith('az fabric capacity resume'))!.commands!.powershell).toBe(
      `az fabric capacity resume --subscription ${fx.SUB_2} --resource-group (az fabric capacity list --subscription ${fx.SUB_2} --query '[?name==''fabric-weu''].resourceGroup | [0]' --output tsv) --capacity-name fabric-weu`,
    );
  });

  it('a trial capacity: pick an F SKU from the list and assign it', async () => {
    const r = await one(check, { 'provider.capacities': capacities({ sku: 'FT1', state: 'Active' }) });
    expect(r.status).toBe('fail');
    const commands = pastableCommands(r.fix, scratch);
    expect(commands.some((c) => /\/v1\/capacities .*> assign-capacity\.json$/.test(c))).toBe(true);
    expect(commands.some((c) => /\/assignToCapacity .*--body @assign-capacity\.json$/.test(c))).toBe(true);
  });

  it('a capacity the identity cannot see: the permission to ask for, then the list', async () => {
    const r = await one(check, { 'provider.capacities': na('forbidden', 'no', { httpStatus: 403 }) });
    expect(r.status).toBe('warn');
    expect(r.fix!.steps.some((s) => /Contributor permissions/.test(s.text))).toBe(true);
  });
});

import { defineCheck } from '../../src/engine/define.js';
import { isSupportedSku, lower } from '../helpers.js';

interface Capacity {
  id?: string;
  displayName?: string;
  sku?: string;
  state?: string;
  region?: string;
}

export default defineCheck({
  id: 'provider.capacity-sku',
  title: 'The capacity is an active F SKU',
  side: 'provider',
  severity: 'high',
  needs: ['provider.workspace', 'provider.capacities'],
  after: ['capacity-assigned'],
  docStep: '1',
  explain:
    "Workspace-level private links are supported on Fabric F SKUs only (not P SKUs, not the trial FT1), and the capacity must be Active: a paused capacity serves nothing. GET /v1/capacities lists only the capacities the caller administers or contributes to, so a workspace admin may not see it: then the SKU is unknown and the check warns rather than guessing.",
  remediation:
    'Move the workspace to an F SKU capacity (Fabric portal → Workspace settings → License info), or resume a paused capacity: Azure portal → the Fabric capacity → Resume, or `az fabric capacity resume --resource-group RG --capacity-name NAME`.',
  run({ facts }) {
    const ws = facts.value<{ capacityId?: string }>('provider.workspace');
    const list = facts.get<{ value: Capacity[] }>('provider.capacities');
    const capacityId = ws.capacityId;
    if (!list.ok && list.unavailable.kind === 'forbidden') {
      return {
        status: 'warn',
        message: `the provider identity cannot list capacities, so the SKU of capacity ${capacityId} is unknown`,
        evidence: { capacityId: capacityId ?? null, httpStatus: list.unavailable.httpStatus ?? null, code: list.unavailable.code ?? null, neededRole: list.unavailable.neededRole ?? null },
        remediation: 'Make the provider identity a capacity administrator or contributor (Fabric Admin portal → Capacity settings → the capacity → Contributor permissions) to let the doctor see the SKU, or verify it yourself.',
      };
    }
    const capacities = facts.value<{ value: Capacity[] }>('provider.capacities').value;
    const capacity = capacities.find((c) => lower(c?.id) === lower(capacityId));
    if (!capacity) {
      return {
        status: 'warn',
        message: `capacity ${capacityId} is not among the ${capacities.length} capacities the provider identity can see; its SKU is unknown`,
        evidence: { capacityId: capacityId ?? null, visibleCapacities: capacities.map((c) => c.id) },
        remediation: 'Make the provider identity a capacity administrator or contributor so the doctor can see the SKU, or verify in the Fabric Admin portal → Capacity settings that it is an F SKU and Active.',
      };
    }
    const evidence = { capacityId: capacity.id, displayName: capacity.displayName ?? null, sku: capacity.sku ?? null, state: capacity.state ?? null, region: capacity.region ?? null };
    if (!isSupportedSku(capacity.sku)) {
      const trial = /^FT/i.test(capacity.sku ?? '');
      return {
        status: 'fail',
        message: `capacity ${capacity.displayName ?? capacity.id} is ${capacity.sku ?? 'an unknown SKU'}${trial ? ' (trial)' : ''}: workspace private links need an F SKU`,
        evidence: { ...evidence, expected: 'an F SKU (F2, F4, … F2048)' },
        remediation: 'Create or pick an F SKU capacity (Azure portal → Microsoft Fabric → Create, or `az fabric capacity create --sku "{name:F2,tier:Fabric}" …`) and assign the workspace to it: Fabric portal → Workspace settings → License info.',
      };
    }
    if (capacity.state !== 'Active') {
      return {
        status: 'fail',
        message: `capacity ${capacity.displayName ?? capacity.id} (${capacity.sku}) is ${capacity.state ?? 'in an unknown state'}, not Active`,
        evidence: { ...evidence, expected: 'Active' },
        remediation: 'Resume the capacity: Azure portal → the Fabric capacity → Resume, or `az fabric capacity resume --resource-group RG --capacity-name NAME`.',
      };
    }
    return { status: 'pass', message: `capacity ${capacity.displayName ?? capacity.id} is ${capacity.sku} and Active`, evidence };
  },
});

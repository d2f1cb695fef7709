import { defineCheck } from '../../src/engine/define.js';
import type { Fix } from '../../src/engine/types.js';
import { az } from '../../src/fix/commands.js';
import { knownValues, type KnownValues } from '../../src/fix/known.js';
import { fix, listCapacitiesStep, step, subscriptionOf } from '../../src/fix/steps.js';
import { isSupportedSku, lower } from '../helpers.js';
import { assignCapacityFix } from './capacity-assigned.js';

/**
 * Resume a paused capacity. Fabric REST names it by display name, which is its ARM name; its
 * resource group is looked up in the private link service's subscription (tenant 2's usual one).
 */
export function resumeCapacityFix(k: KnownValues, name: string): Fix {
  const subscription = subscriptionOf(k.provider.subscriptionId);
  return fix(
    `Resume the capacity ${name}.`,
    [
      step('The az fabric commands come with the microsoft-fabric extension: add it once.', 'provider', az(['extension', 'add'], [['name', 'microsoft-fabric'], ['upgrade', true]])),
      step(
        `Resume ${name} (its resource group is looked up in the subscription; if the capacity lives in another subscription, name that one instead).`,
        'provider',
        az(['fabric', 'capacity', 'resume'], [
          ['subscription', subscription],
          ['resource-group', { lookup: az(['fabric', 'capacity', 'list'], [['subscription', subscription], ['query', `[?name=='${name}'].resourceGroup | [0]`], ['output', 'tsv']]) }],
          ['capacity-name', name],
        ]),
      ),
    ],
    k,
  );
}

const seeCapacityFix = (k: KnownValues): Fix =>
  fix('Let the provider identity see the capacity, or check its SKU and state yourself.', [
    step('Make the provider identity a capacity administrator or contributor: Fabric Admin portal (tenant 2) → Capacity settings → the capacity → Contributor permissions.', 'provider'),
    listCapacitiesStep(k),
  ], k);

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
  fix: (k) => assignCapacityFix(k),
  run({ target, config, facts }) {
    const known = () => knownValues(target, config, facts);
    const ws = facts.value('provider.workspace');
    const list = facts.get('provider.capacities');
    const capacityId = ws.capacityId;
    if (!list.ok && list.unavailable.kind === 'forbidden') {
      return {
        status: 'warn',
        message: `the provider identity cannot list capacities, so the SKU of capacity ${capacityId} is unknown`,
        evidence: { capacityId: capacityId ?? null, httpStatus: list.unavailable.httpStatus ?? null, code: list.unavailable.code ?? null, neededRole: list.unavailable.neededRole ?? null },
        fix: seeCapacityFix(known()),
      };
    }
    const capacities = facts.value('provider.capacities').value;
    const capacity = capacities.find((c) => lower(c?.id) === lower(capacityId));
    if (!capacity) {
      return {
        status: 'warn',
        message: `capacity ${capacityId} is not among the ${capacities.length} capacities the provider identity can see; its SKU is unknown`,
        evidence: { capacityId: capacityId ?? null, visibleCapacities: capacities.map((c) => c.id) },
        fix: seeCapacityFix(known()),
      };
    }
    const evidence = { capacityId: capacity.id, displayName: capacity.displayName ?? null, sku: capacity.sku ?? null, state: capacity.state ?? null, region: capacity.region ?? null };
    if (!isSupportedSku(capacity.sku)) {
      const trial = /^FT/i.test(capacity.sku ?? '');
      return {
        status: 'fail',
        message: `capacity ${capacity.displayName ?? capacity.id} is ${capacity.sku ?? 'an unknown SKU'}${trial ? ' (trial)' : ''}: workspace private links need an F SKU`,
        evidence: { ...evidence, expected: 'an F SKU (F2, F4, … F2048)' },
        fix: assignCapacityFix(known()),
      };
    }
    if (capacity.state !== 'Active') {
      return {
        status: 'fail',
        message: `capacity ${capacity.displayName ?? capacity.id} (${capacity.sku}) is ${capacity.state ?? 'in an unknown state'}, not Active`,
        evidence: { ...evidence, expected: 'Active' },
        fix: resumeCapacityFix(known(), capacity.displayName ?? String(capacity.id)),
      };
    }
    return { status: 'pass', message: `capacity ${capacity.displayName ?? capacity.id} is ${capacity.sku} and Active`, evidence };
  },
});

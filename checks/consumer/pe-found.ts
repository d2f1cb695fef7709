import { defineCheck } from '../../src/engine/define.js';
import { knownValues, type KnownValues } from '../../src/fix/known.js';
import { approveNewConnectionSteps, createEndpointStep, deleteEndpointStep, fix } from '../../src/fix/steps.js';
import { connectionSummary, endpointConnections } from '../helpers.js';

export default defineCheck({
  id: 'consumer.pe-found',
  title: 'The private endpoint exists in tenant 1',
  side: 'consumer',
  severity: 'critical',
  // The VNet is read for the fix: a missing endpoint is created in a subnet of the jump VM's VNet.
  needs: ['consumer.privateEndpoint', 'consumer.vnet'],
  after: [],
  docStep: '5',
  explain:
    'The private endpoint in tenant 1 (target sub-resource `workspace`) is what gives the VNet private IPs for the workspace. It must exist and be provisioned (Succeeded).',
  fix: (k: KnownValues) => fix('Create the private endpoint in tenant 1 (step 5), then tenant 2 approves its connection (step 6).', [createEndpointStep(k), ...approveNewConnectionSteps(k)], k),
  run({ target, config, facts }) {
    const result = facts.get('consumer.privateEndpoint');
    if (!result.ok && result.unavailable.kind === 'not-found') {
      return {
        status: 'fail',
        message: 'the private endpoint does not exist (HTTP 404)',
        evidence: { privateEndpointId: target.consumer?.privateEndpointId ?? null, code: result.unavailable.code ?? null, requestId: result.unavailable.requestId ?? null },
      };
    }
    const pe = facts.value('consumer.privateEndpoint');
    const evidence = {
      privateEndpointId: pe.id ?? null,
      location: pe.location ?? null,
      provisioningState: pe.properties?.provisioningState ?? null,
      subnetId: pe.properties?.subnet?.id ?? null,
      connections: endpointConnections(pe).map(connectionSummary),
    };
    if (pe.properties?.provisioningState !== 'Succeeded') {
      return {
        status: 'fail',
        message: `the private endpoint is ${pe.properties?.provisioningState ?? 'in an unknown provisioning state'}, not Succeeded`,
        evidence: { ...evidence, expected: 'Succeeded' },
        fix: failedEndpointFix(knownValues(target, config, facts)),
      };
    }
    return { status: 'pass', message: 'the private endpoint exists (Succeeded)', evidence };
  },
});

function failedEndpointFix(k: KnownValues) {
  const remove = deleteEndpointStep(k, 'If it stays Failed after a few minutes, delete it.');
  return fix('Wait for the endpoint to finish provisioning; if it stays Failed, delete it and create it again (step 5).', [...(remove ? [remove] : []), createEndpointStep(k), ...approveNewConnectionSteps(k)], k);
}

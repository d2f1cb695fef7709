import { defineCheck } from '../../src/engine/define.js';
import { az } from '../../src/fix/commands.js';
import { knownValues, type KnownValues } from '../../src/fix/known.js';
import { FABRIC_PLS_API_VERSION } from '../../src/azure/resourceId.js';
import { createPlsSteps, fix, step } from '../../src/fix/steps.js';
import { configuredPlsId } from '../helpers.js';

export const createPlsFix = (k: KnownValues) =>
  fix('Create the Fabric private link service for this workspace in tenant 2 (step 2).', createPlsSteps(k, k.provider.privateLinkService), k);

export default defineCheck({
  id: 'provider.pls-found',
  title: 'The Fabric private link service exists in tenant 2',
  side: 'provider',
  severity: 'critical',
  needs: ['provider.privateLinkService'],
  after: [],
  docStep: '2',
  explain:
    'The private endpoint in tenant 1 connects to a Microsoft.Fabric/privateLinkServicesForFabric resource in tenant 2 (a hidden resource, location global, read with a plain ARM GET, api-version 2024-06-01). Without it, or while it is not provisioned, there is nothing to connect to. Its id comes from the config or from the endpoint\'s connection.',
  fix: createPlsFix,
  run({ target, config, facts }) {
    const result = facts.get('provider.privateLinkService');
    const configured = configuredPlsId(target);
    if (!result.ok && result.unavailable.kind === 'not-found') {
      return {
        status: 'fail',
        message: 'the Fabric private link service does not exist (HTTP 404)',
        evidence: {
          found: false,
          privateLinkServiceId: configured ?? (target.consumer?.privateEndpointId ? "derived from the endpoint's connection" : null),
          idSource: configured ? 'config' : 'endpoint-connection',
          code: result.unavailable.code ?? null,
          requestId: result.unavailable.requestId ?? null,
        },
      };
    }
    const pls = facts.value('provider.privateLinkService');
    const evidence = { privateLinkServiceId: pls.id ?? null, idSource: configured ? 'config' : 'endpoint-connection', location: pls.location ?? null, provisioningState: pls.properties?.provisioningState ?? null };
    if (pls.properties?.provisioningState !== 'Succeeded') {
      return {
        status: 'fail',
        message: `the private link service is ${pls.properties?.provisioningState ?? 'in an unknown provisioning state'}, not Succeeded`,
        evidence: { ...evidence, expected: 'Succeeded' },
        fix: redeployFix(knownValues(target, config, facts)),
      };
    }
    return { status: 'pass', message: `private link service ${pls.name ?? pls.id} exists (Succeeded)`, evidence };
  },
});

/** A service that is not Succeeded: watch it, and deploy it again if it stays Failed. */
function redeployFix(k: KnownValues) {
  const pls = k.provider.privateLinkService;
  return fix('Wait for the deployment to finish; if it stays Failed, deploy the private link service again (step 2).', [
    ...(pls ? [step(`Watch the provisioning state of ${pls.name}.`, 'provider' as const, az(['resource', 'show'], [['ids', pls.id], ['api-version', FABRIC_PLS_API_VERSION], ['query', 'properties.provisioningState'], ['output', 'tsv']]))] : []),
    ...createPlsSteps(k, pls),
  ], k);
}

import { defineCheck } from '../../src/engine/define.js';
import { configuredPlsId } from '../helpers.js';

interface Pls {
  id?: string;
  name?: string;
  location?: string;
  properties?: { provisioningState?: string };
}

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
  remediation:
    'Create the private link service in tenant 2 with the ARM template from the setup (step 2): `az deployment group create --resource-group RG --template-file fabric-pls.json --parameters workspaceId=WORKSPACE_ID tenantId=TENANT2_ID`. It is not visible in the portal\'s resource list; check with `az resource show --ids PLS_ID --api-version 2024-06-01`.',
  run({ target, facts }) {
    const result = facts.get<Pls>('provider.privateLinkService');
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
    const pls = facts.value<Pls>('provider.privateLinkService');
    const evidence = { privateLinkServiceId: pls.id ?? null, idSource: configured ? 'config' : 'endpoint-connection', location: pls.location ?? null, provisioningState: pls.properties?.provisioningState ?? null };
    if (pls.properties?.provisioningState !== 'Succeeded') {
      return {
        status: 'fail',
        message: `the private link service is ${pls.properties?.provisioningState ?? 'in an unknown provisioning state'}, not Succeeded`,
        evidence: { ...evidence, expected: 'Succeeded' },
        remediation: 'Wait for the deployment to finish; if it stays Failed, redeploy the private link service template in tenant 2 (step 2).',
      };
    }
    return { status: 'pass', message: `private link service ${pls.name ?? pls.id} exists (Succeeded)`, evidence };
  },
});

import { defineCheck } from '../../src/engine/define.js';
import { connectionSummary, endpointConnections } from '../helpers.js';

interface Pe {
  id?: string;
  location?: string;
  properties?: { provisioningState?: string; subnet?: { id?: string } };
}

export default defineCheck({
  id: 'consumer.pe-found',
  title: 'The private endpoint exists in tenant 1',
  side: 'consumer',
  severity: 'critical',
  needs: ['consumer.privateEndpoint'],
  after: [],
  docStep: '5',
  explain:
    'The private endpoint in tenant 1 (target sub-resource `workspace`) is what gives the VNet private IPs for the workspace. It must exist and be provisioned (Succeeded).',
  remediation:
    'Create the endpoint in tenant 1 (step 5): `az network private-endpoint create --resource-group RG --name PE_NAME --subnet SUBNET_ID --private-connection-resource-id PLS_ID --group-id workspace --connection-name PE_NAME --manual-request true`, or Azure portal → Private endpoints → Create → Connect by resource id (the private link service id from tenant 2), target sub-resource `workspace`.',
  run({ target, facts }) {
    const result = facts.get<Pe>('consumer.privateEndpoint');
    if (!result.ok && result.unavailable.kind === 'not-found') {
      return {
        status: 'fail',
        message: 'the private endpoint does not exist (HTTP 404)',
        evidence: { privateEndpointId: target.consumer?.privateEndpointId ?? null, code: result.unavailable.code ?? null, requestId: result.unavailable.requestId ?? null },
      };
    }
    const pe = facts.value<Pe>('consumer.privateEndpoint');
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
        remediation: 'Wait for the endpoint to finish provisioning; if it stays Failed, delete it and create it again (step 5).',
      };
    }
    return { status: 'pass', message: 'the private endpoint exists (Succeeded)', evidence };
  },
});

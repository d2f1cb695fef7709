import { defineCheck } from '../../src/engine/define.js';
import { endpointIdOf, sameId } from '../helpers.js';

interface PlsConnection {
  id?: string;
  name?: string;
  properties?: { privateEndpoint?: { id?: string }; privateLinkServiceConnectionState?: { status?: string; description?: string; actionsRequired?: string } };
}

const APPROVE =
  'In tenant 2, approve the connection (step 6): Azure portal → Private Link Center → Pending connections → Approve, or `az rest --method put --url "https://management.azure.com{connectionId}?api-version=2024-06-01" --body \'{"properties":{"privateLinkServiceConnectionState":{"status":"Approved","description":"approved"}}}\'`.';

export default defineCheck({
  id: 'provider.connection-approved',
  title: "Tenant 2 approved this endpoint's connection",
  side: 'provider',
  severity: 'critical',
  needs: ['provider.privateLinkService', 'consumer.privateEndpoint'],
  after: ['pls-found', 'consumer.pe-found'],
  docStep: '6',
  explain:
    "The private link service in tenant 2 must list a connection from this private endpoint, with status Approved. A cross-tenant endpoint is a manual request: nothing flows until tenant 2 approves it (Pending), and a Rejected or Disconnected connection never carries traffic.",
  remediation: APPROVE,
  run({ target, facts }) {
    const pls = facts.value<{ id?: string; properties?: { privateEndpointConnections?: PlsConnection[] } }>('provider.privateLinkService');
    const endpointId = endpointIdOf(facts.get('consumer.privateEndpoint'), target.consumer?.privateEndpointId);
    if (!endpointId) {
      return { status: 'skip', skipReason: 'not-applicable', message: 'no private endpoint id to look for (targets[].consumer.privateEndpointId is not set)' };
    }
    const connections = pls.properties?.privateEndpointConnections ?? [];
    const connection = connections.find((c) => sameId(c.properties?.privateEndpoint?.id, endpointId));
    const listed = connections.map((c) => ({ endpoint: c.properties?.privateEndpoint?.id ?? null, status: c.properties?.privateLinkServiceConnectionState?.status ?? null }));
    if (!connection) {
      return {
        status: 'fail',
        message: `the private link service lists no connection from ${endpointId}`,
        evidence: { privateLinkServiceId: pls.id ?? null, expectedEndpoint: endpointId, connections: listed },
        remediation: 'Create the private endpoint in tenant 1 against this private link service with group id `workspace` and "request approval" (step 5), then approve it in tenant 2 (step 6).',
      };
    }
    const state = connection.properties?.privateLinkServiceConnectionState;
    const status = state?.status;
    const evidence = {
      privateLinkServiceId: pls.id ?? null,
      connectionId: connection.id ?? null,
      privateEndpointId: endpointId,
      expected: 'Approved',
      status: status ?? null,
      description: state?.description ?? null,
      actionsRequired: state?.actionsRequired ?? null,
    };
    const approve = APPROVE.replace('{connectionId}', connection.id ?? '{connectionId}');
    switch (status) {
      case 'Approved':
        return { status: 'pass', message: 'the connection from this endpoint is Approved', evidence };
      case 'Pending':
        return { status: 'fail', message: 'the connection from this endpoint is Pending: tenant 2 has not approved it', evidence, remediation: approve };
      case 'Rejected':
        return {
          status: 'fail',
          message: 'tenant 2 rejected the connection from this endpoint',
          evidence,
          remediation: `A rejected connection does not carry traffic. If the rejection was a mistake, approve it in tenant 2: ${approve} Otherwise delete and recreate the endpoint in tenant 1 (step 5) and ask tenant 2 to approve it.`,
        };
      case 'Disconnected':
        return {
          status: 'fail',
          message: 'the connection from this endpoint is Disconnected',
          evidence,
          remediation: 'Delete the private endpoint in tenant 1 and create it again against the private link service (step 5), then approve it in tenant 2 (step 6).',
        };
      default:
        return { status: 'fail', message: `the connection status is ${JSON.stringify(status ?? null)}, not Approved`, evidence, remediation: approve };
    }
  },
});

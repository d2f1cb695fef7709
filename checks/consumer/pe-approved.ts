import { defineCheck } from '../../src/engine/define.js';
import { knownValues } from '../../src/fix/known.js';
import { approveFix, recreateEndpointFix } from '../provider/connection-approved.js';
import { configuredPlsId, connectionSummary, failedResult, fabricConnection, sameId } from '../helpers.js';

export default defineCheck({
  id: 'consumer.pe-approved',
  title: "The endpoint's connection is Approved",
  side: 'consumer',
  severity: 'critical',
  // The private link service is read (when tenant 2 can be) for the id of the connection to approve.
  needs: ['consumer.privateEndpoint', 'provider.privateLinkService'],
  after: ['pe-found'],
  docStep: '6',
  explain:
    "As tenant 1 sees it, the connection's `privateLinkServiceConnectionState.status` must be Approved. Pending: tenant 2 has not approved it yet. Rejected: tenant 2 refused it. Disconnected: the private link service (or the connection) was removed in tenant 2. In none of these does traffic flow.",
  fix: (k) => approveFix(k, undefined),
  run({ target, config, facts }) {
    const pe = facts.value('consumer.privateEndpoint');
    const known = knownValues(target, config, facts);
    const pls = facts.get('provider.privateLinkService');
    const plsConnectionId = pls.ok ? pls.value.properties?.privateEndpointConnections?.find((c) => sameId(c.properties?.privateEndpoint?.id, pe.id))?.id : undefined;
    const connection = fabricConnection(pe, configuredPlsId(target));
    if (!connection) return { status: 'fail', message: 'the private endpoint has no private link service connection', evidence: { privateEndpointId: pe.id ?? null } };
    const summary = connectionSummary(connection);
    const evidence = { privateEndpointId: pe.id ?? null, expected: 'Approved', ...summary };
    switch (summary.status) {
      case 'Approved':
        return { status: 'pass', message: 'the connection is Approved', evidence };
      case 'Pending':
        return {
          status: 'fail',
          message: 'the connection is Pending: tenant 2 has not approved it, no traffic flows',
          evidence,
          fix: approveFix(known, plsConnectionId, 'An owner of the private link service in tenant 2 approves the connection (step 6).'),
        };
      case 'Rejected':
        return {
          status: 'fail',
          message: `tenant 2 rejected the connection${summary.description ? ` ("${summary.description}")` : ''}`,
          evidence,
          fix: recreateEndpointFix(known, 'Agree with tenant 2 why it was rejected; then recreate the endpoint (step 5) and have tenant 2 approve it (step 6).'),
        };
      case 'Disconnected':
        return {
          status: 'fail',
          message: 'the connection is Disconnected: the private link service or the connection was removed in tenant 2',
          evidence,
          fix: recreateEndpointFix(known, 'Once the private link service exists again in tenant 2 (provider.pls-found), recreate this endpoint (step 5) and have tenant 2 approve it (step 6): a disconnected endpoint does not reconnect by itself.'),
        };
      default:
        return { status: 'fail', message: `the connection status is ${JSON.stringify(summary.status)}, not Approved`, evidence };
    }
  },
  explainedBy({ result, results }) {
    const status = result.evidence.status;
    const causes: string[] = [];
    // Tenant 2's own view of this very connection, in the same state: its approval is the cause.
    const approval = failedResult(results, 'provider.connection-approved');
    if ((status === 'Pending' || status === 'Rejected') && approval?.evidence.status === status && sameId(approval.evidence.privateEndpointId as string, result.evidence.privateEndpointId as string)) {
      causes.push('provider.connection-approved');
    }
    // Disconnected because the service this connection points to does not exist.
    const service = failedResult(results, 'provider.pls-found');
    if (status === 'Disconnected' && service?.evidence.found === false) {
      const serviceId = service.evidence.privateLinkServiceId;
      if (service.evidence.idSource === 'endpoint-connection' || sameId(serviceId as string, result.evidence.privateLinkServiceId as string)) causes.push('provider.pls-found');
    }
    return causes;
  },
});

import { defineCheck } from '../../src/engine/define.js';
import type { Fix } from '../../src/engine/types.js';
import { knownValues, type KnownValues } from '../../src/fix/known.js';
import { approveConnectionSteps, approveNewConnectionSteps, createEndpointStep, deleteEndpointStep, fix, listConnectionsStep, listPlsStep, step } from '../../src/fix/steps.js';
import { endpointIdOf, sameId } from '../helpers.js';

/** Approve this connection in tenant 2 (step 6); without its id, list the service's connections to find it. */
export function approveFix(k: KnownValues, connectionId: string | undefined, summary = 'Tenant 2 approves the connection from this endpoint (step 6).'): Fix {
  const pls = k.provider.privateLinkService;
  const find = pls
    ? [listConnectionsStep(pls, `List the connections of ${pls.name}; the one from ${k.consumer.privateEndpoint?.name ?? 'this endpoint'} is the one to approve (run the doctor again for its approval command).`)]
    : [listPlsStep(k), step("Approve the pending connection from this endpoint on that service: Azure portal (tenant 2) → Private Link Center → Pending connections → Approve, or run the doctor with the service's id in the config for the command.", 'provider')];
  return fix(summary, connectionId ? approveConnectionSteps(connectionId) : find, k);
}

/** A connection that cannot carry traffic again: recreate the endpoint in tenant 1, then approve the new one. */
export function recreateEndpointFix(k: KnownValues, summary: string): Fix {
  const remove = deleteEndpointStep(k, 'Delete the endpoint: a disconnected or refused connection does not come back by itself.');
  return fix(summary, [...(remove ? [remove] : []), createEndpointStep(k), ...approveNewConnectionSteps(k)], k);
}

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
  fix: (k) => approveFix(k, undefined),
  run({ target, config, facts }) {
    const known = knownValues(target, config, facts);
    const pls = facts.value('provider.privateLinkService');
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
        fix: fix('Create the private endpoint in tenant 1 against this private link service (step 5), then approve it in tenant 2 (step 6).', [createEndpointStep(known), ...approveNewConnectionSteps(known)], known),
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
    const approve = approveFix(known, connection.id);
    switch (status) {
      case 'Approved':
        return { status: 'pass', message: 'the connection from this endpoint is Approved', evidence };
      case 'Pending':
        return { status: 'fail', message: 'the connection from this endpoint is Pending: tenant 2 has not approved it', evidence, fix: approve };
      case 'Rejected':
        return {
          status: 'fail',
          message: 'tenant 2 rejected the connection from this endpoint',
          evidence,
          fix: approveFix(known, connection.id, 'A rejected connection carries no traffic. If the rejection was a mistake, tenant 2 approves it now; if not, agree with tenant 2 first, then recreate the endpoint (step 5).'),
        };
      case 'Disconnected':
        return {
          status: 'fail',
          message: 'the connection from this endpoint is Disconnected',
          evidence,
          fix: recreateEndpointFix(known, 'Recreate the private endpoint in tenant 1 against the private link service (step 5), then tenant 2 approves it (step 6).'),
        };
      default:
        return { status: 'fail', message: `the connection status is ${JSON.stringify(status ?? null)}, not Approved`, evidence, fix: approve };
    }
  },
});

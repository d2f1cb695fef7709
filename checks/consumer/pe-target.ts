import { FABRIC_PLS_TYPE, isType } from '../../src/azure/resourceId.js';
import { defineCheck } from '../../src/engine/define.js';
import { recreateEndpointFix } from '../provider/connection-approved.js';
import { configuredPlsId, connectionSummary, endpointConnections, fabricConnection, sameId } from '../helpers.js';

export default defineCheck({
  id: 'consumer.pe-target',
  title: "The endpoint's connection targets this private link service, sub-resource `workspace`",
  side: 'consumer',
  severity: 'critical',
  needs: ['consumer.privateEndpoint'],
  after: ['pe-found'],
  docStep: '5',
  explain:
    "A cross-tenant endpoint's connection sits in `manualPrivateLinkServiceConnections` (both arrays are inspected). Its `privateLinkServiceId` must be the Fabric private link service of this workspace (compared case-insensitively; when the config names none, it must at least be a Microsoft.Fabric/privateLinkServicesForFabric resource) and its `groupIds` must contain `workspace`.",
  // The target and the group id of a connection cannot change: the endpoint is created again.
  fix: (k) => recreateEndpointFix(k, "Recreate the endpoint against this workspace's private link service with group id workspace (step 5); a connection's target cannot be changed."),
  run({ target, facts }) {
    const pe = facts.value('consumer.privateEndpoint');
    const expected = configuredPlsId(target);
    const all = endpointConnections(pe);
    const connection = fabricConnection(pe, expected);
    const evidence: Record<string, unknown> = {
      privateEndpointId: pe.id ?? null,
      expectedPrivateLinkServiceId: expected ?? `any ${FABRIC_PLS_TYPE} (targets[].provider.privateLinkServiceId not set)`,
      expectedGroupId: 'workspace',
      connections: all.map(connectionSummary),
    };
    if (!connection) return { status: 'fail', message: 'the private endpoint has no private link service connection', evidence };
    const plsId = connection.properties?.privateLinkServiceId;
    const groups = connection.properties?.groupIds ?? [];
    const problems: string[] = [];
    if (expected ? !sameId(plsId, expected) : !isType(plsId, FABRIC_PLS_TYPE)) {
      problems.push(`it targets ${plsId ?? '(nothing)'}${expected ? `, not ${expected}` : `, not a ${FABRIC_PLS_TYPE}`}`);
    }
    if (!groups.some((g) => g.toLowerCase() === 'workspace')) problems.push(`its group ids are ${JSON.stringify(groups)}, not ["workspace"]`);
    evidence.foundPrivateLinkServiceId = plsId ?? null;
    evidence.foundGroupIds = groups;
    if (problems.length) return { status: 'fail', message: `the endpoint's connection is wrong: ${problems.join('; ')}`, evidence };
    return { status: 'pass', message: `the endpoint connects to ${plsId} with group id workspace`, evidence };
  },
});

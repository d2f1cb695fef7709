import { describe, expect, it } from 'vitest';
import check from '../../../checks/consumer/pe-found.js';
import { na } from '../../fixtures/engine.js';
import { pastableCommands } from '../../helpers/shells.js';
import { fx, one, scratch } from '../fixture.js';

describe('consumer.pe-found fix', () => {
  it('missing: create the endpoint the config names in a subnet of the jump VM\'s VNet, against the configured service', async () => {
    const r = await one(check, { 'consumer.privateEndpoint': na('not-found', 'gone', { httpStatus: 404 }) });
    expect(r.status).toBe('fail');
    const subnet = fx.vnet().properties.subnets[0].id;
    expect(pastableCommands(r.fix, scratch)).toEqual([
      `az login --tenant ${fx.TENANT_1}`,
      `az network private-endpoint create --subscription ${fx.SUB_1} --resource-group rg1 --name testPe --subnet ${subnet} --private-connection-resource-id ${fx.PLS_ID} --group-id workspace --connection-name testPe --manual-request true`,
      // Then tenant 2 approves the new connection, found on the service by the endpoint's name.
      `az login --tenant ${fx.TENANT_2}`,
      expect.stringMatching(/^printf '%s\\n' '\{"properties":\{"privateLinkServiceConnectionState":\{"status":"Approved"/),
      `az rest --method put --url "$(az rest --method get --url '${fx.PLS_ID}/privateEndpointConnections?api-version=2024-06-01' --query 'join('\\'''\\'', [value[?ends_with(properties.privateEndpoint.id, '\\''/privateEndpoints/testPe'\\'')].id | [0], '\\''?api-version=2024-06-01'\\''])' --output tsv)" --body @approve-connection.json`,
    ]);
    expect(r.fix!.steps.at(-1)!.text).toMatch(/^Approve the new connection from testPe/);
  });

  it('Failed: delete it, then create it again', async () => {
    const pe = fx.privateEndpoint();
    pe.properties.provisioningState = 'Failed';
    const r = await one(check, { 'consumer.privateEndpoint': pe });
    expect(pastableCommands(r.fix, scratch)[1]).toBe(`az network private-endpoint delete --subscription ${fx.SUB_1} --resource-group rg1 --name testPe`);
  });
});

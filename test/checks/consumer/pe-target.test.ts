import { describe, expect, it } from 'vitest';
import check from '../../../checks/consumer/pe-target.js';
import { pastableCommands } from '../../helpers/shells.js';
import { fx, one, scratch } from '../fixture.js';

describe('consumer.pe-target fix', () => {
  it('a wrong group id: delete the endpoint and create it with group id workspace (a connection cannot change)', async () => {
    const pe = fx.privateEndpoint();
    pe.properties.manualPrivateLinkServiceConnections[0].properties.groupIds = ['tenant'];
    const r = await one(check, { 'consumer.privateEndpoint': pe });
    expect(r.status).toBe('fail');
    const commands = pastableCommands(r.fix, scratch);
    expect(commands.slice(1, 3)).toEqual([
      `az network private-endpoint delete --subscription ${fx.SUB_1} --resource-group rg1 --name testPe`,
      `az network private-endpoint create --subscription ${fx.SUB_1} --resource-group rg1 --name testPe --subnet ${fx.SUBNET_ID} --private-connection-resource-id ${fx.PLS_ID} --group-id workspace --connection-name testPe --manual-request true`,
    ]);
    // Then tenant 2 approves the new connection: signed in there, the body, the approval found by the endpoint's name.
    expect(commands.slice(3)).toEqual([`az login --tenant ${fx.TENANT_2}`, expect.stringMatching(/^printf /), expect.stringMatching(/^az rest --method put --url "\$\(az rest --method get .*privateEndpoints\/testPe/)]);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import check from '../../../checks/provider/connection-approved.js';
import { pastableCommands } from '../../helpers/shells.js';
import { fx, one, scratch } from '../fixture.js';

describe('provider.connection-approved fix', () => {
  it('Pending: the PUT of PrivateEndpointConnections_Update on this connection, its body from a file', async () => {
    const r = await one(check, { 'provider.privateLinkService': fx.privateLinkService('Pending') });
    expect(r.status).toBe('fail');
    const connectionId = fx.privateLinkService().properties.privateEndpointConnections[0].id;
    const commands = pastableCommands(r.fix, scratch);
    expect(commands.at(-1)).toBe(`az rest --method put --url '${connectionId}?api-version=2024-06-01' --body @approve-connection.json`);
    expect(r.fix!.steps.at(-1)!.commands!.powershell).toBe(`az rest --method put --url '${connectionId}?api-version=2024-06-01' --body '@approve-connection.json'`);
    expect(JSON.parse(readFileSync(join(scratch, 'approve-connection.json'), 'utf8'))).toEqual({
      properties: { privateLinkServiceConnectionState: { status: 'Approved', description: 'Approved', actionsRequired: 'None' } },
    });
    expect(commands[0]).toBe(`az login --tenant ${fx.TENANT_2}`);
  });

  it('Disconnected: recreate the endpoint in tenant 1, in its subnet, against this service', async () => {
    const r = await one(check, { 'provider.privateLinkService': fx.privateLinkService('Disconnected') });
    const commands = pastableCommands(r.fix, scratch);
    expect(commands).toContain(
      `az network private-endpoint create --subscription ${fx.SUB_1} --resource-group rg1 --name testPe --subnet ${fx.SUBNET_ID} --private-connection-resource-id ${fx.PLS_ID} --group-id workspace --connection-name testPe --manual-request true`,
    );
  });
});

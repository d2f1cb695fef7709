import { describe, expect, it } from 'vitest';
import check from '../../../checks/consumer/pe-approved.js';
import { na } from '../../fixtures/engine.js';
import { pastableCommands } from '../../helpers/shells.js';
import { fx, one, scratch } from '../fixture.js';

describe('consumer.pe-approved fix', () => {
  it('Pending: tenant 2 approves this connection, found in the service by the endpoint id', async () => {
    const r = await one(check, { 'consumer.privateEndpoint': fx.privateEndpoint('Pending'), 'provider.privateLinkService': fx.privateLinkService('Pending') });
    expect(r.status).toBe('fail');
    const connectionId = fx.privateLinkService().properties.privateEndpointConnections[0].id;
    const commands = pastableCommands(r.fix, scratch);
    expect(commands[0]).toBe(`az login --tenant ${fx.TENANT_2}`);
    expect(commands.at(-1)).toBe(`az rest --method put --url '${connectionId}?api-version=2024-06-01' --body @approve-connection.json`);
  });

  it('Pending, tenant 2 not readable: list the service\'s connections instead of guessing a name', async () => {
    const r = await one(check, { 'consumer.privateEndpoint': fx.privateEndpoint('Pending'), 'provider.privateLinkService': na('no-access') });
    expect(pastableCommands(r.fix, scratch).at(-1)).toMatch(new RegExp(`^az rest --method get --url '${fx.PLS_ID}/privateEndpointConnections\\?api-version=2024-06-01'`));
  });

  it('Disconnected: recreate the endpoint', async () => {
    const r = await one(check, { 'consumer.privateEndpoint': fx.privateEndpoint('Disconnected') });
    expect(pastableCommands(r.fix, scratch)).toContain(`az network private-endpoint delete --subscription ${fx.SUB_1} --resource-group rg1 --name testPe`);
  });
});

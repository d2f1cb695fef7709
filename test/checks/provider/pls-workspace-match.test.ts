import { describe, expect, it } from 'vitest';
import check from '../../../checks/provider/pls-workspace-match.js';
import { pastableCommands } from '../../helpers/shells.js';
import { fx, one, scratch } from '../fixture.js';

describe('provider.pls-workspace-match fix', () => {
  it('a service for another workspace: a new one for this workspace beside it, the endpoint moved to it', async () => {
    const pls = fx.privateLinkService();
    pls.properties.workspaceId = '00000000-1111-2222-3333-444444444444';
    const r = await one(check, { 'provider.privateLinkService': pls });
    expect(r.status).toBe('fail');
    const commands = pastableCommands(r.fix, scratch);
    expect(commands).toContain(`az resource create --subscription ${fx.SUB_2} --resource-group resourceGroup1 --name pls-fabric-cfafbeb1 --resource-type Microsoft.Fabric/privateLinkServicesForFabric --api-version 2024-06-01 --location global --properties @pls-properties.json`);
    expect(commands).toContain(`az network private-endpoint delete --subscription ${fx.SUB_1} --resource-group rg1 --name testPe`);
    // Both tenants' sign-ins, each before its first command.
    expect(commands.filter((c) => c.startsWith('az login'))).toEqual([`az login --tenant ${fx.TENANT_2}`, `az login --tenant ${fx.TENANT_1}`]);
  });
});

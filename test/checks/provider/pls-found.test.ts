import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import check from '../../../checks/provider/pls-found.js';
import { na } from '../../fixtures/engine.js';
import { pastableCommands } from '../../helpers/shells.js';
import { fx, one, scratch } from '../fixture.js';

describe('provider.pls-found fix', () => {
  it('missing: register Microsoft.Fabric, then create the service the config names, for this workspace and tenant 2', async () => {
    const r = await one(check, { 'provider.privateLinkService': na('not-found', 'gone', { httpStatus: 404 }) });
    expect(r.status).toBe('fail');
    const commands = pastableCommands(r.fix, scratch);
    expect(commands).toEqual([
      `az login --tenant ${fx.TENANT_2}`,
      `az provider register --namespace Microsoft.Fabric --subscription ${fx.SUB_2}`,
      expect.stringMatching(/^printf /),
      `az resource create --subscription ${fx.SUB_2} --resource-group resourceGroup1 --name privateLinkService1 --resource-type Microsoft.Fabric/privateLinkServicesForFabric --api-version 2024-06-01 --location global --properties @pls-properties.json`,
    ]);
    // The properties of the official CreateOrUpdate example: tenantId and workspaceId.
    expect(JSON.parse(readFileSync(join(scratch, 'pls-properties.json'), 'utf8'))).toEqual({ tenantId: fx.TENANT_2, workspaceId: fx.WORKSPACE_ID });
  });

  it('provisioning Failed: watch the state, then deploy again', async () => {
    const pls = fx.privateLinkService();
    pls.properties.provisioningState = 'Failed';
    const r = await one(check, { 'provider.privateLinkService': pls });
    expect(pastableCommands(r.fix, scratch)[1]).toBe(`az resource show --ids ${fx.PLS_ID} --api-version 2024-06-01 --query properties.provisioningState --output tsv`);
  });
});

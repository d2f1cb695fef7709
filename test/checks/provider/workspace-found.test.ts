import { describe, expect, it } from 'vitest';
import check, { workspaceFix } from '../../../checks/provider/workspace-found.js';
import { testConfig } from '../../../src/config/defaults.js';
import { knownValues } from '../../../src/fix/known.js';
import { WORKSPACE_VIEWER } from '../../../src/fix/steps.js';

const APP = '5e1b6c1a-2f0e-4c55-9a8e-0c3c1f0a7b21';
import { na } from '../../fixtures/engine.js';
import { pastableCommands } from '../../helpers/shells.js';
import { fx, one, scratch } from '../fixture.js';

describe('provider.workspace-found fix', () => {
  it('a workspace not found: sign in to tenant 2, list the workspaces the identity sees, grant Viewer', async () => {
    const r = await one(check, { 'provider.workspace': na('not-found', 'no such workspace', { httpStatus: 404 }) });
    expect(r.status).toBe('fail');
    expect(r.fix!.summary).toContain(fx.WORKSPACE_ID);
    const commands = pastableCommands(r.fix, scratch);
    expect(commands[0]).toBe(`az login --tenant ${fx.TENANT_2}`);
    expect(commands[1]).toMatch(/^az rest --method get --url https:\/\/api\.fabric\.microsoft\.com\/v1\/workspaces --resource https:\/\/api\.fabric\.microsoft\.com /);
    // No client id in this config (no credential): the role is granted in the portal.
    expect(r.fix!.steps.at(-1)!.text).toMatch(/Manage access → Add people or groups → Viewer/);
  });

  it('refused (403): error naming the role, and the Viewer grant as the fix (never "not found")', async () => {
    const r = await one(check, { 'provider.workspace': na('forbidden', 'may not read the workspace', { httpStatus: 403, neededRole: WORKSPACE_VIEWER }) });
    expect(r.status).toBe('error');
    expect(r.message).toBe('could not read provider.workspace: may not read the workspace');
    expect(r.fix!.summary).toBe(`The identity the doctor uses for this side needs ${WORKSPACE_VIEWER}: grant it, then run again.`);
    expect(r.fix!.steps.at(-1)!.text).toMatch(/Manage access → Add people or groups → Viewer/);
  });

  it("with the provider credential's app id: the Viewer role assignment as commands, the principal's object id looked up in tenant 2", () => {
    const k = knownValues(fx.target(), testConfig({ targets: [fx.target()], credentials: { provider: { type: 'client-secret', clientId: APP, secretEnv: 'X' }, consumer: { type: 'none' } } }));
    const commands = pastableCommands(workspaceFix(k), scratch);
    expect(commands.slice(2)).toEqual([
      `az ad sp show --id ${APP} --query '{principal: {id: id, type: '\\''ServicePrincipal'\\''}, role: '\\''Viewer'\\''}' --output json > workspace-viewer.json`,
      `az rest --method post --url https://api.fabric.microsoft.com/v1/workspaces/${fx.WORKSPACE_ID}/roleAssignments --resource https://api.fabric.microsoft.com --body @workspace-viewer.json`,
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import check from '../../../checks/provider/workspace-found.js';
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
    expect(r.fix!.steps.at(-1)!.text).toMatch(/Viewer/);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import check from '../../../checks/provider/public-access-denied.js';
import { pastableCommands } from '../../helpers/shells.js';
import { fx, one, scratch } from '../fixture.js';

describe('provider.public-access-denied fix', () => {
  it('Allow: PUT the whole policy with inbound Deny and outbound as read (the official Set example shape)', async () => {
    const policy = fx.communicationPolicy('Allow');
    policy.outbound = { publicAccessRules: { defaultAction: 'Deny' } };
    const r = await one(check, { 'provider.communicationPolicy': policy });
    expect(r.status).toBe('fail');
    const commands = pastableCommands(r.fix, scratch);
    expect(commands.at(-1)).toBe(
      `az rest --method put --url https://api.fabric.microsoft.com/v1/workspaces/${fx.WORKSPACE_ID}/networking/communicationPolicy --resource https://api.fabric.microsoft.com --body @communication-policy.json`,
    );
    expect(JSON.parse(readFileSync(join(scratch, 'communication-policy.json'), 'utf8'))).toEqual({
      inbound: { publicAccessRules: { defaultAction: 'Deny' } },
      outbound: { publicAccessRules: { defaultAction: 'Deny' } },
    });
  });
});

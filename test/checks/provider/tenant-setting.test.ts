import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import check from '../../../checks/provider/tenant-setting.js';
import { pastableCommands } from '../../helpers/shells.js';
import { fx, one, scratch } from '../fixture.js';

describe('provider.tenant-setting fix', () => {
  it('disabled: the Fabric admin API update with {"enabled": true} from a file', async () => {
    const r = await one(check, { 'provider.tenantSettings': fx.tenantSettings(false) });
    expect(r.status).toBe('fail');
    const commands = pastableCommands(r.fix, scratch);
    expect(commands.at(-1)).toBe(
      "az rest --method post --url https://api.fabric.microsoft.com/v1/admin/tenantsettings/WorkspaceBlockInboundAccess/update --resource https://api.fabric.microsoft.com --body @tenant-setting.json",
    );
    expect(JSON.parse(readFileSync(join(scratch, 'tenant-setting.json'), 'utf8'))).toEqual({ enabled: true });
  });
});

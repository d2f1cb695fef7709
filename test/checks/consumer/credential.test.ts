import { describe, expect, it } from 'vitest';
import check from '../../../checks/consumer/credential.js';
import { pastableCommands } from '../../helpers/shells.js';
import { expiredSecretSignIn, fx, one, scratch } from '../fixture.js';

const APP = '0c8e1a57-5a1b-4f3e-9a7e-2f3d4c5b6a79';

describe('consumer.credential fix', () => {
  it('an expired secret: sign in to tenant 1, a new secret for this app, where to put it', async () => {
    const finding = await one(check, { 'consumer.signIn': expiredSecretSignIn('consumer', fx.TENANT_1, APP) });
    expect(finding.status).toBe('error');
    expect(pastableCommands(finding.fix, scratch)).toEqual([`az login --tenant ${fx.TENANT_1}`, `az ad app credential reset --id ${APP} --append --display-name xtenant-doctor`]);
    expect(finding.fix!.summary).toMatch(/credentials\.consumer/);
  });
});

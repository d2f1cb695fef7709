import { describe, expect, it } from 'vitest';
import check from '../../../checks/provider/credential.js';
import { testConfig } from '../../../src/config/defaults.js';
import type { FactReader } from '../../../src/engine/define.js';
import type { FactResult } from '../../../src/engine/types.js';
import type { SignInFact } from '../../../src/azure/signin.js';
import { pastableCommands } from '../../helpers/shells.js';
import { fx, scratch } from '../fixture.js';

const APP = '0c8e1a57-5a1b-4f3e-9a7e-2f3d4c5b6a79';

function reader(fact: SignInFact): FactReader {
  const get = <T>() => ({ ok: true, value: fact }) as FactResult<T>;
  return { get, value: <T>() => fact as T };
}

describe('provider.credential fix', () => {
  it('an expired secret: sign in to tenant 2, a new secret for this app, where to put it', async () => {
    const fact = {
      side: 'provider',
      credentialType: 'client-secret',
      tenantId: fx.TENANT_2,
      clientId: APP,
      checkedAt: Date.now(),
      tokens: [{ audience: 'arm', scope: 'https://management.azure.com/.default', ok: false, error: { name: 'AuthenticationError', aadsts: 'AADSTS7000222', description: 'The provided client secret keys are expired.' } }],
    } as unknown as SignInFact;
    const finding = await check.run({ target: fx.target(), config: testConfig(), facts: reader(fact) });
    expect(finding.status).toBe('error');
    expect(pastableCommands(finding.fix, scratch)).toEqual([`az login --tenant ${fx.TENANT_2}`, `az ad app credential reset --id ${APP} --append --display-name xtenant-doctor`]);
    expect(finding.fix!.summary).toMatch(/credentials\.provider/);
  });
});

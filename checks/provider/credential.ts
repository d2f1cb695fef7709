// provider.credential: the provider credential signs in to tenant 2 and gets tokens for ARM and Fabric.
import { judgeSignIn } from '../../src/azure/signin.js';
import { defineCheck } from '../../src/engine/define.js';

export default defineCheck({
  id: 'provider.credential',
  title: 'The provider credential signs in to tenant 2 (ARM and Fabric)',
  side: 'provider',
  severity: 'critical',
  needs: ['provider.signIn'],
  after: [],
  docStep: 'prerequisite',
  explain:
    'Every provider check reads tenant 2 (Fabric REST and ARM) with the provider credential. This check gets a token for ' +
    'each API first and, when it cannot, says exactly why: the sign-in error\'s code and full description (AADSTS…), an ' +
    'app not registered in this tenant (and that the two tenant ids look swapped when the app signs in to tenant 1), an ' +
    'expired secret, az missing or logged in elsewhere, a secret or token file missing or unreadable, or a token whose ' +
    'claims (read without verifying) are for another tenant, another API, or expired. The other provider checks are then ' +
    'blocked by it: one finding, not an error on every check.',
  fix: { summary: 'Fix the provider credential (credentials.provider in the config) so it can sign in to tenant 2: the tenant id ' +
      '(targets[].provider.tenantId), the app\'s client id, and where its secret, certificate or token is read from.', steps: [] },
  run({ facts }) {
    return judgeSignIn(facts.value('provider.signIn'));
  },
});

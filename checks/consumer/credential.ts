// consumer.credential: the consumer credential signs in to tenant 1 and gets a token for ARM.
import { judgeSignIn } from '../../src/azure/signin.js';
import { defineCheck } from '../../src/engine/define.js';

export default defineCheck({
  id: 'consumer.credential',
  title: 'The consumer credential signs in to tenant 1 (ARM)',
  side: 'consumer',
  severity: 'critical',
  needs: ['consumer.signIn'],
  after: [],
  docStep: 'prerequisite',
  explain:
    'Every consumer check reads tenant 1 (the private endpoint, the VNet, the private DNS zone) through ARM with the ' +
    'consumer credential. This check gets the ARM token first and, when it cannot, says exactly why (the sign-in error\'s ' +
    'code and full description, an app not registered in this tenant or registered in tenant 2 instead, an expired secret, ' +
    'az missing or logged in elsewhere, a missing or unreadable secret or token file, a token for another tenant or API or ' +
    'expired). The other consumer checks are then blocked by it.',
  fix: { summary: 'Fix the consumer credential (credentials.consumer in the config) so it can sign in to tenant 1: the tenant id ' +
      '(targets[].consumer.tenantId), the app\'s client id, and where its secret, certificate or token is read from.', steps: [] },
  run({ facts }) {
    return judgeSignIn(facts.value('consumer.signIn'));
  },
});

import { defineCheck } from '../../src/engine/define.js';

export default defineCheck({
  id: 'provider.public-access-denied',
  title: "The workspace's public access is denied",
  side: 'provider',
  severity: 'high',
  needs: ['provider.communicationPolicy'],
  after: ['workspace-found'],
  docStep: '10',
  explain:
    "The workspace's communication policy (GET /v1/workspaces/{id}/networking/communicationPolicy, read on the Fabric API host, never on the workspace FQDN where it is refused) must have `inbound.publicAccessRules.defaultAction` Deny, so that only the private link reaches the workspace. Deny takes up to 30 minutes to take effect.",
  remediation:
    'Fabric portal (tenant 2) → the workspace → Workspace settings → Inbound networking → "Allow connections only from workspace level private links" → Apply (or PUT the communication policy with inbound.publicAccessRules.defaultAction Deny). It fails with InboundRestrictionNotEligible while the workspace holds unsupported items. Allow up to 30 minutes.',
  run({ target, facts }) {
    const policy = facts.value<{ inbound?: { publicAccessRules?: { defaultAction?: string } } }>('provider.communicationPolicy');
    const action = policy.inbound?.publicAccessRules?.defaultAction;
    const evidence = { workspaceId: target.workspaceId, expected: 'Deny', defaultAction: action ?? null };
    if (action === 'Deny') return { status: 'pass', message: 'inbound public access is denied (defaultAction Deny)', evidence };
    return { status: 'fail', message: `inbound public access is ${action === 'Allow' ? 'allowed' : JSON.stringify(action ?? null)} (defaultAction ${action ?? 'missing'}), not Deny`, evidence };
  },
});

import { defineCheck } from '../../src/engine/define.js';
import type { Fix } from '../../src/engine/types.js';
import { writeFileCommand } from '../../src/fix/commands.js';
import { knownValues, type KnownValues } from '../../src/fix/known.js';
import { fabricRest, fix, step } from '../../src/fix/steps.js';
import type { CommunicationPolicyJson } from '../../src/gather/fabric/shapes.js';

/**
 * Set the inbound default action to Deny with PUT …/networking/communicationPolicy. The PUT replaces
 * the whole policy, so the outbound rule is sent back as read (Allow, the default, when unknown).
 */
export function denyPublicAccessFix(k: KnownValues, policy?: CommunicationPolicyJson): Fix {
  const body = { inbound: { publicAccessRules: { defaultAction: 'Deny' } }, outbound: { publicAccessRules: { defaultAction: policy?.outbound?.publicAccessRules?.defaultAction ?? 'Allow' } } };
  const portal =
    'Fabric portal (tenant 2) → the workspace → Workspace settings → Inbound networking → "Allow connections only from workspace level private links" → Apply.';
  const read = step(
    'Read the current policy first: the PUT replaces it whole, and the body below keeps outbound public access Allow (the default): change it if the workspace denies outbound access.',
    'provider',
    fabricRest(k, 'get', `/workspaces/${k.workspaceId}/networking/communicationPolicy`),
  );
  return fix(
    "Deny public access in the workspace's communication policy; it takes up to 30 minutes to take effect, and fails with InboundRestrictionNotEligible while the workspace holds unsupported items.",
    k.workspaceId
      ? [
          ...(policy ? [] : [read]),
          step('Write the policy to communication-policy.json.', 'provider', writeFileCommand('communication-policy.json', JSON.stringify(body))),
          step(`Set it on the workspace (on the Fabric API host, never the workspace FQDN), or in the portal: ${portal}`, 'provider', fabricRest(k, 'put', `/workspaces/${k.workspaceId}/networking/communicationPolicy`, [['body', '@communication-policy.json']])),
        ]
      : [step(portal, 'provider')],
    k,
  );
}

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
  fix: (k) => denyPublicAccessFix(k),
  run({ target, config, facts }) {
    const policy = facts.value('provider.communicationPolicy');
    const action = policy.inbound?.publicAccessRules?.defaultAction;
    const evidence = { workspaceId: target.workspaceId, expected: 'Deny', defaultAction: action ?? null };
    if (action === 'Deny') return { status: 'pass', message: 'inbound public access is denied (defaultAction Deny)', evidence };
    return {
      status: 'fail',
      message: `inbound public access is ${action === 'Allow' ? 'allowed' : JSON.stringify(action ?? null)} (defaultAction ${action ?? 'missing'}), not Deny`,
      evidence,
      fix: denyPublicAccessFix(knownValues(target, config, facts), policy),
    };
  },
});

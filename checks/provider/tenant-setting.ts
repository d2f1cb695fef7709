import { defineCheck } from '../../src/engine/define.js';
import { writeFileCommand } from '../../src/fix/commands.js';
import { fabricRest, fix, step } from '../../src/fix/steps.js';
import { tenantSettingsList } from '../../src/gather/fabric/shapes.js';

export const SETTING = 'WorkspaceBlockInboundAccess';

export default defineCheck({
  id: 'provider.tenant-setting',
  title: 'Workspace-level inbound network rules are enabled for the tenant',
  side: 'provider',
  severity: 'high',
  needs: ['provider.tenantSettings'],
  after: [],
  docStep: 'prerequisite',
  explain:
    `A Fabric administrator of tenant 2 must enable the tenant setting "Configure workspace-level inbound network rules" (${SETTING}) before a workspace can deny public access. It is off by default and takes up to 15 minutes to apply. Reading tenant settings needs a Fabric administrator; for anyone else the check is skipped, not failed.`,
  // Fabric admin API: POST /v1/admin/tenantsettings/{name}/update with {"enabled": true}.
  fix: (k) =>
    fix(
      `A Fabric administrator of tenant 2 enables ${SETTING} ("Configure workspace-level inbound network rules"); it takes up to 15 minutes to apply.`,
      [
        step('Write the request body to tenant-setting.json.', 'provider', writeFileCommand('tenant-setting.json', JSON.stringify({ enabled: true }))),
        step(`Enable the tenant setting (as a Fabric administrator), or in the Fabric Admin portal → Tenant settings → Advanced networking → "Configure workspace-level inbound network rules" → Enabled → Apply.`, 'provider', fabricRest(k, 'post', `/admin/tenantsettings/${SETTING}/update`, [['body', '@tenant-setting.json']])),
      ],
      k,
    ),
  run({ facts }) {
    const result = facts.get('provider.tenantSettings');
    if (!result.ok && result.unavailable.kind === 'forbidden') {
      return {
        status: 'skip',
        skipReason: 'no-access',
        message: 'the provider identity is not a Fabric administrator, so the tenant setting cannot be read',
        evidence: { setting: SETTING, httpStatus: result.unavailable.httpStatus ?? null, neededRole: result.unavailable.neededRole ?? null },
      };
    }
    const list = tenantSettingsList(facts.value('provider.tenantSettings')) ?? [];
    const setting = list.find((s) => s?.settingName?.toLowerCase() === SETTING.toLowerCase());
    if (!setting) {
      return {
        status: 'fail',
        message: `the tenant settings do not list ${SETTING}: it is off (or not available in this cloud)`,
        evidence: { setting: SETTING, expected: 'enabled: true', found: 'not listed', settingsListed: list.length },
      };
    }
    const evidence = {
      setting: SETTING,
      title: setting.title ?? null,
      enabled: setting.enabled ?? null,
      enabledSecurityGroups: (setting.enabledSecurityGroups ?? []).map((g) => g.name ?? g.graphId),
    };
    if (setting.enabled !== true) return { status: 'fail', message: `the tenant setting ${SETTING} is disabled`, evidence: { ...evidence, expected: 'enabled: true' } };
    return { status: 'pass', message: `the tenant setting ${SETTING} is enabled`, evidence };
  },
});

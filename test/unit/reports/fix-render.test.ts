// The fix in JUnit and in `explain`: every step, every command whole (never cut), for both shells.
// (The terminal, Markdown and HTML fix blocks are the views' and tested with them.)
import { describe, expect, it } from 'vitest';
import { junitFix } from '../../../reports/junit.js';
import { explainText } from '../../../src/cli/commands/explain.js';
import capacityAssigned from '../../../checks/provider/capacity-assigned.js';
import type { Fix } from '../../../src/engine/types.js';
import { az, loginStep } from '../../../src/fix/commands.js';

const LONG_ID = `/subscriptions/1111/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/${'v'.repeat(300)}`;
const link = az(['network', 'private-dns', 'link', 'vnet', 'create'], [['subscription', '1111'], ['resource-group', "rg o'brien"], ['virtual-network', LONG_ID]]);
const fix: Fix = {
  summary: 'Link the zone to the VNet <b>now</b> (step 7).',
  steps: [loginStep('2222', 'consumer'), { text: 'Link it.', tenant: 'consumer', commands: link }, { text: 'Then wait a minute.' }],
};

describe('fix rendering', () => {
  it('JUnit: both shells, whole', () => {
    const lines = junitFix(fix);
    expect(lines).toContain(`   bash: ${link.bash}`);
    expect(lines).toContain(`   PowerShell: ${link.powershell}`);
  });

  it('explain prints the general fix with its commands for both shells', () => {
    const text = explainText(capacityAssigned);
    expect(text).toContain('How to fix it');
    expect(text).toMatch(/bash: az rest --method get --url https:\/\/api\.fabric\.microsoft\.com\/v1\/capacities/);
    expect(text).toMatch(/PowerShell: az rest --method get/);
  });
});

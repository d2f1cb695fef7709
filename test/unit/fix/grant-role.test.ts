// A read refused with 403 gets a fix to paste: `az role assignment create --role Reader` on what was
// read, for the identity that was refused, after signing in to that tenant; without a known scope or
// principal, the role in words (never a placeholder).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Unavailable } from '../../../src/engine/types.js';
import { grantRoleFix } from '../../../src/fix/steps.js';
import { pastableCommands } from '../../helpers/shells.js';

const dir = mkdtempSync(join(tmpdir(), 'grant-role-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PLS = '/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/rg-fabric/providers/Microsoft.Fabric/privateLinkServicesForFabric/pls-sales';
const forbidden = (details: Record<string, unknown>): Unavailable => ({
  kind: 'forbidden',
  message: 'may not read',
  httpStatus: 403,
  code: 'AuthorizationFailed',
  neededRole: 'Reader on the Microsoft.Fabric/privateLinkServicesForFabric resource (or its resource group) in tenant 2',
  details,
});

describe('grantRoleFix', () => {
  it('an ARM read with its scope and principal: sign in to that tenant, then assign Reader on the scope', () => {
    const fix = grantRoleFix(forbidden({ side: 'provider', tenantId: 'b2b2b2b2-0000-0000-0000-000000000002', principal: 'a1a1a1a1-0000-0000-0000-000000000001', scope: PLS }));
    expect(fix.steps.map((s) => s.tenant)).toEqual(['provider', 'provider']);
    expect(pastableCommands(fix, dir)).toEqual([
      'az login --tenant b2b2b2b2-0000-0000-0000-000000000002',
      `az role assignment create --assignee a1a1a1a1-0000-0000-0000-000000000001 --role Reader --scope ${PLS}`,
    ]);
    expect(fix.steps[1]!.text).toContain(`Owner or User Access Administrator of ${PLS}`);
  });

  it('no scope (a Fabric read) or no principal: the role in words, no command', () => {
    for (const details of [{ side: 'provider', principal: 'a1', tenantId: 't' }, { side: 'consumer', scope: PLS, tenantId: 't' }, { side: 'consumer', scope: 'https://evil/x', principal: 'a1' }]) {
      const fix = grantRoleFix(forbidden(details));
      expect(fix.steps.filter((s) => s.commands)).toEqual([]);
      expect(fix.summary).toContain('needs Reader on the Microsoft.Fabric/privateLinkServicesForFabric resource');
    }
  });
});

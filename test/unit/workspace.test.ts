import { describe, expect, it } from 'vitest';
import { endpointKindOf, parseWorkspaceId, workspaceNames, WorkspaceIdError } from '../../src/fabric/workspace.js';

const ID = 'cfafbeb1-8037-4d0c-896e-a46fb27ff227';

describe('parseWorkspaceId', () => {
  it.each([
    ID,
    ID.toUpperCase(),
    'CFAFBEB180374D0C896EA46FB27FF227',
    `{${ID}}`,
    `  ${ID}\n`,
    ` { ${ID.toUpperCase()} } `,
    `https://app.fabric.microsoft.com/groups/${ID}/list?experience=fabric-developer`,
    `https://app.powerbi.com/groups/${ID.toUpperCase()}/settings`,
  ])('accepts %j', (input) => {
    expect(parseWorkspaceId(input)).toBe(ID);
  });

  it.each(['', 'nope', `${ID}x`, ID.slice(1), 'g'.repeat(32), 'https://app.fabric.microsoft.com/home', `${ID.replace(/-/g, '')}-`, '{' + ID])(
    'refuses %j, quoting it and listing the accepted forms',
    (input) => {
      expect(() => parseWorkspaceId(input)).toThrow(WorkspaceIdError);
      try {
        parseWorkspaceId(input);
      } catch (error) {
        expect((error as Error).message).toContain(JSON.stringify(input));
        expect((error as Error).message).toContain('Fabric portal URL');
      }
    },
  );
});

describe('workspaceNames', () => {
  it('matches the Fabric REST example (docs/reference.md §1)', () => {
    const names = workspaceNames(ID);
    expect(names.fqdns.api).toBe('cfafbeb180374d0c896ea46fb27ff227.zcf.w.api.fabric.microsoft.com');
    expect(names.fqdns.compute).toBe('cfafbeb180374d0c896ea46fb27ff227.zcf.c.fabric.microsoft.com');
    expect(names.fqdns.onelake).toBe('cfafbeb180374d0c896ea46fb27ff227.zcf.onelake.fabric.microsoft.com');
    expect(names.fqdns.dfs).toBe('cfafbeb180374d0c896ea46fb27ff227.zcf.dfs.fabric.microsoft.com');
    expect(names.fqdns.blob).toBe('cfafbeb180374d0c896ea46fb27ff227.zcf.blob.fabric.microsoft.com');
    expect(names.records.api).toBe('cfafbeb180374d0c896ea46fb27ff227.zcf.w.api');
    expect(names.zone).toBe('privatelink.fabric.microsoft.com');
    expect(names.members.onelake).toBe('workspace-ols');
  });

  it('classifies FQDNs and record names back to their kind', () => {
    const names = workspaceNames(ID);
    expect(endpointKindOf(names.fqdns.dfs.toUpperCase(), ID)).toBe('dfs');
    expect(endpointKindOf(`${names.records.blob}.privatelink.fabric.microsoft.com.`, ID)).toBe('blob');
    expect(endpointKindOf(names.records.api, ID)).toBe('api');
    expect(endpointKindOf('other.zcf.w.api.fabric.microsoft.com', ID)).toBeUndefined();
  });

  it('are made once per id and suffix, frozen: no caller can change what another reads', () => {
    const names = workspaceNames(ID);
    expect(workspaceNames(ID)).toBe(names);
    expect(Object.isFrozen(names) && Object.isFrozen(names.fqdns) && Object.isFrozen(names.records) && Object.isFrozen(names.members)).toBe(true);
    expect(() => Object.assign(names.fqdns, { api: 'elsewhere.example' })).toThrow(TypeError);
    const sovereign = workspaceNames(ID, 'fabric.microsoft.us');
    expect(sovereign).not.toBe(names);
    expect(sovereign.fqdns.api).toBe('cfafbeb180374d0c896ea46fb27ff227.zcf.w.api.fabric.microsoft.us');
    expect(() => workspaceNames('not-an-id')).toThrow(WorkspaceIdError);
    expect(() => workspaceNames('not-an-id')).toThrow(WorkspaceIdError);
  });
});

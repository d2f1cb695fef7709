import { describe, expect, it } from 'vitest';
import capacityAssigned from '../../../checks/provider/capacity-assigned.js';
import capacitySku from '../../../checks/provider/capacity-sku.js';
import connectionApproved from '../../../checks/provider/connection-approved.js';
import plsFound from '../../../checks/provider/pls-found.js';
import plsWorkspaceMatch from '../../../checks/provider/pls-workspace-match.js';
import publicAccessDenied from '../../../checks/provider/public-access-denied.js';
import tenantSetting from '../../../checks/provider/tenant-setting.js';
import workspaceFound from '../../../checks/provider/workspace-found.js';
import { CATALOGUE } from '../../../checks/index.js';
import type { CheckDef } from '../../../src/engine/define.js';
import * as fx from '../../fixtures/control.js';
import { evaluate, na, type FactValue } from '../../fixtures/engine.js';
import { fixText, generalFixText } from '../../helpers/fix-text.js';

async function one(check: CheckDef, patch: Record<string, FactValue> = {}, target = fx.target()) {
  const results = await evaluate([check], { ...fx.healthyFacts(), ...patch }, target);
  return results[check.id]!;
}

describe('catalogue', () => {
  it('lists every check of docs/checks.md in its order, with its after and docStep', () => {
    const rows = CATALOGUE.map((c) => [c.id, c.after.join(','), c.docStep]);
    expect(rows).toEqual([
      ['provider.credential', '', 'prerequisite'],
      ['provider.workspace-found', '', '1'],
      ['provider.capacity-assigned', 'workspace-found', '1'],
      ['provider.capacity-sku', 'capacity-assigned', '1'],
      ['provider.tenant-setting', '', 'prerequisite'],
      ['provider.pls-found', '', '2'],
      ['provider.pls-workspace-match', 'pls-found', '2'],
      ['provider.connection-approved', 'pls-found,consumer.pe-found', '6'],
      ['provider.public-access-denied', 'workspace-found', '10'],
      ['consumer.credential', '', 'prerequisite'],
      ['consumer.pe-found', '', '5'],
      ['consumer.pe-target', 'pe-found', '5'],
      ['consumer.pe-approved', 'pe-found', '6'],
      ['consumer.pe-in-vnet', 'pe-found', '3, 5'],
      ['consumer.dns-path', '', '7'],
      ['consumer.zone-found', '', '7'],
      ['consumer.zone-linked', 'zone-found,dns-path', '7'],
      ['consumer.zone-records', 'zone-found,pe-found', '7'],
      ['local.dns-private', '', '9'],
      ['local.dns-endpoint-ip', 'dns-private,consumer.pe-found', '9'],
      ['local.dns-consistent', 'dns-private', '9'],
      ['local.dns-all-endpoints', 'dns-private', '9'],
      ['local.tcp-443', 'consumer.pe-approved', '9'],
      ['local.tls', 'tcp-443', '9'],
      ['local.api-reachable', 'tls,provider.capacity-sku,provider.pls-workspace-match', '9'],
      ['public.access-denied-probe', 'provider.public-access-denied', '10'],
    ]);
    for (const c of CATALOGUE) {
      expect(c.explain.length).toBeGreaterThan(40);
      expect(generalFixText(c).length).toBeGreaterThan(20);
    }
  });
});

describe('provider.workspace-found', () => {
  it('passes on the example workspace', async () => expect((await one(workspaceFound)).status).toBe('pass'));
  it('fails on 404', async () => {
    const r = await one(workspaceFound, { 'provider.workspace': na('not-found', 'gone', { httpStatus: 404, code: 'WorkspaceNotFound' }) });
    expect(r.status).toBe('fail');
    expect(r.evidence).toMatchObject({ workspaceId: fx.WORKSPACE_ID, code: 'WorkspaceNotFound' });
  });
  it('is an error naming the role on 403', async () => {
    const r = await one(workspaceFound, { 'provider.workspace': na('forbidden', 'no', { httpStatus: 403, neededRole: 'Viewer on the workspace' }) });
    expect(r.status).toBe('error');
    expect(fixText(r.fix)).toContain('Viewer on the workspace');
  });
  it('skips (no-access) without a provider credential', async () => {
    const r = await one(workspaceFound, { 'provider.workspace': na('no-access') });
    expect([r.status, r.skipReason]).toEqual(['skip', 'no-access']);
  });
});

describe('provider.capacity-assigned', () => {
  it('passes when Completed', async () => expect((await one(capacityAssigned)).status).toBe('pass'));
  it('fails without a capacity', async () => {
    const ws = fx.workspace();
    delete ws.capacityId;
    expect((await one(capacityAssigned, { 'provider.workspace': ws })).message).toMatch(/not assigned/);
  });
  it.each(['InProgress', 'Failed'])('fails when %s, with its own fix', async (progress) => {
    const ws = { ...fx.workspace(), capacityAssignmentProgress: progress };
    const r = await one(capacityAssigned, { 'provider.workspace': ws });
    expect(r.status).toBe('fail');
    expect(r.message.toLowerCase()).toContain(progress === 'InProgress' ? 'in progress' : 'failed');
  });
});

describe('provider.capacity-sku', () => {
  it('passes for an Active F SKU', async () => expect((await one(capacitySku)).status).toBe('pass'));
  it('fails for a paused capacity', async () => {
    const ws = { ...fx.workspace(), capacityId: '0b9a4952-b5e7-4a55-8739-3e7251a2fd43' };
    const r = await one(capacitySku, { 'provider.workspace': ws });
    expect(r.status).toBe('fail');
    expect(r.evidence).toMatchObject({ state: 'Inactive', expected: 'Active' });
  });
  it('fails for a trial capacity', async () => {
    const caps = fx.capacities();
    caps.value[0].sku = 'FT1';
    const r = await one(capacitySku, { 'provider.capacities': caps });
    expect(r.status).toBe('fail');
    expect(r.message).toContain('trial');
  });
  it('fails for a P SKU', async () => {
    const caps = fx.capacities();
    caps.value[0].sku = 'P1';
    expect((await one(capacitySku, { 'provider.capacities': caps })).status).toBe('fail');
  });
  it('warns when the capacity is not visible', async () => {
    const r = await one(capacitySku, { 'provider.capacities': { value: [] } });
    expect(r.status).toBe('warn');
  });
  it('warns when the list is forbidden', async () => {
    const r = await one(capacitySku, { 'provider.capacities': na('forbidden', 'no', { httpStatus: 403 }) });
    expect(r.status).toBe('warn');
  });
  it('is an error when the list timed out', async () => {
    expect((await one(capacitySku, { 'provider.capacities': na('timeout') })).status).toBe('error');
  });
});

describe('provider.tenant-setting', () => {
  it('passes when enabled', async () => expect((await one(tenantSetting)).status).toBe('pass'));
  it('fails when disabled', async () => expect((await one(tenantSetting, { 'provider.tenantSettings': fx.tenantSettings(false) })).status).toBe('fail'));
  it('fails when not listed', async () => {
    const s = fx.example('fabric-rest/admin/examples/tenantSettings/ListTenantSettings.json');
    expect((await one(tenantSetting, { 'provider.tenantSettings': s })).message).toContain('do not list');
  });
  it('reads the list under tenantSettings too', async () => {
    const s = fx.tenantSettings();
    expect((await one(tenantSetting, { 'provider.tenantSettings': { tenantSettings: s.value } })).status).toBe('pass');
  });
  it('skips (no-access) when the caller is not a Fabric admin', async () => {
    const r = await one(tenantSetting, { 'provider.tenantSettings': na('forbidden', 'no', { httpStatus: 403 }) });
    expect([r.status, r.skipReason]).toEqual(['skip', 'no-access']);
  });
});

describe('provider.pls-found', () => {
  it('passes when Succeeded', async () => expect((await one(plsFound)).status).toBe('pass'));
  it('fails on 404', async () => expect((await one(plsFound, { 'provider.privateLinkService': na('not-found', 'gone', { httpStatus: 404 }) })).status).toBe('fail'));
  it('fails when not provisioned', async () => {
    const pls = fx.privateLinkService();
    pls.properties.provisioningState = 'Failed';
    expect((await one(plsFound, { 'provider.privateLinkService': pls })).status).toBe('fail');
  });
  it('is an error naming the role on 403', async () => {
    const r = await one(plsFound, { 'provider.privateLinkService': na('forbidden', 'no', { httpStatus: 403, neededRole: 'Reader on the PLS' }) });
    expect(r.status).toBe('error');
    expect(fixText(r.fix)).toContain('Reader on the PLS');
  });
});

describe('provider.pls-workspace-match', () => {
  it('passes (workspaceId compared case-insensitively)', async () => expect((await one(plsWorkspaceMatch)).status).toBe('pass'));
  it('reads workspaceObjectId as in the spec example', async () => {
    const pls = fx.privateLinkService();
    delete pls.properties.workspaceId;
    pls.properties.workspaceObjectId = fx.WORKSPACE_ID;
    expect((await one(plsWorkspaceMatch, { 'provider.privateLinkService': pls })).status).toBe('pass');
  });
  it('fails for another workspace', async () => {
    const pls = fx.example('arm-fabric/PrivateLinkServicesForFabric_Get.json');
    const r = await one(plsWorkspaceMatch, { 'provider.privateLinkService': pls });
    expect(r.status).toBe('fail');
    expect(r.evidence).toMatchObject({ foundWorkspaceId: 'ba491ce8-fc1c-43d7-83ba-9cd87babce22', expectedWorkspaceId: fx.WORKSPACE_ID });
  });
  it('fails for another tenant', async () => {
    const pls = fx.privateLinkService();
    pls.properties.tenantId = fx.TENANT_1;
    expect((await one(plsWorkspaceMatch, { 'provider.privateLinkService': pls })).message).toContain('tenant');
  });
  it('is an error when neither workspace field is there', async () => {
    const pls = fx.privateLinkService();
    delete pls.properties.workspaceId;
    expect((await one(plsWorkspaceMatch, { 'provider.privateLinkService': pls })).status).toBe('error');
  });
});

describe('provider.connection-approved', () => {
  it('passes when Approved', async () => expect((await one(connectionApproved)).status).toBe('pass'));
  it.each(['Pending', 'Rejected', 'Disconnected'])('fails when %s, each with its own message', async (status) => {
    const r = await one(connectionApproved, { 'provider.privateLinkService': fx.privateLinkService(status) });
    expect(r.status).toBe('fail');
    expect(r.evidence).toMatchObject({ status, expected: 'Approved' });
  });
  it('fails when no connection comes from this endpoint', async () => {
    const pls = fx.example('arm-fabric/PrivateLinkServicesForFabric_Get.json');
    expect((await one(connectionApproved, { 'provider.privateLinkService': pls })).message).toContain('no connection');
  });
  it('uses the configured endpoint id when the consumer side is not readable', async () => {
    const r = await one(connectionApproved, { 'consumer.privateEndpoint': na('no-access') });
    expect(r.status).toBe('pass');
  });
});

describe('provider.public-access-denied', () => {
  it('passes on Deny', async () => expect((await one(publicAccessDenied)).status).toBe('pass'));
  it('fails on Allow', async () => {
    const r = await one(publicAccessDenied, { 'provider.communicationPolicy': fx.communicationPolicy('Allow') });
    expect(r.status).toBe('fail');
    expect(r.evidence).toMatchObject({ expected: 'Deny', defaultAction: 'Allow' });
  });
  it('is an error on an invalid response', async () => {
    expect((await one(publicAccessDenied, { 'provider.communicationPolicy': na('invalid-response', 'no field') })).status).toBe('error');
  });
});

// The lab's lookups by key (src/lab/state.ts): a record set by name, a resource by id, a workspace
// by its FQDN label, as Azure finds them (at once), answering what a scan of the list answers,
// whatever happened to the list since.
import { describe, expect, test } from 'vitest';
import { createState, endpointById, recordNamed, targetOfWorkspace, workspaceById, workspaceByLabel, type LabRecordSet } from '../../../src/lab/state.js';

const scan = (records: LabRecordSet[], name: string) => records.find((r) => r.name === name);

describe('recordNamed', () => {
  test('finds every record set of a shared zone as a scan does, and none that is not there', () => {
    const zone = createState({ seed: 'records', targets: 3, zoneRecords: 400 }).zones[0]!;
    expect(zone.aRecords.length).toBe(400);
    for (const record of zone.aRecords) expect(recordNamed(zone, record.name)).toBe(scan(zone.aRecords, record.name));
    expect(recordNamed(zone, 'nowhere.z01.w.api')).toBeUndefined();
  });

  test('follows the list: a record pushed later, a list replaced without one, the first of two with one name', () => {
    const zone = createState({ seed: 'records' }).zones[0]!;
    const name = zone.aRecords[0]!.name;
    expect(recordNamed(zone, 'added')).toBeUndefined();
    zone.aRecords.push({ name: 'added', ips: ['10.0.0.9'], ttl: 10 });
    expect(recordNamed(zone, 'added')?.ips).toEqual(['10.0.0.9']);
    zone.aRecords.push({ name, ips: ['10.0.0.8'], ttl: 10 });
    expect(recordNamed(zone, name)).toBe(zone.aRecords[0]);
    zone.aRecords = zone.aRecords.filter((r) => r.name !== 'added');
    expect(recordNamed(zone, 'added')).toBeUndefined();
  });
});

describe('lookups by id', () => {
  test('an ARM id in any case finds its resource; an empty or unknown one none', () => {
    const state = createState({ seed: 'records', targets: 5 });
    for (const pe of state.endpoints) {
      expect(endpointById(state, pe.id.toUpperCase())).toBe(pe);
      expect(endpointById(state, pe.id.toLowerCase())).toBe(pe);
    }
    expect(endpointById(state, '')).toBeUndefined();
    expect(endpointById(state, `${state.endpoints[0]!.id}x`)).toBeUndefined();
  });

  test('a workspace by id, by the label its FQDNs start with, and its target; a workspace added later too', () => {
    const state = createState({ seed: 'records', targets: 5 });
    for (const ws of state.workspaces) {
      expect(workspaceById(state, ws.id.toUpperCase())).toBe(ws);
      expect(workspaceByLabel(state, ws.id.replace(/-/g, ''))).toBe(ws);
      expect(targetOfWorkspace(state, ws.id.toUpperCase())).toBe(state.targets.find((t) => t.workspaceId === ws.id));
    }
    const added = { ...state.workspaces[0]!, id: '0f0f0f0f-0000-4000-8000-000000000001' };
    state.workspaces.push(added);
    expect(workspaceByLabel(state, '0f0f0f0f000040008000000000000001')).toBe(added);
    expect(targetOfWorkspace(state, '')).toBeUndefined();
  });
});

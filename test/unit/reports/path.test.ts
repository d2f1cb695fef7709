// The one table of hops, hop states, root causes (from the engine's rootCauses or derived), the path
// in one line, the headline in words, names for ids, and the links.
import { describe, expect, it } from 'vitest';
import { portalUrl, setupStepUrl, SETUP_GUIDE_URL } from '../../../reports/links.js';
import { HOPS, dnsPathHops, fleetPathLine, hopOf, hopStates, pathLine, rootCauseIds } from '../../../reports/path.js';
import { causeSentence, headline, namedText, targetCauses } from '../../../reports/words.js';
import { CATALOGUE as CHECKS } from '../../../checks/index.js';
import { rootCausesOf } from '../../../src/engine/causality.js';
import { computeSummary } from '../../../src/engine/status.js';
import type { RunReport, TargetReport } from '../../../src/engine/types.js';
import { healthyReport, healthyTarget, makeReport } from '../../helpers/sample-report.js';

const VNET = '/subscriptions/85f82754-797c-41ef-9abc-5a48b02d062c/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub-weu';

function set(target: TargetReport, id: string, patch: Partial<TargetReport['results'][number]>): void {
  const r = target.results.find((x) => x.checkId === id)!;
  Object.assign(r, patch);
}

/** A zone-not-linked target as the engine with causality reports it: the DNS answer is the symptom. */
function unlinked(): TargetReport {
  const t = healthyTarget(1, 'sales');
  set(t, 'consumer.zone-linked', { status: 'fail', message: `the zone has no link to ${VNET}` });
  set(t, 'local.dns-private', {
    status: 'fail',
    message: 'x.z03.w.api.fabric.microsoft.com resolves to public 20.94.123.229: the private zone is not answering for this VNet',
    evidence: { addresses: [{ address: '20.94.123.229', class: 'public' }] },
    explainedBy: ['consumer.zone-linked'],
  });
  for (const id of ['local.dns-endpoint-ip', 'local.tcp-443']) set(t, id, { status: 'skip', skipReason: 'blocked', blockedBy: 'local.dns-private', message: 'blocked by local.dns-private' });
  t.rootCauses = [{ checkId: 'consumer.zone-linked', status: 'fail', explains: ['local.dns-private'] }];
  return t;
}

describe('the hop table', () => {
  it('maps every check of the catalogue to exactly one hop, and the new checks too', () => {
    for (const check of CHECKS) expect(hopOf(check.id), check.id).toBeDefined();
    for (const id of ['consumer.dns-path', 'provider.credential', 'consumer.credential']) expect(hopOf(id), id).toBeDefined();
    const all = HOPS.flatMap((h) => h.checks);
    expect(new Set(all).size).toBe(all.length);
  });

  it("colours a hop by its checks: the root cause's hop fails, blocked hops are not reached", () => {
    const states = hopStates(unlinked());
    const by = (id: string) => states.find((s) => s.hop.id === id)!;
    expect(by('zone')).toMatchObject({ status: 'fail', rootCause: true });
    // The symptom fails too, but it is explained: not a root cause.
    expect(by('jumpbox')).toMatchObject({ status: 'fail', rootCause: false });
    expect(by('capacity')).toMatchObject({ status: 'pass', rootCause: false });
    const blocked = healthyTarget(2);
    for (const r of blocked.results) if (r.side === 'provider') Object.assign(r, { status: 'skip', skipReason: 'blocked' });
    expect(hopStates(blocked).find((s) => s.hop.id === 'capacity')!.status).toBe('skip');
  });

  it('root causes: the engine\'s list when given, else the fails nothing explains', () => {
    expect(rootCauseIds(unlinked())).toEqual(['consumer.zone-linked']);
    const old = unlinked();
    delete (old as Partial<TargetReport>).rootCauses; // a report written before rootCauses existed
    expect(rootCauseIds(old)).toEqual(['consumer.zone-linked']);
    delete old.results.find((r) => r.checkId === 'local.dns-private')!.explainedBy;
    expect(rootCauseIds(old).sort()).toEqual(['consumer.zone-linked', 'local.dns-private']);
    // Its symptoms, and what waits on them.
    expect(targetCauses(unlinked())[0]!.symptoms.map((s) => s.checkId).sort()).toEqual(['local.dns-endpoint-ip', 'local.dns-private', 'local.tcp-443']);
  });

  it('the path in one line, for a target and for a fleet', () => {
    expect(pathLine(unlinked())).toMatch(/^Jump VM FAIL → DNS path ok → Private DNS zone FAIL \(root cause\) → A records ok → Private endpoint ok ⇒ Approval ok → Private link service ok → Workspace ok → Capacity ok → Inbound policy ok \| Public path ok$/);
    expect(pathLine(unlinked(), { ascii: true })).toContain(' -> Private DNS zone FAIL (root cause) -> ');
    const targets = [unlinked(), ...Array.from({ length: 9 }, (_, i) => healthyTarget(i + 2))];
    const fleet: RunReport = { ...makeReport(), targets, summary: computeSummary(targets.flatMap((t) => t.results), 'fail') };
    expect(fleetPathLine(fleet)).toContain('Private DNS zone FAIL on 1/10');
  });

  it("reads the DNS path's hops from consumer.dns-path's evidence when the check is there", () => {
    const t = healthyTarget(1);
    expect(dnsPathHops(t)).toEqual([]);
    // The shape consumer.dns-path records: kind, server, the resource (or null) and the VNet where it resolves.
    const hub = '/subscriptions/1/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub';
    const inbound = '/subscriptions/1/resourceGroups/rg-hub/providers/Microsoft.Network/dnsResolvers/dnspr-hub/inboundEndpoints/in-hub';
    t.results.push({
      ...t.results[0]!,
      checkId: 'consumer.dns-path',
      side: 'consumer',
      evidence: { hops: [{ server: '10.0.0.4', kind: 'resolver-inbound', health: 'ok', resourceId: inbound, vnetId: hub }, { server: '168.63.129.16', kind: 'azure-provided', resourceId: null, vnetId: hub }] },
    });
    expect(dnsPathHops(t)).toEqual([
      { kind: 'resolver inbound', name: 'in-hub', vnet: 'vnet-hub' },
      { kind: 'azure provided', name: '168.63.129.16', vnet: 'vnet-hub' },
    ]);
  });
});

describe('the headline in words', () => {
  const one = (t: TargetReport, extra: Partial<RunReport> = {}): RunReport => ({ ...makeReport(), targets: [t], summary: computeSummary(t.results, 'fail'), ...extra });

  it('says what the VM sees and why, with names instead of ids', () => {
    const h = headline(one(unlinked()));
    expect(h.status).toBe('fail');
    expect(h.text).toBe('The jump VM resolves the workspace to its public IP: the zone has no link to vnet-hub-weu');
    expect(h.detail).toMatch(/^1 root cause · 3 checks explained by it · workspace 1a2b…0001$/);
    expect(causeSentence(unlinked(), unlinked().results.find((r) => r.checkId === 'consumer.zone-linked')!)).not.toContain('/subscriptions/');
  });

  it('a cause with no symptom on the VM is named by its hop', () => {
    const t = healthyTarget(1);
    set(t, 'provider.capacity-sku', { status: 'fail', message: 'capacity Trial-1 is FT1 (trial): workspace private links need an F SKU' });
    t.rootCauses = rootCausesOf(t.results);
    expect(headline(one(t)).text).toBe('Capacity: capacity Trial-1 is FT1 (trial): workspace private links need an F SKU');
  });

  it('a fleet: tallies by target, the shared cause counted', () => {
    const targets = [unlinked(), ...Array.from({ length: 199 }, (_, i) => healthyTarget(i + 2))];
    const h = headline({ ...makeReport(), targets, summary: computeSummary(targets.flatMap((t) => t.results), 'fail') });
    expect(h.text).toBe('sales: The jump VM resolves the workspace to its public IP: the zone has no link to vnet-hub-weu');
    expect(h.detail).toMatch(/^199\/200 targets healthy · 1 root cause/);
    const all = Array.from({ length: 3 }, () => unlinked());
    expect(headline({ ...makeReport(), targets: all, summary: computeSummary(all.flatMap((t) => t.results), 'fail') }).text).toMatch(/\(on 3 of 3 targets\)$/);
  });

  it('an error-only run says plainly that nothing could be evaluated; a healthy one says the path works', () => {
    const t = healthyTarget(1);
    for (const r of t.results) Object.assign(r, { status: 'error', message: 'could not read it: 403 AuthorizationFailed' });
    t.rootCauses = rootCausesOf(t.results);
    const h = headline(one(t));
    expect(h).toMatchObject({ status: 'error', text: 'Nothing could be evaluated: could not read it: 403 AuthorizationFailed' });
    expect(headline(healthyReport(1))).toMatchObject({ status: 'pass', text: 'The jump VM reaches the workspace through the private link' });
    expect(headline({ ...healthyReport(1), interrupted: true }).status).toBe('error');
  });

  it('names for ids, keeping what follows', () => {
    expect(namedText(`linked to ${VNET}: done.`)).toBe('linked to vnet-hub-weu: done.');
  });
});

describe('links', () => {
  it('a setup step to its section of the guide; the portal page of a resource in its tenant', () => {
    expect(setupStepUrl('7')).toBe(`${SETUP_GUIDE_URL}#step-5-create-a-private-endpoint`);
    expect(setupStepUrl('3, 5')).toBe(`${SETUP_GUIDE_URL}#step-3-create-a-virtual-network`);
    expect(setupStepUrl('prerequisite')).toBe(`${SETUP_GUIDE_URL}#prerequisites`);
    expect(setupStepUrl('99')).toBe(SETUP_GUIDE_URL);
    expect(portalUrl(VNET, '49013572-b766-4474-8358-082ef558816e')).toBe(`https://portal.azure.com/#@49013572-b766-4474-8358-082ef558816e/resource${VNET}`);
    expect(portalUrl('not an id')).toBeUndefined();
  });
});

describe('two causes on one target', () => {
  it("each sentence says only what its own symptoms show: the capacity does not borrow the zone's public answer", () => {
    const t = unlinked();
    set(t, 'provider.capacity-sku', { status: 'fail', message: 'capacity Trial-1 is FT1 (trial): workspace private links need an F SKU' });
    t.rootCauses = [...t.rootCauses, { checkId: 'provider.capacity-sku', status: 'fail', explains: [] }];
    const capacity = t.results.find((r) => r.checkId === 'provider.capacity-sku')!;
    const zone = t.results.find((r) => r.checkId === 'consumer.zone-linked')!;
    expect(causeSentence(t, capacity)).toBe('Capacity: capacity Trial-1 is FT1 (trial): workspace private links need an F SKU');
    expect(causeSentence(t, zone)).toBe('The jump VM resolves the workspace to its public IP: the zone has no link to vnet-hub-weu');
  });
});

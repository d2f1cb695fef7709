import { defineCheck } from '../../src/engine/define.js';
import { ENDPOINT_KINDS, PRIVATELINK_ZONE, workspaceNames, type EndpointKind } from '../../src/fabric/workspace.js';
import type { EndpointIps } from '../../src/gather/arm/endpoint-ips.js';
import type { Fix, FixStep } from '../../src/engine/types.js';
import { knownValues, type KnownValues } from '../../src/fix/known.js';
import { deleteRecordCommand, endpointDnsConfigStep, fix, recordCommand, step, zoneGroupStep } from '../../src/fix/steps.js';
import type { ARecordSetJson } from '../../src/gather/arm/shapes.js';

export interface RecordComparison {
  expected: Array<{ kind: EndpointKind; fqdn: string; record: string; ips: string[] }>;
  ok: Array<{ record: string; ips: string[] }>;
  missing: Array<{ fqdn: string; record: string; expectedIps: string[] }>;
  mismatched: Array<{ fqdn: string; record: string; expectedIps: string[]; foundIps: string[] }>;
  stale: Array<{ record: string; ips: string[] }>;
  /** Workspace FQDNs the endpoint's DNS config does not list. */
  notInEndpoint: string[];
  /** Items of the record list without a name: what they hold was not compared. */
  unreadable: number;
}

const sorted = (ips: string[]) => [...new Set(ips)].sort();

interface RecordIndex {
  records: Map<string, string[]>;
  /** Items without a name (a damaged saved report): counted, so that no conclusion forgets them. */
  unreadable: number;
}

/** The zone's record sets by lower-case name, built once per list: a fleet's targets share the zone's list. */
const indexes = new WeakMap<ARecordSetJson[], RecordIndex>();

function recordIndex(recordSets: ARecordSetJson[]): RecordIndex {
  let index = indexes.get(recordSets);
  if (!index) {
    index = { records: new Map(), unreadable: 0 };
    for (const set of recordSets) {
      if (typeof set?.name !== 'string' || !set.name) {
        index.unreadable++;
        continue;
      }
      index.records.set(set.name.toLowerCase(), (set.properties?.aRecords ?? []).map((a) => a?.ipv4Address).filter((ip): ip is string => !!ip));
    }
    indexes.set(recordSets, index);
  }
  return index;
}

/** Pure: the endpoint's IPs by FQDN (the one reading, consumer.endpointIps) against the workspace's A records. */
export function compareRecords(workspaceId: string, endpoint: Pick<EndpointIps, 'byFqdn'>, recordSets: ARecordSetJson[]): RecordComparison {
  const names = workspaceNames(workspaceId);
  const { records, unreadable } = recordIndex(recordSets);
  const result: RecordComparison = { expected: [], ok: [], missing: [], mismatched: [], stale: [], notInEndpoint: [], unreadable };
  for (const kind of ENDPOINT_KINDS) {
    const ips = endpoint.byFqdn[names.fqdns[kind]];
    if (!ips?.length) {
      result.notInEndpoint.push(names.fqdns[kind]);
      continue;
    }
    const expected = { kind, fqdn: names.fqdns[kind], record: names.records[kind], ips: sorted(ips) };
    result.expected.push(expected);
    const found = records.get(expected.record.toLowerCase());
    if (!found) result.missing.push({ fqdn: expected.fqdn, record: expected.record, expectedIps: expected.ips });
    else if (JSON.stringify(sorted(found)) !== JSON.stringify(expected.ips)) result.mismatched.push({ fqdn: expected.fqdn, record: expected.record, expectedIps: expected.ips, foundIps: sorted(found) });
    else result.ok.push({ record: expected.record, ips: expected.ips });
  }
  // Stale: records of this workspace (its label in the name) that the endpoint does not account for.
  const label = names.workspaceId.replace(/-/g, '');
  const wanted = new Set(result.expected.map((e) => e.record.toLowerCase()));
  for (const name of records.keys()) {
    if (name.includes(label) && !wanted.has(name)) result.stale.push({ record: name, ips: sorted(records.get(name)!) });
  }
  return result;
}

export default defineCheck({
  id: 'consumer.zone-records',
  title: "The zone's A records match the endpoint's IPs",
  side: 'consumer',
  severity: 'critical',
  needs: ['consumer.endpointIps', 'consumer.privateDnsZone.aRecords'],
  after: ['zone-found', 'pe-found'],
  docStep: '7',
  explain:
    `For each of the workspace FQDNs in the endpoint's DNS config (API, compute, OneLake, DFS, blob), the zone ${PRIVATELINK_ZONE} must hold the A record {id}.z{xy}.<label> with exactly the endpoint's IPs. A missing record gives NXDOMAIN after the public CNAME; a wrong IP sends traffic nowhere. Records of this workspace that the endpoint does not account for are stale leftovers (warn). A DNS zone group on the endpoint keeps the records in step automatically. The five record sets are read by name (a 404 is a missing record), so a zone shared by thousands of workspaces costs the same as a small one; stale records under other names are looked for when the zone's list could be read to its end.`,
  fix: (k) => {
    const group = zoneGroupStep(k);
    return fix(`Give ${PRIVATELINK_ZONE} the endpoint's five A records (step 7).`, [
      endpointDnsConfigStep(k),
      step("Add an A record for each FQDN it lists, with its IP (the doctor's run on the target prints each command with every name and IP).", 'consumer'),
      ...(group ? [group] : []),
    ], k);
  },
  run({ target, config, facts }) {
    const endpoint = facts.value('consumer.endpointIps');
    const records = facts.value('consumer.privateDnsZone.aRecords');
    const comparison = compareRecords(target.workspaceId, endpoint, records.value);
    const staleSearch = records.staleSearch ?? { searched: true };
    const evidence = {
      zoneId: records.zoneId,
      privateEndpointId: target.consumer?.privateEndpointId ?? null,
      recordsRead: records.read ?? 'zone',
      staleSearched: staleSearch.searched,
      ...(staleSearch.reason ? { staleNotSearched: staleSearch.reason } : {}),
      endpointIpSources: endpoint.sources,
      expected: comparison.expected.map((e) => ({ fqdn: e.fqdn, record: e.record, ips: e.ips })),
      missing: comparison.missing,
      mismatched: comparison.mismatched,
      stale: comparison.stale,
      notInEndpointDnsConfig: comparison.notInEndpoint,
      ...(comparison.unreadable ? { unreadableRecordSets: comparison.unreadable } : {}),
    };
    if (comparison.expected.length === 0) {
      return {
        status: 'skip',
        skipReason: 'not-applicable',
        message: "the endpoint's DNS config lists none of this workspace's FQDNs: nothing to compare (see consumer.pe-target)",
        evidence,
      };
    }
    const known = knownValues(target, config, facts);
    if (comparison.missing.length || comparison.mismatched.length) {
      const parts = [
        comparison.missing.length ? `${comparison.missing.length} missing (${comparison.missing.map((m) => m.record).join(', ')})` : '',
        comparison.mismatched.length ? `${comparison.mismatched.length} with other IPs (${comparison.mismatched.map((m) => `${m.record}: ${m.foundIps.join(',')} instead of ${m.expectedIps.join(',')}`).join('; ')})` : '',
        comparison.stale.length ? `${comparison.stale.length} stale` : '',
      ].filter(Boolean);
      return {
        status: 'fail',
        message: `of ${comparison.expected.length} records, ${parts.join(', ')}`,
        evidence,
        fix: recordsFix(known, comparison),
      };
    }
    if (comparison.stale.length) {
      return {
        status: 'warn',
        message: `all ${comparison.expected.length} records match; ${comparison.stale.length} stale record(s) of this workspace remain (${comparison.stale.map((s) => s.record).join(', ')})`,
        evidence,
        fix: fix('Delete the leftover records once you are sure no other endpoint uses them.', staleSteps(known, comparison), known),
      };
    }
    if (comparison.notInEndpoint.length) {
      // Records matched only for what the endpoint's IPs name: the rest were not compared, so no pass.
      return {
        status: 'warn',
        message: `${comparison.expected.length} record(s) match, but the endpoint's IPs name none for ${comparison.notInEndpoint.join(', ')}: their records were not compared (see consumer.pe-target)`,
        evidence,
        fix: fix("Make the endpoint's DNS configuration list every workspace FQDN (step 5), then compare again.", [endpointDnsConfigStep(known)], known),
      };
    }
    if (comparison.unreadable) {
      // An item without a name may be a stale record of this workspace: no pass over what was not read.
      return {
        status: 'warn',
        message: `all ${comparison.expected.length} records match, but ${comparison.unreadable} record set(s) in the answer have no name: they were not compared`,
        evidence,
      };
    }
    const unsearched = staleSearch.searched ? '' : ' (stale records under other names not looked for: the zone\'s list was not read to its end)';
    return { status: 'pass', message: `all ${comparison.expected.length} records match the endpoint's IPs${unsearched}`, evidence };
  },
});

/** The record changes that make the zone match the endpoint, one command each, then the zone-group alternative. */
export function recordsFix(k: KnownValues, comparison: Pick<RecordComparison, 'missing' | 'mismatched' | 'stale'>): Fix {
  const steps: FixStep[] = [];
  for (const m of comparison.missing) {
    for (const ip of m.expectedIps) steps.push(step(`Add ${m.record} → ${ip} (${m.fqdn}).`, 'consumer', recordCommand(k, 'add-record', m.record, ip)));
  }
  for (const m of comparison.mismatched) {
    for (const ip of m.foundIps.filter((x) => !m.expectedIps.includes(x))) steps.push(step(`Remove the wrong ${ip} from ${m.record}.`, 'consumer', recordCommand(k, 'remove-record', m.record, ip)));
    for (const ip of m.expectedIps.filter((x) => !m.foundIps.includes(x))) steps.push(step(`Add the endpoint's ${ip} to ${m.record}.`, 'consumer', recordCommand(k, 'add-record', m.record, ip)));
  }
  steps.push(...staleSteps(k, comparison));
  const group = zoneGroupStep(k);
  if (group) steps.push(group);
  return fix(`Make the A records in ${k.consumer.zone?.name ?? PRIVATELINK_ZONE} match the endpoint's DNS configuration (step 7).`, steps, k);
}

function staleSteps(k: KnownValues, comparison: Pick<RecordComparison, 'stale'>): FixStep[] {
  return comparison.stale.map((s) => step(`Delete the stale record ${s.record} (${s.ips.join(', ')}), left by an old endpoint.`, 'consumer', deleteRecordCommand(k, s.record)));
}

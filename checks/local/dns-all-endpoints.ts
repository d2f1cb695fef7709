// local.dns-all-endpoints: the four other workspace FQDNs resolve privately too.
import { defineCheck } from '../../src/engine/define.js';
import { ENDPOINT_KINDS, workspaceNames } from '../../src/fabric/workspace.js';
import { addressList } from '../../src/gather/dns/read.js';
import { failedResult } from '../helpers.js';
import { advice, flushCacheStep } from '../../src/fix/steps.js';
import { knownValues } from '../../src/fix/known.js';
import { recordsFix } from '../consumer/zone-records.js';

const OTHER_KINDS = ENDPOINT_KINDS.filter((kind) => kind !== 'api');

export default defineCheck({
  id: 'local.dns-all-endpoints',
  title: 'The other four workspace FQDNs resolve privately',
  side: 'local',
  severity: 'high',
  needs: ['local.systemResolve', 'consumer.endpointIps'],
  after: ['dns-private'],
  docStep: '9',
  explain:
    'A workspace private endpoint serves five names: the API, compute (c), OneLake, DFS and blob. The setup doc\'s example ' +
    'creates only the API record, so the API works while notebooks, OneLake and Spark fail. This check resolves the other ' +
    'four through the system resolver and requires private addresses, equal to the endpoint\'s IPs when the endpoint can be read.',
  fix: advice(
    "Create the A records for all five FQDNs in privatelink.fabric.microsoft.com from the endpoint's DNS configuration (setup step 7) " +
      '(or attach a private DNS zone group to the endpoint so Azure manages them; consumer.zone-records prints the commands), then clear the client cache and run again.',
    flushCacheStep(),
  ),
  run({ target, config, facts }) {
    const system = facts.value('local.systemResolve');
    const names = workspaceNames(target.workspaceId);
    const peResult = facts.get('consumer.endpointIps');
    const expectedByFqdn = peResult.ok ? peResult.value.byFqdn : undefined;
    // The records to write, when the endpoint's IPs are known and the answers are private (a public
    // answer is not the zone's record: linking fixes that, consumer.zone-linked).
    const recordFixFor = (bad: Array<{ kind: (typeof OTHER_KINDS)[number]; fqdn: string; found: string[]; expected?: string[] }>) => {
      const wanted = bad.filter((row) => row.expected?.length && (system.answers[row.fqdn]?.addresses ?? []).every((x) => x.class === 'private'));
      if (wanted.length === 0) return undefined;
      const records = recordsFix(knownValues(target, config, facts), {
        missing: wanted.filter((row) => row.found.length === 0).map((row) => ({ fqdn: row.fqdn, record: names.records[row.kind], expectedIps: row.expected! })),
        mismatched: wanted.filter((row) => row.found.length > 0).map((row) => ({ fqdn: row.fqdn, record: names.records[row.kind], expectedIps: row.expected!, foundIps: row.found })),
        stale: [],
      });
      return { summary: records.summary, steps: [...records.steps, flushCacheStep()] };
    };
    const rows = OTHER_KINDS.map((kind) => {
      const fqdn = names.fqdns[kind];
      const answer = system.answers[fqdn];
      const found = answer ? addressList(answer) : [];
      const expected = expectedByFqdn?.[fqdn];
      let problem: string | undefined;
      if (!answer) problem = 'no answer recorded';
      else if (found.length === 0) problem = `does not resolve (${answer.error ?? 'no address'})`;
      else if (answer.addresses.some((a) => a.class !== 'private')) {
        problem = `resolves to non-private ${answer.addresses.filter((a) => a.class !== 'private').map((a) => a.address).join(', ')}`;
      } else if (expected?.length && found.some((ip) => !expected.includes(ip))) {
        problem = `resolves to ${found.join(', ')}, the endpoint's IP is ${expected.join(', ')}`;
      }
      return { kind, fqdn, found, ...(expected ? { expected } : {}), ...(problem ? { problem } : {}) };
    });
    const evidence: Record<string, unknown> = {
      resolver: system.via,
      names: rows,
      ...(peResult.ok ? {} : { endpointIps: `unknown (${peResult.unavailable.kind}: ${peResult.unavailable.message})` }),
    };
    const bad = rows.filter((row) => row.problem);
    if (bad.length) {
      const recordFix = recordFixFor(bad);
      return {
        status: 'fail',
        message: `${bad.length} of 4 other FQDNs are not right: ${bad.map((row) => `${row.kind} ${row.problem}`).join('; ')}`,
        evidence,
        ...(recordFix ? { fix: recordFix } : {}),
      };
    }
    const against = expectedByFqdn ? "the endpoint's IPs" : 'private addresses (the endpoint could not be read to compare IPs)';
    return { status: 'pass', message: `compute, onelake, dfs and blob resolve to ${against}`, evidence };
  },
  explainedBy({ result, results }) {
    // Every name that is wrong is a record the zone lacks or holds with other IPs: the records are the cause.
    const records = failedResult(results, 'consumer.zone-records');
    if (!records) return [];
    const recordFqdns = new Set(
      (['missing', 'mismatched'] as const).flatMap((key) => (Array.isArray(records.evidence[key]) ? (records.evidence[key] as Array<{ fqdn?: unknown }>) : []).map((m) => m.fqdn)),
    );
    const rows = Array.isArray(result.evidence.names) ? (result.evidence.names as Array<{ fqdn?: unknown; problem?: unknown }>) : [];
    const bad = rows.filter((row) => row.problem);
    return bad.length > 0 && bad.every((row) => recordFqdns.has(row.fqdn)) ? ['consumer.zone-records'] : [];
  },
});

// Realistic RunReports for the writers' tests: several targets, every status and skip reason, and
// evidence that tries to break each format (ANSI escapes, control characters, `]]>`, non-ASCII,
// an HTML injection). Built by hand from the catalogue of docs/checks.md, as the engine would emit them.
import { rootCausesOf } from '../../src/engine/causality.js';
import { computeSummary } from '../../src/engine/status.js';
import type { CheckResult, RunReport, Severity, Side, Status, TargetReport } from '../../src/engine/types.js';

interface CatalogueEntry { id: string; title: string; severity: Severity; docStep: string; remediation: string }

export const CATALOGUE: CatalogueEntry[] = [
  ['provider.workspace-found', 'The workspace exists and is readable', 'critical', '1'],
  ['provider.capacity-assigned', 'The workspace is on a capacity', 'critical', '1'],
  ['provider.capacity-sku', 'The capacity is an active F SKU', 'high', '1'],
  ['provider.tenant-setting', 'Workspace inbound rules are allowed in the tenant', 'high', 'prerequisite'],
  ['provider.pls-found', 'The private link service exists', 'critical', '2'],
  ['provider.pls-workspace-match', 'The private link service is for this workspace', 'critical', '2'],
  ['provider.connection-approved', 'Tenant 2 approved the endpoint connection', 'critical', '6'],
  ['provider.public-access-denied', 'Public access to the workspace is denied', 'high', '10'],
  ['consumer.pe-found', 'The private endpoint exists', 'critical', '5'],
  ['consumer.pe-target', 'The endpoint targets this private link service', 'critical', '5'],
  ['consumer.pe-approved', 'The endpoint connection is approved', 'critical', '6'],
  ['consumer.pe-in-vnet', 'The endpoint is in the jump VM\'s VNet', 'medium', '3, 5'],
  ['consumer.zone-found', 'The private DNS zone exists', 'critical', '7'],
  ['consumer.zone-linked', 'The zone is linked to the VNet', 'critical', '7'],
  ['consumer.zone-records', 'The zone has the endpoint\'s A records', 'critical', '7'],
  ['local.dns-private', 'The API name resolves to a private address', 'critical', '9'],
  ['local.dns-endpoint-ip', 'The API name resolves to the endpoint\'s IP', 'critical', '9'],
  ['local.dns-consistent', 'Every DNS server gives the same answer', 'medium', '9'],
  ['local.dns-all-endpoints', 'The other Fabric names resolve privately', 'high', '9'],
  ['local.tcp-443', 'TCP 443 opens to the endpoint', 'critical', '9'],
  ['local.tls', 'TLS to the workspace name is trusted', 'critical', '9'],
  ['local.api-reachable', 'The Fabric API answers through the endpoint', 'critical', '9'],
  ['public.access-denied-probe', 'The public path is refused', 'medium', '10'],
].map(([id, title, severity, docStep]) => ({
  id: id!,
  title: title!,
  severity: severity as Severity,
  docStep: docStep!,
  remediation: `Fix for ${id}: follow setup step ${docStep} of the private link guide and run again.`,
}));

export const XSS = '</script><img src=x onerror=alert(1)>';
export const NASTY = `\u001b[31mred\u001b[0m bell\u0007 nul\u0000 esc\u001b]0;title\u0007 ]]> café Zürich 東京 😀 ${XSS} & "quotes" 'apos' | pipe`;

const WS = (i: number) => `${(0x1a2b3c4d + i).toString(16)}-aaaa-4bbb-8ccc-${String(i).padStart(12, '0')}`;

function result(entry: CatalogueEntry, status: Status, message: string, extra: Partial<CheckResult> = {}): CheckResult {
  return {
    checkId: entry.id,
    title: entry.title,
    side: entry.id.split('.')[0] as Side,
    status,
    severity: entry.severity,
    message,
    ...(status === 'pass' || status === 'skip' ? {} : { fix: { summary: entry.remediation, steps: [] } }),
    evidence: {},
    durationMs: 12.5,
    docStep: entry.docStep,
    facts: [],
    ...extra,
  };
}

/** A healthy target: every check passes, with the kind of evidence real checks give. */
export function healthyTarget(i: number, name = `prod-${i}`): TargetReport {
  const ws = WS(i);
  return withDerivedRootCauses({
    name,
    workspaceId: ws,
    // All five names, as the report schema requires (a recording is validated against it).
    fqdns: Object.fromEntries(['api', 'compute', 'onelake', 'dfs', 'blob'].map((kind) => [kind, `${ws.replace(/-/g, '')}.zf5.w.${kind === 'compute' ? 'c' : kind}.fabric.microsoft.com`])) as TargetReport['fqdns'],
    factRefs: {},
    results: CATALOGUE.map((e, k) =>
      result(e, 'pass', `${e.title.toLowerCase()}`, {
        durationMs: 3 + ((i * 7 + k * 13) % 400) + 0.5,
        evidence: {
          resourceId: `/subscriptions/00000000-0000-0000-0000-00000000000${i % 10}/resourceGroups/rg-fabric/providers/Microsoft.Network/privateEndpoints/pe-${name}`,
          expected: 'Approved',
          found: 'Approved',
          addresses: ['10.1.2.4', '10.1.2.5'],
        },
      }),
    ),
  });
}

/**
 * A hand-built target's rootCauses follow its results as the engine would list them (tests change
 * results in place), until a test sets them; deleting them stands for a report that predates them.
 */
function withDerivedRootCauses(target: Omit<TargetReport, 'rootCauses'>): TargetReport {
  let explicit: TargetReport['rootCauses'] | undefined;
  return Object.defineProperty(target, 'rootCauses', {
    enumerable: true,
    configurable: true,
    get: () => explicit ?? rootCausesOf(target.results),
    set: (value: TargetReport['rootCauses']) => {
      explicit = value;
    },
  }) as TargetReport;
}

/**
 * A fleet: target 1 has a zone not linked (a fail that blocks DNS checks), a stale record warning,
 * and the nasty evidence; target 2 cannot read the provider side (errors); target 3 has no consumer
 * credential (no-access skips) and a waiver; the rest are healthy.
 */
export function makeReport(options: { targets?: number; failOn?: string } = {}): RunReport {
  const n = Math.max(3, options.targets ?? 4);
  const targets: TargetReport[] = [];
  for (let i = 1; i <= n; i++) targets.push(healthyTarget(i, i === 1 ? 'prod-weu "east" <1>' : `prod-${i}`));
  const byId = (t: TargetReport, id: string) => t.results.findIndex((r) => r.checkId === id);
  const set = (t: TargetReport, id: string, status: Status, message: string, extra: Partial<CheckResult> = {}) => {
    const k = byId(t, id);
    const entry = CATALOGUE.find((e) => e.id === id)!;
    t.results[k] = result(entry, status, message, { durationMs: t.results[k]!.durationMs, ...extra });
  };

  const t1 = targets[0]!;
  set(t1, 'consumer.zone-linked', 'fail', 'the zone privatelink.fabric.microsoft.com is not linked to vnet-jump', {
    evidence: {
      zoneId: '/subscriptions/1111/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.fabric.microsoft.com',
      vnetId: '/subscriptions/1111/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-jump',
      links: [],
      note: NASTY,
      longText: 'x'.repeat(6000),
    },
    fix: {
      summary: 'Link the zone to vnet-jump (step 7).',
      steps: [
        { text: 'Sign in to tenant 1.', tenant: 'consumer', commands: { bash: 'az login --tenant 2222', powershell: 'az login --tenant 2222' } },
        {
          text: 'Link privatelink.fabric.microsoft.com to vnet-jump.',
          tenant: 'consumer',
          commands: {
            bash: "az network private-dns link vnet create --subscription 1111 --resource-group rg-dns --zone-name privatelink.fabric.microsoft.com --name link-vnet-jump --virtual-network /subscriptions/1111/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-jump --registration-enabled false",
            powershell: "az network private-dns link vnet create --subscription 1111 --resource-group rg-dns --zone-name privatelink.fabric.microsoft.com --name link-vnet-jump --virtual-network /subscriptions/1111/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-jump --registration-enabled false",
          },
        },
      ],
    },
  });
  for (const id of ['local.dns-private', 'local.dns-endpoint-ip', 'local.dns-consistent', 'local.dns-all-endpoints', 'local.tcp-443', 'local.tls', 'local.api-reachable']) {
    const via = id === 'local.dns-private' ? '' : ' (via local.dns-private)';
    set(t1, id, 'skip', `blocked by consumer.zone-linked${via}`, { skipReason: 'blocked', blockedBy: 'consumer.zone-linked', durationMs: 0 });
  }
  set(t1, 'consumer.zone-records', 'warn', `a stale A record of this workspace remains: ${NASTY}`, {
    evidence: { stale: [{ name: 'old-api', ips: ['10.9.9.9'] }], escaped: NASTY },
  });
  set(t1, 'provider.tenant-setting', 'fail', `the tenant setting WorkspaceBlockInboundAccess is disabled ${XSS}`, {
    evidence: { setting: 'WorkspaceBlockInboundAccess', enabled: false, html: XSS },
  });

  const t2 = targets[1]!;
  for (const id of ['provider.workspace-found', 'provider.pls-found']) {
    set(t2, id, 'error', `could not read ${id}: 403 AuthorizationFailed`, {
      evidence: { fact: id, kind: 'forbidden', httpStatus: 403, code: 'AuthorizationFailed', requestId: 'req-8f1c', neededRole: 'Reader' },
      fix: { summary: 'Grant the Reader role to the identity the doctor uses for this side, then run again.', steps: [] },
    });
  }

  const t3 = targets[2]!;
  for (const id of ['consumer.pe-found', 'consumer.zone-found']) {
    set(t3, id, 'skip', 'no credential for the consumer side (tenant 1); it is not contacted', { skipReason: 'no-access', evidence: { fact: id, kind: 'no-access' } });
  }
  set(t3, 'public.access-denied-probe', 'skip', 'the public probe is off (probes.public)', { skipReason: 'not-applicable' });
  set(t3, 'consumer.pe-in-vnet', 'skip', 'waived until 2099-01-01: peered hub (was warn: the endpoint is only in a peered VNet)', {
    skipReason: 'waived',
    waiver: { reason: 'peered hub', expires: '2099-01-01', expired: false, originalStatus: 'warn' },
  });

  const failOn = options.failOn ?? 'fail';
  return {
    schemaVersion: 1,
    tool: { name: 'xtenant-doctor', version: '0.1.0' },
    startedAt: '2025-03-04T05:06:07.890Z',
    durationMs: 4321.5,
    mode: 'live',
    failOn,
    summary: computeSummary(targets.flatMap((t) => t.results), failOn),
    targets,
    facts: {},
    environment: { os: 'linux', node: 'v24.0.0', hostname: 'jump-vm-01' },
  };
}

/** A report where every target is healthy. */
export function healthyReport(targets = 2): RunReport {
  const list = Array.from({ length: targets }, (_, i) => healthyTarget(i + 1));
  return { ...makeReport(), targets: list, summary: computeSummary(list.flatMap((t) => t.results), 'fail') };
}

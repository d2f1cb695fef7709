// Portal links (issue 15): each resource a report names opens in the Azure portal of the report's
// cloud, in the tenant that owns it, shown by name with the id on hover; the id is text from outside,
// so it can never break out of the link (HTML and Markdown).
import { describe, expect, it } from 'vitest';
import type { CheckResult, RunReport } from '../../../src/engine/types.js';
import { renderHtml } from '../../../reports/html.js';
import { portalUrl, reportPortal, resourceIdsIn, resourceLinks } from '../../../reports/links.js';
import { renderMarkdown } from '../../../reports/markdown.js';
import { makeReport } from '../../helpers/sample-report.js';

const T1 = '49013572-b766-4474-8358-082ef558816e';
const T2 = 'f8d92d3a-6914-4236-aa38-c86e4adf82fb';
const ZONE = '/subscriptions/1111/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.fabric.microsoft.com';
const VNET = '/subscriptions/1111/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-hub-weu';
const PLS = '/subscriptions/2222/resourceGroups/rg-fabric/providers/Microsoft.Fabric/privateLinkServicesForFabric/pls-sales';

/** One target whose root cause (zone-linked) names the zone, the VNet and, in a nested list, the service. */
function report(cloud: unknown, evidence: Record<string, unknown> = { zoneId: ZONE, resolvingVnets: [{ id: VNET }], nested: { service: PLS } }): RunReport {
  const base = makeReport({ targets: 1 });
  const t = base.targets[0]!;
  const results: CheckResult[] = t.results.map((r) =>
    r.checkId === 'consumer.zone-linked'
      ? { ...r, status: 'fail', message: `the zone has no link to ${VNET}`, evidence, fix: { summary: 'Link the zone.', steps: [] } }
      : r.status === 'fail' ? { ...r, status: 'pass' } : r,
  );
  return {
    ...base,
    targets: [{ ...t, results, rootCauses: [{ checkId: 'consumer.zone-linked', status: 'fail', explains: [] }] }],
    environment: { ...base.environment, config: { cloud, targets: [{ name: t.name, provider: { tenantId: T2 }, consumer: { tenantId: T1 } }] } },
  };
}

describe('portal links', () => {
  it("use the cloud's portal: public, US Government, China, a custom cloud's portalEndpoint; none for a custom cloud without one", () => {
    expect(portalUrl(VNET, T1)).toBe(`https://portal.azure.com/#@${T1}/resource${VNET}`);
    expect(reportPortal(report({ name: 'public' }))).toBe('https://portal.azure.com');
    expect(reportPortal(report({ name: 'usgov' }))).toBe('https://portal.azure.us');
    expect(reportPortal(report({ name: 'china' }))).toBe('https://portal.azure.cn');
    expect(reportPortal(report({ name: 'custom', portalEndpoint: 'https://portal.example.test' }))).toBe('https://portal.example.test');
    expect(reportPortal(report({ name: 'custom', armEndpoint: 'https://arm.example.test' }))).toBeUndefined();
    // A named cloud's portal is its own, whatever a (possibly foreign) report file says.
    expect(reportPortal(report({ name: 'public', portalEndpoint: 'https://portal.evil.example' }))).toBe('https://portal.azure.com');
    expect(reportPortal(report({ name: 'constructor' }))).toBeUndefined();
    expect(portalUrl(VNET, T1, 'https://portal.azure.us')).toBe(`https://portal.azure.us/#@${T1}/resource${VNET}`);
    // Only an https origin is a portal; a tenant that is not a GUID is left out.
    expect(portalUrl(VNET, T1, 'javascript:alert(1)')).toBeUndefined();
    expect(portalUrl(VNET, 'evil/../x')).toBe(`https://portal.azure.com/#/resource${VNET}`);
  });

  it('open each resource in the tenant that owns it: Fabric resources in tenant 2, the network in tenant 1', () => {
    const r = report({ name: 'usgov' });
    const result = r.targets[0]!.results.find((x) => x.checkId === 'consumer.zone-linked')!;
    expect(resourceIdsIn(result.evidence).map((x) => x.name)).toEqual(['privatelink.fabric.microsoft.com', 'vnet-hub-weu', 'pls-sales']);
    expect(resourceLinks(r, r.targets[0]!, result)).toEqual([
      { id: ZONE, name: 'privatelink.fabric.microsoft.com', url: `https://portal.azure.us/#@${T1}/resource${ZONE}` },
      { id: VNET, name: 'vnet-hub-weu', url: `https://portal.azure.us/#@${T1}/resource${VNET}` },
      { id: PLS, name: 'pls-sales', url: `https://portal.azure.us/#@${T2}/resource${PLS}` },
    ]);
  });

  it('report.html shows names with the id on hover, on the root cause and its check row; Markdown links the root cause', () => {
    const r = report({ name: 'public' });
    const html = renderHtml(r);
    const link = `<a href="https://portal.azure.com/#@${T1}/resource${VNET}" title="${VNET}" rel="noreferrer">vnet-hub-weu</a>`;
    expect(html.split(link).length - 1).toBe(2);
    // The sentence names the VNet; its id is on hover.
    expect(html).toMatch(new RegExp(`<span class="sentence" title="the zone has no link to ${VNET}">[^<]*vnet-hub-weu[^<]*</span>`));
    const md = renderMarkdown(r);
    expect(md).toContain(`[vnet-hub-weu](<https://portal.azure.com/#@${T1}/resource${VNET}> "${VNET}")`);
  });

  it('a custom cloud without a portal names the resources without a link', () => {
    const r = report({ name: 'custom' });
    const html = renderHtml(r);
    expect(html).toContain(`<span title="${VNET}">vnet-hub-weu</span>`);
    expect(html).not.toContain('portal.azure.com');
    expect(renderMarkdown(r)).not.toContain('In the Azure portal');
  });

  it('a hostile id stays one link: no markup, no quote or bracket breaks out of the href, the title or the Markdown link', () => {
    const evil = `/subscriptions/1111/resourceGroups/rg"><img src=x onerror=alert(1)>/providers/Microsoft.Network/virtualNetworks/v> "t") [x](javascript:alert(1))`;
    const r = report({ name: 'public' }, { vnetId: evil });
    const html = renderHtml(r);
    expect(html).not.toContain('<img');
    // Every portal link is exactly href, title and rel, each one quoted value with no quote or bracket inside.
    const links = html.match(/<a href="https:\/\/portal[^>]*>/g)!;
    expect(links.length).toBeGreaterThan(0);
    for (const a of links) expect(a).toMatch(/^<a href="[^"<>\s]+" title="[^"<>]+" rel="noreferrer">$/);
    const md = renderMarkdown(r);
    const line = md.split('\n').find((l) => l.startsWith('In the Azure portal'))!;
    // The destination is one <…> with no space, quote or bracket in it; the title's quotes are escaped.
    expect(line).toMatch(/^In the Azure portal: \[v&gt; "t"\) \\\[x\\\]\(javascript:alert\(1\)\)\]\(<https:\/\/portal\.azure\.com\/#@[0-9a-f-]+\/resource[^\s<>"]+> "[^"\\]*(?:\\.[^"\\]*)*"\)$/);
  });
});

// The path picture in a real browser, on the lab's own reports: for a healthy run, every single
// fault, a two-fault run and a 200-target fleet, report.html (opened from file:// in headless
// Chromium) draws the two-tenant path as an SVG with the root cause's hop data-status="fail", makes
// no request, has no serious axe violation, and keeps its fold readable: the headline, the picture
// and the first root cause in the first viewport. Screenshots land in test-artifacts/ for people.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hopOf, rootCauseIds } from '../../reports/path.js';
import { FAULTS, FAULT_NAMES } from '../../src/lab/faults.js';
import type { RunReport } from '../../src/engine/types.js';
import { launchBrowser } from '../helpers/browser.js';
import type { CliResult } from '../helpers/cli.js';
import { describeRun, pooled, readReport, runGuardedCli } from '../helpers/lab-cli.js';

const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts/path');
const AXE = readFileSync(resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');
const VIEWPORT = { width: 1280, height: 900 };

interface Scenario {
  name: string;
  args: string[];
}
/** The lab's topology faults, each on the first topology it applies to. */
const TOPOLOGY_OF: Record<string, string> = Object.fromEntries(FAULT_NAMES.flatMap((f) => (FAULTS[f]!.topologies ? [[f, FAULTS[f]!.topologies![0]!]] : [])));
const scenarios: Scenario[] = [
  { name: 'healthy', args: [] },
  // Every fault on the setup doc's flat network, and each topology fault on the network it needs.
  ...FAULT_NAMES.filter((f) => !(f in TOPOLOGY_OF)).map((f) => ({ name: f, args: ['--fault', f] })),
  ...Object.entries(TOPOLOGY_OF).map(([f, topology]) => ({ name: `${topology}/${f}`, args: ['--topology', topology, '--fault', f] })),
  { name: 'two-faults', args: ['--fault', 'zone-unlinked', '--fault', 'capacity-trial'] },
  { name: 'fleet-200', args: ['--targets', '200', '--fault', 'tcp-blocked@137'] },
];

const dir = mkdtempSync(join(tmpdir(), 'xtd-html-path-'));
const runs = new Map<string, Promise<{ run: CliResult; out: string }>>();
let context: BrowserContext;

beforeAll(async () => {
  const promises = pooled(
    scenarios.map((s, i) => async () => {
      const out = join(dir, String(i));
      // The fleet runs without --quiet: its terminal output is part of what is proven (under 40 lines).
      const quiet = s.name.startsWith('fleet') ? [] : ['--quiet'];
      return { run: await runGuardedCli(['demo', ...s.args, '--format', 'json,html', ...quiet, '--out', out]), out };
    }),
    2,
  );
  scenarios.forEach((s, i) => runs.set(s.name, promises[i]!));
  for (const p of promises) p.catch(() => undefined);
  context = await launchBrowser();
});

afterAll(async () => {
  await context?.close();
  await Promise.allSettled(runs.values());
  rmSync(dir, { recursive: true, force: true });
});

async function open(file: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const url = pathToFileURL(file).href;
  const page = await context.newPage();
  await page.setViewportSize(VIEWPORT);
  const requests: string[] = [];
  const errors: string[] = [];
  await page.route('**/*', (route) => {
    if (route.request().url() === url) return route.continue();
    requests.push(route.request().url());
    return route.abort();
  });
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForLoadState('load');
  return { page, requests, errors };
}

/** The hops the report's root causes sit on (for a fleet: on any target). */
function causeHops(report: RunReport): string[] {
  return [...new Set(report.targets.flatMap((t) => rootCauseIds(t).map((id) => hopOf(id)?.id).filter((h): h is string => !!h)))];
}

async function seriousViolations(page: Page): Promise<unknown[]> {
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    // @ts-expect-error axe is injected above
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v: { id: string; impact: string; nodes: { target: string[] }[] }) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical');
}

/** The page's portal links with the tenant each opens in (a GUID). */
async function portalLinks(page: Page): Promise<Array<{ href: string; title: string; text: string; tenant: string }>> {
  const links = await page.locator('p.resources a').evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href') ?? '', title: a.getAttribute('title') ?? '', text: a.textContent ?? '' })));
  return links.map((l) => ({ ...l, tenant: /^https:\/\/portal\.azure\.com\/#@([0-9a-f-]{36})\/resource\//.exec(l.href)?.[1] ?? 'none' }));
}

/** Whether an element is shown and lies wholly within the first viewport. */
async function inFold(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).first().boundingBox();
  return !!box && box.height > 0 && box.y >= 0 && box.y + box.height <= VIEWPORT.height && (await page.locator(selector).first().isVisible());
}

describe('report.html draws the path', () => {
  for (const s of scenarios) {
    // A 200-target page takes axe a while on a shared machine: a longer timeout, not a speed claim.
    it(`${s.name}: the SVG path with the root cause's hop failing, no request, no serious axe violation, a readable fold`, { timeout: s.name.startsWith('fleet') ? 300_000 : 60_000 }, async () => {
      const { run, out } = await runs.get(s.name)!;
      expect([0, 1, 3], describeRun(run)).toContain(run.code);
      const report = readReport(out);
      const { page, requests, errors } = await open(join(out, 'report.html'));
      expect(await page.locator('svg.path').count()).toBe(1);
      expect(await page.locator('svg.path [data-hop][data-status]').count()).toBeGreaterThanOrEqual(10);
      const hops = causeHops(report);
      for (const hop of hops) expect(await page.locator(`svg.path g[data-hop="${hop}"]`).getAttribute('data-status'), `${s.name}: hop ${hop}`).toBe('fail');
      for (const hop of hops) expect(await page.locator(`svg.path g[data-hop="${hop}"]`).getAttribute('data-root-cause')).toBe('true');
      if (report.summary.fail === 0) expect(await page.locator('svg.path g[data-status="fail"]').count(), s.name).toBe(0);
      if (report.summary.error > 0 && report.summary.fail === 0) expect(await page.locator('svg.path g[data-status="error"]').count(), s.name).toBeGreaterThan(0);
      // Each hop links to its checks: the target of the link exists in the page.
      for (const href of await page.locator('svg.path a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) expect(await page.locator(href!).count(), href!).toBe(1);
      // Each resource named is a portal link in the tenant that owns it, shown by name with its id on hover.
      for (const link of await portalLinks(page)) {
        expect(link.href, `${s.name}: ${link.href}`).toBe(`https://portal.azure.com/#@${link.tenant}/resource${link.title}`);
        expect(link.text, s.name).toBe(link.title.split('/').pop());
      }
      expect(requests).toEqual([]);
      expect(errors).toEqual([]);
      // The fold: headline, picture, and the first root cause's sentence, all in the first screen.
      expect(await inFold(page, 'h1.verdict'), 'headline in the fold').toBe(true);
      expect(await inFold(page, 'svg.path'), 'picture in the fold').toBe(true);
      if (hops.length && report.targets.length === 1) expect(await inFold(page, '#cause-0 .sentence'), 'first root cause in the fold').toBe(true);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, `${s.name.replace('/', '-')}.png`) });
      expect(await seriousViolations(page)).toEqual([]);
      await page.close();
    });
  }

  it('the fleet of 200 with one fault prints under 40 lines in the terminal, without --verbose', async () => {
    const { run } = await runs.get('fleet-200')!;
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.length, run.stdout).toBeLessThan(40);
    expect(lines.filter((l) => l.startsWith('✗ lab-137  '))).toHaveLength(1);
    expect(lines).toContain('✓ 199 healthy targets: lab-1, lab-2, lab-3, … (196 more)');
  });

  it("the root cause names its resources by name with a portal link each, in the owner's tenant (zone and VNet: tenant 1; the private link service: tenant 2)", async () => {
    for (const [name, resources] of [['zone-unlinked', ['privatelink.fabric.microsoft.com']], ['connection-pending', []]] as const) {
      const { out } = await runs.get(name)!;
      const report = readReport(out);
      const config = report.environment.config as { targets: Array<{ provider: { tenantId: string }; consumer: { tenantId: string } }> };
      const { page } = await open(join(out, 'report.html'));
      const links = await portalLinks(page);
      const card = await page.locator('#cause-0 p.resources a').evaluateAll((as) => as.map((a) => a.textContent));
      for (const r of resources) expect(card, name).toContain(r);
      expect(card.length, `${name}: the root cause links its resources`).toBeGreaterThan(0);
      for (const l of links) expect(l.tenant, l.title).toBe(/\/providers\/Microsoft\.Fabric\//i.test(l.title) ? config.targets[0]!.provider.tenantId : config.targets[0]!.consumer.tenantId);
      expect(links.some((l) => l.tenant === config.targets[0]!.provider.tenantId) && links.some((l) => l.tenant === config.targets[0]!.consumer.tenantId), `${name}: both tenants' resources linked`).toBe(true);
      await page.close();
    }
  });

  it('a fleet has a targets × hops heat map, failing targets first, and its failing cell is the root cause', async () => {
    const { out } = await runs.get('fleet-200')!;
    const { page } = await open(join(out, 'report.html'));
    const rows = page.locator('table.heat tbody tr');
    expect(await rows.count()).toBe(200);
    expect(await rows.first().locator('th').textContent()).toBe('lab-137');
    expect(await rows.first().locator('td[data-hop="endpoint"]').getAttribute('data-status')).toBe('fail');
    expect(await page.locator('table.heat td[data-status="fail"]').count()).toBe(1);
    // Passes are hidden by default in a fleet; the healthy targets stay folded.
    expect(await page.locator('input[name="status"][value="pass"]').isChecked()).toBe(false);
    expect(await page.locator('#passes-hidden').isVisible()).toBe(true);
    expect(await page.locator('h1.verdict').textContent()).toContain('lab-137: The jump VM cannot open TCP 443 to the private endpoint');
    expect(await page.locator('p.detail').textContent()).toMatch(/^199\/200 targets healthy/);
    await page.close();
  });

  it("a hub resolver's failed inbound endpoint shows on the DNS path hop, named", async () => {
    const { out } = await runs.get(`${TOPOLOGY_OF['resolver-inbound-failed']}/resolver-inbound-failed`)!;
    const { page } = await open(join(out, 'report.html'));
    const hop = page.locator('svg.path g[data-hop="dns-path"]');
    expect(await hop.getAttribute('data-status')).toBe('fail');
    expect(await hop.getAttribute('data-root-cause')).toBe('true');
    expect(await page.locator('#hop-dns-path').textContent()).toMatch(/resolver inbound/);
    await page.close();
  });

  it('reads without JavaScript, and follows dark mode', async () => {
    const { out } = await runs.get('zone-unlinked')!;
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const page = await context.newPage();
    await page.setContent(html.replace(/<script>[\s\S]*?<\/script>/, ''));
    expect(await page.locator('svg.path g[data-hop="zone"]').getAttribute('data-status')).toBe('fail');
    expect(await page.locator('svg.path title#path-title').count()).toBe(1);
    expect(await page.locator('svg.path desc#path-desc').textContent()).toContain('Broken or unknown: ');
    const fill = () => page.locator('svg.path g[data-hop="zone"] rect').evaluate((r) => getComputedStyle(r).fill);
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await fill();
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await fill()).not.toBe(light);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'zone-unlinked-dark.png') });
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});

// Opens report.html from file:// in headless Chromium: no request leaves the page, no console
// error, the filters work, hostile evidence stays text, axe finds no serious violation.
import { mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from '../../reports/write.js';
import type { RunReport } from '../../src/engine/types.js';
import { launchBrowser } from '../helpers/browser.js';
import { healthyTarget, makeReport, XSS } from '../helpers/sample-report.js';
import { computeSummary } from '../../src/engine/status.js';

const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts');
let context: BrowserContext;

beforeAll(async () => {
  context = await launchBrowser();
});
afterAll(async () => {
  await context?.close();
});

interface Opened {
  page: Page;
  requests: string[];
  consoleErrors: string[];
  dialogs: string[];
}

async function openReport(report: RunReport, hash = ''): Promise<Opened> {
  const dir = mkdtempSync(join(tmpdir(), 'xtd-html-'));
  const [file] = await writeReports(report, dir, ['html']);
  const url = pathToFileURL(file!).href;
  const page = await context.newPage();
  const opened: Opened = { page, requests: [], consoleErrors: [], dialogs: [] };
  // Any request but the page itself is recorded and refused.
  await page.route('**/*', (route) => {
    const requested = route.request().url();
    if (requested === url || requested === url + hash) return route.continue();
    opened.requests.push(requested);
    return route.abort();
  });
  page.on('request', (r) => {
    if (r.url() !== url && r.url() !== url + hash) opened.requests.push(r.url());
  });
  page.on('console', (m) => {
    if (m.type() === 'error') opened.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => opened.consoleErrors.push(String(e)));
  page.on('dialog', (d) => {
    opened.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(url + hash);
  await page.waitForLoadState('load');
  return opened;
}

/** Rows the filters let through (whether or not their target is folded). */
const visibleRows = (page: Page) =>
  page.evaluate(() => [...document.querySelectorAll('li.check')].filter((li) => !(li as HTMLElement).hidden && !(li.closest('details.target') as HTMLElement).hidden).length);

describe('report.html in Chromium', () => {
  it('loads offline with no request, no console error, and shows every check', async () => {
    const report = makeReport();
    const { page, requests, consoleErrors, dialogs } = await openReport(report);
    expect(requests).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(dialogs).toEqual([]);
    // The headline in words; the gate's line in the footer.
    await expect(page.locator('h1.verdict').textContent()).resolves.toContain('prod-weu "east" <1>: Inbound policy: the tenant setting WorkspaceBlockInboundAccess is disabled');
    await expect(page.locator('footer').textContent()).resolves.toContain('FAILED: 2 root causes on 1 of 4 targets');
    expect(await page.locator('#filters').isVisible()).toBe(true);
    expect(await page.locator('li.check').count()).toBe(report.targets.length * 23);
    // A fleet hides its passes until asked.
    expect(await page.locator('#shown').textContent()).toBe('Showing 16 of 92 checks in 3 of 4 targets');
    await page.locator('input[name="status"][value="pass"]').check();
    expect(await page.locator('#shown').textContent()).toBe('Showing 92 of 92 checks in 4 of 4 targets');
    await page.locator('input[name="status"][value="pass"]').uncheck();
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: false });
    await page.screenshot({ path: join(ARTIFACTS, 'report-full.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.locator('#results').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'report-dark.png'), fullPage: false });
    await page.close();
  });

  it('renders hostile evidence as text: no img element, no dialog, no script run', async () => {
    const { page, dialogs, requests } = await openReport(makeReport());
    expect(await page.locator('img').count()).toBe(0);
    const texts = await page.locator('pre').allTextContents();
    expect(texts.some((t) => t.includes(XSS))).toBe(true);
    expect(await page.locator('.msg', { hasText: XSS }).count()).toBeGreaterThan(0);
    // The island round-trips the hostile string exactly.
    const island = await page.evaluate(() => JSON.parse(document.getElementById('report-data')!.textContent!));
    expect(JSON.stringify(island)).toContain(JSON.stringify(XSS).slice(1, -1));
    expect(await page.locator('script').count()).toBe(2);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('filters by status, side, target and search, and keeps them in the hash', async () => {
    const { page, consoleErrors } = await openReport(makeReport());
    expect(await visibleRows(page)).toBe(16);
    await page.locator('input[name="status"][value="pass"]').check();
    expect(await visibleRows(page)).toBe(92);
    expect(await page.evaluate(() => location.hash)).toBe('#status=fail%2Cerror%2Cwarn%2Cskip%2Cpass');
    // Show failures only: untick every other status.
    for (const s of ['pass', 'skip', 'warn', 'error']) await page.locator(`input[name="status"][value="${s}"]`).uncheck();
    expect(await visibleRows(page)).toBe(2);
    expect(await page.evaluate(() => location.hash)).toBe('#status=fail');
    expect(await page.locator('details.target:visible').count()).toBe(1);
    await page.locator('input[name="status"][value="error"]').check();
    expect(await visibleRows(page)).toBe(4);
    await page.locator('input[name="side"][value="consumer"]').uncheck();
    expect(await visibleRows(page)).toBe(3);
    // Reset returns to the fleet's default: every status but pass.
    await page.locator('button[type="reset"]').click();
    await page.waitForFunction(() => location.hash === '');
    expect(await visibleRows(page)).toBe(16);
    await page.locator('input[name="status"][value="pass"]').check();
    expect(await visibleRows(page)).toBe(92);
    await page.locator('input[name="q"]').fill('authorizationfailed');
    expect(await visibleRows(page)).toBe(2);
    expect(await page.locator('#shown').textContent()).toBe('Showing 2 of 92 checks in 1 of 4 targets');
    await page.locator('input[name="q"]').fill('');
    await page.locator('select[name="target"]').selectOption('prod-3');
    expect(await visibleRows(page)).toBe(23);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('restores filters from the URL hash', async () => {
    const { page } = await openReport(makeReport(), '#status=warn');
    expect(await visibleRows(page)).toBe(1);
    expect(await page.locator('input[name="status"][value="pass"]').isChecked()).toBe(false);
    await page.close();
  });

  it.each(['light', 'dark'] as const)('has no serious or critical accessibility violation (axe-core, %s)', async (scheme) => {
    const { page } = await openReport(makeReport());
    await page.emulateMedia({ colorScheme: scheme });
    await page.addScriptTag({ content: readFileSync(resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8') });
    const violations = await page.evaluate(async () => {
      // @ts-expect-error axe is injected above
      const result = await window.axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v: { id: string; impact: string; nodes: { target: string[] }[] }) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    });
    const serious = violations.filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious).toEqual([]);
    await page.close();
  });

  it('is readable without JavaScript: every check is in the static page', async () => {
    const noJs = await context.newPage();
    const dir = mkdtempSync(join(tmpdir(), 'xtd-nojs-'));
    const [file] = await writeReports(makeReport(), dir, ['html']);
    const html = readFileSync(file!, 'utf8');
    await noJs.setContent(html.replace(/<script>[\s\S]*?<\/script>/, ''));
    expect(await noJs.locator('li.check').count()).toBe(92);
    expect(await noJs.locator('#filters').isVisible()).toBe(false);
    expect(await noJs.locator('li.check.s-fail details[open]').count()).toBe(2);
    await noJs.close();
  });

  it('a fleet of 1000 targets stays small and usable', async () => {
    const base = makeReport();
    const targets = [...base.targets];
    for (let i = targets.length + 1; i <= 1000; i++) targets.push(healthyTarget(i));
    const report: RunReport = { ...base, targets, summary: computeSummary(targets.flatMap((t) => t.results), 'fail') };
    const dir = mkdtempSync(join(tmpdir(), 'xtd-fleet-'));
    const [file] = await writeReports(report, dir, ['html']);
    const size = statSync(file!).size;
    expect(size).toBeLessThan(10 * 1024 * 1024);
    const { page, consoleErrors, requests } = await openReport(report, '#status=fail,error,warn,skip,pass');
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.locator('details.target[open]').count()).toBe(0);
    // Opening a healthy target draws its passed checks from the data island.
    const target = page.locator('details.target#t-500');
    await target.locator('summary').click();
    await expect.poll(() => target.locator('li.check').count()).toBe(23);
    await target.locator('li.check').first().locator('summary').click();
    expect(await target.locator('li.check pre').first().textContent()).toContain('resourceId: /subscriptions/');
    // A narrow filter finds and opens the failing target.
    await page.locator('input[name="q"]').fill('vnet-jump');
    await expect.poll(() => visibleRows(page)).toBe(1);
    await page.close();
  });
});

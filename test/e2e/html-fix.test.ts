// A fix in report.html is something to paste: in headless Chromium, each fix command has a copy
// button that puts exactly that command on the clipboard, and one switch shows the commands of one
// shell (bash or PowerShell), both by default.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { describeRun, runGuardedCli } from '../helpers/lab-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'xtd-html-fix-'));
let context: BrowserContext;
let url: string;

beforeAll(async () => {
  const run = await runGuardedCli(['demo', '--fault', 'zone-unlinked', '--format', 'html', '--quiet', '--out', dir]);
  expect(run.code, describeRun(run)).toBe(1);
  url = pathToFileURL(join(dir, 'report.html')).href;
  context = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await context?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function open() {
  const page = await context.newPage();
  const requests: string[] = [];
  await page.route('**/*', (route) => {
    if (route.request().url() !== url) requests.push(route.request().url());
    return route.request().url() === url ? route.continue() : route.abort();
  });
  await page.goto(url);
  return { page, requests };
}

describe('fix commands in report.html', () => {
  it('a copy button puts exactly its command on the clipboard', { timeout: 60_000 }, async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const { page, requests } = await open();
    const card = page.locator('.fix .cmd').first();
    const bash = card.locator('.sh-bash pre');
    const expected = (await bash.textContent())!;
    expect(expected).toMatch(/^az /);
    const button = card.locator('.sh-bash button.copy');
    await expect.poll(() => button.count()).toBe(1);
    expect(await button.getAttribute('aria-label')).toBe('Copy the bash command');
    await button.click();
    await expect.poll(() => button.textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);
    expect(requests).toEqual([]);
  });

  it('the shell switch shows one shell at a time, both by default', { timeout: 60_000 }, async () => {
    const { page } = await open();
    const visible = (selector: string) => page.locator(selector).first().isVisible();
    const shell = (value: string) => page.locator(`.shell-switch input[value="${value}"]`);
    // The first fix is in the root-cause card, open at load.
    expect(await visible('.fix .sh-bash')).toBe(true);
    expect(await visible('.fix .sh-powershell')).toBe(true);
    await shell('powershell').check();
    expect(await visible('.fix .sh-bash')).toBe(false);
    expect(await visible('.fix .sh-powershell')).toBe(true);
    await shell('bash').check();
    expect(await visible('.fix .sh-bash')).toBe(true);
    expect(await visible('.fix .sh-powershell')).toBe(false);
    await shell('both').check();
    expect(await visible('.fix .sh-powershell')).toBe(true);
  });
});

// Plugins are held to the same rules as built-in checks, and run, block and report like them.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config/defaults.js';
import { diagnose } from '../../src/diagnose.js';
import { buildCatalogue, CatalogueError, loadPlugins } from '../../src/engine/catalogue.js';
import { defineCheck } from '../../src/engine/define.js';

const PLUGINS = join(import.meta.dirname, '..', 'fixtures', 'plugins');
const WS = 'cfafbeb1-8037-4d0c-896e-a46fb27ff227';

afterEach(() => {
  delete process.env.XTD_TEST_HTTPS_PROXY;
});

describe('plugins', () => {
  it('a plugin check runs, blocks and reports like a built-in one', async () => {
    process.env.XTD_TEST_HTTPS_PROXY = 'http://proxy:3128';
    const config = testConfig({
      targets: [{ name: 'w', workspaceId: WS }],
      plugins: [join(PLUGINS, 'proxy-bypass.mjs')],
      checks: { only: ['local.proxy-bypass', 'local.after-proxy'], skip: [], waivers: [] },
    });
    const report = await diagnose(config);
    const results = report.targets[0]!.results;
    expect(results.map((r) => [r.checkId, r.status])).toEqual([
      ['local.proxy-bypass', 'fail'],
      ['local.after-proxy', 'skip'],
    ]);
    expect(results[0]).toMatchObject({ fix: { summary: 'Add .fabric.microsoft.com to NO_PROXY.', steps: [] }, evidence: { httpsProxy: 'http://proxy:3128' } });
    expect(results[1]).toMatchObject({ skipReason: 'blocked', blockedBy: 'local.proxy-bypass' });
    expect(report.facts['plugin.proxyEnv@w']).toBeDefined();
    expect(report.summary.exitCode).toBe(1);
  });

  it('is validated before the run: every problem listed', async () => {
    const plugins = await loadPlugins([join(PLUGINS, 'broken.mjs')]);
    let problems: string[] = [];
    try {
      buildCatalogue({ checks: [], facts: [] }, plugins);
    } catch (error) {
      expect(error).toBeInstanceOf(CatalogueError);
      problems = (error as CatalogueError).problems;
    }
    expect(problems.join('\n')).toMatch(/local\.broken \(from .*broken\.mjs\): side must be one of/);
    expect(problems.join('\n')).toContain('needs unknown fact no.such.fact');
    expect(problems.join('\n')).toContain('after names unknown check local.nothing');
  });

  it('a duplicate id or a prerequisite cycle is refused', () => {
    const base = { title: 't', side: 'local' as const, severity: 'low' as const, needs: [], docStep: '1', explain: 'e', fix: { summary: 'r', steps: [] }, run: () => ({ status: 'pass' as const, message: '' }) };
    expect(() =>
      buildCatalogue({ checks: [defineCheck({ ...base, id: 'local.a', after: ['b'] }), defineCheck({ ...base, id: 'local.b', after: ['a'] })], facts: [] }),
    ).toThrow(/cycle: local\.a → local\.b → local\.a/);
    // The side's credential check is a prerequisite of every other check of the side, also in a cycle.
    expect(() =>
      buildCatalogue({ checks: [defineCheck({ ...base, side: 'provider', id: 'provider.credential', after: ['x'] }), defineCheck({ ...base, side: 'provider', id: 'provider.x', after: [] })], facts: [] }),
    ).toThrow(/cycle: provider\.credential → provider\.x → provider\.credential/);
    expect(() => buildCatalogue({ checks: [defineCheck({ ...base, id: 'local.a', after: [] })], facts: [] }, [{ source: 'p', checks: [defineCheck({ ...base, id: 'local.a', after: [] })] }])).toThrow(
      /local\.a \(from p\): duplicate check id/,
    );
  });

  it('a plugin that cannot be loaded is a clear error', async () => {
    await expect(loadPlugins([join(PLUGINS, 'missing.mjs')])).rejects.toThrow(/plugin .*missing\.mjs could not be loaded/);
  });
});

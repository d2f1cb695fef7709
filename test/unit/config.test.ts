import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, parseConfigText, resolveConfig } from '../../src/config/load.js';

const WS = 'cfafbeb1-8037-4d0c-896e-a46fb27ff227';
const SUB = '00000000-0000-0000-0000-000000000001';
const PE = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe`;

function problems(data: unknown): Array<{ path: string; message: string }> {
  try {
    resolveConfig(data, 'test.json');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('config', () => {
  it('resolves a full config with defaults, normalising workspace ids', () => {
    const config = resolveConfig(
      {
        targets: [{ name: 'sales', workspaceId: WS.toUpperCase().replace(/-/g, ''), consumer: { privateEndpointId: PE, subscriptionId: SUB } }],
        credentials: { consumer: { type: 'managed-identity' }, provider: { type: 'client-secret', clientId: 'app', secretEnv: 'XTD_SECRET' } },
        cloud: 'usgov',
        dns: { servers: ['10.0.0.4', '[::1]:5353'], azureVm: true },
        checks: { skip: ['public.*'], waivers: [{ check: 'consumer.zone-linked', reason: 'migrating', expires: '2027-01-31' }] },
      },
      'test.json',
    );
    expect(config.targets[0]!.workspaceId).toBe(WS);
    expect(config.cloud.armEndpoint).toBe('https://management.usgovcloudapi.net');
    expect(config.dns).toMatchObject({ servers: ['10.0.0.4', '[::1]:5353'], azureVm: true, timeoutMs: 2000 });
    expect(config.credentials.provider).toEqual({ type: 'client-secret', clientId: 'app', secretEnv: 'XTD_SECRET' });
    expect(config.probes.public).toBe(false);
  });

  it('custom clouds keep the public Fabric scope unless told otherwise', () => {
    const config = resolveConfig(
      { targets: [{ name: 'a', workspaceId: WS }], cloud: { armEndpoint: 'https://127.0.0.1:8443/', fabricEndpoint: 'https://127.0.0.1:8443/fabric', authorityHost: 'https://127.0.0.1:8443' } },
      'x',
    );
    expect(config.cloud).toMatchObject({ name: 'custom', armEndpoint: 'https://127.0.0.1:8443', armScope: 'https://127.0.0.1:8443/.default', fabricScope: 'https://api.fabric.microsoft.com/.default' });
  });

  it("a custom cloud may name its Azure portal (reports link resources to it); a named cloud has its own", () => {
    const custom = resolveConfig(
      { targets: [{ name: 'a', workspaceId: WS }], cloud: { armEndpoint: 'https://arm.example', fabricEndpoint: 'https://fabric.example', authorityHost: 'https://login.example', portalEndpoint: 'https://portal.example/' } },
      'x',
    );
    expect(custom.cloud.portalEndpoint).toBe('https://portal.example');
    expect(resolveConfig({ targets: [{ name: 'a', workspaceId: WS }], cloud: 'china' }, 'x').cloud.portalEndpoint).toBe('https://portal.azure.cn');
    expect(problems({ targets: [{ name: 'a', workspaceId: WS }], cloud: { armEndpoint: 'https://a', fabricEndpoint: 'https://f', authorityHost: 'https://l', portalEndpoint: 'http://portal' } }).length).toBeGreaterThan(0);
  });

  it('reports several mistakes at once, each with its JSON path, what was expected and what was found', () => {
    const found = problems({
      targets: [
        { name: 'a', workspaceId: 'not-a-guid', provider: { tenantId: 'nope' }, color: 'red' },
        { name: 'a', workspaceId: WS, consumer: { privateEndpointId: 'pe-name' } },
      ],
      credentials: { provider: { type: 'client-secret', clientId: 'x', secret: 'hunter2' } },
      dns: { timeoutMs: 'fast' },
      cloud: 'mars',
      checks: { waivers: [{ check: 'x', reason: 'y', expires: 'tomorrow' }] },
    });
    const paths = found.map((p) => p.path);
    expect(paths).toContain('$.targets[0].color');
    expect(paths).toContain('$.targets[0].provider.tenantId');
    expect(paths).toContain('$.targets[1].consumer.privateEndpointId');
    expect(paths).toContain('$.credentials.provider.secret');
    expect(paths).toContain('$.dns.timeoutMs');
    expect(paths).toContain('$.cloud');
    expect(paths).toContain('$.checks.waivers[0].expires');
    const tenant = found.find((p) => p.path === '$.targets[0].provider.tenantId')!;
    expect(tenant.message).toMatch(/expected a GUID.*found string "nope"/);
    expect(found.find((p) => p.path === '$.dns.timeoutMs')!.message).toBe('expected integer, found string "fast"');
    // A secret never belongs in the config: the key is refused (and its value not echoed).
    expect(found.find((p) => p.path === '$.credentials.provider.secret')!.message).not.toContain('hunter2');
  });

  it('checks semantics after the schema: workspace ids, duplicate names, connect-to', () => {
    const found = problems({
      targets: [
        { name: 'a', workspaceId: 'not-a-guid' },
        { name: 'a', workspaceId: WS },
      ],
      network: { connectTo: ['a:99999:b:1'] },
    });
    expect(found.map((p) => p.path)).toEqual(['$.targets[0].workspaceId', '$.targets[1].name', '$.network.connectTo[0]']);
    expect(found[0]!.message).toContain('"not-a-guid"');
  });

  it('names the line and column of a JSON syntax error, and accepts a BOM', () => {
    expect(() => parseConfigText('{\n  "targets": [\n    {"name": "a",}\n  ]\n}', 'bad.json')).toThrow(/bad\.json.*\n.*at line 3, column \d+/);
    const config = parseConfigText(`\uFEFF${JSON.stringify({ targets: [{ name: 'a', workspaceId: WS }] })}`, 'bom.json');
    expect(config.targets).toHaveLength(1);
  });

  it('says what is wrong with a missing or huge file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xtd-config-'));
    expect(() => loadConfigFile(join(dir, 'missing.json'))).toThrow(/no such file/);
    const huge = join(dir, 'huge.json');
    writeFileSync(huge, ' '.repeat(5 * 1024 * 1024));
    expect(() => loadConfigFile(huge)).toThrow(/at most/);
  });

  it('resolves plugin paths and caFile relative to the config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xtd-config-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ targets: [{ name: 'a', workspaceId: WS }], plugins: ['./p.mjs', 'some-package'], tls: { caFile: 'proxy.pem' } }));
    const config = loadConfigFile(file);
    expect(config.plugins).toEqual([join(dir, 'p.mjs'), 'some-package']);
    expect(config.tls.caFile).toBe(join(dir, 'proxy.pem'));
  });
});

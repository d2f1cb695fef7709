// Every URL composed from data (ids read from answers, nextLink, continuationUri) is checked to be a
// plain resource path on the service's own origin before a token is attached (src/azure/url.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { armSide } from '../../src/azure/arm.js';
import { fabricClient } from '../../src/azure/fabric.js';
import { InvalidResponseError } from '../../src/azure/http.js';
import { resourcePathProblem, tokenUrl } from '../../src/azure/url.js';
import { testConfig } from '../../src/config/defaults.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import { createServices } from '../../src/engine/services.js';
import { ARM, FABRIC, healthyRoutes, reset, serve } from '../fixtures/azure-mock.js';
import * as fx from '../fixtures/control.js';

const ZONE = fx.ZONE_ID;

// Ids an attacker who controls one side's data could plant in a list answer.
const HOSTILE_PATHS = [
  '@evil.example/subscriptions/x',
  '@evil.example:443/x',
  `/subscriptions/${fx.SUB_1}@evil.example/x`,
  `${ZONE}/..%2F..%2F..%2Fevil`,
  `/subscriptions/${fx.SUB_1}/resourceGroups/rg1/providers/Microsoft.Network/privateDnsZones/a%2Fb`,
  `/subscriptions/${fx.SUB_1}/../../tenants`,
  `/subscriptions/${fx.SUB_1}/./x`,
  `${ZONE}/%2e%2e/x`,
  '//evil.example/subscriptions/x',
  `/subscriptions/${fx.SUB_1}//evil.example`,
  'https://evil.example/subscriptions/x',
  `/subscriptions/${fx.SUB_1}\\..\\x`,
  `/subscriptions/${fx.SUB_1}?x=1`,
  `/subscriptions/${fx.SUB_1}#x`,
  `/subscriptions/${fx.SUB_1}/a b`,
  `/subscriptions/${fx.SUB_1}/a\nb`,
  '/providers/Microsoft.Network/x',
  '/tenants',
  'subscriptions/x',
  '',
];

const HOSTILE_LINKS = [
  'https://evil.example/subscriptions/x?api-version=1',
  `https://management.azure.com@evil.example${ZONE}/A`,
  `https://user:pass@management.azure.com${ZONE}/A`,
  `https://management.azure.com:444${ZONE}/A`,
  `http://management.azure.com${ZONE}/A`,
  `https://management.azure.com${ZONE}/../../x?api-version=1`,
  `https://management.azure.com${ZONE}/%2F..%2Fx?api-version=1`,
  `https://management.azure.com/tenants?api-version=1`,
  `//evil.example${ZONE}`,
  `https://management.azure.com${ZONE}/A#frag`,
  'javascript:alert(1)',
];

describe('tokenUrl', () => {
  it('composes plain resource paths and same-origin links as before', () => {
    expect(tokenUrl(ARM, `${ZONE}/A`, 'arm')).toBe(`${ARM}${ZONE}/A`);
    expect(tokenUrl(ARM, `${ARM}${ZONE}/A?api-version=2024-06-01&$skipToken=x%3D`, 'arm', 'nextLink')).toBe(`${ARM}${ZONE}/A?api-version=2024-06-01&$skipToken=x%3D`);
    expect(tokenUrl(FABRIC, '/v1/capacities', 'fabric')).toBe(`${FABRIC}/v1/capacities`);
    expect(tokenUrl(FABRIC, `${FABRIC}/v1/capacities?continuationToken=abc`, 'fabric', 'continuationUri')).toBe(`${FABRIC}/v1/capacities?continuationToken=abc`);
    // Names ARM allows: dots, parentheses, underscores, unicode letters.
    expect(tokenUrl(ARM, `/subscriptions/${fx.SUB_1}/resourceGroups/rg_(prod).ü/providers/Microsoft.Network/privateEndpoints/pe-1`, 'arm')).toContain('/resourceGroups/rg_(prod).%C3%BC/');
  });

  it.each(HOSTILE_PATHS)('refuses the planted id %j', (path) => {
    expect(() => tokenUrl(ARM, path, 'arm')).toThrow(InvalidResponseError);
    expect(() => tokenUrl(ARM, path, 'arm')).toThrow(/is not followed: .*; the token is sent only to https:\/\/management\.azure\.com/);
  });

  it.each(HOSTILE_LINKS)('refuses the planted nextLink %j', (link) => {
    expect(() => tokenUrl(ARM, link, 'arm', 'nextLink')).toThrow(InvalidResponseError);
  });

  it('says why', () => {
    expect(resourcePathProblem('/subscriptions/x/../y', 'arm')).toBe('it has a . or .. segment');
    expect(resourcePathProblem('/subscriptions/x/a%2Fb', 'arm')).toBe('it holds "%", which no resource path has');
    expect(resourcePathProblem('@evil/x', 'arm')).toBe('it is not an ARM resource path (/subscriptions…)');
    expect(() => tokenUrl(ARM, 'https://evil.example/x', 'arm', 'nextLink')).toThrow('nextLink "https://evil.example/x" from an answer is not followed: it points to another origin (https://evil.example)');
  });
});

describe('the ARM and Fabric clients send no token to a URL built from hostile data', () => {
  const TOKEN = 'consumer-arm-token-url-test';
  beforeEach(() => {
    process.env.XTD_URL_ARM = TOKEN;
    process.env.XTD_URL_FABRIC = `${TOKEN}-fabric`;
  });
  afterEach(() => reset());

  function setup(): { config: ResolvedConfig; services: ReturnType<typeof createServices> } {
    const credential = { type: 'access-token' as const, armTokenEnv: 'XTD_URL_ARM', fabricTokenEnv: 'XTD_URL_FABRIC' };
    const config = testConfig({ targets: [fx.target()], credentials: { provider: credential, consumer: credential }, timeouts: { requestMs: 2000, factMs: 20000 } });
    return { config, services: createServices(config, new AbortController().signal) };
  }

  it('getJson and listJson refuse planted ids before any request; a planted nextLink ends the list with a named error', async () => {
    const routes = healthyRoutes();
    routes[`${ZONE}/virtualNetworkLinks`.toLowerCase()] = { value: [], nextLink: `${ARM}${ZONE}/virtualNetworkLinks/../../../../../../tenants?api-version=1` };
    const seen = serve(routes);
    const { config, services } = setup();
    const arm = armSide(services, config, 'consumer');
    const signal = new AbortController().signal;
    for (const path of HOSTILE_PATHS) {
      await expect(arm.getJson(path, '2024-06-01', signal)).rejects.toThrow(InvalidResponseError);
      await expect(arm.listJson(path, '2024-06-01', signal)).rejects.toThrow(InvalidResponseError);
    }
    expect(seen).toEqual([]);
    await expect(arm.listJson(`${ZONE}/virtualNetworkLinks`, '2024-06-01', signal)).rejects.toMatchObject({ name: 'InvalidResponseError', field: 'nextLink' });
    // The first page was read; the planted link was not followed.
    expect(seen.map((s) => s.path)).toEqual([`${ZONE}/virtualNetworkLinks`.toLowerCase()]);
  });

  it('Fabric refuses a planted continuationUri', async () => {
    const routes = healthyRoutes();
    routes['/v1/capacities'] = { value: [], continuationUri: `${FABRIC}/v1/capacities/%2e%2e/admin/tenantsettings` };
    const seen = serve(routes);
    const { config, services } = setup();
    const fabric = fabricClient(services, config, 'provider');
    await expect(fabric.list('/v1/capacities', new AbortController().signal)).rejects.toMatchObject({ name: 'InvalidResponseError', field: 'continuationUri' });
    expect(seen.map((s) => s.path)).toEqual(['/v1/capacities']);
  });
});

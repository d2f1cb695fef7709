// Bad config input of every shape ends in a ConfigError naming the place, never another exception.
// The seed is printed so a failure can be replayed: FC_SEED=<seed> npx vitest run test/fuzz.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText, resolveConfig } from '../../src/config/load.js';

const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`config fuzz seed: ${seed}`);

const VALID = {
  targets: [
    {
      name: 'a',
      workspaceId: 'cfafbeb1-8037-4d0c-896e-a46fb27ff227',
      provider: { tenantId: '00000000-0000-0000-0000-000000000002', subscriptionId: '00000000-0000-0000-0000-000000000003' },
      consumer: { privateEndpointId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe' },
    },
  ],
  credentials: { provider: { type: 'cli' }, consumer: { type: 'access-token', armTokenEnv: 'TOKEN' } },
  dns: { servers: ['127.0.0.1:53'], timeoutMs: 500, retries: 1 },
  probes: { public: true },
  network: { connectTo: ['10.0.0.4:443:127.0.0.1:8443'] },
  checks: { skip: ['public.*'], waivers: [{ check: 'local.tls', reason: 'proxy', expires: '2030-01-01' }] },
};

function expectOnlyConfigErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    expect(error.problems.length).toBeGreaterThan(0);
    for (const problem of error.problems) {
      expect(problem.path).toMatch(/^\$/);
      expect(problem.message.length).toBeGreaterThan(0);
    }
  }
}

/** Replaces the value at a random path of a valid config with an arbitrary JSON value. */
function mutate(base: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || base === null || typeof base !== 'object') return replacement;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(base) ? [...base] : { ...(base as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (keys.length === 0) return replacement;
  const key = keys[path[0]! % keys.length]!;
  (copy as Record<string, unknown>)[key] = mutate((copy as Record<string, unknown>)[key], path.slice(1), replacement);
  return copy;
}

describe('config fuzz', () => {
  it('arbitrary JSON values', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => expectOnlyConfigErrors(() => resolveConfig(value, 'fuzz.json'))), { seed, numRuns: 300 });
  });

  it('a valid config with one part replaced by anything', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 6 }), fc.jsonValue(), (path, value) => expectOnlyConfigErrors(() => resolveConfig(mutate(VALID, path, value), 'fuzz.json'))),
      { seed, numRuns: 500 },
    );
  });

  it('arbitrary and truncated text, with and without a BOM', () => {
    const text = JSON.stringify(VALID, null, 2);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.nat({ max: text.length }).map((n) => text.slice(0, n)), fc.string().map((s) => `\uFEFF${s}`)), (input) =>
        expectOnlyConfigErrors(() => parseConfigText(input, 'fuzz.json')),
      ),
      { seed, numRuns: 500 },
    );
  });

  it('workspace ids in every wrong form', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.uuid().map((u) => u.slice(1)), fc.uuid().map((u) => `${u}-`), fc.uuid().map((u) => u.replace(/-/g, ':'))), (id) =>
        expectOnlyConfigErrors(() => resolveConfig({ ...VALID, targets: [{ name: 'x', workspaceId: id }] }, 'fuzz.json')),
      ),
      { seed, numRuns: 300 },
    );
  });
});

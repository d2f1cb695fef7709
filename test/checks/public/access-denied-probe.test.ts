import { describe, expect, it } from 'vitest';
import check, { publicFinding } from '../../../checks/public/access-denied-probe.js';
import { testConfig } from '../../../src/config/defaults.js';
import type { FactReader } from '../../../src/engine/define.js';
import type { FactResult } from '../../../src/engine/types.js';
import type { PublicProbe } from '../../../src/gather/net/facts.js';
import { pastableCommands } from '../../helpers/shells.js';
import { fx, scratch } from '../fixture.js';

const FQDN = fx.NAMES.fqdns.api;
const served: PublicProbe = {
  fqdn: FQDN,
  resolution: { outcome: 'answer', servers: ['1.1.1.1'], addresses: [{ address: '20.50.1.2', class: 'public' }] },
  address: '20.50.1.2',
  https: { method: 'GET', host: FQDN, path: `/v1/workspaces/${fx.WORKSPACE_ID}`, address: '20.50.1.2', port: 443, outcome: 'response', status: 200, bodyKind: 'json', auth: 'none', durationMs: 5 },
};

function reader(values: Record<string, unknown>): FactReader {
  const get = <T>(id: string) => (id in values ? { ok: true, value: values[id] } : { ok: false, unavailable: { kind: 'error', message: id } }) as FactResult<T>;
  return { get, value: <T>(id: string) => (get<T>(id) as { value: T }).value };
}

describe('public.access-denied-probe fix', () => {
  it('served while the policy says Allow: the same PUT as provider.public-access-denied, outbound kept as read', async () => {
    const policy = { inbound: { publicAccessRules: { defaultAction: 'Allow' } }, outbound: { publicAccessRules: { defaultAction: 'Allow' } } };
    const finding = await check.run({ target: fx.target(), config: testConfig({ probes: { public: true } }), facts: reader({ 'public.probe': served, 'provider.communicationPolicy': policy }) });
    expect(finding.status).toBe('fail');
    expect(pastableCommands(finding.fix, scratch).at(-1)).toBe(
      `az rest --method put --url https://api.fabric.microsoft.com/v1/workspaces/${fx.WORKSPACE_ID}/networking/communicationPolicy --resource https://api.fabric.microsoft.com --body @communication-policy.json`,
    );
  });

  it('served while the policy already says Deny: wait, no command', () => {
    const finding = publicFinding(served, { inbound: { publicAccessRules: { defaultAction: 'Deny' } } });
    expect(finding.fix!.summary).toMatch(/^Wait up to 30 minutes/);
    expect(finding.fix!.steps).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { addressesFor } from '../../../src/gather/net/address.js';
import { createServices } from '../../../src/engine/services.js';
import { testConfig } from '../../../src/config/defaults.js';
import { FABRIC_TOKEN_SERVICE, fabricToken, providerFabricTokenSource, type FabricTokenSource } from '../../../src/gather/net/token.js';

const FQDN = 'cfafbeb180374d0c896ea46fb27ff227.zcf.w.api.fabric.microsoft.com';

describe('addressesFor (the probes read the system resolver fact)', () => {
  const answer = { name: FQDN, via: 'os', ms: 1, addresses: [{ address: '10.0.0.4', class: 'private' as const }] };

  it('finds the FQDN whatever its case or trailing dot', () => {
    expect(addressesFor({ via: 'os', answers: { [FQDN]: answer } }, FQDN.toUpperCase())).toEqual(answer.addresses);
    expect(addressesFor({ via: 'os', answers: { [`${FQDN}.`]: answer } }, FQDN)).toEqual(answer.addresses);
  });

  it('returns undefined when the fact does not cover the name', () => {
    expect(addressesFor({ via: 'os', answers: {} }, FQDN)).toBeUndefined();
    expect(addressesFor({ via: 'os', answers: { 'other.example': { ...answer, name: 'other.example' } } }, FQDN)).toBeUndefined();
  });
});

describe('the Fabric token source seam', () => {
  it("is the control plane's provider source, and none without a provider credential", async () => {
    const none = createServices(testConfig(), new AbortController().signal);
    expect(providerFabricTokenSource(none, testConfig())).toBeUndefined();
    const config = testConfig({ credentials: { provider: { type: 'cli' }, consumer: { type: 'none' } } });
    const services = createServices(config, new AbortController().signal);
    const source: FabricTokenSource = async () => 'tok';
    services.shared(FABRIC_TOKEN_SERVICE, () => source);
    expect(providerFabricTokenSource(services, config)).toBe(source);
  });

  it('records a failing credential without its token and sends none', async () => {
    const signal = new AbortController().signal;
    expect(await fabricToken(undefined, signal)).toEqual({ auth: 'none' });
    expect(await fabricToken(async () => undefined, signal)).toEqual({ auth: 'none' });
    expect(await fabricToken(async () => 'tok', signal)).toEqual({ auth: 'bearer', token: 'tok' });
    expect(
      await fabricToken(async () => {
        throw new Error('AADSTS700016: application not found');
      }, signal),
    ).toEqual({ auth: 'token-error', tokenError: 'AADSTS700016: application not found' });
  });
});

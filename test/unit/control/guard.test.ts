// The read-only guard: a write is refused before it leaves the process, on every client.
import nock from 'nock';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { armSide } from '../../../src/azure/arm.js';
import { parseAccessToken, principalOf } from '../../../src/azure/credentials.js';
import { ReadOnlyViolationError, assertReadOnly, readOnlyInterceptor } from '../../../src/azure/guard.js';
import { testConfig } from '../../../src/config/defaults.js';
import { createServices } from '../../../src/engine/services.js';
import * as fx from '../../fixtures/control.js';

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('the read-only guard', () => {
  it('lets GET through and refuses writes, naming the method and URL', () => {
    expect(() => assertReadOnly('GET', 'https://management.azure.com/x')).not.toThrow();
    for (const method of ['PUT', 'POST', 'PATCH', 'DELETE']) {
      expect(() => assertReadOnly(method, 'https://management.azure.com/x?api-version=1')).toThrow(`refused ${method} https://management.azure.com/x`);
    }
  });

  it('lets identity POST to a token endpoint only', () => {
    const opts = { allowTokenRequests: true };
    expect(() => assertReadOnly('POST', 'https://login.microsoftonline.com/t/oauth2/v2.0/token', opts)).not.toThrow();
    expect(() => assertReadOnly('POST', 'http://169.254.169.254/metadata/identity/oauth2/token', opts)).not.toThrow();
    expect(() => assertReadOnly('POST', 'https://management.azure.com/subscriptions/s/resourceGroups/r/providers/p/x', opts)).toThrow(ReadOnlyViolationError);
    expect(() => assertReadOnly('PUT', 'https://login.microsoftonline.com/t/oauth2/v2.0/token', opts)).toThrow(ReadOnlyViolationError);
    expect(() => assertReadOnly('POST', 'https://login.microsoftonline.com/t/oauth2/v2.0/token')).toThrow(ReadOnlyViolationError);
  });

  it('refuses a write through the Azure SDK before anything is sent', async () => {
    nock.disableNetConnect();
    const write = nock('https://management.azure.com').intercept(/.*/, 'DELETE').query(true).reply(202);
    process.env.XTD_GUARD_ARM = 'guard-token';
    const config = testConfig({ credentials: { consumer: { type: 'access-token', armTokenEnv: 'XTD_GUARD_ARM' }, provider: { type: 'none' } } });
    const services = createServices(config, new AbortController().signal);
    const arm = armSide(services, config, 'consumer');
    const poller = (await arm.network(fx.SUB_1)).privateEndpoints.delete('rg1', 'testPe');
    await expect(poller).rejects.toThrow(/read-only guard: refused DELETE https:\/\/management\.azure\.com\/subscriptions\/.*\/privateEndpoints\/testPe/);
    expect(write.isDone()).toBe(false);
    expect(services.requestLog.every((e) => e.method === 'GET' || e.error === 'ReadOnlyViolationError')).toBe(true);
  });

  it('refuses a write through undici before anything is sent', async () => {
    nock.disableNetConnect();
    const write = nock('https://api.fabric.microsoft.com').put(/.*/).reply(200, {});
    const dispatcher = new Agent().compose(readOnlyInterceptor());
    await expect(
      request(`https://api.fabric.microsoft.com/v1/workspaces/${fx.WORKSPACE_ID}/networking/communicationPolicy`, { method: 'PUT', dispatcher, body: '{}' }),
    ).rejects.toThrow(/refused PUT https:\/\/api\.fabric\.microsoft\.com\/v1\/workspaces/);
    expect(write.isDone()).toBe(false);
  });
});

describe('access tokens', () => {
  it('accepts a bare token and `az account get-access-token` output', () => {
    expect(parseAccessToken('  abc.def  ', 'p').token).toBe('abc.def');
    const az = JSON.stringify({ accessToken: 'tok', expiresOn: '2030-01-01 10:00:00.000000', expires_on: 1893492000, subscription: 's', tenant: 't', tokenType: 'Bearer' });
    expect(parseAccessToken(az, 'p')).toEqual({ token: 'tok', expiresOnTimestamp: 1893492000000 });
  });
  it('names the place on bad input and never echoes the token', () => {
    expect(() => parseAccessToken('{"token":"zzz-secret"}', 'credentials.provider')).toThrow(/credentials\.provider: the JSON has no accessToken/);
    expect(() => parseAccessToken('{"token":"zzz-secret"}', 'credentials.provider')).not.toThrow(/zzz-secret/);
  });
  it('reads the principal from JWT claims, not from an opaque token', () => {
    const claims = Buffer.from(JSON.stringify({ appid: 'app-1', oid: 'o-2' })).toString('base64url');
    expect(principalOf(`h.${claims}.s`)).toBe('application app-1 (object id o-2)');
    expect(principalOf('opaque')).toBeUndefined();
  });
  it('reports a missing environment variable by its name', async () => {
    delete process.env.XTD_NOPE;
    const config = testConfig({ targets: [fx.target()], credentials: { consumer: { type: 'access-token', armTokenEnv: 'XTD_NOPE' }, provider: { type: 'none' } } });
    const services = createServices(config, new AbortController().signal);
    const arm = armSide(services, config, 'consumer');
    await expect(arm.auth.credential.getToken(config.cloud.armScope)).rejects.toThrow('credentials.consumer: the environment variable XTD_NOPE (armTokenEnv) is not set or empty');
  });
});

describe('the Resource Graph query', () => {
  it('is the one non-token POST discover may send, on its exact path', async () => {
    const { assertReadOnly } = await import('../../../src/azure/guard.js');
    const opts = { allowResourceGraphQuery: true };
    expect(() => assertReadOnly('POST', 'https://management.azure.com/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01', opts)).not.toThrow();
    expect(() => assertReadOnly('POST', 'https://management.azure.com/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01')).toThrow(/read-only guard/);
    for (const url of [
      'https://management.azure.com/providers/Microsoft.ResourceGraph/resourceChanges?api-version=2024-04-01',
      'https://management.azure.com/subscriptions/s/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01',
      'https://management.azure.com/providers/Microsoft.ResourceGraph/resources/x',
      'https://login.microsoftonline.com/t/oauth2/v2.0/token',
    ]) {
      expect(() => assertReadOnly('POST', url, opts), url).toThrow(/read-only guard/);
    }
    expect(() => assertReadOnly('PUT', 'https://management.azure.com/providers/Microsoft.ResourceGraph/resources', opts)).toThrow(/read-only guard/);
  });
});

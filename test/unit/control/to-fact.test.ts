// How a read's failure becomes a typed fact, for the failures the gatherer tests do not reach.
import { describe, expect, it } from 'vitest';
import { toFact, tokenReason } from '../../../src/azure/http.js';

const context = { what: 'the private endpoint pe-1', side: 'consumer' as const, tenantId: 'tenant-1', neededRole: 'Reader' };

describe('toFact', () => {
  it('a credential that cannot get a token is an error naming the side and tenant, without MSAL noise', () => {
    const error = Object.assign(
      new Error(
        'ClientSecretCredential authentication failed: AADSTS7000215: Invalid client secret provided. Trace ID: 0f0e Correlation ID: 9a8b Timestamp: 2026-11-26 04:00:00Z See https://aka.ms/msal.js.errors#invalid_client for details.\nmore lines',
      ),
      { name: 'AuthenticationError' },
    );
    const fact = toFact(error, context).unavailable;
    expect(fact).toMatchObject({ kind: 'error', code: 'AuthenticationError' });
    expect(fact.message).toBe(
      'could not get a token for the consumer side (tenant tenant-1) to read the private endpoint pe-1: ClientSecretCredential authentication failed: AADSTS7000215: Invalid client secret provided.',
    );
  });

  it('keeps a plain reason readable and bounded', () => {
    expect(tokenReason('Azure CLI could not be found. Please visit https://aka.ms/azure-cli for installation instructions.')).toBe(
      'Azure CLI could not be found. Please visit https://aka.ms/azure-cli for installation instructions.',
    );
    expect(tokenReason('endpoints_resolution_error: See https://aka.ms/msal.js.errors#endpoints_resolution_error for details.')).toBe('endpoints_resolution_error:');
    expect(tokenReason('x'.repeat(500))).toHaveLength(300);
    expect(tokenReason('\n')).toBe('the credential gave no token');
  });
});

describe('toFact: 401 is about the token, never a missing role', () => {
  it('keeps the service message whole and names no role', async () => {
    const { HttpStatusError } = await import('../../../src/azure/http.js');
    const serviceMessage =
      "The access token is from the wrong issuer 'https://sts.windows.net/11111111-1111-1111-1111-111111111111/'. It must match the tenant 'https://sts.windows.net/22222222-2222-2222-2222-222222222222/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/22222222-2222-2222-2222-222222222222' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.";
    const fact = toFact(new HttpStatusError(401, 'https://management.azure.com/x', 'InvalidAuthenticationTokenTenant', serviceMessage, 'req-1'), context).unavailable;
    expect(fact.kind).toBe('forbidden');
    expect(fact.neededRole).toBeUndefined();
    expect(fact.message).toContain(serviceMessage);
    expect(fact.message).toContain('HTTP 401 InvalidAuthenticationTokenTenant');
    expect(fact.message).not.toMatch(/needs|Reader|role/);
  });

  it('a 403 still names the role that would allow the read', async () => {
    const { HttpStatusError } = await import('../../../src/azure/http.js');
    const fact = toFact(new HttpStatusError(403, 'https://management.azure.com/x', 'AuthorizationFailed', 'no', 'req-2'), context).unavailable;
    expect(fact).toMatchObject({ kind: 'forbidden', neededRole: 'Reader' });
  });
});

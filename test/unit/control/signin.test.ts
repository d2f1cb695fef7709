// The credential check's reading of a sign-in: AADSTS errors in plain words with the service's full
// description, a swapped pair of tenant ids, setup problems, token claims, and secret files in the
// encodings Windows writes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeCredentialText } from '../../../src/azure/credentials.js';
import { audienceMatches, describeSignInError, judgeSignIn, tokenClaims, type SignInFact } from '../../../src/azure/signin.js';

const T2 = '22222222-2222-2222-2222-222222222222';
const T1 = '11111111-1111-1111-1111-111111111111';
const APP = 'aaaaaaaa-0000-0000-0000-000000000001';
const ARM = 'https://management.azure.com/.default';
const FABRIC = 'https://api.fabric.microsoft.com/.default';

function jwt(claims: Record<string, unknown>): string {
  return `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
}

/** An identity-library error the way @azure/identity wraps MSAL's answer. */
function msalError(error: string, code: number, description: string): Error {
  return Object.assign(
    new Error(`${error}: Error(s): ${code} - Description: AADSTS${code}: ${description} Trace ID: 0f0e Correlation ID: 9a8b Timestamp: 2026-11-26 04:00:00Z - Correlation ID: 9a8b - Trace ID: 0f0e`),
    { name: 'AuthenticationRequiredError' },
  );
}

function fact(extra: Partial<SignInFact>): SignInFact {
  return { side: 'provider', credentialType: 'client-secret', tenantId: T2, clientId: APP, checkedAt: Date.parse('2026-11-26T04:00:00Z'), tokens: [], ...extra };
}

describe('describeSignInError', () => {
  it('keeps the full AADSTS description, drops trace ids, and splits the OAuth error', () => {
    const text = `Application with identifier '${APP}' was not found in the directory '${T2}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`;
    const described = describeSignInError(msalError('unauthorized_client', 700016, text));
    expect(described).toEqual({ name: 'AuthenticationRequiredError', error: 'unauthorized_client', aadsts: 'AADSTS700016', description: `AADSTS700016: ${text}` });
  });

  it('prefers the service answer an AuthenticationError carries', () => {
    const error = Object.assign(new Error('ClientSecretCredential authentication failed'), {
      name: 'AuthenticationError',
      errorResponse: { error: 'invalid_client', errorDescription: "AADSTS7000222: The provided client secret keys for app 'x' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret. Trace ID: 1 Correlation ID: 2 Timestamp: 2026-01-01 00:00:00Z" },
    });
    expect(describeSignInError(error)).toEqual({
      name: 'AuthenticationError',
      error: 'invalid_client',
      aadsts: 'AADSTS7000222',
      description: "AADSTS7000222: The provided client secret keys for app 'x' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret.",
    });
  });
});

describe('judgeSignIn', () => {
  it('an app not in this tenant that signs in to the other side\'s: the tenant ids look swapped', () => {
    const error = describeSignInError(msalError('unauthorized_client', 700016, `Application with identifier '${APP}' was not found in the directory '${T2}'.`));
    const verdict = judgeSignIn(fact({ tokens: [{ audience: 'arm', scope: ARM, ok: false, error }], otherTenant: { tenantId: T1, appFound: true } }));
    expect(verdict.status).toBe('error');
    expect(verdict.message).toContain(`application ${APP} is not registered in tenant ${T2} (tenant 2) but signs in to tenant ${T1}`);
    expect(verdict.message).toContain('the two tenant ids look swapped');
    expect(verdict.message).toContain(`AADSTS700016: Application with identifier '${APP}' was not found in the directory '${T2}'.`);
    expect(verdict.fix?.summary).toMatch(/Swap targets\[\]\.provider\.tenantId and targets\[\]\.consumer\.tenantId/);
  });

  it('an app registered nowhere the config names: not called a swap', () => {
    const error = describeSignInError(msalError('unauthorized_client', 700016, 'Application was not found.'));
    const verdict = judgeSignIn(fact({ tokens: [{ audience: 'arm', scope: ARM, ok: false, error }], otherTenant: { tenantId: T1, appFound: false } }));
    expect(verdict.message).toContain(`is not registered in tenant ${T2} (tenant 2); it is not registered in tenant ${T1}`);
    expect(verdict.message).not.toContain('swapped');
  });

  it('an expired secret is said in plain words, with the code and how to renew it', () => {
    const error = describeSignInError(msalError('invalid_client', 7000222, "The provided client secret keys for app 'x' are expired."));
    const verdict = judgeSignIn(fact({ tokens: [{ audience: 'arm', scope: ARM, ok: false, error }] }));
    expect(verdict.message).toBe(`sign-in to tenant ${T2} (tenant 2) for ARM failed: the application's client secret has expired (AADSTS7000222: The provided client secret keys for app 'x' are expired.)`);
    // The new secret is made in the app's tenant: sign in there first, then the command with the app's id.
    expect(verdict.fix?.steps.map((s) => s.commands?.bash)).toEqual([`az login --tenant ${T2}`, `az ad app credential reset --id ${APP} --append --display-name xtenant-doctor`]);
  });

  it('az missing and az not logged in are named as such', () => {
    const missing = judgeSignIn(fact({ credentialType: 'cli', tokens: [{ audience: 'arm', scope: ARM, ok: false, error: { name: 'CredentialUnavailableError', description: 'Azure CLI could not be found. Please visit https://aka.ms/azure-cli for installation instructions.' } }] }));
    expect(missing.message).toContain('the Azure CLI (az) is not installed or not on PATH');
    const loggedOut = judgeSignIn(fact({ credentialType: 'cli', tokens: [{ audience: 'arm', scope: ARM, ok: false, error: { name: 'CredentialUnavailableError', description: "Please run 'az login' from a command prompt to authenticate before using this credential." } }] }));
    expect(loggedOut.message).toContain('not logged in to this tenant');
  });

  it('a setup problem (a missing secret file) is the finding, in the config\'s words', () => {
    const verdict = judgeSignIn(fact({ setupProblem: 'credentials.provider: cannot read secretFile /x/secret.txt: the file does not exist' }));
    expect(verdict).toMatchObject({ status: 'error', message: `cannot sign in to tenant ${T2} (tenant 2): credentials.provider: cannot read secretFile /x/secret.txt: the file does not exist` });
    expect(verdict.fix?.summary).toMatch(/file/);
  });

  it('a token for another tenant, another API, or expired is an error naming the claim', () => {
    const at = (claims: Record<string, unknown>, scope = ARM) => judgeSignIn(fact({ credentialType: 'access-token', tokens: [{ audience: 'arm', scope, ok: true, claims: tokenClaims(jwt(claims))! }] }));
    expect(at({ tid: T1, aud: 'https://management.azure.com', exp: 2e9 }).message).toBe(`the ARM token is for tenant ${T1}, not tenant ${T2} (tenant 2): ARM and Fabric answer 401 to it`);
    expect(at({ tid: T2, aud: 'https://api.fabric.microsoft.com', exp: 2e9 }).message).toContain('is for https://api.fabric.microsoft.com, not https://management.azure.com');
    expect(at({ tid: T2, aud: 'https://management.azure.com/', exp: 1_700_000_000 }).message).toBe('the ARM token expired at 2023-11-14T22:13:20.000Z');
    expect(at({ tid: T2, aud: 'https://management.core.windows.net/', exp: 2e9 }).status).toBe('pass');
  });

  it('passes naming the tenant, the principal and the APIs', () => {
    const verdict = judgeSignIn(fact({ tokens: [{ audience: 'arm', scope: ARM, ok: true }, { audience: 'fabric', scope: FABRIC, ok: true }] }));
    expect(verdict).toMatchObject({ status: 'pass', message: `signed in to tenant ${T2} (tenant 2) as application ${APP}: a token for ARM and Fabric` });
  });
});

describe('tokens and audiences', () => {
  it('reads claims without verifying; an opaque or damaged token has none', () => {
    expect(tokenClaims(jwt({ tid: T2, aud: 'a', exp: 5, appid: APP, oid: 'o' }))).toEqual({ tid: T2, aud: 'a', exp: 5, appid: APP, oid: 'o' });
    expect(tokenClaims('lab.arm.opaque-token')).toBeUndefined();
    expect(tokenClaims('a.b@d.c')).toBeUndefined();
  });

  it('compares an audience with a scope', () => {
    expect(audienceMatches('https://api.fabric.microsoft.com', FABRIC)).toBe(true);
    expect(audienceMatches('https://management.core.windows.net/', ARM)).toBe(true);
    expect(audienceMatches('https://graph.microsoft.com', ARM)).toBe(false);
  });
});

describe('secret and token files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xtd-signin-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads what Windows PowerShell `>` writes (UTF-16 LE with a BOM), UTF-16 BE and UTF-8 with a BOM', () => {
    const value = 'eyJ0eXAiOiJKV1Qi.token-value';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${value}\r\n`, 'utf16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(`${value}\r\n`, 'utf16le').swap16()]);
    const bom8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(value)]);
    for (const bytes of [le, be, bom8]) expect(decodeCredentialText(bytes).trim()).toBe(value);
    writeFileSync(join(dir, 'le.txt'), le);
  });

  it('refuses UTF-16 without a byte-order mark, saying so and how to rewrite it', () => {
    expect(() => decodeCredentialText(Buffer.from('secret', 'utf16le'))).toThrow(/UTF-16 without a byte-order mark\? Write it again as UTF-8/);
  });
});

describe('a credential per tenant, not per side', () => {
  it('a fleet whose targets span tenants gets one credential for each tenant, shared by the targets in it', async () => {
    const { testConfig } = await import('../../../src/config/defaults.js');
    const { createServices } = await import('../../../src/engine/services.js');
    const { sideAuth } = await import('../../../src/azure/arm.js');
    const T2B = '33333333-3333-3333-3333-333333333333';
    const target = (name: string, tenantId: string) => ({ name, workspaceId: '11111111-1111-1111-1111-111111111111', provider: { tenantId } });
    const targets = [target('a', T2), target('b', T2B), target('c', T2)];
    process.env.XTD_TEST_PER_TENANT_SECRET = 'not-used';
    const config = testConfig({ targets, credentials: { provider: { type: 'client-secret', clientId: APP, secretEnv: 'XTD_TEST_PER_TENANT_SECRET' }, consumer: { type: 'none' } } });
    const services = createServices(config, new AbortController().signal);
    const [a, b, c] = targets.map((t) => sideAuth(services, config, 'provider', t));
    expect(a!.tenantId).toBe(T2);
    expect(b!.tenantId).toBe(T2B);
    expect(c).toBe(a);
    expect(b).not.toBe(a);
    delete process.env.XTD_TEST_PER_TENANT_SECRET;
  });
});

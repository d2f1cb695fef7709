// Sign-in, read the way a person needs it: the identity library's error as the sign-in service's
// code and full description (without trace ids and links), the known AADSTS codes in plain words,
// and a token's claims (`tid`, `aud`, `exp`) read without verifying its signature. Pure functions.

import type { Fix, FixStep, TenantSide } from '../engine/types.js';
import { az, loginStep } from '../fix/commands.js';

export type Audience = 'arm' | 'fabric';

export type TokenOutcome = { audience: Audience; scope: string } & ({ ok: true; claims?: TokenClaims } | { ok: false; error: SignInError });

/** What signing in to one tenant side showed (the `<side>.signIn` fact). */
export interface SignInFact {
  side: TenantSide;
  credentialType: string;
  /** The tenant the credential signs in to (the side's tenant in the config), when known. */
  tenantId?: string;
  /** The app's client id, for app credentials. */
  clientId?: string;
  /** When the tokens were asked for (ms since the epoch): `exp` is judged against it, also in a replay. */
  checkedAt: number;
  /** The credential could not be built from the config (an env var unset, a secret file missing…). */
  setupProblem?: string;
  tokens: TokenOutcome[];
  /** AADSTS700016 in this tenant: whether the same app signs in to the other side's tenant. */
  otherTenant?: { tenantId: string; appFound: boolean; error?: SignInError };
}

/** What a failed token request said, as plain JSON (recorded in the sign-in fact). */
export interface SignInError {
  /** The identity library's error name (AuthenticationError, CredentialUnavailableError…). */
  name: string;
  /** The OAuth error (`unauthorized_client`, `invalid_client`…), when the service answered. */
  error?: string;
  /** `AADSTS700016` and the like, when the service answered with one. */
  aadsts?: string;
  /** The service's full description (or the library's message), without trace ids, timestamps and links. */
  description: string;
}

/** The claims of an access token that say whom and what it is for; never the token itself. */
export interface TokenClaims {
  tid?: string;
  aud?: string;
  /** Seconds since the epoch. */
  exp?: number;
  appid?: string;
  upn?: string;
  oid?: string;
}

/** Reads a JWT's payload without verifying it; undefined for an opaque token or a damaged one. */
export function tokenClaims(token: string): TokenClaims | undefined {
  const payload = token.split('.')[1];
  if (!payload || token.split('.').length !== 3) return undefined;
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!claims || typeof claims !== 'object') return undefined;
  const text = (v: unknown) => (typeof v === 'string' && v ? v.slice(0, 300) : undefined);
  const out: TokenClaims = {};
  const tid = text(claims.tid);
  const aud = text(claims.aud);
  const appid = text(claims.appid) ?? text(claims.azp);
  const upn = text(claims.upn) ?? text(claims.unique_name) ?? text(claims.preferred_username);
  const oid = text(claims.oid);
  if (tid) out.tid = tid;
  if (aud) out.aud = aud;
  if (typeof claims.exp === 'number' && Number.isFinite(claims.exp)) out.exp = claims.exp;
  if (appid) out.appid = appid;
  if (upn) out.upn = upn;
  if (oid) out.oid = oid;
  return out;
}

/** MSAL's noise: trace and correlation ids, timestamps. The service's own words (and links) stay. */
export function withoutTraceIds(text: string): string {
  return text
    .replace(/\s*-?\s*\b(Trace ID|Correlation ID|Timestamp):\s*\S+(\s+\d{2}:\d{2}:\d{2}(\.\d+)?Z?)?/gi, '')
    .replace(/\s+/g, ' ')
    .replace(/(\s*-)+\s*$/, '')
    .trim();
}

/** MSAL's wrapping of the service's answer: `unauthorized_client: Error(s): 700016 - Description: AADSTS700016: …`. */
const MSAL_WRAPPED = /^\s*([a-z_]+): Error\(s\): [\d, ]+(?: -)* Description: (.*)$/s;

/** The identity library's error as the sign-in service said it. */
export function describeSignInError(error: unknown): SignInError {
  const e = error as { name?: unknown; message?: unknown; errorResponse?: { error?: unknown; errorDescription?: unknown }; errors?: unknown[] };
  const name = typeof e?.name === 'string' ? e.name : 'Error';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const response = e?.errorResponse;
  const serviceDescription = typeof response?.errorDescription === 'string' && response.errorDescription ? response.errorDescription : undefined;
  // A chained credential (DefaultAzureCredential) fails with every member's error; the message lists them.
  const cleaned = withoutTraceIds(serviceDescription ?? message);
  const wrapped = MSAL_WRAPPED.exec(cleaned);
  const description = (wrapped?.[2] ?? cleaned).trim() || 'the credential gave no token and no reason';
  const aadsts = /\bAADSTS(\d{4,8})\b/.exec(serviceDescription ?? message)?.[1];
  const out: SignInError = { name, description: description.length > 2000 ? `${description.slice(0, 1997)}...` : description };
  const oauthError = typeof response?.error === 'string' && response.error ? response.error : wrapped?.[1];
  if (oauthError) out.error = oauthError;
  if (aadsts) out.aadsts = `AADSTS${aadsts}`;
  return out;
}

/** The AADSTS codes a cross-tenant setup meets, in plain words; the service's description follows. */
const AADSTS_MEANING: Record<string, string> = {
  AADSTS700016: 'the application is not registered in this tenant',
  AADSTS7000222: "the application's client secret has expired",
  AADSTS7000215: 'the client secret is wrong (the secret\'s ID pasted instead of its value?)',
  AADSTS7000229: 'the application has no service principal in this tenant (not consented there)',
  AADSTS90002: 'the tenant does not exist (a subscription id or a typo in place of the tenant id?)',
  AADSTS900023: 'the tenant id is not a valid GUID or domain',
  AADSTS700024: 'the federated token (workload identity) has expired or is not yet valid',
  AADSTS70021: 'no federated identity credential of the application matches the presented token',
  AADSTS53003: 'Conditional Access blocked the sign-in',
  AADSTS500011: 'the API (the resource the token is for) is not available in this tenant',
  AADSTS65001: 'the application has not been granted consent in this tenant',
  AADSTS7000112: 'the application is disabled',
  AADSTS50034: 'the user account does not exist in this tenant',
};

export function aadstsMeaning(code: string | undefined): string | undefined {
  return code ? AADSTS_MEANING[code] : undefined;
}

/** What a credential that is not an app sign-in (az, managed identity, a chain) says when it cannot give a token. */
export function unavailableMeaning(error: SignInError): string | undefined {
  const text = error.description;
  if (/Azure CLI could not be found|'az' is not recognized|az: (command )?not found/i.test(text)) return 'the Azure CLI (az) is not installed or not on PATH';
  if (/run 'az login'|az login/i.test(text)) return 'the Azure CLI is not logged in to this tenant: run az login --tenant <tenant id>';
  if (/No managed identity endpoint found|ManagedIdentityCredential.*(unavailable|not available)/i.test(text)) return 'this machine has no managed identity endpoint (not an Azure VM, or no identity assigned)';
  return undefined;
}

/** ARM accepts tokens for either of its two audience names. */
const EQUIVALENT_AUDIENCES = [['https://management.azure.com', 'https://management.core.windows.net']];

/** Whether a token's `aud` is the resource of `scope` (`https://x/.default` → `https://x`). */
export function audienceMatches(aud: string, scope: string): boolean {
  const norm = (v: string) => v.replace(/\/\.default$/i, '').replace(/\/+$/, '').toLowerCase();
  const a = norm(aud);
  const s = norm(scope);
  if (a === s) return true;
  return EQUIVALENT_AUDIENCES.some((group) => group.includes(a) && group.includes(s));
}

const TENANT_NUMBER = { provider: 2, consumer: 1 } as const;
const API_NAME: Record<Audience, string> = { arm: 'ARM', fabric: 'Fabric' };

/** What a credential check concludes from its side's sign-in fact. */
export interface SignInJudgement {
  status: 'pass' | 'error';
  message: string;
  evidence: Record<string, unknown>;
  fix?: Fix;
}

/** A credential fix: what to change, with the commands that help (the doctor's own sign-in is not az's). */
function credentialFix(summary: string, ...steps: FixStep[]): Fix {
  return { summary, steps };
}

/**
 * The sign-in fact in one line a person understands: the setup problem, the sign-in error's code
 * and full description with what it means (a swapped pair of tenant ids named as such), or a token
 * whose claims are for another tenant, another API, or expired.
 */
export function judgeSignIn(fact: SignInFact): SignInJudgement {
  const side = fact.side;
  const tenant = fact.tenantId ? `tenant ${fact.tenantId} (tenant ${TENANT_NUMBER[side]})` : `tenant ${TENANT_NUMBER[side]}`;
  const evidence: Record<string, unknown> = {
    credentialType: fact.credentialType,
    tenantId: fact.tenantId ?? null,
    ...(fact.clientId ? { clientId: fact.clientId } : {}),
    tokens: fact.tokens.map((t) => (t.ok ? { api: API_NAME[t.audience], ok: true, ...(t.claims ? { claims: t.claims } : {}) } : { api: API_NAME[t.audience], ok: false, ...t.error })),
    ...(fact.otherTenant ? { otherTenant: fact.otherTenant } : {}),
  };
  if (fact.setupProblem) {
    return { status: 'error', message: `cannot sign in to ${tenant}: ${fact.setupProblem}`, evidence: { ...evidence, setupProblem: fact.setupProblem }, fix: credentialFix(setupRemedy(fact.setupProblem, side)) };
  }
  const failed = fact.tokens.find((t): t is Extract<TokenOutcome, { ok: false }> => !t.ok);
  if (failed) return { status: 'error', evidence, ...explainFailure(fact, failed, tenant) };
  for (const token of fact.tokens) {
    if (!token.ok || !token.claims) continue;
    const wrong = claimsProblem(token.claims, token, fact);
    if (wrong) return { status: 'error', evidence, message: `the ${API_NAME[token.audience]} token ${wrong.text}`, fix: wrong.fix };
  }
  if (fact.tokens.length === 0) return { status: 'error', evidence, message: `the ${side} credential gave no token for ${tenant}` };
  const claims = fact.tokens.find((t): t is Extract<TokenOutcome, { ok: true }> => t.ok && !!t.claims)?.claims;
  const who = claims?.upn ?? (claims?.appid ? `application ${claims.appid}` : fact.clientId ? `application ${fact.clientId}` : `the ${fact.credentialType} credential`);
  return { status: 'pass', evidence, message: `signed in to ${tenant} as ${who}: a token for ${fact.tokens.map((t) => API_NAME[t.audience]).join(' and ')}` };
}

function explainFailure(fact: SignInFact, failed: Extract<TokenOutcome, { ok: false }>, tenant: string): { message: string; fix?: Fix } {
  const { error } = failed;
  const api = API_NAME[failed.audience];
  const app = fact.clientId ? `application ${fact.clientId}` : 'the application';
  const otherSide = fact.side === 'provider' ? 'consumer' : 'provider';
  if (error.aadsts === 'AADSTS700016') {
    const other = fact.otherTenant;
    if (other?.appFound) {
      return {
        message: `${app} is not registered in ${tenant} but signs in to tenant ${other.tenantId}, the ${otherSide} side's: the two tenant ids look swapped (${error.description})`,
        fix: credentialFix(`Swap targets[].provider.tenantId and targets[].consumer.tenantId in the config: tenant 2 (provider) holds Fabric and the private link service, tenant 1 (consumer) holds the VNet and the private endpoint.`),
      };
    }
    const elsewhere = other ? `; it is not registered in tenant ${other.tenantId} (the ${otherSide} side's) either` : '';
    return {
      message: `${app} is not registered in ${tenant}${elsewhere} (${error.description})`,
      fix: credentialFix(
        `Use the client id of an app registered in ${tenant} (credentials.${fact.side}.clientId), or, for a multi-tenant app, have an administrator of that tenant consent to it.`,
        ...(fact.tenantId
          ? [loginStep(fact.tenantId, fact.side), { text: `List the app registrations of ${tenant} to find the client id (appId).`, tenant: fact.side, commands: az(['ad', 'app', 'list'], [['query', '[].{name:displayName, appId:appId}'], ['output', 'table']]) }]
          : []),
      ),
    };
  }
  const meaning = aadstsMeaning(error.aadsts) ?? unavailableMeaning(error);
  const message = `sign-in to ${tenant} for ${api} failed: ${meaning ? `${meaning} (${error.description})` : error.description}`;
  if (error.aadsts === 'AADSTS7000222') {
    return {
      message,
      fix: credentialFix(
        `Create a new client secret for ${app} in ${tenant} and put it where credentials.${fact.side} reads it (secretEnv or secretFile).`,
        ...(fact.clientId && fact.tenantId
          ? [
              loginStep(fact.tenantId, fact.side),
              { text: `Add a new secret to ${app} (the old ones stay until they expire); the output's password is the value to store.`, tenant: fact.side, commands: az(['ad', 'app', 'credential', 'reset'], [['id', fact.clientId], ['append', true], ['display-name', 'xtenant-doctor']]) },
            ]
          : []),
      ),
    };
  }
  if (error.aadsts === 'AADSTS7000215') return { message, fix: credentialFix(`Put the client secret's value (not its ID) where credentials.${fact.side} reads it.`) };
  if (/Azure CLI/i.test(meaning ?? '')) {
    return { message, fix: credentialFix(`Install the Azure CLI and sign in to ${tenant}, or use another credential type for credentials.${fact.side}.`, loginStep(fact.tenantId, fact.side)) };
  }
  return { message };
}

function claimsProblem(claims: TokenClaims, token: { audience: Audience; scope: string }, fact: SignInFact): { text: string; fix: Fix } | undefined {
  const how = fact.credentialType === 'access-token' ? `Get a new token for ${token.scope} in tenant ${TENANT_NUMBER[fact.side]}` : 'Sign in again';
  const tokenStep: FixStep[] =
    fact.credentialType === 'access-token' && fact.tenantId
      ? [{ text: `Get a token for ${token.scope} in tenant ${fact.tenantId} and put it where credentials.${fact.side} reads it.`, tenant: fact.side, commands: az(['account', 'get-access-token'], [['tenant', fact.tenantId], ['scope', token.scope], ['query', 'accessToken'], ['output', 'tsv']]) }]
      : [];
  const remedy = (text: string): Fix => credentialFix(text, ...tokenStep);
  if (fact.tenantId && claims.tid && claims.tid.toLowerCase() !== fact.tenantId.toLowerCase()) {
    return { text: `is for tenant ${claims.tid}, not tenant ${fact.tenantId} (tenant ${TENANT_NUMBER[fact.side]}): ARM and Fabric answer 401 to it`, fix: remedy(`${how} (a token is valid in one tenant only).`) };
  }
  if (claims.aud && !audienceMatches(claims.aud, token.scope)) {
    return { text: `is for ${claims.aud}, not ${token.scope.replace(/\/\.default$/i, '')}: that API refuses it with 401`, fix: remedy(`${how} (one token per API: ARM and Fabric each need their own).`) };
  }
  if (claims.exp !== undefined && claims.exp * 1000 <= fact.checkedAt) {
    return { text: `expired at ${new Date(claims.exp * 1000).toISOString()}`, fix: remedy(`${how}; a token lives about an hour.`) };
  }
  return undefined;
}

function setupRemedy(problem: string, side: TenantSide): string {
  if (/environment variable/.test(problem)) return `Set the environment variable the config names in credentials.${side} before running, or point the config at a file.`;
  if (/File /.test(problem)) return `Make the file credentials.${side} names exist and readable by this user, holding only the secret or token (UTF-8).`;
  return `Correct credentials.${side} in the config (xtenant-doctor validate-config FILE shows every problem).`;
}

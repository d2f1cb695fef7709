// Sign-in per tenant side: build the side's credential and get each token the side needs (ARM, and
// Fabric for tenant 2), recording what happened as plain JSON: the claims of each token (never the
// token), or the sign-in error. When the app is not found in the configured tenant, the same app is
// tried in the other side's tenant, so a swapped pair of tenant ids can be told from a missing app.
import { sideAuth } from '../../azure/arm.js';
import { createSideAuth, CredentialSetupError, signInOnTheWire, type SideAuth } from '../../azure/credentials.js';
import type { ResolvedConfig } from '../../config/types.js';
import type { Services } from '../../engine/services.js';
import { TENANT_SIDES, type TenantSide } from '../../engine/types.js';

export type { SignInFact } from '../../azure/signin.js';
import { describeSignInError, tokenClaims, type Audience, type SignInFact, type TokenOutcome } from '../../azure/signin.js';
import { defineFact, type GatherContext } from '../../engine/define.js';

/** The sign-in error codes that say "this app is not in this tenant". */
const APP_NOT_FOUND = new Set(['AADSTS700016']);
/** Codes the other tenant may answer that still prove the app exists there. */
const APP_EXISTS = new Set(['AADSTS7000215', 'AADSTS7000222', 'AADSTS7000229', 'AADSTS65001', 'AADSTS53003', 'AADSTS7000112', 'AADSTS500011']);

function scopesFor(config: Pick<ResolvedConfig, 'cloud'>, side: TenantSide): Array<{ audience: Audience; scope: string }> {
  const arm = { audience: 'arm' as const, scope: config.cloud.armScope };
  return side === 'provider' ? [arm, { audience: 'fabric', scope: config.cloud.fabricScope }] : [arm];
}

/**
 * Sends the run's token requests before its checks, gatherers and plugins load (issue 19, a lean
 * start): the requests the sign-in facts would send, for each side and tenant of the targets.
 * Resolves once they are on the wire, so that the catalogue loads during the sign-in's round trip.
 * Only for a run of every check (no `checks.only` nor `checks.skip`: a selection may need no
 * sign-in, and is known only from the catalogue). A credential that cannot be set up sends nothing:
 * its fact says why.
 */
export async function startSignIns(services: Services, config: ResolvedConfig): Promise<void> {
  if (config.checks.only.length || config.checks.skip.length) return;
  // A fleet's targets share a credential per side and tenant: each is asked once.
  const asked = new Set<SideAuth>();
  for (const target of config.targets) {
    for (const side of TENANT_SIDES) {
      let auth: SideAuth | undefined;
      try {
        auth = sideAuth(services, config, side, target);
      } catch (error) {
        if (error instanceof CredentialSetupError) continue;
        throw error;
      }
      if (!auth || asked.has(auth)) continue;
      asked.add(auth);
      // The fact asks again and gets this answer: the credential keeps it for the run, error included.
      for (const { scope } of scopesFor(config, side)) auth.credential.getToken(scope, { abortSignal: services.signal }).catch(() => {});
    }
  }
  await signInOnTheWire(config);
}

function clientIdOf(ctx: GatherContext, side: TenantSide): string | undefined {
  const spec = ctx.config.credentials[side] as { clientId?: unknown };
  return typeof spec.clientId === 'string' ? spec.clientId : undefined;
}

async function gatherSignIn(ctx: GatherContext, side: TenantSide): Promise<SignInFact> {
  const tenantId = ctx.target[side]?.tenantId;
  const clientId = clientIdOf(ctx, side);
  const fact: SignInFact = {
    side,
    credentialType: ctx.config.credentials[side].type,
    ...(tenantId ? { tenantId } : {}),
    ...(clientId ? { clientId } : {}),
    checkedAt: Date.now(),
    tokens: [],
  };
  let auth;
  try {
    auth = sideAuth(ctx.services, ctx.config, side, ctx.target);
  } catch (error) {
    if (!(error instanceof CredentialSetupError)) throw error;
    return { ...fact, setupProblem: error.message };
  }
  if (!auth) return fact;
  // Every scope at once: the reads of each API wait for its token, and a sign-in is one round trip.
  const outcomes = scopesFor(ctx.config, side).map(async ({ audience, scope }): Promise<TokenOutcome | CredentialSetupError> => {
    try {
      const token = await auth.credential.getToken(scope, { abortSignal: ctx.signal });
      const claims = token ? tokenClaims(token.token) : undefined;
      return token ? { audience, scope, ok: true, ...(claims ? { claims } : {}) } : { audience, scope, ok: false, error: { name: 'NoToken', description: 'the credential returned no token' } };
    } catch (error) {
      if (error instanceof CredentialSetupError) return error;
      return { audience, scope, ok: false, error: describeSignInError(error) };
    }
  });
  for (const outcome of await Promise.all(outcomes)) {
    if (outcome instanceof CredentialSetupError) return { ...fact, tokens: [], setupProblem: outcome.message };
    fact.tokens.push(outcome);
  }
  const notFound = fact.tokens.some((t) => !t.ok && APP_NOT_FOUND.has(t.error.aadsts ?? ''));
  const other = ctx.target[side === 'provider' ? 'consumer' : 'provider']?.tenantId;
  if (notFound && other && other.toLowerCase() !== tenantId?.toLowerCase()) fact.otherTenant = await probeOtherTenant(ctx, side, other);
  return fact;
}

/** The same app signing in to the other side's tenant: one token request, its answer kept, its token dropped. */
async function probeOtherTenant(ctx: GatherContext, side: TenantSide, otherTenantId: string): Promise<NonNullable<SignInFact['otherTenant']>> {
  try {
    const auth = createSideAuth(ctx.config, side, ctx.services.requestLog, ctx.signal, otherTenantId);
    await auth?.credential.getToken(ctx.config.cloud.armScope, { abortSignal: ctx.signal });
    return { tenantId: otherTenantId, appFound: true };
  } catch (error) {
    const described = describeSignInError(error);
    return { tenantId: otherTenantId, appFound: APP_EXISTS.has(described.aadsts ?? ''), error: described };
  }
}

function signInFact<S extends TenantSide>(side: S) {
  return defineFact({
    id: `${side}.signIn` as const,
    version: 1,
    description: `sign-in of the ${side} credential (tenant ${side === 'provider' ? 2 : 1}): a token for each API the side reads`,
    side,
    startsFirst: true,
    // One sign-in per tenant for the whole run, however many targets share it.
    key: (ctx) => `${side}:${(ctx.target[side]?.tenantId ?? '').toLowerCase()}`,
    gather: (ctx): Promise<SignInFact> => gatherSignIn(ctx, side),
  });
}

export const providerSignInFact = signInFact('provider');
export const consumerSignInFact = signInFact('consumer');

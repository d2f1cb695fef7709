// The probes send the provider's Fabric token when the run has one: the control plane's token source
// (src/azure/fabric.ts) for tenant 2, shared per run. Without a provider credential it gives none,
// and a 401 still proves the path.
import type { ResolvedConfig } from '../../config/types.js';
import type { Services } from '../../engine/services.js';
import type { Target } from '../../engine/types.js';
import { fabricTokenKey, fabricTokenSource, type TokenSource } from '../../azure/fabric.js';

/** Returns the provider's Fabric access token, or undefined when the run has no provider credential (the control plane's TokenSource). */
export type FabricTokenSource = TokenSource;

/** The key the source is shared under; tests register their own source under it first. */
export const FABRIC_TOKEN_SERVICE = fabricTokenKey('provider');

export function providerFabricTokenSource(services: Services, config: ResolvedConfig, target?: Target): FabricTokenSource | undefined {
  return config.credentials.provider.type === 'none' ? undefined : fabricTokenSource(services, config, 'provider', target);
}

export interface TokenOutcome {
  token?: string;
  /** For the evidence: never the token itself. */
  auth: 'bearer' | 'none' | 'token-error';
  tokenError?: string;
}

/** Asks the source; a failing credential is recorded and the request goes without a token. */
export async function fabricToken(source: FabricTokenSource | undefined, signal: AbortSignal): Promise<TokenOutcome> {
  if (!source) return { auth: 'none' };
  try {
    const token = await source(signal);
    return token ? { token, auth: 'bearer' } : { auth: 'none' };
  } catch (error) {
    return { auth: 'token-error', tokenError: error instanceof Error ? error.message : String(error) };
  }
}

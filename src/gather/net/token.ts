// The seam between the data-plane probes and the control plane: the probes send the provider's
// Fabric token when the run has one. The control plane (src/azure/) registers the real source at
// start-up, before any fact is gathered:
//   services.shared(FABRIC_TOKEN_SERVICE, () => source)
// Without it the probes send no Authorization header (a 401 still proves the path).
import type { Services } from '../../engine/services.js';

/** Returns the provider's Fabric access token, or undefined when the run has no provider credential. */
export type FabricTokenSource = (signal: AbortSignal) => Promise<string | undefined>;

export const FABRIC_TOKEN_SERVICE = 'token:provider:fabric';

class NotRegistered extends Error {}

/**
 * The registered source, or undefined. Never creates one (the control plane owns credentials), and
 * never stores a placeholder: the create function throws, so `shared` keeps nothing and a source
 * registered later is still found.
 */
export function fabricTokenSource(services: Services): FabricTokenSource | undefined {
  try {
    return services.shared<FabricTokenSource>(FABRIC_TOKEN_SERVICE, () => {
      throw new NotRegistered();
    });
  } catch (error) {
    if (error instanceof NotRegistered) return undefined;
    throw error;
  }
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

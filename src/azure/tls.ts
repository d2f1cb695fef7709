// The trusted roots for every HTTPS call: Node's own plus the configured CA (a TLS-inspecting proxy,
// the lab). Adding, not replacing: public endpoints must still verify.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import type { ResolvedConfig } from '../config/types.js';

/** undefined when no extra CA is configured (then the clients use their defaults). */
export function trustedCa(config: Pick<ResolvedConfig, 'tls'>): string[] | undefined {
  const extra: string[] = [];
  if (config.tls.caFile) {
    try {
      extra.push(readFileSync(config.tls.caFile, 'utf8'));
    } catch (error) {
      throw new Error(`tls.caFile: cannot read ${config.tls.caFile}: ${(error as Error).message}`);
    }
  }
  if (config.tls.ca) extra.push(config.tls.ca);
  return extra.length ? [...rootCertificates, ...extra] : undefined;
}

const contexts = new WeakMap<object, SecureContext>();
const agents = new WeakMap<object, https.Agent>();

/** The configured trust as one TLS context, built once (undefined without an extra CA). */
export function trustedSecureContext(config: Pick<ResolvedConfig, 'tls'>): SecureContext | undefined {
  let context = contexts.get(config.tls);
  if (!context) {
    const ca = trustedCa(config);
    if (!ca) return undefined;
    context = createSecureContext({ ca });
    contexts.set(config.tls, context);
  }
  return context;
}

/**
 * One keep-alive agent per configured trust (undefined without an extra CA), holding the roots as a
 * ready TLS context. Handing the SDK `ca` instead makes Node parse ~150 roots per connection and
 * rebuild a key string from them on every request: a fleet's requests spent their time there.
 */
export function trustedAgent(config: Pick<ResolvedConfig, 'tls'>): https.Agent | undefined {
  let agent = agents.get(config.tls);
  if (!agent) {
    const secureContext = trustedSecureContext(config);
    if (!secureContext) return undefined;
    agent = new https.Agent({ keepAlive: true, secureContext });
    agents.set(config.tls, agent);
  }
  return agent;
}

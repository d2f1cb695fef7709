// The trusted roots for every HTTPS call: Node's own plus the configured CA (a TLS-inspecting proxy,
// the lab). Adding, not replacing: public endpoints must still verify.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { createSecureContext, rootCertificates } from 'node:tls';
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

const agents = new WeakMap<object, https.Agent>();

/**
 * One keep-alive agent per configured trust (undefined without an extra CA), holding the roots as a
 * ready TLS context. Handing the SDK `ca` instead makes Node parse ~150 roots per connection and
 * rebuild a key string from them on every request: a fleet's requests spent their time there.
 */
export function trustedAgent(config: Pick<ResolvedConfig, 'tls'>): https.Agent | undefined {
  let agent = agents.get(config.tls);
  if (!agent) {
    const ca = trustedCa(config);
    if (!ca) return undefined;
    agent = new https.Agent({ keepAlive: true, secureContext: createSecureContext({ ca }) });
    agents.set(config.tls, agent);
  }
  return agent;
}

// The trusted roots for every HTTPS call: Node's own plus the configured CA (a TLS-inspecting proxy,
// the lab). Adding, not replacing: public endpoints must still verify.
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
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

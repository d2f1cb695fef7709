// The one secret scrubber: tokens, keys and signatures never reach any output (terminal, logs,
// reports, bundles). Patterns catch what a service may echo; `registerSecret` adds the exact values
// this process knows (client secrets it read, tokens it obtained).

const PATTERNS: Array<[RegExp, string]> = [
  // PEM blocks (private keys, certificates pasted into an error).
  [/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g, '[redacted PEM block]'],
  // Authorization headers and bearer tokens.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  // JWTs (three base64url parts, the first two JSON objects).
  [/\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[redacted JWT]'],
  // Storage and Service Bus connection strings, SAS signatures.
  [/\b(AccountKey|SharedAccessKey|SharedAccessSignature|sig|client_secret|access_token|refresh_token|password)=([^;&\s"'<>]+)/gi, '$1=[redacted]'],
  // JSON fields that carry secrets.
  [/("(?:access_token|refresh_token|id_token|client_secret|clientSecret|password|accessToken)"\s*:\s*")[^"]*"/gi, '$1[redacted]"'],
];

const known = new Set<string>();

/** Remember a secret value (a client secret, a token) so that it is replaced wherever it appears. */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value === 'string' && value.length >= 8) known.add(value);
}

/** Forget the registered values (tests). */
export function clearRegisteredSecrets(): void {
  known.clear();
}

/** Text with every known secret value and every secret-looking pattern replaced. */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const value of known) if (out.includes(value)) out = out.split(value).join('[redacted]');
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

// The one secret scrubber: tokens, keys and signatures never reach any output (terminal, logs,
// reports, bundles). Patterns catch what a service may echo; `registerSecret` adds the exact values
// this process knows (client secrets it read, tokens it obtained).
import { escapeRegex } from './regex.js';

// Each pattern with its anchor: text without the anchor cannot match the pattern, so a quick test
// spares the replacement (a fleet's report.json is megabytes of text holding none of them).
export const SECRET_PATTERNS: Array<[anchor: RegExp, pattern: RegExp, replacement: string]> = [
  // PEM blocks (private keys, certificates pasted into an error).
  // A body holds no quotes or angle brackets: an unterminated block ends there, so a JSON or XML
  // document scrubbed as text stays well-formed.
  [/-----BEGIN /, /-----BEGIN [A-Z0-9 ]+-----[^"'<>]*?(?:-----END [A-Z0-9 ]+-----|(?=["'<>])|$)/g, '[redacted PEM block]'],
  // Authorization headers and bearer tokens.
  [/bearer|basic/i, /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  // JWTs (three base64url parts, the first two JSON objects).
  [/eyJ/, /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[redacted JWT]'],
  // Storage and Service Bus connection strings, SAS signatures.
  [
    /key=|signature=|sig=|secret=|token=|password=/i,
    /\b(AccountKey|SharedAccessKey|SharedAccessSignature|sig|client_secret|access_token|refresh_token|password)=([^;&\s"'<>]+)/gi,
    '$1=[redacted]',
  ],
  // JSON fields that carry secrets.
  [/token"|secret"|password"/i, /("(?:access_token|refresh_token|id_token|client_secret|clientSecret|password|accessToken)"\s*:\s*")[^"]*"/gi, '$1[redacted]"'],
];

/** Text without any of these cannot match a pattern above (the anchors', in one test). */
const ANCHORS = /-----BEGIN |bearer|basic|eyJ|key=|signature=|sig=|secret|token|password/i;

const known = new Set<string>();
/** Changes whenever the registered values do: text scrubbed under another generation is scrubbed again. */
let generation = 0;
/**
 * Every registered value in one pattern, the longest first: one scan of a text finds them all (a
 * fleet's report is megabytes, and a run registers a secret per credential and a token per scope),
 * and a value that holds another is replaced whole, not cut around the shorter one.
 */
let knownPattern: RegExp | undefined;

/** Remember a secret value (a client secret, a token) so that it is replaced wherever it appears. */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value === 'string' && value.length >= 8 && !known.has(value)) {
    known.add(value);
    knownPattern = undefined;
    generation++;
  }
}

/** Forget the registered values (tests). */
export function clearRegisteredSecrets(): void {
  known.clear();
  knownPattern = undefined;
  generation++;
}

/** The generation of the registered values (text scrubbed earlier, kept aside, compares it before it is used). */
export function secretsGeneration(): number {
  return generation;
}

/** Text with every known secret value and every secret-looking pattern replaced. */
export function scrubSecrets(text: string): string {
  let out = text;
  if (known.size) {
    knownPattern ??= new RegExp([...known].sort((a, b) => b.length - a.length).map(escapeRegex).join('|'), 'g');
    out = out.replace(knownPattern, '[redacted]');
  }
  // Most text holds none of the patterns' anchors: one quick test instead of five replacements.
  if (!ANCHORS.test(out)) return out;
  for (const [anchor, pattern, replacement] of SECRET_PATTERNS) if (anchor.test(out)) out = out.replace(pattern, replacement);
  return out;
}

/**
 * Whether a value found where a name was expected (an environment variable's name) looks like a
 * pasted secret: long, or mixing lower case, upper case and digits the way generated secrets do.
 * Such a value is never echoed.
 */
export function looksLikeSecret(value: string): boolean {
  if (value.length > 64 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) return true;
  return value.length >= 20 && /[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value);
}

// The sanitiser's and the scrubber's quick tests (issue 19: a fleet's reports are megabytes of text
// that holds nothing to clean) must never change a result: with them and without them, the same text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText } from '../../../src/text/sanitize.js';
import { SECRET_PATTERNS, scrubSecrets } from '../../../src/text/secrets.js';

// Pieces of what the patterns and the cleaner look for, in several cases, among ordinary text.
const FRAGMENTS = [
  'AccountKey=', 'accountkey=', 'SharedAccessKey=', 'SHAREDACCESSSIGNATURE=', 'sig=', 'Sig=', 'client_secret=', 'ACCESS_TOKEN=',
  'refresh_token=', 'Password=', '"access_token": "', '"clientSecret":"', '"PASSWORD" : "', '"id_token":"', '"accessToken": "',
  'Bearer ', 'bearer ', 'BASIC ', 'eyJhbGciOi', '.eyJzdWIiOi', '.sig_', '-----BEGIN RSA PRIVATE KEY-----', '-----END RSA PRIVATE KEY-----',
  'abcdefgh12345678', 'QUJDREVGR0g=', ' ', '\n', '\t', '"', "'", '<', '>', ';', '&', '=', '.', 'x', 'Z9', '##vso[', '##[', '::', '  ::',
  '\r\n', '\r', '\u001b[31m', '\u001b]0;t\u0007', '\u009b2J', '\u202e', '\u200b', '\ufeff', '\u0000', '\ud800', '\udc00', '\u00e9', 'é',
];
const text = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 24 }).map((parts) => parts.join(''));

describe('scrubSecrets', () => {
  it('gives what every pattern applied without its anchor gives', () => {
    fc.assert(
      fc.property(text, (s) => {
        let all = s;
        for (const [, pattern, replacement] of SECRET_PATTERNS) all = all.replace(pattern, replacement);
        expect(scrubSecrets(s)).toBe(all);
      }),
      { numRuns: 3000 },
    );
  });

  it('still redacts each kind of secret', () => {
    expect(scrubSecrets('x AccountKey=abc123; y')).toBe('x AccountKey=[redacted]; y');
    expect(scrubSecrets('Authorization: bearer abcdefgh.ijk')).toBe('Authorization: bearer [redacted]');
    expect(scrubSecrets('{"clientSecret": "s3cr3t"}')).toBe('{"clientSecret": "[redacted]"}');
    expect(scrubSecrets('t=eyJhbGciOi.eyJzdWIiOi.abc')).toBe('t=[redacted JWT]');
  });
});

describe('cleanText', () => {
  it('takes its quick path only where the full path would change nothing', () => {
    // 'é\n' before the text forces the full path and touches no pattern of the text.
    fc.assert(
      fc.property(text, (s) => {
        expect(`é\n${cleanText(s)}`).toBe(cleanText(`é\n${s}`));
      }),
      { numRuns: 3000 },
    );
  });
});

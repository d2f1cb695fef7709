// The values this process registers (client secrets it read, tokens it obtained) are replaced
// wherever they appear, in one scan of the text for all of them.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { clearRegisteredSecrets, registerSecret, scrubSecrets, secretsGeneration } from '../../../src/text/secrets.js';

afterEach(() => clearRegisteredSecrets());

describe('registered secrets', () => {
  it('are replaced wherever they appear, characters a regular expression reads as syntax included', () => {
    const secret = 'a.b*c+d?(e)[f]{g}|h^i$j\\k~8';
    registerSecret(secret);
    expect(scrubSecrets(`x ${secret} y ${secret}`)).toBe('x [redacted] y [redacted]');
    // The dot is literal: a text that differs there is not a registered value.
    expect(scrubSecrets('x aXb*c+d?(e)[f]{g}|h^i$j\\k~8 y')).toBe('x aXb*c+d?(e)[f]{g}|h^i$j\\k~8 y');
  });

  it('replace a value that holds another whole, whichever was registered first', () => {
    registerSecret('inner-secret-1');
    registerSecret('outer-inner-secret-1-outer');
    expect(scrubSecrets('[outer-inner-secret-1-outer] [inner-secret-1]')).toBe('[[redacted]] [[redacted]]');
  });

  it('include a value registered after an earlier scrub, under a new generation', () => {
    registerSecret('first-secret-value');
    expect(scrubSecrets('later-secret-value')).toBe('later-secret-value');
    const before = secretsGeneration();
    registerSecret('later-secret-value');
    expect(secretsGeneration()).not.toBe(before);
    expect(scrubSecrets('first-secret-value later-secret-value')).toBe('[redacted] [redacted]');
  });

  it('leave short values alone (under 8 characters) and nothing of a registered value in any text', () => {
    registerSecret('short');
    expect(scrubSecrets('short')).toBe('short');
    clearRegisteredSecrets();
    // Upper case, digits and token punctuation: a value cannot be spelled by the marker '[redacted]'.
    const value = fc.stringMatching(/^[0-9A-Z_.~-]{8,40}$/);
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 5 }), fc.array(fc.string({ maxLength: 12 }), { maxLength: 6 }), (values, filler) => {
        clearRegisteredSecrets();
        for (const v of values) registerSecret(v);
        const text = [...filler, ...values, ...filler.reverse()].join(' ');
        const out = scrubSecrets(text);
        for (const v of values) expect(out).not.toContain(v);
      }),
      { numRuns: 500 },
    );
  });
});

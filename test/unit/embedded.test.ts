// src/embedded.ts: the single executable reads its package.json and config schema from its SEA
// assets; anywhere else there are none and the caller reads its file (the release test runs the real one).
import { describe, expect, it } from 'vitest';
import { EMBEDDED, embeddedText } from '../../src/embedded.js';

describe('embeddedText', () => {
  it('reads the asset as UTF-8 inside the single executable', () => {
    const asked: string[] = [];
    const sea = { isSea: () => true, getAsset: (key: string, encoding: string) => (asked.push(`${key}:${encoding}`), '{"name":"xtenant-doctor"}') };
    expect(embeddedText(EMBEDDED.packageJson, sea)).toBe('{"name":"xtenant-doctor"}');
    expect(asked).toEqual(['package.json:utf8']);
  });

  it('is undefined outside it, without asking for an asset', () => {
    const sea = { isSea: () => false, getAsset: () => { throw new Error('not a single executable'); } };
    expect(embeddedText(EMBEDDED.configSchema, sea)).toBeUndefined();
    expect(embeddedText(EMBEDDED.configSchema)).toBeUndefined();
  });
});

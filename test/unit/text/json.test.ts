// src/text/json.ts: one way to say where JSON breaks, for a config and for a recorded report alike.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText } from '../../../src/config/load.js';
import { ReportFileError, parseReport } from '../../../src/snapshot/load.js';
import { describeJsonError, isJsonObject } from '../../../src/text/json.js';

const syntaxError = (text: string) => {
  try {
    JSON.parse(text);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`${text} parses`);
};

describe('describeJsonError', () => {
  it.each([
    ['{\n  "a": 1,\n  "b": ,\n}', 'value expected at line 3, column 8 (offset 19)'],
    ['{"a": [1, 2', 'close bracket expected at line 1, column 12 (offset 11)'],
    ['', 'value expected at line 1, column 1 (offset 0)'],
    // The column counts characters, the offset bytes (é is two in UTF-8).
    ['{"é": x}', 'invalid symbol at line 1, column 7 (offset 7)'],
  ])('%j: %s', (text, said) => {
    expect(describeJsonError(text, syntaxError(text))).toBe(said);
  });

  it('is what a config file and a recorded report both say', () => {
    const text = '{\n  "targets": [,]\n}';
    const said = describeJsonError(text, syntaxError(text));
    expect(() => parseConfigText(text, 'c.json')).toThrow(ConfigError);
    expect(() => parseConfigText(text, 'c.json')).toThrow(said);
    expect(() => parseReport('r.json', text)).toThrow(ReportFileError);
    expect(() => parseReport('r.json', text)).toThrow(`r.json: not valid JSON: ${said}`);
  });
});

describe('isJsonObject', () => {
  it('is an object, not null, not an array', () => {
    expect([{}, { a: 1 }, [], null, 'x', 1].map(isJsonObject)).toEqual([true, true, false, false, false, false]);
  });
});

// The JSON report written in pieces is the same text, byte for byte, as the whole report stringified.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJson, renderJsonChunks } from '../../../reports/json.js';
import { writeReports } from '../../../reports/write.js';
import type { RunReport } from '../../../src/engine/types.js';
import { healthyReport, makeReport } from '../../helpers/sample-report.js';

const variants: Array<[string, RunReport]> = [
  ['a failing fleet', makeReport()],
  ['a healthy single target', healthyReport(1)],
  ['no targets, no facts, an interrupted run', { ...healthyReport(1), targets: [], facts: {}, environment: {}, interrupted: true }],
  ['text with newlines, quotes and unicode', { ...makeReport(), environment: { note: 'line 1\nline 2 "quoted" \u2028 \u00e9', nested: { list: [], empty: {} } } }],
  // A fact's key is quoted apart from its value (mapItemText): quotes, backslashes, controls, a lone surrogate.
  ['fact keys that JSON must escape', (() => {
    const key = 'local.dnsLookup@dns:"quoted"\\back\nline\u0001\ud800\u00e9';
    return { ...healthyReport(1), facts: { [key]: { id: 'local.dnsLookup', version: 1, key, result: { ok: true, value: { addresses: ['10.0.0.4'] } }, durationMs: 3 } } };
  })()],
];

describe('renderJsonChunks', () => {
  it.each(variants)('joins to exactly renderJson: %s', (_name, report) => {
    expect([...renderJsonChunks(report)].join('')).toBe(renderJson(report));
  });

  it('writeReports writes that text to report.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xtd-json-'));
    const report = makeReport({ targets: 30 });
    await writeReports(report, dir, ['json']);
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe(renderJson(report));
  });
});

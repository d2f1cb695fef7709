// The one format registry (reports/formats.ts): what --format takes, where each format goes, its
// writer; and that run, replay, merge and bundle all read it.
import { describe, expect, it } from 'vitest';
import { FORMATS, REPORT_FORMATS, chosenFormats, formatHelp, loadRenderers, parseFormats, renderedText } from '../../../reports/formats.js';
import { renderHtml } from '../../../reports/html.js';
import { renderJson } from '../../../reports/json.js';
import { renderJUnit } from '../../../reports/junit.js';
import { renderMarkdown } from '../../../reports/markdown.js';
import type { Output } from '../../../src/cli/commands/diff.js';
import { runMergeCommand } from '../../../src/cli/commands/merge.js';
import { runReplayCommand } from '../../../src/cli/commands/replay.js';
import { formatOption } from '../../../src/cli/run-options.js';
import { BUNDLE_FILES } from '../../../src/snapshot/bundle.js';
import { makeReport } from '../../helpers/sample-report.js';

describe('the format registry', () => {
  it('gives every format its own file', () => {
    const files = REPORT_FORMATS.map((f) => FORMATS[f].file);
    expect(files).toEqual(['report.json', 'report.junit.xml', 'report.html', 'report.md']);
    expect(new Set(files).size).toBe(files.length);
  });

  it('takes each name, each alias and all; absent or empty means every format', () => {
    expect(parseFormats('xml,MARKDOWN')).toEqual(['junit', 'md']);
    expect(parseFormats(['md', 'all'])).toEqual(['md', 'json', 'junit', 'html']);
    expect(chosenFormats(undefined)).toEqual([...REPORT_FORMATS]);
    expect(chosenFormats([])).toEqual([...REPORT_FORMATS]);
    expect(chosenFormats(['html'])).toEqual(['html']);
    expect(() => chosenFormats(['pdf'])).toThrow('--format: unknown report format "pdf" (expected json, junit, html, md)');
  });

  it('loads the writer of each format, and a given one stands in for the built-in', async () => {
    const report = makeReport();
    const writers = await loadRenderers({ md: () => 'given' });
    expect(renderedText(writers.json(report))).toBe(renderJson(report));
    expect(writers.junit(report)).toBe(renderJUnit(report));
    expect(writers.html(report)).toBe(renderHtml(report));
    expect(writers.md(report)).toBe('given');
    expect(renderMarkdown(report)).not.toBe('given');
  });

  it('is what --help says', () => {
    expect(formatHelp()).toBe('Report formats: json, junit (xml), html, md (markdown) (default: all)');
    expect(formatOption.description).toBe(formatHelp());
  });

  it('is what replay and merge refuse a --format by, before reading any report (exit 2)', async () => {
    for (const command of [
      (io: Output) => runReplayCommand({ input: 'nowhere.json', out: 'x', format: ['pdf'] }, {}, io),
      (io: Output) => runMergeCommand({ reports: ['nowhere.json'], out: 'x', format: ['pdf'] }, io),
    ]) {
      let stderr = '';
      expect(await command({ stdout: () => undefined, stderr: (t) => (stderr += t) })).toBe(2);
      expect(stderr).toMatch(/^xtenant-doctor (replay|merge): --format: unknown report format "pdf" \(expected json, junit, html, md\)\n$/);
    }
  });

  it('is what a bundle holds, besides its README, environment and request log', () => {
    expect(BUNDLE_FILES).toEqual(['README.txt', 'report.json', 'report.junit.xml', 'report.html', 'report.md', 'environment.json', 'requests.json']);
  });
});

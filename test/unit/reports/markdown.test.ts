import { rootCausesOf } from '../../../src/engine/causality.js';
import { describe, expect, it } from 'vitest';
import { cell, code, renderMarkdown } from '../../../reports/markdown.js';
import { computeSummary } from '../../../src/engine/status.js';
import type { RunReport } from '../../../src/engine/types.js';
import { healthyReport, healthyTarget, makeReport } from '../../helpers/sample-report.js';

describe('renderMarkdown', () => {
  it('leads with the verdict and the counts, then failures with fixes', () => {
    const md = renderMarkdown(makeReport());
    const lines = md.split('\n');
    expect(lines[0]).toBe('## ❌ xtenant-doctor: FAILED: 2 root causes on 1 of 4 targets (--fail-on fail, exit 1)');
    expect(lines[2]).toMatch(/^\*\*76 passed, 2 failed, 1 warned, 11 skipped, 2 errors\*\* · 4 targets · live run/);
    expect(md).toContain('### Failures and their fixes');
    expect(md).toContain('| `consumer.zone-linked` | the zone privatelink.fabric.microsoft.com is not linked to vnet-jump (blocks 7 checks) | Link the zone to vnet-jump: Private DNS zones &gt; privatelink.fabric.microsoft.com &gt; Virtual network links &gt; Add. | 7 |');
    expect(md.indexOf('### Failures')).toBeLessThan(md.indexOf('### Could not evaluate'));
    expect(md).toContain('### Targets');
    expect(md).toMatch(/\| prod-2 \| `[0-9a-f-]+` \| \? error \| 21 \| 0 \| 0 \| 0 \| 2 \|/);
  });

  it('escapes cells: pipes, newlines, HTML and Markdown syntax, escapes and controls', () => {
    expect(cell('a|b\nc <img src=x> *x* `y` \u001b[31m\u0007')).toBe('a\\|b<br>c &lt;img src=x&gt; \\*x\\* \\`y\\` ');
    expect(code('a|b`c')).toBe('`a\\|b c`');
    const md = renderMarkdown(makeReport());
    expect(md).not.toContain('<img');
    expect(md).not.toContain('\u001b');
    // Every table row has as many cells as its header.
    for (const block of md.split('\n\n').filter((b) => b.startsWith('| '))) {
      const rows = block.split('\n');
      const width = rows[0]!.split(/(?<!\\)\|/).length;
      for (const row of rows) expect(row.split(/(?<!\\)\|/).length).toBe(width);
    }
  });

  it('says all is well for a healthy run', () => {
    const md = renderMarkdown(healthyReport(2));
    expect(md.split('\n')[0]).toBe('## ✅ xtenant-doctor: PASSED: every evaluated check passed');
    expect(md).not.toContain('### Failures');
  });

  it('stays under 64 KiB for a big failing fleet, with a note where it cut', () => {
    const targets = Array.from({ length: 1000 }, (_, i) => {
      const t = healthyTarget(i + 1);
      t.results[13] = { ...t.results[13]!, status: 'fail', message: `zone not linked to vnet-${i} ${'long text '.repeat(20)}`, remediation: 'Link the zone. '.repeat(10) };
      t.rootCauses = rootCausesOf(t.results);
      return t;
    });
    const report: RunReport = { ...makeReport(), targets, summary: computeSummary(targets.flatMap((t) => t.results), 'fail') };
    const md = renderMarkdown(report);
    expect(Buffer.byteLength(md)).toBeLessThan(64 * 1024);
    expect(md).toMatch(/_… and \d+ more rows, cut to keep this summary under 63 KiB; see `report.html` \(or `report.json`\)._/);
    expect(md).toContain('_Targets: 1000 rows not shown to keep this summary small');
    expect(md).toContain('**23000 results'.replace('**23000 results', '**22000 passed, 1000 failed'));
    expect(Buffer.byteLength(renderMarkdown(report, { maxBytes: 8000 }))).toBeLessThan(8000);
  });
});

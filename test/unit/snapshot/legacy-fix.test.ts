// Reports written before structured fixes carry `remediation` (a string): they still validate, and
// reading one gives the one shape every writer, diff and replay use (docs/reports.md).
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../reports/markdown.js';
import { parseReport } from '../../../src/snapshot/load.js';
import { expectValidReport } from '../../helpers/report-schema.js';
import { workspaceNames } from '../../../src/fabric/workspace.js';
import { makeReport } from '../../helpers/sample-report.js';

/** A report as the first version wrote it: `remediation` on every result, no `fix`. */
function oldReport() {
  const report = JSON.parse(JSON.stringify(makeReport()));
  for (const target of report.targets) {
    target.fqdns = { ...workspaceNames(target.workspaceId).fqdns };
    for (const result of target.results) {
      result.remediation = result.fix ? `Old prose: ${result.fix.summary}` : '';
      delete result.fix;
    }
  }
  return report;
}

describe('an old report with remediation', () => {
  it('still validates against the published schema', () => {
    expectValidReport(oldReport());
  });

  it('reads as fixes: the prose becomes the summary, an empty one no fix, remediation is gone', () => {
    const report = parseReport('old.json', JSON.stringify(oldReport()));
    const results = report.targets.flatMap((t) => t.results);
    const linked = results.find((r) => r.checkId === 'consumer.zone-linked' && r.status === 'fail')!;
    expect(linked.fix).toEqual({ summary: 'Old prose: Link the zone to vnet-jump (step 7).', steps: [] });
    expect(results.some((r) => 'remediation' in r)).toBe(false);
    expect(results.filter((r) => r.status === 'pass').every((r) => r.fix === undefined)).toBe(true);
    expectValidReport(report);
    expect(renderMarkdown(report)).toContain('Old prose: Link the zone to vnet-jump (step 7).');
  });
});

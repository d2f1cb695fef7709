import { rootCausesOf } from '../../../src/engine/causality.js';
import { describe, expect, it } from 'vitest';
import { cell, code, fence, renderMarkdown } from '../../../reports/markdown.js';
import { computeSummary } from '../../../src/engine/status.js';
import type { CheckResult, RunReport } from '../../../src/engine/types.js';
import { healthyReport, healthyTarget, makeReport } from '../../helpers/sample-report.js';

/** The sample's zone-linked failure with a structured fix whose commands hold backticks and quotes. */
function withFix(report: RunReport): RunReport {
  const r = report.targets[0]!.results.find((x) => x.checkId === 'consumer.zone-linked')! as CheckResult;
  r.fix = {
    summary: 'Link the zone to vnet-jump.',
    steps: [
      { text: 'Sign in to tenant 1.', tenant: 'consumer', commands: { bash: 'az login --tenant 1111', powershell: 'az login --tenant 1111' } },
      {
        text: 'Link the zone.',
        tenant: 'consumer',
        commands: {
          bash: "az network private-dns link vnet create --subscription 1111 --resource-group rg-dns --zone-name privatelink.fabric.microsoft.com --name 'link `x`' --virtual-network vnet-jump --registration-enabled false",
          powershell: "az network private-dns link vnet create --subscription 1111 --resource-group rg-dns --zone-name privatelink.fabric.microsoft.com --name 'link `x`' --virtual-network vnet-jump --registration-enabled false",
        },
      },
    ],
  };
  return report;
}

describe('renderMarkdown', () => {
  it('leads with the headline in words, then a section per root cause with its fix in fenced blocks', () => {
    const md = renderMarkdown(withFix(makeReport()));
    const lines = md.split('\n');
    expect(lines[0]).toBe('## ❌ xtenant-doctor: prod-weu "east" &lt;1&gt;: Inbound policy: the tenant setting WorkspaceBlockInboundAccess is disabled &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(lines[2]).toMatch(/^2\/4 targets healthy · 2 root causes/);
    expect(lines[2]).toContain('**76 passed, 2 failed, 1 warned, 11 skipped, 2 errors**');
    expect(lines[2]).toContain('FAILED: 2 root causes on 1 of 4 targets (--fail-on fail, exit 1)');
    expect(md).toMatch(/^\*\*Path:\*\* Jump VM /m);
    const first = md.indexOf('### 1. ');
    expect(first).toBeGreaterThan(0);
    expect(md.indexOf('### 2. ')).toBeGreaterThan(first);
    expect(md.indexOf('### 1. ')).toBeLessThan(md.indexOf('### Could not evaluate'));
    expect(md).toContain('[setup step 7](https://learn.microsoft.com/fabric/security/security-workspace-level-private-links-set-up#step-5-create-a-private-endpoint)');
    // The commands are fenced, whole, and their backticks are not escaped.
    expect(md).toContain("   ```bash\n   az network private-dns link vnet create --subscription 1111 --resource-group rg-dns --zone-name privatelink.fabric.microsoft.com --name 'link `x`' --virtual-network vnet-jump --registration-enabled false\n   ```");
    expect(md).toContain('   ```powershell\n   az login --tenant 1111\n   ```');
    expect(md).toContain('2. (tenant 1) Link the zone.');
    expect(md).not.toContain('\\`x\\`');
    // Its symptoms are folded under it.
    expect(md).toMatch(/<details>\n<summary>7 checks explained by it<\/summary>/);
  });

  it('lists failing targets first and folds the healthy ones and the passes', () => {
    const md = renderMarkdown(makeReport());
    expect(md).toContain('### Targets');
    const targets = md.slice(md.indexOf('### Targets'));
    expect(targets.indexOf('prod-weu')).toBeLessThan(targets.indexOf('| prod-2 |'));
    expect(md).toMatch(/\| prod-2 \| `[0-9a-f-]+` \| \? error \| Private link service \(root cause\), Workspace \(root cause\) \| 21 \| 0 \| 0 \| 0 \| 2 \|/);
    expect(md).toMatch(/<details>\n<summary>2 healthy targets<\/summary>/);
    expect(md).toMatch(/<details>\n<summary>76 passed checks<\/summary>/);
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

  it('a fence is longer than any run of backticks in the command', () => {
    expect(fence('bash', 'echo ```x```')).toEqual(['````bash', 'echo ```x```', '````']);
  });

  it('says all is well for a healthy run, and never ✅ for an interrupted one', () => {
    const md = renderMarkdown(healthyReport(2));
    expect(md.split('\n')[0]).toBe('## ✅ xtenant-doctor: The jump VM reaches the workspace through the private link');
    expect(md).not.toContain('### 1.');
    const interrupted = renderMarkdown({ ...healthyReport(1), interrupted: true });
    expect(interrupted.split('\n')[0]).toMatch(/^## ⚠️ xtenant-doctor: The run was interrupted/);
    expect(interrupted).not.toContain('✅');
  });

  it('an error-only run says nothing could be evaluated, not that all is well', () => {
    const report = makeReport();
    for (const t of report.targets) for (const r of t.results) Object.assign(r, { status: 'error', message: 'could not read it: 403 AuthorizationFailed' });
    for (const t of report.targets) t.rootCauses = rootCausesOf(t.results);
    report.summary = computeSummary(report.targets.flatMap((t) => t.results), 'fail');
    const md = renderMarkdown(report);
    expect(md.split('\n')[0]).toBe('## ⚠️ xtenant-doctor: Nothing could be evaluated: could not read it: 403 AuthorizationFailed');
    expect(md).not.toContain('✅');
  });

  it('stays under the budget for a big failing fleet by folding rows, never cutting a fix', () => {
    const targets = Array.from({ length: 1000 }, (_, i) => {
      const t = healthyTarget(i + 1);
      t.results[13] = { ...t.results[13]!, status: 'fail', message: `zone not linked to vnet-${i} ${'long text '.repeat(20)}`, fix: { summary: 'Link the zone. '.repeat(10), steps: [] } };
      t.rootCauses = rootCausesOf(t.results);
      return t;
    });
    const report: RunReport = withFix({ ...makeReport(), targets, summary: computeSummary(targets.flatMap((t) => t.results), 'fail') });
    for (const maxBytes of [1_000_000, 64 * 1024, 8000]) {
      const md = renderMarkdown(report, { maxBytes });
      expect(Buffer.byteLength(md)).toBeLessThan(maxBytes);
      // The root cause section is whole: its fix is there, never "characters cut".
      expect(md).toContain('**Fix:** Link the zone to vnet-jump.');
      expect(md).toContain("--name 'link `x`' --virtual-network vnet-jump --registration-enabled false\n   ```");
      expect(md).not.toContain('characters cut');
    }
    expect(renderMarkdown(report, { maxBytes: 8000 })).toMatch(/_Passed checks: \d+ rows not shown to keep this summary small|more rows, folded to keep this summary under/);
  });
});

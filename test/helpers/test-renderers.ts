// Writers shaped like the real ones: HTML with an escaped JSON island and text, JUnit XML with
// escaped attributes, Markdown. Enough to prove a bundle redacts what writers print.
import type { RunReport } from '../../src/engine/types.js';
import type { Renderers } from '../../reports/formats.js';

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const testRenderers: Renderers = {
  html: (report: RunReport) =>
    `<!doctype html><html><body><script type="application/json" id="data">${JSON.stringify(report).replace(/</g, '\\u003c')}</script>` +
    report.targets.map((t) => `<h2>${xml(t.name)} ${xml(t.workspaceId)} ${xml(t.fqdns.api ?? '')}</h2>${t.results.map((r) => `<p>${xml(r.checkId)}: ${xml(r.message)} ${xml(JSON.stringify(r.evidence))}</p>`).join('')}`).join('') +
    `</body></html>`,
  junit: (report: RunReport) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>${report.targets
      .map((t) => `<testsuite name="${xml(t.name)}">${t.results.map((r) => `<testcase classname="${xml(r.side)}" name="${xml(`${r.checkId} [${t.name}]`)}">${r.status === 'fail' ? `<failure type="fail" message="${xml(r.message)}"/>` : ''}</testcase>`).join('')}</testsuite>`)
      .join('')}</testsuites>\n`,
  md: (report: RunReport) => report.targets.map((t) => `## ${t.name} (${t.workspaceId})\n\n${t.results.map((r) => `- ${r.checkId}: ${r.status}: ${r.message}`).join('\n')}`).join('\n\n'),
};

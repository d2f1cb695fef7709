import { describe, expect, it } from 'vitest';
import { CSP, esc, jsonIsland, renderHtml } from '../../../reports/html.js';
import { computeSummary } from '../../../src/engine/status.js';
import type { RunReport } from '../../../src/engine/types.js';
import { healthyTarget, makeReport, XSS } from '../../helpers/sample-report.js';

describe('renderHtml', () => {
  const html = renderHtml(makeReport());

  it('is one self-contained document with a strict CSP and no external reference', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${CSP}">`);
    expect(CSP).toBe("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:");
    // No src at all; links only inside the page, to the setup guide, or to the Azure portal (a
    // click, never a request the page makes).
    expect(html).not.toMatch(/\bsrc="(?!data:)/);
    expect(html).not.toMatch(/\bhref="(?!#|data:|https:\/\/learn\.microsoft\.com\/fabric\/security\/|https:\/\/portal\.azure\.com\/#)/);
    expect(html.replace(/href="https:\/\/(learn\.microsoft\.com|portal\.azure\.com)\/[^"]*"/g, '').replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/@import|url\((?!#)/); // only in-page references (the SVG arrow marker)
  });

  it('escapes data everywhere: no markup from evidence, one JSON island', () => {
    expect(html).not.toContain('<img');
    expect(html).toContain(esc(XSS));
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html.match(/id="report-data"/g)).toHaveLength(1);
    expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  });

  it('escapes the island so it cannot close its script and parses back exactly', () => {
    const data = { a: XSS, b: '<!-- & \u2028\u2029 -->' };
    const text = jsonIsland(data);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(data);
  });

  it('opens failing targets and failed checks; passes stay folded', () => {
    expect(html).toMatch(/<details class="target s-fail" id="t-0" data-t="0" open>/);
    expect(html).toMatch(/<details class="target s-pass" id="t-3" data-t="3">/);
    expect(html.match(/<li class="check s-fail" data-c="\d+" id="c-\d+-\d+"><details open>/g)).toHaveLength(2);
    expect(html).toMatch(/<li class="check s-pass" data-c="0" id="c-\d+-0"><details>/);
    // Root causes before the list of checks, with their fix and a link to the setup guide's section.
    expect(html.indexOf('2 root causes: fix these first')).toBeLessThan(html.indexOf('id="results"'));
    expect(html).toContain('<div class="fix"><p><strong>Fix</strong> Link the zone to vnet-jump');
    expect(html).toContain('<a href="https://learn.microsoft.com/fabric/security/security-workspace-level-private-links-set-up#step-5-create-a-private-endpoint" rel="noreferrer">setup step 7</a>');
  });

  it('keeps a fleet of 1000 targets × 23 checks under 10 MB with passes drawn on demand', () => {
    const base = makeReport();
    const targets = [...base.targets];
    for (let i = targets.length + 1; i <= 1000; i++) targets.push(healthyTarget(i));
    const report: RunReport = { ...base, targets, summary: computeSummary(targets.flatMap((t) => t.results), 'fail') };
    const big = renderHtml(report);
    expect(Buffer.byteLength(big)).toBeLessThan(10 * 1024 * 1024);
    expect(big).toContain('data-lazy=""');
    expect(big.match(/<details class="target[^>]* open>/g)).toBeNull();
    // Non-pass results are still drawn statically.
    expect(big.match(/<li class="check s-fail"/g)).toHaveLength(2);
  });
});

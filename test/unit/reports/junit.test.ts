import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attr, cdata, junitCounts, renderJUnit, seconds } from '../../../reports/junit.js';
import { healthyReport, makeReport } from '../../helpers/sample-report.js';
import { JUNIT_XSDS, xmllintSchema } from '../../helpers/tools.js';

const dir = mkdtempSync(join(tmpdir(), 'xtd-junit-'));
function validate(xml: string, name: string) {
  const file = join(dir, name);
  writeFileSync(file, xml);
  for (const xsd of JUNIT_XSDS) {
    const { ok, output } = xmllintSchema(file, xsd);
    expect(ok, `${xsd}:\n${output}`).toBe(true);
  }
}

describe('renderJUnit', () => {
  it.each(['skipped', 'passed', 'failure'] as const)('is valid against both XSDs (warn as %s)', (warnAs) => {
    validate(renderJUnit(makeReport(), { junitWarnAs: warnAs }), `r-${warnAs}.xml`);
  });

  it('is valid for a healthy report and for one without targets', () => {
    validate(renderJUnit(healthyReport(3)), 'healthy.xml');
    validate(renderJUnit({ ...makeReport(), targets: [] }), 'empty.xml');
  });

  it('has one suite per target, a stable unique testcase name and classname per check', () => {
    const report = makeReport();
    const xml = renderJUnit(report);
    expect(xml.match(/<testsuite /g)).toHaveLength(report.targets.length);
    const names = [...xml.matchAll(/<testcase name="([^"]*)" classname="([^"]*)"/g)];
    expect(names).toHaveLength(report.targets.length * 23);
    expect(new Set(names.map((m) => m[1])).size).toBe(names.length);
    expect(names[0]![1]).toBe('workspace-found: The workspace exists and is readable [prod-weu &quot;east&quot; &lt;1&gt;]');
    expect(names[0]![2]).toBe('xtenant-doctor.provider');
    expect(xml).toMatch(/<testsuites>\n/); // no attributes
    expect(xml).toContain('timestamp="2025-03-04T05:06:07"');
    expect(xml).not.toMatch(/time="[^"]*e/);
  });

  it('a suite takes the wall time: the run for one target, the longest check in a fleet (never the sum)', () => {
    const one = healthyReport(1);
    one.durationMs = 1234;
    expect(renderJUnit(one)).toMatch(/<testsuite name="prod-1"[^>]* time="1\.234"/);
    const fleet = makeReport();
    const longest = Math.max(...fleet.targets[1]!.results.map((r) => r.durationMs));
    expect(renderJUnit(fleet)).toMatch(new RegExp(`<testsuite name="prod-2"[^>]* time="${(longest / 1000).toFixed(3).replace('.', '\\.')}"`));
  });

  it('maps statuses: fail → failure, error → error, skip → skipped with the reason, warn per option', () => {
    const xml = renderJUnit(makeReport());
    expect(xml).toMatch(/<testcase name="zone-linked: The zone is linked to the VNet \[prod-weu[^>]*>\n\s*<failure type="critical" message="the zone privatelink/);
    expect(xml).toMatch(/<testcase name="workspace-found: The workspace exists and is readable \[prod-2\][^>]*>\n\s*<error type="forbidden"/);
    // One clean skip message: the reason is not said twice.
    expect(xml).toContain('<skipped message="blocked by consumer.zone-linked"/>');
    expect(xml).not.toContain('blocked: blocked');
    expect(xml).toContain('<skipped message="no-access: no credential for the consumer side');
    expect(xml).toMatch(/<skipped message="warning: a stale A record/);
    expect(renderJUnit(makeReport(), { junitWarnAs: 'failure' })).toMatch(/<failure type="warning" message="a stale A record/);
    expect(renderJUnit(makeReport(), { junitWarnAs: 'passed' })).toMatch(/<testcase name="zone-records: The zone has the endpoint's A records \[prod-weu[^>]*\/>/);
  });

  it('puts message, evidence, fix, setup step and what it blocks in the failure text', () => {
    const xml = renderJUnit(makeReport());
    const failure = xml.slice(xml.indexOf('<failure type="critical" message="the zone'), xml.indexOf('</failure>', xml.indexOf('message="the zone')));
    expect(failure).toContain('Evidence:');
    expect(failure).toContain('vnetId: /subscriptions/1111/');
    expect(failure).toContain('Fix: Link the zone to vnet-jump');
    expect(failure).toContain('Setup step: 7');
    expect(failure).toContain('Blocks: local.dns-private, local.dns-endpoint-ip');
    // the 6000-character evidence is cut with a pointer to report.json
    expect(failure).toMatch(/more characters cut; see report.json/);
    expect(renderJUnit(makeReport(), { maxEvidenceChars: 100 })).toMatch(/more characters cut; the full evidence is in report.json \(target "prod-weu "east" <1>", check consumer.zone-linked\)/);
    expect(failure.length).toBeLessThan(6000);
  });

  it('strips ANSI escapes and illegal characters, splits ]]> and keeps non-ASCII', () => {
    const xml = renderJUnit(makeReport());
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(xml).toContain('café Zürich 東京 😀');
    expect(xml).toContain(']]]]><![CDATA[>');
    expect(cdata('a]]>b\u001b[1mc\u0000')).toBe('<![CDATA[a]]]]><![CDATA[>bc]]>');
    expect(attr('a"<b>&\n\u0007')).toBe('a&quot;&lt;b&gt;&amp;&#10;');
  });

  it('counts as CI does, agreeing with the summary', () => {
    const report = makeReport();
    const xml = renderJUnit(report);
    const sum = (a: string) => [...xml.matchAll(new RegExp(` ${a}="(\\d+)"`, 'g'))].reduce((s, m) => s + Number(m[1]), 0);
    const all = report.targets.flatMap((t) => t.results);
    const n = junitCounts(all);
    expect(sum('tests')).toBe(all.length);
    expect(sum('failures')).toBe(report.summary.fail);
    expect(sum('errors')).toBe(report.summary.error);
    expect(sum('skipped')).toBe(report.summary.skip + report.summary.warn);
    expect(n).toEqual({ tests: all.length, failures: report.summary.fail, errors: report.summary.error, skipped: report.summary.skip + report.summary.warn });
    expect(xml.match(/<failure /g)).toHaveLength(report.summary.fail);
    expect(xml.match(/<error /g)).toHaveLength(report.summary.error);
  });

  it('formats times with three decimals', () => {
    expect(seconds(0.0004)).toBe('0.000');
    expect(seconds(1234.5)).toBe('1.234');
    expect(seconds(-1)).toBe('0.000');
  });
});

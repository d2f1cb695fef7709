// The TLS probe collects untrusted certificates on purpose (an intercepting proxy's): a certificate
// whose issuer and subject carry CI commands, terminal escapes and Markdown/HTML, read by the real probe
// from a real TLS server, reaches no writer's output raw.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTerminalReport, renderHtml, renderJUnit, renderMarkdown } from '../../reports/index.js';
import { computeSummary } from '../../src/engine/status.js';
import { probeTls } from '../../src/gather/net/tls.js';
import { createCertificateAuthority } from '../../src/lab/certs.js';
import { machineRoots } from '../../src/net/trust.js';
import { FQDN, startTlsServer, type Running } from '../integration/net/servers.js';
import { healthyReport } from '../helpers/sample-report.js';

// ASCII only: the lab's certificate library writes names as byte strings (bidi text is covered by untrusted-text.test.ts).
const HOSTILE_CN = 'Proxy ##vso[task.setvariable variable=PATH]/tmp/evil \u001b]0;pwned\u0007 \u001b[2J';
const HOSTILE_O = '\n::set-env name=X::1 [site](https://evil.example) </script>';

let running: Running;
beforeAll(async () => {
  const ca = await createCertificateAuthority(HOSTILE_CN, { organization: HOSTILE_O });
  running = await startTlsServer(await ca.issue({ commonName: `${FQDN} ##vso[x]`, dnsNames: [FQDN] }));
});
afterAll(async () => {
  await running?.close();
});

describe('certificate fields from an untrusted certificate', () => {
  it('are read raw by the probe and written by no writer raw', async () => {
    const probe = await probeTls({ address: '127.0.0.1', port: running.port, servername: FQDN, config: { network: { connectTo: [], sandbox: true } }, ca: machineRoots().roots, timeoutMs: 5000 });
    // The probe really holds the hostile text (so the writers are tested on it).
    expect(JSON.stringify(probe.certificate?.issuer)).toContain('##vso[task.setvariable');
    const report = healthyReport(1);
    const tls = report.targets[0]!.results.find((r) => r.checkId === 'local.tls')!;
    Object.assign(tls, {
      status: 'fail',
      message: `the certificate is issued by ${probe.certificate?.issuer.CN} (${probe.certificate?.issuer.O}), which is not trusted`,
      evidence: { issuer: probe.certificate?.issuer, subject: probe.certificate?.subject, chainTrust: probe.chainTrust },
    });
    report.summary = computeSummary(report.targets.flatMap((t) => t.results), report.failOn);
    const outputs: Record<string, string> = {
      terminal: formatTerminalReport(report, { color: false, verbose: true }),
      junit: renderJUnit(report),
      markdown: renderMarkdown(report),
      html: renderHtml(report),
    };
    const raw: string[] = [];
    for (const [where, text] of Object.entries(outputs)) {
      if (/##vso\[/i.test(text)) raw.push(`${where}: ##vso[`);
      if (/^\s*::/m.test(text)) raw.push(`${where}: line-leading ::`);
      if (/[\u001b\u0007\u202e\u202c]/.test(text)) raw.push(`${where}: an escape or bidi character`);
    }
    if (/(?<!\\)\]\(https:\/\/evil/.test(outputs.markdown!)) raw.push('markdown: a link from the certificate');
    if ((outputs.html!.match(/<\/script>/g) ?? []).length !== (renderHtml(healthyReport(1)).match(/<\/script>/g) ?? []).length) raw.push('html: a </script> from the certificate');
    expect(raw).toEqual([]);
  });
});

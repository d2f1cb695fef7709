// Global setup: the write guard, proven over the whole test suite. Every lab started by any test (in
// the test workers, or in a CLI child process they spawn) leaves a summary of the methods it served
// in a directory named by XTENANT_DOCTOR_LAB_AUDIT (src/lab/audit.ts). At the end of the run the
// teardown fails the suite if the doctor ever sent a lab anything but GET, or a token POST to the
// identity endpoint. Requests a test sends to a lab on purpose carry LAB_PROBE_HEADER and are not
// the doctor's; they are counted apart.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAB_AUDIT_ENV, type LabAuditFile } from '../../src/lab/audit.js';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'xtd-lab-audit-'));
  process.env[LAB_AUDIT_ENV] = dir;
  return () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    const audits = files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as LabAuditFile);
    rmSync(dir, { recursive: true, force: true });
    const served: Record<string, number> = {};
    for (const audit of audits) for (const [key, n] of Object.entries(audit.served)) served[key] = (served[key] ?? 0) + n;
    const total = Object.values(served).reduce((a, b) => a + b, 0);
    const writes = audits.flatMap((a) => a.writes.map((w) => `${w.service} ${w.method} ${w.path} (pid ${a.pid}: ${a.argv.join(' ').slice(0, 120)})`));
    console.log(`write-guard audit: ${audits.length} labs served the doctor ${total} requests (${Object.entries(served).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}); ${writes.length} writes`);
    if (!writes.length) return;
    // vitest reports an error thrown here but keeps its exit code: set it too.
    process.exitCode = 1;
    throw new Error(`write-guard audit: the doctor sent a lab ${writes.length} request(s) that are not reads:\n  ${writes.slice(0, 20).join('\n  ')}`);
  };
}

// The write-guard audit: when XTENANT_DOCTOR_LAB_AUDIT names a directory (the test suite's global
// setup does), every lab leaves there a summary of the methods it served, when it stops or when its
// process exits. The suite's teardown reads them all and fails if anything but GET (and token POSTs
// to the identity endpoint) reached a lab over the whole run, from any code path of the doctor.
// Requests a test sends to the lab itself on purpose (to see it refuse a write) carry LAB_PROBE_HEADER
// and are counted apart.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export const LAB_AUDIT_ENV = 'XTENANT_DOCTOR_LAB_AUDIT';
export const LAB_PROBE_HEADER = 'x-xtenant-lab-probe';

export interface AuditEntry {
  service: string;
  method: string;
  path: string;
  /** Sent by a test on purpose, not by the doctor. */
  probe?: boolean;
}

export interface LabAuditFile {
  pid: number;
  argv: string[];
  /** `service METHOD` → count, for requests from the doctor. */
  served: Record<string, number>;
  /** The same for requests a test sent on purpose. */
  probes: Record<string, number>;
  /** Requests from the doctor that were not reads (service, method, path). */
  writes: Array<{ service: string; method: string; path: string }>;
}

/**
 * A read: GET/HEAD anywhere, POST only to the identity authority and to the Resource Graph query
 * path (a read in RBAC terms: the lab routes only that exact path to `resourcegraph`); DNS queries
 * are not HTTP. Each kind is counted under its own `service METHOD` key.
 */
export function isRead(entry: Pick<AuditEntry, 'service' | 'method'>): boolean {
  if (entry.service.startsWith('dns-')) return true;
  return entry.method === 'GET' || entry.method === 'HEAD' || ((entry.service === 'identity' || entry.service === 'resourcegraph') && entry.method === 'POST');
}

const pending = new Set<() => void>();
let exitHook = false;

/** Registers a lab's log for the audit (no-op unless the env var is set); returns the flush to call on stop. */
export function auditLab(entries: () => AuditEntry[]): () => void {
  const dir = process.env[LAB_AUDIT_ENV];
  if (!dir) return () => {};
  let done = false;
  const flush = () => {
    if (done) return;
    done = true;
    pending.delete(flush);
    const file: LabAuditFile = { pid: process.pid, argv: process.argv.slice(1), served: {}, probes: {}, writes: [] };
    for (const entry of entries()) {
      const bucket = entry.probe ? file.probes : file.served;
      const key = `${entry.service} ${entry.method}`;
      bucket[key] = (bucket[key] ?? 0) + 1;
      if (!entry.probe && !isRead(entry)) file.writes.push({ service: entry.service, method: entry.method, path: entry.path });
    }
    try {
      writeFileSync(path.join(dir, `lab-${process.pid}-${randomBytes(6).toString('hex')}.json`), JSON.stringify(file));
    } catch {
      // The audit directory is gone (the suite ended): nothing to report to.
    }
  };
  pending.add(flush);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => [...pending].forEach((f) => f()));
  }
  return flush;
}

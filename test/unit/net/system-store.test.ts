// The system trust store read ahead on a worker thread (src/net/system-store.ts): the main thread
// then gets exactly the certificates it would have read itself, and the worker never holds the
// process open. Child processes, so that neither side finds a store this test process read already.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/cli.js';

const MODULE = pathToFileURL(join(ROOT, 'dist/src/net/system-store.js')).href;

function node(script: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
}

// The worker holds nothing open, so a script that waits for it keeps itself alive meanwhile.
const PRINT_SYSTEM_STORE = "const tls = await import('node:tls'); process.stdout.write(JSON.stringify(tls.getCACertificates('system')));";

describe('readSystemStoreAhead', () => {
  it("the main thread then reads the same system certificates as a process that did not read ahead", () => {
    const alone = node(PRINT_SYSTEM_STORE);
    const ahead = node(`const { readSystemStoreAhead } = await import(${JSON.stringify(MODULE)}); const alive = setInterval(() => {}, 1000); await readSystemStoreAhead(); clearInterval(alive); ${PRINT_SYSTEM_STORE}`);
    expect(alone.status, alone.stderr).toBe(0);
    expect(ahead.status, ahead.stderr).toBe(0);
    const certificates = JSON.parse(alone.stdout) as string[];
    expect(certificates.length, 'this machine has a system store to compare').toBeGreaterThan(0);
    expect(JSON.parse(ahead.stdout)).toEqual(certificates);
  });

  it('a process that ends while the worker reads is not held open by it', () => {
    const run = node(`const { readSystemStoreAhead } = await import(${JSON.stringify(MODULE)}); void readSystemStoreAhead(); process.stdout.write('ended');`);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('ended');
  });
});

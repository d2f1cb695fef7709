// The operating system's trust store, read ahead on a worker thread while a run's modules load.
// Node reads the store once per process, and its threads share what it read: a reader that comes
// while another is reading waits for it. So `tls.getCACertificates('system')` on the main thread
// (src/net/trust.ts) then returns the same certificates, only without the read on its path (~35-50
// ms here: Debian's 144 roots, which Node reads four times over). Nothing crosses between the
// threads; what the run trusts is what Node reads. No other import: the launcher loads this module
// before the rest of the CLI.
import { Worker } from 'node:worker_threads';

const READ_SYSTEM_STORE = `const tls = require('node:tls');
try { if (typeof tls.getCACertificates === 'function') tls.getCACertificates('system'); } catch {}`;

let reading: Promise<void> | undefined;

/**
 * Starts the read (once per process). The worker never holds the process open; one that cannot start
 * leaves the read to the main thread, as before. Resolves when the worker is done (tests: the promise
 * does not keep the process alive either).
 */
export function readSystemStoreAhead(): Promise<void> {
  return (reading ??= new Promise<void>((resolve) => {
    try {
      const worker = new Worker(READ_SYSTEM_STORE, { eval: true });
      worker.unref();
      worker.once('exit', () => resolve());
      worker.once('error', () => resolve());
    } catch {
      resolve();
    }
  }));
}

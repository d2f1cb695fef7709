// Runs the built CLI as a user would (bin/xtenant-doctor.cjs on this Node), capturing everything.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'xtenant-doctor.cjs');
/** The bench's probe (`--import` it into a child): prints the child's peak RSS and CPU time to stderr at exit. */
export const RSS_PROBE = pathToFileURL(join(ROOT, 'bench', 'rss-probe.mjs')).href;

/** NODE_OPTIONS for a child measured by RSS_PROBE. */
export function withRssProbe(nodeOptions = process.env.NODE_OPTIONS ?? ''): string {
  return `${nodeOptions} --import ${RSS_PROBE}`.trim();
}

/** The peak RSS in MiB a child measured by RSS_PROBE printed (a child that did not print it fails the test). */
export function peakRssMiB(stderr: string): number {
  const kb = /XTD_BENCH_MAXRSS_KB=(\d+)/.exec(stderr)?.[1];
  if (!kb) throw new Error(`no peak RSS in the child's stderr:\n${stderr.slice(-2000)}`);
  return Number(kb) / 1024;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; onSpawn?: (pid: number) => void } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', CI: 'true', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    if (child.pid) options.onSpawn?.(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

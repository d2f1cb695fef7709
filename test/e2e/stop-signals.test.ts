// The built CLI stopped by SIGHUP (a closed terminal; on Windows also a closed console, with
// SIGBREAK for Ctrl+Break, see test/unit/signals.test.ts): a run writes its partial reports and
// exits 129; the lab stops and removes its folder of secrets.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';

/** Starts the CLI and sends `signal` once its output matches `when`; resolves with the exit and the output. */
function stoppedBy(args: string[], signal: NodeJS.Signals, when: RegExp): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!sent && when.test(stdout)) {
        sent = true;
        child.kill(signal);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('SIGHUP', () => {
  it('mid-run: partial reports written, exit 129', { timeout: 60_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'xtd-sighup-'));
    const result = await stoppedBy(['demo', '--latency', '300', '--out', out, '--verbose'], 'SIGHUP', /^[✓✗!?-] \S+\.\S+ /mu);
    expect(result.code, result.stderr).toBe(129);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).interrupted).toBe(true);
  });

  it('the lab stops, exit 0, its folder of secrets removed', { timeout: 60_000 }, async () => {
    const result = await stoppedBy(['lab'], 'SIGHUP', /config: \S+\.json/);
    const config = /config: (\S+\.json)/.exec(result.stdout)![1]!;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('xtenant-doctor lab: stopped');
    expect(existsSync(dirname(config))).toBe(false);
  });
});

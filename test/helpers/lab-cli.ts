// The built CLI against the lab, as end-to-end tests run it: behind the same egress guard as the
// test files (a CLI child is a separate process, so the guard is loaded into it with --import), and
// with bounded parallelism so a suite of many runs stays reasonable on a small machine.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RunReport, CheckResult } from '../../src/engine/types.js';
import { ROOT, runCli, type CliResult } from './cli.js';

const GUARD = pathToFileURL(join(ROOT, 'test', 'setup', 'no-egress.ts')).href;

/** runCli with the no-egress guard loaded into the child: a DNS lookup, TCP or UDP off loopback throws there too. */
export function runGuardedCli(args: string[], options: Parameters<typeof runCli>[1] = {}): Promise<CliResult> {
  const inherited = options.env?.NODE_OPTIONS ?? process.env.NODE_OPTIONS ?? '';
  return runCli(args, { ...options, env: { ...options.env, NODE_OPTIONS: `${inherited} --import ${GUARD}`.trim() } });
}

/** Runs `tasks` with at most `limit` at a time; the promises are returned at once, in order. */
export function pooled<T>(tasks: Array<() => Promise<T>>, limit: number): Array<Promise<T>> {
  let active = 0;
  const queue: Array<() => void> = [];
  const next = () => {
    active--;
    queue.shift()?.();
  };
  return tasks.map(
    (task) =>
      new Promise<T>((resolve, reject) => {
        const start = () => {
          active++;
          task().then(resolve, reject).finally(next);
        };
        if (active < limit) start();
        else queue.push(start);
      }),
  );
}

export function readReport(dir: string): RunReport {
  return JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunReport;
}

/** `checkId=status` for every result of every target, in report order: what a round trip must keep. */
export function statusLines(report: RunReport): string[] {
  return report.targets.flatMap((t) => t.results.map((r) => `${t.name} ${r.checkId}=${r.status}${r.skipReason ? `:${r.skipReason}` : ''}${r.blockedBy ? `<${r.blockedBy}` : ''}`));
}

export function withStatus(results: CheckResult[], status: CheckResult['status']): string[] {
  return results.filter((r) => r.status === status).map((r) => r.checkId).sort();
}

/** The CLI's output when a run went wrong, to put in an assertion message. */
export function describeRun(r: CliResult): string {
  return `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`;
}

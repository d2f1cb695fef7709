// One run from the CLI's side: events to the terminal, the reports written (also when the run is
// interrupted), and the exit code the gate decides.
import type { ResolvedConfig } from '../config/types.js';
import { diagnose } from '../diagnose.js';
import { createServices, type Services } from '../engine/services.js';
import { EXIT } from '../engine/status.js';
import type { CheckResult, RunReport } from '../engine/types.js';
import type { RunArgs } from './run-options.js';

export interface RunOutcome {
  report: RunReport;
  exitCode: number;
  services: Services;
}

const MARKS: Record<CheckResult['status'], string> = { pass: '✓', warn: '!', fail: '✗', skip: '-', error: '?' };

export async function executeRun(config: ResolvedConfig, args: RunArgs): Promise<RunOutcome> {
  const abort = new AbortController();
  const services = createServices(config, abort.signal);
  const onSignal = (signal: NodeJS.Signals) => abort.abort(signal);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const report = await diagnose(config, {
      services,
      signal: abort.signal,
      failOn: args.failOn,
      onEvent: (event) => {
        if (args.json || args.quiet || event.type !== 'check-end') return;
        const r = event.result;
        const where = config.targets.length > 1 ? ` [${event.target}]` : '';
        process.stdout.write(`${MARKS[r.status]} ${r.checkId}${where}: ${r.message}\n`);
      },
    });
    if (args.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    let exitCode = report.summary.exitCode;
    if (abort.signal.aborted) exitCode = abort.signal.reason === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
    else if (!args.exitCode) exitCode = EXIT.ok;
    return { report, exitCode, services };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

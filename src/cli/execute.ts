// One run from the CLI's side: the live terminal view, the reports written (also when the run is
// interrupted), and the exit code the gate decides.
import type { ResolvedConfig } from '../config/types.js';
import { diagnose, loadCatalogue, type DiagnoseOptions } from '../diagnose.js';
import { createServices, type Services } from '../engine/services.js';
import type { CheckDef } from '../engine/define.js';
import { unmatchedSelections } from '../engine/run.js';
import { EXIT } from '../engine/status.js';
import { matchesPattern } from '../text/glob.js';
import type { RunReport } from '../engine/types.js';
import { UsageError } from './errors.js';
import { onStopSignal, signalExitCode } from './signals.js';
import type { RunArgs } from './run-options.js';
import { boundHeapGrowth } from './young-generation.js';

export interface RunOutcome {
  /**
   * The run's report. When report.json was written as the run went (--out with json, without
   * --json), `facts` holds only the facts the run kept in memory; report.json holds them all.
   */
  report: RunReport;
  exitCode: number;
  services: Services;
  /** The report files written. */
  written: string[];
}

/** `--checks`/`--skip` patterns and waivers that name no check are usage errors (exit 2), naming what did not match. */
function refuseEmptySelections(checks: CheckDef[], config: ResolvedConfig): void {
  const unmatched = unmatchedSelections(checks, config);
  const problems = [
    ...unmatched.only.map((p) => `--checks ${p}: no check or side matches it`),
    ...unmatched.skip.map((p) => `--skip ${p}: no check or side matches it`),
    ...config.checks.waivers.filter((w) => !checks.some((c) => matchesPattern(c.id, w.check))).map((w) => `checks.waivers: ${JSON.stringify(w.check)} matches no check`),
  ];
  if (problems.length) throw new UsageError(`${problems.join('; ')} (\`xtenant-doctor checks\` lists the ids)`);
}

/** Runs the diagnosis (or a replay, with `recording`) the way every command that diagnoses does. */
export async function executeRun(config: ResolvedConfig, args: RunArgs, extra: Pick<DiagnoseOptions, 'recording'> = {}): Promise<RunOutcome> {
  // What the run needs from the reports before it starts (the live view, the format list, the file
  // writer); each format's renderer loads when it writes (reports/formats.ts), not before the run.
  const [{ createLiveRenderer }, { chosenFormats }, { sideUnchecked }, { writeReports, ensureWritableDir }] = await Promise.all([
    import('../../reports/live.js'),
    import('../../reports/formats.js'),
    import('../../reports/model.js'),
    import('../../reports/write.js'),
  ]);
  let formats: ReturnType<typeof chosenFormats>;
  try {
    formats = chosenFormats(args.format);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  // An unusable --out is refused before the run, not after it.
  if (args.out) await ensureWritableDir(args.out);
  const abort = new AbortController();
  const services = createServices(config, abort.signal);
  // The sign-in goes out first; the checks, the gatherers and the plugins load while it is on the wire.
  if (!extra.recording) await (await import('../gather/identity/signIn.js')).startSignIns(services, config);
  const catalogue = await loadCatalogue(config);
  refuseEmptySelections(catalogue.checks, config);
  const live = createLiveRenderer({
    stream: args.json ? process.stderr : process.stdout,
    color: args.color,
    ...(args.ascii !== undefined ? { ascii: args.ascii } : {}),
    verbose: args.verbose,
    quiet: args.quiet || args.json,
    targets: config.targets.length,
    totalChecks: config.targets.length * catalogue.checks.length,
  });
  // report.json is written as the run goes (reports/stream.ts): each target as it finishes, with the
  // facts only it used, which leave memory. Not with --json, which prints the whole report (facts
  // included) from memory. A spool that cannot be opened leaves everything to the end, as before.
  const { out } = args;
  const spool = out && formats.includes('json') && !args.json ? await import('../../reports/stream.js').then(({ openReportSpool }) => openReportSpool(out)).catch(() => undefined) : undefined;
  // The handlers stay until the reports are written: a signal during the run stops it, one during
  // writing lets the writing finish (the set is then written marked interrupted), never a lost set.
  const stopListening = onStopSignal((signal) => abort.abort(signal));
  // A fleet's memory follows its live data (young-generation.ts).
  const unbound = boundHeapGrowth();
  let report: RunReport;
  let written: string[] = [];
  try {
    report = await diagnose(config, {
      ...extra,
      ...(args.vantage ? { vantage: args.vantage } : {}),
      catalogue,
      services,
      signal: abort.signal,
      failOn: args.failOn,
      ...(spool ? { factSpill: spool } : {}),
      onEvent: (e) => {
        if (e.type === 'target-end') spool?.addTarget(e.index, e.report);
        live.onEvent(e);
      },
    });
    if (abort.signal.aborted) live.stop();
    // Reports first: an interrupted or failing run still leaves what it learned on disk.
    if (args.out) {
      written = await writeReports(report, args.out, formats, {
        junitWarnAs: args.junitWarnAs as 'skipped' | 'passed' | 'failure' | undefined,
        ...(spool ? { written: spool } : {}),
        revise: (current) => (abort.signal.aborted && !current.interrupted ? (report = { ...current, interrupted: true }) : undefined),
      });
    }
  } finally {
    stopListening();
    unbound();
    await spool?.dispose();
  }
  if (abort.signal.aborted) live.stop();
  else live.finish(report);
  // A fresh run that left a tenant unchecked for want of a credential says how to add it, in one line.
  if (!extra.recording && !args.quiet) {
    const unchecked = (['consumer', 'provider'] as const).filter((side) => report.targets.some((t) => sideUnchecked(t, side)));
    if (unchecked.length) (args.json ? process.stderr : process.stdout).write(`${controlPlaneHint(unchecked, config)}\n`);
  }
  if (args.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (!args.quiet && written.length) process.stdout.write(`reports: ${written.join(', ')}\n`);

  let exitCode = report.summary.exitCode;
  if (abort.signal.aborted) exitCode = signalExitCode(abort.signal.reason as NodeJS.Signals);
  else if (!args.exitCode) exitCode = EXIT.ok;
  return { report, exitCode, services, written };
}

/** How to check the tenants a run left unchecked, in one line: the credential flags (docs/estate.md), or the config's credentials. */
function controlPlaneHint(sides: ReadonlyArray<'consumer' | 'provider'>, config: ResolvedConfig): string {
  const tenant = { consumer: 'tenant 1', provider: 'tenant 2' } as const;
  const flags = sides.map((side) => `--${side}-credential cli`).join(' ');
  const inConfig = config.source === 'flags' ? '' : `, or ${sides.map((side) => `credentials.${side}`).join(' and ')} in ${config.source}`;
  return `Control plane of ${sides.map((side) => tenant[side]).join(' and ')} not checked (no credential): add ${flags} after \`az login\` (other credential types: docs/estate.md)${inConfig}`;
}

// `xtenant-doctor bundle [run options] --out FILE.tar.gz [--redact]` / `bundle --from report.json`:
// the support bundle, after a fresh run or from a saved report.
import path from 'node:path';
import type { CommandModule } from 'yargs';
import type { RequestLogEntry } from '../../engine/services.js';
import { EXIT } from '../../engine/status.js';
import type { RunReport } from '../../engine/types.js';
import type { BundleResult } from '../../snapshot/bundle.js';
import type { Renderers } from '../../../reports/formats.js';
import { declared } from '../args.js';
import { withRunOptions, type RunArgs } from '../run-options.js';
import type { Output } from './diff.js';

export interface BundleArgs {
  out: string;
  from?: string;
  redact?: boolean;
}

/** The command's arguments: the bundle's own and the run options (`-c`, `--workspace`, `--checks`…). */
export type BundleCommandArgs = BundleArgs & RunArgs;

/** What a run gives a bundle: the CLI's `run` wires this (config from the run options, then executeRun). */
export interface RunForBundle<A extends BundleArgs = BundleCommandArgs> {
  (args: A): Promise<{ report: RunReport; requestLog: RequestLogEntry[]; exitCode: number; configSummary?: Record<string, unknown>; environment?: Record<string, unknown> }>;
}

export interface BundleDeps<A extends BundleArgs = BundleCommandArgs> {
  run?: RunForBundle<A>;
  renderers?: Renderers;
}

const processOutput: Output = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

export async function runBundleCommand<A extends BundleArgs>(args: A, deps: BundleDeps<A> = {}, out: Output = processOutput): Promise<number> {
  if (!/\.(tar\.gz|tgz)$/i.test(args.out)) {
    out.stderr(`xtenant-doctor bundle: --out ${args.out}: the bundle is a gzipped tar; name it *.tar.gz\n`);
    return EXIT.usage;
  }
  // An unusable place for the bundle is refused before the run, not after it.
  // The writers, the recording loader and tar load here, not with the CLI: other commands never use them.
  const [{ ensureWritableDir }, { loadReport, ReportFileError }, { writeBundle }] = await Promise.all([
    import('../../../reports/write.js'),
    import('../../snapshot/load.js'),
    import('../../snapshot/bundle.js'),
  ]);
  await ensureWritableDir(path.dirname(path.resolve(args.out)), 'the bundle directory');
  let result: BundleResult;
  let exitCode: number = EXIT.ok;
  if (args.from) {
    let loaded;
    try {
      loaded = await loadReport(args.from);
    } catch (error) {
      if (error instanceof ReportFileError) {
        out.stderr(`xtenant-doctor bundle: ${error.message}\n`);
        return EXIT.usage;
      }
      throw error;
    }
    result = await writeBundle({ report: loaded.report, outFile: args.out, redact: !!args.redact, ...(deps.renderers ? { renderers: deps.renderers } : {}) });
  } else {
    if (!deps.run) {
      out.stderr('xtenant-doctor bundle: give --from report.json (a bundle after a fresh run is not available in this build)\n');
      return EXIT.usage;
    }
    const run = await deps.run(args);
    exitCode = run.exitCode;
    result = await writeBundle({
      report: run.report,
      outFile: args.out,
      redact: !!args.redact,
      requestLog: run.requestLog,
      ...(run.environment ? { environment: run.environment } : {}),
      ...(run.configSummary ? { configSummary: run.configSummary } : {}),
      ...(deps.renderers ? { renderers: deps.renderers } : {}),
    });
  }
  out.stdout(`wrote ${result.file}: ${result.files.join(', ')} in ${result.folder}/${result.redacted ? `, redacted (${result.redactions} values replaced)` : ''}\n`);
  return exitCode;
}

export function bundleCommand(deps: BundleDeps = {}): CommandModule<object, BundleCommandArgs> {
  return {
    command: 'bundle',
    describe: 'Write a support bundle (.tar.gz): the reports, the environment, the request log; after a run, or --from a saved report',
    builder: (y) =>
      declared<BundleCommandArgs>()(
        withRunOptions(y)
          .option('out', { type: 'string', default: undefined, demandOption: true, description: 'The bundle file (*.tar.gz), written atomically' })
          .option('from', { type: 'string', description: 'Bundle this saved report.json instead of running the diagnosis' })
          .option('redact', { type: 'boolean', description: 'Replace ids, names, hosts, principals and IPs by stable pseudonyms' })
          .example('$0 bundle -c xtenant-doctor.json --out support.tar.gz --redact', 'run, then bundle with pseudonyms')
          .example('$0 bundle --from out/report.json --out support.tar.gz', 'bundle a saved report'),
      ),
    handler: async (argv) => {
      process.exitCode = await runBundleCommand(argv, deps);
    },
  };
}

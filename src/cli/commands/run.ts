// `xtenant-doctor run`: the diagnosis. Terminal view while it runs, reports at the end, the gate's exit code.
// A plain `run` skips yargs: the launcher's fast path (fast.ts, parseRunArgs) calls runDiagnosis.
import type { CommandModule } from 'yargs';
import { declared } from '../args.js';
import { withRunOptions, type RunArgs } from '../run-options.js';

/** The command's work, for yargs' handler and the launcher's fast path (fast.ts) alike. */
export async function runDiagnosis(argv: RunArgs): Promise<void> {
  const [{ configFromArgs }, { executeRun }] = await Promise.all([import('../run-config.js'), import('../execute.js')]);
  // What discovery found goes to stderr (stdout may be --json), except with --quiet: the verdict only.
  const config = await configFromArgs(argv, argv.quiet ? () => {} : undefined);
  const outcome = await executeRun(config, argv);
  process.exitCode = outcome.exitCode;
}

const command: CommandModule<object, RunArgs> = {
  command: 'run',
  describe: 'Run the diagnosis and write the reports',
  builder: (y) => declared<RunArgs>()(withRunOptions(y)),
  handler: runDiagnosis,
};
export default command;

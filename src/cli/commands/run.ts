// `xtenant-doctor run`: the diagnosis. Terminal view while it runs, reports at the end, the gate's exit code.
import type { CommandModule } from 'yargs';
import { declared } from '../args.js';
import { withRunOptions, type RunArgs } from '../run-options.js';

const command: CommandModule<object, RunArgs> = {
  command: 'run',
  describe: 'Run the diagnosis and write the reports',
  builder: (y) => declared<RunArgs>()(withRunOptions(y)),
  handler: async (argv) => {
    const [{ configFromArgs }, { executeRun }] = await Promise.all([import('../run-config.js'), import('../execute.js')]);
    // What discovery found goes to stderr (stdout may be --json), except with --quiet: the verdict only.
    const config = await configFromArgs(argv, argv.quiet ? () => {} : undefined);
    const outcome = await executeRun(config, argv);
    process.exitCode = outcome.exitCode;
  },
};
export default command;

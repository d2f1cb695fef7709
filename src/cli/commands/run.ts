// `xtenant-doctor run`: the diagnosis. Terminal view while it runs, reports at the end, the gate's exit code.
import type { CommandModule } from 'yargs';
import { configFromArgs, withRunOptions, type RunArgs } from '../run-options.js';
import { executeRun } from '../execute.js';

const command: CommandModule<object, RunArgs> = {
  command: 'run',
  describe: 'Run the diagnosis and write the reports',
  builder: (y) => withRunOptions(y),
  handler: async (argv) => {
    const config = configFromArgs(argv);
    const outcome = await executeRun(config, argv);
    process.exitCode = outcome.exitCode;
  },
};
export default command;

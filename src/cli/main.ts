// The command line: yargs with one module per command under commands/. Command modules import their
// heavy dependencies inside their handlers, so `--version`, `fqdn` and `checks` stay light.
import yargs, { type CommandModule } from 'yargs';
import { EXIT } from '../engine/status.js';
import { toolInfo } from '../version.js';
import { reportError, UsageError } from './errors.js';
import { guardProcessOutput } from './output.js';
import { bundleCommand } from './commands/bundle.js';
import checks from './commands/checks.js';
import demo from './commands/demo.js';
import diff from './commands/diff.js';
import discover from './commands/discover.js';
import explain from './commands/explain.js';
import fqdn from './commands/fqdn.js';
import init from './commands/init.js';
import lab from './commands/lab.js';
import merge from './commands/merge.js';
import resolve from './commands/resolve.js';
import { replayCommand } from './commands/replay.js';
import run from './commands/run.js';
import validateConfig from './commands/validate-config.js';
import type { RunArgs } from './run-options.js';

/** `bundle` after a fresh run: the run's report and request log go into the bundle, not into --out. */
const bundle = bundleCommand({
  run: async (argv) => {
    const [{ configFromArgs }, { executeRun }, { configSummary }] = await Promise.all([import('./run-config.js'), import('./execute.js'), import('../environment.js')]);
    const args: RunArgs = { ...argv, out: undefined };
    const config = await configFromArgs(args);
    const outcome = await executeRun(config, args);
    return { report: outcome.report, requestLog: outcome.services.requestLog, exitCode: outcome.exitCode, configSummary: configSummary(config) };
  },
});

export async function main(argv: string[]): Promise<void> {
  guardProcessOutput();
  const debug = argv.includes('--debug');
  // A parse that reaches no command's handler (e.g. `xtenant-doctor -- run`) is a usage error, not a
  // silent success; so are arguments no command takes (yargs' strict mode lets those after `--` by).
  let commandRan = false;
  const track = <T>(command: CommandModule<object, T>): CommandModule<object, T> => ({
    ...command,
    handler: (args) => {
      const extra = args._.slice(1);
      if (extra.length) throw new UsageError(`unexpected argument${extra.length === 1 ? '' : 's'}: ${extra.map((a) => JSON.stringify(String(a))).join(' ')}\n\nRun with --help for usage.`);
      commandRan = true;
      return command.handler(args);
    },
  });
  try {
    await yargs(argv)
      .scriptName('xtenant-doctor')
      .usage('$0 <command> [options]\n\nVerifies and diagnoses a Fabric workspace reached across two Azure tenants through a workspace-level private link.')
      .command(track(run))
      .command(track(demo))
      .command(track(lab))
      .command(track(fqdn))
      .command(track(resolve))
      .command(track(checks))
      .command(track(explain))
      .command(track(diff))
      .command(track(replayCommand({ tool: toolInfo() })))
      .command(track(discover))
      .command(track(merge))
      .command(track(bundle))
      .command(track(validateConfig))
      .command(track(init))
      .option('debug', { type: 'boolean', description: 'Print stack traces of internal errors', global: true })
      .example('$0 run --workspace cfafbeb1-8037-4d0c-896e-a46fb27ff227', 'on the jump VM, zero config: DNS, TCP, TLS and HTTPS to the workspace')
      .example('$0 run --workspace cfafbeb1-8037-4d0c-896e-a46fb27ff227 --consumer-credential cli', "zero config with tenant 1 too: its private link discovered (az login first), the control plane checked")
      .example('$0 run -c xtenant-doctor.json --out report', 'the full diagnosis of both tenants, reports in ./report')
      .example('$0 fqdn cfafbeb1-8037-4d0c-896e-a46fb27ff227', "the workspace's FQDNs and private DNS record names")
      .example('$0 explain consumer.zone-linked', 'what a check proves and how to fix it')
      .demandCommand(1, 'Name a command (see --help).')
      .strict()
      .recommendCommands()
      .version(toolInfo().version)
      .alias('h', 'help')
      .wrap(Math.min(110, process.stdout.columns || 100))
      // A usage error goes the way of every other error (reportError: exit 2, no stack trace), and
      // leaves the process to end by itself rather than cutting off output still being written.
      .fail((message, error) => {
        if (error) throw error;
        throw new UsageError(`${message}\n\nRun with --help for usage.`);
      })
      .parseAsync();
    if (!commandRan && process.exitCode === undefined) throw new UsageError('Name a command before any `--` (see --help).');
  } catch (error) {
    process.exitCode = reportError(error, debug);
  }
}

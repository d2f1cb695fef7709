// Fast paths for the light commands: `fqdn <id> [--json]`, `checks [--json]` and
// `validate-config <file>`, and for a plain `run` (its options parsed by parseRunArgs, from the
// same table yargs is built from), answer without loading yargs (its argument parser, help renderer,
// locales and string-width tables are most of a cold start). Only the plain, valid forms are answered
// here; anything else (--help, another flag, a bad id) returns false and the full command line
// handles it, with its usual messages. The output, the errors and the exit code are the commands' own.
import { isWorkspaceId, workspaceNames } from '../fabric/workspace.js';
import { printChecks } from './commands/checks.js';
import { runDiagnosis } from './commands/run.js';
import { fqdnJson, fqdnText } from './commands/fqdn.js';
import { validateConfigFile } from './commands/validate-config.js';
import { reportError } from './errors.js';
import { guardProcessOutput } from './output.js';
import { parseRunArgs } from './run-options.js';

/** Answers `args` when it is a plain call of a light command; returns false to let the full CLI do it. */
export async function fastPath(args: readonly string[], out: { write(text: string): unknown } = process.stdout): Promise<boolean> {
  const rest = args.slice(1);
  const json = rest.filter((a) => a === '--json').length;
  const positional = rest.filter((a) => a !== '--json');
  switch (args[0]) {
    case 'fqdn': {
      if (json > 1 || positional.length !== 1) return false;
      const id = positional[0]!;
      if (id.startsWith('-') || !isWorkspaceId(id)) return false;
      const names = workspaceNames(id);
      out.write(json ? `${JSON.stringify(fqdnJson(names), null, 2)}\n` : fqdnText(names));
      return true;
    }
    case 'checks':
      if (json > 1 || positional.length) return false;
      return guarded(() => printChecks(json === 1));
    case 'validate-config': {
      const file = rest[0];
      if (rest.length !== 1 || file === undefined || file.startsWith('-')) return false;
      return guarded(() => validateConfigFile(file));
    }
    case 'run': {
      const argv = parseRunArgs(args);
      if (!argv) return false;
      return guarded(() => runDiagnosis(argv), argv.debug === true);
    }
    default:
      return false;
  }
}

/** Runs a command the way main() does: output through the guard, an error reported with its exit code. */
async function guarded(command: () => Promise<void>, debug = false): Promise<true> {
  guardProcessOutput();
  try {
    await command();
  } catch (error) {
    process.exitCode = reportError(error, debug);
  }
  return true;
}

// Errors the CLI turns into exit 2 with a plain message (no stack trace unless --debug).
import { EXIT } from '../engine/status.js';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** By name, not instanceof: the CLI must not load the config validator just to report an error. */
const USAGE_ERRORS = new Set(['UsageError', 'ConfigError', 'CatalogueError', 'WorkspaceIdError', 'ReportWriteError', 'ResolveUsageError', 'ReportFileError']);

/** Prints an error the way a user should see it and returns the exit code. */
export function reportError(error: unknown, debug: boolean): number {
  const known = error instanceof Error && USAGE_ERRORS.has(error.name);
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`xtenant-doctor: ${message}\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  else if (!known) process.stderr.write('(an internal error: run again with --debug for the stack trace, and report it)\n');
  return known ? EXIT.usage : EXIT.notEvaluated;
}

// Errors the CLI turns into exit 2 with a plain message (no stack trace unless --debug).
import { ConfigError } from '../config/load.js';
import { CatalogueError } from '../engine/catalogue.js';
import { EXIT } from '../engine/status.js';
import { WorkspaceIdError } from '../fabric/workspace.js';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const USAGE_ERRORS = [UsageError, ConfigError, CatalogueError, WorkspaceIdError];

/** Prints an error the way a user should see it and returns the exit code. */
export function reportError(error: unknown, debug: boolean): number {
  const known = USAGE_ERRORS.some((type) => error instanceof type);
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`xtenant-doctor: ${message}\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  else if (!known) process.stderr.write('(an internal error: run again with --debug for the stack trace, and report it)\n');
  return known ? EXIT.usage : EXIT.notEvaluated;
}

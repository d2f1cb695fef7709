// A fast path for the lightest command: `fqdn <id> [--json]` answers without loading yargs (its
// argument parser, help renderer and string-width tables are most of a cold start). Only the plain,
// valid form is answered here; anything else (--help, another flag, a bad id) returns false and the
// full command line handles it, with its usual messages. The output is the command's own.
import { isWorkspaceId, workspaceNames } from '../fabric/workspace.js';
import { fqdnJson, fqdnText } from './commands/fqdn.js';

/** Answers `args` when it is a plain `fqdn` call; returns false to let the full CLI do it. */
export function fastPath(args: readonly string[], out: { write(text: string): unknown } = process.stdout): boolean {
  if (args[0] !== 'fqdn') return false;
  const rest = args.slice(1);
  const json = rest.filter((a) => a === '--json').length;
  const positional = rest.filter((a) => a !== '--json');
  if (json > 1 || positional.length !== 1) return false;
  const id = positional[0]!;
  if (id.startsWith('-') || !isWorkspaceId(id)) return false;
  const names = workspaceNames(id);
  out.write(json ? `${JSON.stringify(fqdnJson(names), null, 2)}\n` : fqdnText(names));
  return true;
}

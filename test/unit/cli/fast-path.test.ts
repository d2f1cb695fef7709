// The launcher's fast path answers only the plain `fqdn <id> [--json]` and answers it exactly as the
// command does; everything else falls through to the full command line.
import { describe, expect, it } from 'vitest';
import { fastPath } from '../../../src/cli/fast.js';
import { fqdnJson, fqdnText } from '../../../src/cli/commands/fqdn.js';
import { workspaceNames } from '../../../src/fabric/workspace.js';

const ID = 'cfafbeb1-8037-4d0c-896e-a46fb27ff227';

function capture(args: string[]): { handled: boolean; out: string } {
  let out = '';
  const handled = fastPath(args, { write: (t: string) => (out += t) });
  return { handled, out };
}

describe('fastPath', () => {
  it('prints what the fqdn command prints, as text or JSON, for any accepted id form', () => {
    expect(capture(['fqdn', ID])).toEqual({ handled: true, out: fqdnText(workspaceNames(ID)) });
    expect(capture(['fqdn', '--json', ID.replace(/-/g, '').toUpperCase()])).toEqual({ handled: true, out: `${JSON.stringify(fqdnJson(workspaceNames(ID)), null, 2)}\n` });
    expect(capture(['fqdn', `https://app.fabric.microsoft.com/groups/${ID}/list`, '--json']).handled).toBe(true);
  });

  it('leaves everything else to the full command line', () => {
    for (const args of [
      ['fqdn'],
      ['fqdn', 'not-a-workspace'],
      ['fqdn', ID, '--help'],
      ['fqdn', '--help'],
      ['fqdn', ID, '--json', '--json'],
      ['fqdn', ID, ID],
      ['fqdn', ID, '--debug'],
      ['checks'],
      ['run', '--workspace', ID],
    ]) {
      expect(capture(args), args.join(' ')).toEqual({ handled: false, out: '' });
    }
  });
});

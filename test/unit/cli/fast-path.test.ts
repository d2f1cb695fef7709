// The launcher's fast path answers only the plain `fqdn <id> [--json]`, `checks [--json]` and
// `validate-config <file>`, and answers them exactly as the commands do (the e2e start-up tests run
// them through the built launcher); everything else falls through to the full command line.
import { describe, expect, it } from 'vitest';
import { fastPath } from '../../../src/cli/fast.js';
import { fqdnJson, fqdnText } from '../../../src/cli/commands/fqdn.js';
import { workspaceNames } from '../../../src/fabric/workspace.js';

const ID = 'cfafbeb1-8037-4d0c-896e-a46fb27ff227';

async function capture(args: string[]): Promise<{ handled: boolean; out: string }> {
  let out = '';
  const handled = await fastPath(args, { write: (t: string) => (out += t) });
  return { handled, out };
}

describe('fastPath', () => {
  it('prints what the fqdn command prints, as text or JSON, for any accepted id form', async () => {
    expect(await capture(['fqdn', ID])).toEqual({ handled: true, out: fqdnText(workspaceNames(ID)) });
    expect(await capture(['fqdn', '--json', ID.replace(/-/g, '').toUpperCase()])).toEqual({ handled: true, out: `${JSON.stringify(fqdnJson(workspaceNames(ID)), null, 2)}\n` });
    expect((await capture(['fqdn', `https://app.fabric.microsoft.com/groups/${ID}/list`, '--json'])).handled).toBe(true);
  });

  it('leaves everything else to the full command line', async () => {
    for (const args of [
      ['fqdn'],
      ['fqdn', 'not-a-workspace'],
      ['fqdn', ID, '--help'],
      ['fqdn', '--help'],
      ['fqdn', ID, '--json', '--json'],
      ['fqdn', ID, ID],
      ['fqdn', ID, '--debug'],
      ['checks', '--help'],
      ['checks', '--json', '--json'],
      ['checks', 'extra'],
      ['checks', '--debug'],
      ['validate-config'],
      ['validate-config', '--help'],
      ['validate-config', 'a.json', '--debug'],
      ['validate-config', 'a.json', 'b.json'],
      ['explain', 'consumer.zone-linked'],
      ['run', '--workspace', ID, '--help'],
      ['run', '--format', 'json', 'html'],
    ]) {
      expect(await capture(args), args.join(' ')).toEqual({ handled: false, out: '' });
    }
  });
});

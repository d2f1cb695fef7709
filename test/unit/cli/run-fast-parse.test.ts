// The launcher parses a plain `run` without yargs (parseRunArgs, from the same option table yargs is
// built from). Whatever it accepts must parse exactly as yargs parses it; what it cannot parse
// exactly it must leave to yargs (undefined). Checked on hand-picked lines and on generated ones.
import yargs from 'yargs';
import { describe, expect, it } from 'vitest';
import { parseRunArgs, RUN_OPTIONS, withRunOptions } from '../../../src/cli/run-options.js';

const camelCase = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const KEYS = [...Object.keys(RUN_OPTIONS).map(camelCase), 'debug'];

/** What yargs (run's builder, strict, --debug global as in main.ts) hands run's handler, or its error. */
async function viaYargs(args: string[]): Promise<Record<string, unknown> | { error: string }> {
  let seen: Record<string, unknown> | undefined;
  try {
    await yargs(args)
      .command('run', 'run', (y) => withRunOptions(y), (argv) => {
        if (argv._.length > 1) throw new Error(`extra ${String(argv._.slice(1))}`);
        seen = argv as unknown as Record<string, unknown>;
      })
      .option('debug', { type: 'boolean', global: true })
      .strict()
      .help(false)
      .version(false)
      .fail((message, error) => {
        throw error ?? new Error(message);
      })
      .parseAsync();
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (!seen) return { error: 'no command ran' };
  return Object.fromEntries(KEYS.filter((k) => seen![k] !== undefined).map((k) => [k, seen![k]]));
}

function viaFast(args: string[]): Record<string, unknown> | undefined {
  const parsed = parseRunArgs(args) as Record<string, unknown> | undefined;
  return parsed && Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== undefined));
}

const ID = 'cfafbeb1-8037-4d0c-896e-a46fb27ff227';

describe('parseRunArgs', () => {
  it('parses the plain forms exactly as yargs does', async () => {
    const lines = [
      ['run'],
      ['run', '-c', 'x.json', '--quiet', '--format', 'json', '--out', '/tmp/r', '--no-exit-code'],
      ['run', '--config=x.json', '-q', '-v', '--json', '--debug'],
      ['run', '--workspace', ID, '--consumer-credential', 'client-secret,clientId=a,secretEnv=B', '--consumer-tenant', 'T'],
      ['run', '-w', ID, '--provider-credential', 'cli', '--provider-tenant', 't2', '--cloud', 'usgov'],
      ['run', '--format', 'json,html', '--format', 'md', '--checks', 'local.*', '--skip', 'consumer', '--target', 'a*', '--target', 'b'],
      ['run', '--fail-on', 'warn', '--junit-warn-as', 'failure', '--no-color', '--ascii', '--azure-vm', '--public-probe'],
      ['run', '--dns-server', '10.0.0.4', '--public-dns-server=1.1.1.1,8.8.8.8', '--connect-to', 'a:443:b:8443', '--ca-file', 'ca.pem', '--vantage', 'jump-1'],
      ['run', '-o', 'out', '--color', '--no-ascii', '--no-azure-vm', '--no-public-probe', '--no-json', '--no-verbose', '--no-quiet', '--exit-code'],
      ['run', '--format', ',json,,', '--vantage', '123', '--out', '0x10'],
      // --connect-to is a list but not split at commas (no coerce): as yargs has it.
      ['run', '--connect-to', 'a:443:b:443,c', '--connect-to=d:1:e:2'],
    ];
    for (const args of lines) {
      const fast = viaFast(args);
      expect(fast, args.join(' ')).toBeDefined();
      expect(fast, args.join(' ')).toEqual(await viaYargs(args));
    }
  });

  it('leaves to yargs what it cannot parse exactly', async () => {
    for (const args of [
      ['run', '--help'],
      ['run', '-h'],
      ['run', '--version'],
      ['run', 'extra'],
      ['run', '--', '-c', 'x'],
      ['run', '-qv'],
      ['run', '-c=x.json'],
      ['run', '--config'],
      ['run', '--config', '--quiet'],
      ['run', '--config', ''],
      ['run', '--config', 'a', '--config', 'b'],
      ['run', '-c', 'a', '--config', 'b'],
      ['run', '--quiet', 'true'],
      ['run', '--quiet=false'],
      ['run', '--failOn', 'warn'],
      ['run', '--fail-on', 'nope'],
      ['run', '--cloud', 'mars'],
      ['run', '--format', 'json', 'html'],
      ['run', '--no-config'],
      ['run', '--no-debug'],
      ['run', '--debug', '--debug'],
      ['run', '--quiet', '--no-quiet'],
      ['run', '--unknown'],
      ['run', '--config.x', 'y'],
      ['run', '-x'],
      ['run', '--toString', 'x'],
      ['demo'],
      ['run2'],
    ]) {
      expect(parseRunArgs(args), args.join(' ')).toBeUndefined();
    }
  });

  it('agrees with yargs on generated lines: the same options, or it declines', async () => {
    // A fixed pseudo-random sequence: the same lines on every run.
    let seed = 19;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const words = ['-c', '--config', '--config=a.json', '-q', '--quiet', '--no-quiet', '-v', '--json', '--no-exit-code', '--exit-code', '--format', '--format=json,md', '--checks', '--target', '--fail-on', '--cloud', '--connect-to', '--dns-server', '--junit-warn-as', '--out', '-o', '--debug', '--color', '--no-color', '--vantage', 'json', 'a.json', 'warn', 'public', 'passed', 'x,y', '-', '--', '--nope', ''];
    let accepted = 0;
    for (let n = 0; n < 1500; n++) {
      const args = ['run', ...Array.from({ length: next(7) }, () => words[next(words.length)]!)];
      const fast = viaFast(args);
      if (!fast) continue;
      accepted++;
      expect(fast, args.join(' ')).toEqual(await viaYargs(args));
    }
    // The generator reaches the fast path often enough to mean something.
    expect(accepted).toBeGreaterThan(100);
  });
});

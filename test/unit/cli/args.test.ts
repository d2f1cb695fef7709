// declared (src/cli/args.ts): a command's arguments interface is checked against the options its
// builder declares, at compile time (npm run typecheck fails on a mismatch), and the handler reads
// the camelCase names yargs sets.
import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { declared } from '../../../src/cli/args.js';
import { withRunOptions, type RunArgs } from '../../../src/cli/run-options.js';

interface ProbeArgs {
  timeoutMs: number;
  dnsServer?: string[];
}

describe('declared', () => {
  it('types the options as the interface, and the handler reads their camelCase names', async () => {
    let seen: ProbeArgs | undefined;
    await yargs(['probe', '--timeout-ms', '250', '--dns-server', '10.0.0.4'])
      .command<ProbeArgs>({
        command: 'probe',
        describe: 'a probe',
        builder: (y) =>
          declared<ProbeArgs>()(y.option('timeout-ms', { type: 'number', demandOption: true }).option('dns-server', { type: 'array', string: true })),
        handler: (argv) => {
          seen = { timeoutMs: argv.timeoutMs, ...(argv.dnsServer ? { dnsServer: argv.dnsServer } : {}) };
        },
      })
      .parseAsync();
    expect(seen).toEqual({ timeoutMs: 250, dnsServer: ['10.0.0.4'] });
  });

  it('refuses, at compile time, an interface field no option gives or gives with another type', () => {
    const y = yargs([]);
    // @ts-expect-error: no option declares `retries`
    declared<ProbeArgs & { retries: number }>()(y.option('timeout-ms', { type: 'number', demandOption: true }));
    // @ts-expect-error: `timeout-ms` is a string here, the interface says number
    declared<ProbeArgs>()(y.option('timeout-ms', { type: 'string', demandOption: true }));
    // The run options give RunArgs (what run, demo and bundle read).
    expect(declared<RunArgs>()(withRunOptions(y))).toBe(y);
  });
});

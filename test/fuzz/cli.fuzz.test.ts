// Random command lines: every one ends in a clear answer (exit 0/1 for a valid light command, exit 2
// with a message naming the problem), never an internal error or a stack trace outside --debug.
// In-process through main() (the very function bin/xtenant-doctor.cjs calls) for hundreds of cases,
// plus a handful through the built CLI to prove the same holds for a real process.
// Replay: FC_SEED=<seed> npx vitest run test/fuzz/cli.fuzz.test.ts
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli } from '../helpers/cli.js';

const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`cli fuzz seed: ${seed}`);

// Commands whose handlers are light (no network, no lab): they may run to the end.
const LIGHT = ['fqdn', 'checks', 'explain', 'diff', 'validate-config', 'replay'];
// Commands that would diagnose, serve or resolve: fuzzed only together with an unknown option, which
// strict parsing must refuse before the handler runs.
const HEAVY = ['run', 'demo', 'lab', 'bundle', 'resolve'];
const OPTIONS = [
  '-c', '--config', '-w', '--workspace', '-o', '--out', '--format', '--checks', '--skip', '--target', '--fail-on', '--exit-code', '--no-exit-code',
  '--json', '-v', '--verbose', '-q', '--quiet', '--color', '--no-color', '--dns-server', '--public-dns-server', '--azure-vm', '--connect-to', '--ca-file',
  '--public-probe', '--junit-warn-as', '--fault', '--targets', '--latency', '--seed', '--chaos', '--port', '--from', '--redact', '--server', '--debug',
];
const VALUES = fc.oneof(
  fc.constantFrom('', '-', '--', 'fail', 'warn', 'nope', 'json,junit', 'all', 'local.*', '0', '-1', '1e309', 'NaN', '7:0.3', '7:2', 'cfafbeb1-8037-4d0c-896e-a46fb27ff227', '/nonexistent/file.json', '/proc/x', '/etc/hostname', '\u0000', '{}', '[]', '=', 'a=b'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.integer().map(String),
);
/** Never ask for help or the version in-process: yargs answers those by ending the process (checked spawned below). */
const safe = (token: string) => !/^-(-?(help|version)\b|[^-]*[hV])/.test(token);
const TOKEN = fc.oneof(fc.constantFrom(...OPTIONS), VALUES, fc.constantFrom(...LIGHT, ...HEAVY)).filter(safe);

const lightArgv = fc.tuple(fc.constantFrom(...LIGHT), fc.array(TOKEN, { maxLength: 8 })).map(([command, rest]) => [command, ...rest]);
const heavyArgv = fc
  .tuple(fc.constantFrom(...HEAVY), fc.array(TOKEN, { maxLength: 6 }), fc.stringMatching(/^[a-z]{3,10}$/), fc.nat())
  .map(([command, rest, unknown, at]) => {
    const argv = [command, ...rest];
    argv.splice(1 + (at % (rest.length + 1)), 0, `--zz-${unknown}`);
    return argv;
  });
const junkArgv = fc.array(TOKEN, { maxLength: 6 });

interface Outcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

class ProcessExit extends Error {
  constructor(readonly code: number | undefined) {
    super(`process.exit(${code})`);
  }
}

async function runMain(argv: string[]): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const exit = vi.spyOn(process, 'exit').mockImplementation((code?: number | string | null) => {
    throw new ProcessExit(Number(code ?? 0));
  });
  process.exitCode = undefined;
  try {
    await main(argv);
    return { exitCode: Number(process.exitCode ?? 0), stdout, stderr };
  } finally {
    process.exitCode = undefined;
    out.mockRestore();
    err.mockRestore();
    exit.mockRestore();
  }
}

function expectClearAnswer(argv: string[], outcome: Outcome): void {
  const debug = argv.includes('--debug');
  const what = `argv ${JSON.stringify(argv)}\nstderr: ${outcome.stderr}`;
  expect(outcome.stderr, what).not.toMatch(/internal error|process\.exit\(/);
  if (!debug) expect(outcome.stderr, what).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect([0, 1, 2], what).toContain(outcome.exitCode);
  if (outcome.exitCode === 2) expect(outcome.stderr, what).toMatch(/^xtenant-doctor[: ]/);
}

afterEach(() => vi.restoreAllMocks());

describe('cli fuzz (in-process, through main)', () => {
  it('light commands with random options and values', async () => {
    await fc.assert(
      fc.asyncProperty(lightArgv, async (argv) => expectClearAnswer(argv, await runMain(argv))),
      { seed, numRuns: 250 },
    );
  });

  it('diagnosing commands with an unknown option are refused before they start', async () => {
    await fc.assert(
      fc.asyncProperty(heavyArgv, async (argv) => {
        const outcome = await runMain(argv);
        expectClearAnswer(argv, outcome);
        expect(outcome.exitCode, JSON.stringify(argv)).toBe(2);
        expect(outcome.stdout).toBe('');
      }),
      { seed, numRuns: 150 },
    );
  });

  it('junk without a known command', async () => {
    await fc.assert(
      fc.asyncProperty(junkArgv, async (argv) => {
        fc.pre(!argv.some((t) => LIGHT.includes(t) || HEAVY.includes(t)));
        const outcome = await runMain(argv);
        expectClearAnswer(argv, outcome);
        expect(outcome.exitCode).toBe(2);
      }),
      { seed, numRuns: 150 },
    );
  });
});

describe('cli (spawned, the built CLI)', () => {
  const cases: Array<[string[], RegExp]> = [
    [['frobnicate'], /Unknown argument: frobnicate/],
    [[], /Name a command/],
    [['run', '--fail-on', 'sometimes'], /fail-on.*sometimes/s],
    [['run', '-c', '/nonexistent/xtd.json'], /\/nonexistent\/xtd\.json/],
    [['run', '--workspace', 'not-a-guid'], /not-a-guid/],
    [['demo', '--chaos', '7:2'], /--chaos "7:2"/],
    [['demo', '--latency', '-5'], /latency/],
    [['demo', '--format', 'pdf', '--out', '/tmp/xtd-fuzz-never'], /--format: unknown report format "pdf"/],
    [['lab', '--port', '99999'], /port/],
    [['bundle', '--from', '/nonexistent/r.json', '--out', 'b.zip'], /\*\.tar\.gz/],
    [['replay', '/nonexistent/r.json'], /\/nonexistent\/r\.json/],
    [['fqdn', '\u00e9'], /workspace/i],
  ];

  it.each(cases)('%j → exit 2 naming the problem, no stack trace', { timeout: 60_000 }, async (argv, message) => {
    const result = await runCli(argv);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
  });

  it('--debug adds the stack trace', async () => {
    const result = await runCli(['run', '-c', '/nonexistent/xtd.json', '--debug']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('--help and --version answer and exit 0', async () => {
    const [help, version, commandHelp] = await Promise.all([runCli(['--help']), runCli(['--version']), runCli(['demo', '--help'])]);
    expect([help.code, version.code, commandHelp.code]).toEqual([0, 0, 0]);
    expect(help.stdout).toContain('xtenant-doctor');
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(commandHelp.stdout).toContain('--chaos');
  });
});

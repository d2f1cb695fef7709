// `xtenant-doctor replay <report.json | bundle.tar.gz> [--out DIR] [--format …]`: today's checks on
// the recorded facts, offline. Writes reports as `run` does; the exit code is the gate's, as for run.
import path from 'node:path';
import type { CommandModule } from 'yargs';
import type { CheckDef, FactDef } from '../../engine/define.js';
import { EXIT } from '../../engine/status.js';
import type { RunReport } from '../../engine/types.js';
import type { ReplayOutcome } from '../../snapshot/replay.js';
import { oneLine } from '../../text/sanitize.js';
import { formatOption } from '../run-options.js';
import type { Output } from './diff.js';
import { declared } from '../args.js';

export interface ReplayArgs {
  input: string;
  out?: string;
  format?: string[];
  json?: boolean;
  plugin?: string[];
  verbose?: boolean;
  color?: boolean;
  ascii?: boolean;
}

export interface ReplayDeps {
  /** The current catalogue (default: checks/index.ts and gather/index.ts). */
  catalogue?: () => Promise<{ checks: CheckDef[]; facts: FactDef[] }>;
  tool?: { name: string; version: string };
}

const processOutput: Output = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

export async function runReplayCommand(args: ReplayArgs, deps: ReplayDeps = {}, out: Output = processOutput): Promise<number> {
  // The recording loader (tar, the report schema), the engine and the writers load with the command, not with the CLI.
  const [{ loadReport, ReportFileError }, { replayReport }, { chosenFormats, writeReports }] = await Promise.all([
    import('../../snapshot/load.js'),
    import('../../snapshot/replay.js'),
    import('../../../reports/index.js'),
  ]);
  let formats;
  try {
    formats = chosenFormats(args.format);
  } catch (error) {
    out.stderr(`xtenant-doctor replay: ${(error as Error).message}\n`);
    return EXIT.usage;
  }
  let loaded;
  try {
    loaded = await loadReport(args.input);
  } catch (error) {
    if (error instanceof ReportFileError) {
      out.stderr(`xtenant-doctor replay: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  const catalogue = deps.catalogue ? await deps.catalogue() : await currentCatalogue(args.plugin ?? []);
  let outcome: ReplayOutcome;
  try {
    outcome = await replayReport({
      report: loaded.report,
      checks: catalogue.checks,
      facts: catalogue.facts,
      source: args.input,
      ...(deps.tool ? { tool: deps.tool } : {}),
    });
  } catch (error) {
    // The recorded config is checked as the replay starts.
    if (error instanceof ReportFileError) {
      out.stderr(`xtenant-doctor replay: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  if (args.out) await writeReports(outcome.report, args.out, formats);
  if (args.json) out.stdout(`${JSON.stringify(outcome.report, null, 2)}\n`);
  else {
    const { formatSummary, shouldColor, shouldUseAscii } = await import('../../../reports/terminal.js');
    const summary = formatSummary(outcome.report, { color: args.color ?? shouldColor(process.stdout), ascii: shouldUseAscii(process.env, process.platform, args.ascii), verbose: args.verbose === true });
    out.stdout(formatReplay(outcome, loaded.report, args.input, summary, args.out));
  }
  return outcome.report.summary.exitCode;
}

/**
 * What `run` prints (the summary: root causes, fixes, the path, the verdict), between a line naming
 * the recording and the notes only a replay has: checks whose status differs from the recording,
 * facts from another gatherer version, network attempts refused.
 */
export function formatReplay(outcome: ReplayOutcome, recorded: RunReport, input: string, summary: string, outDir?: string): string {
  const { report } = outcome;
  // The recording is untrusted: a field of the wrong type is shown as unknown, not trusted to be text.
  const text = (value: unknown, fallback: string) => oneLine(typeof value === 'string' ? value : fallback);
  const lines = [`replay of ${oneLine(input)} (recorded ${text(recorded.startedAt, '?')} by ${text(recorded.tool?.name, 'xtenant-doctor')} ${text(recorded.tool?.version, '?')}), offline`, '', summary];
  const recordedStatus = new Map(recorded.targets.flatMap((t) => t.results.map((r) => [`${t.name}\0${r.checkId}`, r.status])));
  const differs = report.targets.flatMap((t) =>
    t.results.flatMap((r) => {
      const before = recordedStatus.get(`${t.name}\0${r.checkId}`);
      if (before === r.status) return [];
      const where = report.targets.length > 1 ? ` [${oneLine(t.name)}]` : '';
      return [`  ${r.checkId}${where}: ${before === undefined ? 'new check' : `${before} when recorded`}, ${r.status} now`];
    }),
  );
  if (differs.length) lines.push('', "Today's checks read the recording differently:", ...differs);
  if (outcome.incompatible.length) {
    lines.push(`${outcome.incompatible.length} recorded fact(s) from another gatherer version were not used: ${[...new Set(outcome.incompatible.map((f) => f.id))].join(', ')}`);
  }
  if (outcome.refused.length) lines.push(`refused ${outcome.refused.length} network attempt(s) during the replay: ${outcome.refused.slice(0, 5).join(', ')}`);
  if (outDir) lines.push(`reports written to ${outDir}`);
  return `${lines.join('\n')}\n`;
}

/** Today's catalogue, with `--plugin` modules validated like config plugins. */
async function currentCatalogue(pluginFiles: string[]): Promise<{ checks: CheckDef[]; facts: FactDef[] }> {
  const [{ builtInCatalogue }, { buildCatalogue, loadPlugins }] = await Promise.all([import('../../diagnose.js'), import('../../engine/catalogue.js')]);
  return buildCatalogue(await builtInCatalogue(), await loadPlugins(pluginFiles.map((file) => path.resolve(file))));
}

export function replayCommand(deps: ReplayDeps = {}): CommandModule<object, ReplayArgs> {
  return {
    command: 'replay <input>',
    describe: 'Re-evaluate the checks on the facts a report or bundle recorded, offline, and write reports as run does',
    builder: (y) =>
      declared<ReplayArgs>()(
        y
          .positional('input', { type: 'string', demandOption: true, description: 'report.json or a support bundle (.tar.gz)' })
          .option('out', { alias: 'o', type: 'string', description: 'Write the reports to this directory' })
          .option('format', formatOption)
          .option('json', { type: 'boolean', description: 'Print the replayed RunReport as JSON' })
          .option('verbose', { alias: 'v', type: 'boolean', description: 'Evidence under each result that is not a pass' })
          .option('color', { type: 'boolean', description: 'Force colours on or off (default: on a terminal, unless NO_COLOR is set)' })
          .option('ascii', { type: 'boolean', description: 'ASCII marks instead of ✓ ✗ (default: on the Windows console host)' })
          .option('plugin', { type: 'array', string: true, description: 'Load extra checks from this module (repeatable); recorded plugin paths are not loaded' })
          .example('$0 replay bundle.tar.gz --out replayed', "a customer's bundle through today's checks"),
      ),
    handler: async (argv) => {
      process.exitCode = await runReplayCommand(argv, deps);
    },
  };
}

export default replayCommand();

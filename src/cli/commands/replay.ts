// `xtenant-doctor replay <report.json | bundle.tar.gz> [--out DIR] [--format …]`: today's checks on
// the recorded facts, offline. Writes reports as `run` does; the exit code is the gate's, as for run.
import path from 'node:path';
import type { CommandModule } from 'yargs';
import type { CheckDef, FactDef } from '../../engine/define.js';
import { EXIT } from '../../engine/status.js';
import type { CheckResult, RunReport } from '../../engine/types.js';
import { loadReport, ReportFileError } from '../../snapshot/load.js';
import { loadWriteReports, type WriteReports } from '../../snapshot/renderers.js';
import { replayReport, type ReplayOutcome } from '../../snapshot/replay.js';
import type { Output } from './diff.js';

export interface ReplayArgs {
  input: string;
  out?: string;
  format?: string[];
  json?: boolean;
  plugin?: string[];
}

export interface ReplayDeps {
  /** The current catalogue (default: checks/index.ts and gather/index.ts). */
  catalogue?: () => Promise<{ checks: CheckDef[]; facts: FactDef[] }>;
  writeReports?: WriteReports;
  tool?: { name: string; version: string };
}

const FORMATS = ['json', 'junit', 'html', 'md'];
const processOutput: Output = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

export async function runReplayCommand(args: ReplayArgs, deps: ReplayDeps = {}, out: Output = processOutput): Promise<number> {
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
  const outcome = await replayReport({
    report: loaded.report,
    checks: catalogue.checks,
    facts: catalogue.facts,
    source: args.input,
    ...(deps.tool ? { tool: deps.tool } : {}),
  });
  if (args.out) {
    const formats = args.format?.length ? args.format : FORMATS;
    const unknown = formats.filter((f) => !FORMATS.includes(f));
    if (unknown.length) {
      out.stderr(`xtenant-doctor replay: --format ${unknown.join(',')}: expected some of ${FORMATS.join(',')}\n`);
      return EXIT.usage;
    }
    await (deps.writeReports ?? (await loadWriteReports()))(outcome.report, args.out, formats);
  }
  if (args.json) out.stdout(`${JSON.stringify(outcome.report, null, 2)}\n`);
  else out.stdout(formatReplay(outcome, loaded.report, args.input, args.out));
  return outcome.report.summary.exitCode;
}

const MARKS: Record<CheckResult['status'], string> = { pass: '✓', warn: '!', fail: '✗', skip: '-', error: '?' };

export function formatReplay(outcome: ReplayOutcome, recorded: RunReport, input: string, outDir?: string): string {
  const { report } = outcome;
  const lines = [`replay of ${input} (recorded ${recorded.startedAt} by ${recorded.tool?.name ?? 'xtenant-doctor'} ${recorded.tool?.version ?? '?'}), offline`];
  const recordedStatus = new Map(recorded.targets.flatMap((t) => t.results.map((r) => [`${t.name}\0${r.checkId}`, r.status])));
  for (const target of report.targets) {
    if (report.targets.length > 1) lines.push(`target ${target.name}`);
    for (const r of target.results) {
      const before = recordedStatus.get(`${target.name}\0${r.checkId}`);
      const changed = before === undefined ? ' (new check)' : before !== r.status ? ` (was ${before} when recorded)` : '';
      lines.push(`${MARKS[r.status]} ${r.checkId}: ${r.message}${changed}`);
    }
  }
  const s = report.summary;
  lines.push('', `${s.pass} pass, ${s.warn} warn, ${s.fail} fail, ${s.skip} skip, ${s.error} error`);
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
      y
        .positional('input', { type: 'string', demandOption: true, description: 'report.json or a support bundle (.tar.gz)' })
        .option('out', { alias: 'o', type: 'string', description: 'Write the reports to this directory' })
        .option('format', {
          type: 'array',
          string: true,
          description: `Report formats: ${FORMATS.join(',')} (default: all)`,
          coerce: (values: string[]) => values.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean),
        })
        .option('json', { type: 'boolean', description: 'Print the replayed RunReport as JSON' })
        .option('plugin', { type: 'array', string: true, description: 'Load extra checks from this module (repeatable); recorded plugin paths are not loaded' })
        .example('$0 replay bundle.tar.gz --out replayed', "a customer's bundle through today's checks") as never,
    handler: async (argv) => {
      process.exitCode = await runReplayCommand(argv, deps);
    },
  };
}

export default replayCommand();

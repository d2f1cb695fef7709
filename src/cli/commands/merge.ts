// `xtenant-doctor merge REPORT... --out DIR`: one estate report from the report.json files of several
// vantage points (a CI matrix of runners, one per VNet). Writes every format as `run` does; prints
// the summary and, side by side, the checks whose results differ between vantage points.
import type { CommandModule } from 'yargs';
import { EXIT, FAIL_ON_VALUES } from '../../engine/status.js';
import type { RunReport } from '../../engine/types.js';
import { MergeError, mergeReports, vantageConflicts } from '../../snapshot/merge.js';
import { oneLine } from '../../text/sanitize.js';
import { toolInfo } from '../../version.js';
import { formatOption } from '../run-options.js';
import type { Output } from './diff.js';
import { declared } from '../args.js';

export interface MergeArgs {
  reports: string[];
  out?: string;
  format?: string[];
  json?: boolean;
  failOn?: string;
}

const processOutput: Output = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

export async function runMergeCommand(args: MergeArgs, out: Output = processOutput): Promise<number> {
  // The writers and the recording loader (tar, the report schema) load with the command, not with the CLI.
  const [{ chosenFormats, writeReports, formatSummary }, { loadReport, ReportFileError }] = await Promise.all([import('../../../reports/index.js'), import('../../snapshot/load.js')]);
  let formats;
  try {
    formats = chosenFormats(args.format);
  } catch (error) {
    out.stderr(`xtenant-doctor merge: ${(error as Error).message}\n`);
    return EXIT.usage;
  }
  let merged: RunReport;
  try {
    const loaded = await Promise.all(args.reports.map((file) => loadReport(file)));
    merged = mergeReports(
      loaded.map((l) => ({ file: l.file, report: l.report })),
      { tool: toolInfo(), ...(args.failOn ? { failOn: args.failOn } : {}) },
    );
  } catch (error) {
    if (error instanceof ReportFileError || error instanceof MergeError) {
      out.stderr(`xtenant-doctor merge: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  const written = args.out ? await writeReports(merged, args.out, formats) : [];
  if (args.json) out.stdout(`${JSON.stringify(merged, null, 2)}\n`);
  else {
    out.stdout(`${formatMergeHeader(merged)}\n\n${formatSummary(merged)}\n`);
    if (written.length) out.stdout(`reports: ${written.join(', ')}\n`);
  }
  return merged.summary.exitCode;
}

/** The vantage points joined, then each check that differs between them, side by side. */
export function formatMergeHeader(report: RunReport): string {
  const points = report.vantagePoints ?? [];
  const lines = [`merged ${points.length} vantage point${points.length === 1 ? '' : 's'}: ${points.map((v) => `${oneLine(v.id)}${v.vnetId ? ` (${oneLine(v.vnetId.split('/').pop() ?? '')})` : ''}`).join(', ')}`];
  const conflicts = vantageConflicts(report);
  if (conflicts.length) {
    lines.push('', 'Seen differently from different vantage points:');
    for (const c of conflicts) {
      lines.push(`  ${oneLine(c.target)} · ${c.checkId}  ${oneLine(c.title)}`);
      for (const o of c.observations) lines.push(`    ${o.status.padEnd(5)} ${oneLine(o.message)}`);
    }
  }
  return lines.join('\n');
}

const command: CommandModule<object, MergeArgs> = {
  command: 'merge <reports..>',
  describe: 'Join the report.json files of several vantage points (one per VNet) into one estate report',
  builder: (y) =>
    declared<MergeArgs>()(
      y
        .positional('reports', { type: 'string', array: true, demandOption: true, description: 'report.json files (or bundles), one per vantage point' })
        .option('out', { alias: 'o', type: 'string', description: 'Write the merged reports to this directory' })
        .option('format', formatOption)
        .option('json', { type: 'boolean', description: 'Print the merged RunReport as JSON' })
        .option('fail-on', { type: 'string', choices: [...FAIL_ON_VALUES], description: "The gate of the merged report (default: the first report's)" })
        .example('$0 merge spoke-a/report.json spoke-b/report.json --out estate', 'one report for the estate'),
    ),
  handler: async (argv) => {
    process.exitCode = await runMergeCommand(argv);
  },
};
export default command;

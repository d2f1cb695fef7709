// `xtenant-doctor checks`: the catalogue, as a table or JSON.
import type { CommandModule } from 'yargs';
import type { CheckDef } from '../../engine/define.js';

export function checksJson(checks: CheckDef[]): object[] {
  return checks.map((c) => ({ id: c.id, title: c.title, side: c.side, severity: c.severity, after: c.after, docStep: c.docStep }));
}

export function checksText(checks: CheckDef[]): string {
  const width = Math.max(...checks.map((c) => c.id.length), 2);
  const lines = checks.map((c) => `${c.id.padEnd(width)}  ${c.severity.padEnd(8)}  step ${c.docStep.padEnd(12)}  ${c.title}`);
  return `${lines.join('\n')}\n\n${checks.length} checks. \`xtenant-doctor explain <id>\` says what one proves and how to fix it.\n`;
}

/** The command's work: the catalogue on stdout. */
export async function printChecks(json: boolean): Promise<void> {
  const { CATALOGUE } = await import('../../../checks/index.js');
  process.stdout.write(json ? `${JSON.stringify(checksJson(CATALOGUE), null, 2)}\n` : checksText(CATALOGUE));
}

const command: CommandModule<object, { json?: boolean }> = {
  command: 'checks',
  describe: 'List the checks',
  builder: (y) => y.option('json', { type: 'boolean', description: 'Print JSON: id, title, side, severity, after, docStep' }),
  handler: (argv) => printChecks(argv.json === true),
};
export default command;

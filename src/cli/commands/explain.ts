// `xtenant-doctor explain <checkId>`: what a check proves, why it matters, and how to fix it.
import type { CommandModule } from 'yargs';
import type { CheckDef } from '../../engine/define.js';
import { generalFix, qualifyPrerequisite } from '../../engine/define.js';
import { knownValues } from '../../fix/known.js';
import { fixLines } from '../../../reports/model.js';

/** The general fix with nothing known: its commands look up what a target's run fills in. */
function catalogueFix(check: CheckDef) {
  return generalFix(check, knownValues(undefined));
}
import { UsageError } from '../errors.js';

export function explainText(check: CheckDef): string {
  const after = check.after.map((a) => qualifyPrerequisite(check, a));
  return [
    `${check.id}: ${check.title}`,
    `side: ${check.side}   severity: ${check.severity}   setup step: ${check.docStep}${after.length ? `   after: ${after.join(', ')}` : ''}`,
    '',
    'What it proves',
    indent(check.explain),
    '',
    'How to fix it',
    indent(fixLines(catalogueFix(check), ['bash', 'powershell']).join('\n')),
    '',
  ].join('\n');
}

function indent(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

const command: CommandModule<object, { checkId: string; json?: boolean }> = {
  command: 'explain <checkId>',
  describe: 'What a check proves and how to fix it',
  builder: (y) => y.positional('checkId', { type: 'string', demandOption: true }).option('json', { type: 'boolean' }),
  handler: async (argv) => {
    const { CATALOGUE } = await import('../../../checks/index.js');
    const check = CATALOGUE.find((c) => c.id === argv.checkId);
    if (!check) {
      const close = CATALOGUE.filter((c) => c.id.includes(argv.checkId.split('.').pop() ?? argv.checkId)).map((c) => c.id);
      throw new UsageError(`no check ${JSON.stringify(argv.checkId)}.${close.length ? ` Did you mean ${close.join(', ')}?` : ''} \`xtenant-doctor checks\` lists them.`);
    }
    if (argv.json) {
      const { run: _run, applies: _applies, ...rest } = check;
      process.stdout.write(`${JSON.stringify({ ...rest, fix: catalogueFix(check) }, null, 2)}\n`);
    } else process.stdout.write(explainText(check));
  },
};
export default command;

// `xtenant-doctor validate-config <file>`: every problem at once, each with its JSON path; exit 2 if any.
import type { CommandModule } from 'yargs';
import { matchesPattern } from '../../engine/status.js';

const command: CommandModule<object, { file: string }> = {
  command: 'validate-config <file>',
  describe: 'Check a config file (schema, workspace ids, plugins, waivers) without running anything',
  builder: (y) => y.positional('file', { type: 'string', demandOption: true }),
  handler: async (argv) => {
    const [{ loadConfigFile, ConfigError }, { loadCatalogue }] = await Promise.all([import('../../config/load.js'), import('../../diagnose.js')]);
    const config = loadConfigFile(argv.file);
    const catalogue = await loadCatalogue(config);
    const problems = config.checks.waivers.flatMap((w, i) =>
      catalogue.checks.some((c) => matchesPattern(c.id, w.check)) ? [] : [{ path: `$.checks.waivers[${i}].check`, message: `no check matches ${JSON.stringify(w.check)}` }],
    );
    if (problems.length) throw new ConfigError(argv.file, problems);
    const today = new Date().toISOString().slice(0, 10);
    const expired = config.checks.waivers.filter((w) => w.expires < today);
    process.stdout.write(
      `${argv.file}: valid. ${config.targets.length} target${config.targets.length === 1 ? '' : 's'}, ` +
        `provider credential: ${config.credentials.provider.type}, consumer credential: ${config.credentials.consumer.type}, ` +
        `${catalogue.checks.length} checks.\n` +
        expired.map((w) => `note: the waiver for ${w.check} expired on ${w.expires} and no longer applies\n`).join(''),
    );
  },
};
export default command;

// `xtenant-doctor validate-config <file>`: every problem at once, each with its JSON path; exit 2 if
// any is an error. Warnings (the same tenant on both sides, a side left unchecked) do not fail it.
import type { CommandModule } from 'yargs';
import type { CheckDef } from '../../engine/define.js';
import { isJsonObject } from '../../text/json.js';

/**
 * The checks a config's waivers may name. Without plugins the built-in checks alone (no facts: the
 * gatherers load the Azure SDK, which validating a file never needs); plugins are validated against
 * the whole catalogue, facts included, as a run would.
 */
async function checksToValidate(plugins: string[]): Promise<{ checks: CheckDef[] }> {
  if (plugins.length === 0) return { checks: (await import('../../../checks/index.js')).CATALOGUE };
  const [{ builtInCatalogue }, { buildCatalogue, loadPlugins }] = await Promise.all([import('../../diagnose.js'), import('../../engine/catalogue.js')]);
  return buildCatalogue(await builtInCatalogue(), await loadPlugins(plugins));
}

/** The command's work: prints what is wrong (throws ConfigError) or that the file is valid. */
export async function validateConfigFile(file: string): Promise<void> {
  const [{ readConfigData, resolveConfig, ConfigError }, { validateConfig }] = await Promise.all([import('../../config/load.js'), import('../../config/validate.js')]);
  const data = readConfigData(file);
  // Settings and credentials without targets serve `discover` and `run --workspace`: validated the
  // way they read it (a carrier target in place of the targets discovery finds).
  const settingsOnly = isJsonObject(data) && data.targets === undefined;
  const config = resolveConfig(settingsOnly ? (await import('../../discover/build.js')).searchConfigData(data) : data, file);
  const catalogue = await checksToValidate(config.plugins);
  const findings = validateConfig(config, { raw: data, checkIds: catalogue.checks.map((c) => c.id) }).filter((f) => !settingsOnly || !f.path.startsWith('$.targets'));
  const warnings = findings.filter((f) => f.level === 'warning');
  for (const w of warnings) process.stderr.write(`warning: ${w.path}: ${w.message}\n`);
  const errors = findings.filter((f) => f.level === 'error').map(({ path, message }) => ({ path, message }));
  if (errors.length) throw new ConfigError(file, errors);
  const today = new Date().toISOString().slice(0, 10);
  const expired = config.checks.waivers.filter((w) => w.expires < today);
  process.stdout.write(
    `${file}: valid${warnings.length ? ` (${warnings.length} warning${warnings.length === 1 ? '' : 's'})` : ''}. ` +
      (settingsOnly ? 'no targets (settings for `discover` and `run --workspace`), ' : `${config.targets.length} target${config.targets.length === 1 ? '' : 's'}, `) +
      `provider credential: ${config.credentials.provider.type}, consumer credential: ${config.credentials.consumer.type}, ` +
      `${catalogue.checks.length} checks.\n` +
      expired.map((w) => `note: the waiver for ${w.check} expired on ${w.expires} and no longer applies\n`).join(''),
  );
}

const command: CommandModule<object, { file: string }> = {
  command: 'validate-config <file>',
  describe: 'Check a config file (schema, ids and their types, tenants, credentials and their files, waivers) without contacting anything',
  builder: (y) => y.positional('file', { type: 'string', demandOption: true }),
  handler: async (argv) => {
    await validateConfigFile(argv.file);
  },
};
export default command;

// `xtenant-doctor discover [-c CONFIG] --write FILE`: the targets built from Azure instead of six ids
// copied by hand per workspace. CONFIG supplies credentials, cloud, dns and network settings (its
// targets are ignored, but for their tenant ids); the written config is sorted and stable.
import { existsSync } from 'node:fs';
import { relative, resolve, dirname } from 'node:path';
import type { CommandModule } from 'yargs';
import { DEFAULT_CONFIG_FILE } from '../../config/defaults.js';
import { EXIT } from '../../engine/status.js';
import { isJsonObject } from '../../text/json.js';
import { oneLine } from '../../text/sanitize.js';
import { packageRoot } from '../../version.js';
import { UsageError } from '../errors.js';
import { declared } from '../args.js';

export interface DiscoverArgs {
  config?: string;
  write?: string;
  subscription?: string[];
  workspace?: string[];
  resourceGraph: boolean;
  consumerTenant?: string;
  providerTenant?: string;
}

export async function runDiscoverCommand(args: DiscoverArgs): Promise<number> {
  const file = args.config ?? DEFAULT_CONFIG_FILE;
  if (!existsSync(file)) throw new UsageError(`discover needs a config for its credentials: ${args.config ? `${file} does not exist` : `use -c FILE (./${DEFAULT_CONFIG_FILE} does not exist)`}`);
  const [{ readConfigData, resolveConfig }, { parseWorkspaceId }, { createServices }, { discover }, { buildTargets, discoveredConfig, rebaseFilePaths, searchConfigData, searchedBy }, { writeAtomic }] = await Promise.all([
    import('../../config/load.js'),
    import('../../fabric/workspace.js'),
    import('../../engine/services.js'),
    import('../../discover/gather.js'),
    import('../../discover/build.js'),
    import('../../../reports/write.js'),
  ]);
  const data = readConfigData(file);
  // Not an object: the schema says what is wrong with it, as for any config.
  if (!isJsonObject(data)) resolveConfig(data, file);
  const raw = isJsonObject(data) ? data : {};
  const config = resolveConfig(searchConfigData(raw, { consumer: args.consumerTenant, provider: args.providerTenant }), file);
  const workspaces = (args.workspace ?? []).map((w) => parseWorkspaceId(w));

  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  let result;
  try {
    result = await discover({
      config,
      services: createServices(config, abort.signal),
      signal: abort.signal,
      resourceGraph: args.resourceGraph,
      ...(args.subscription?.length ? { subscriptions: args.subscription } : {}),
      ...(workspaces.length ? { workspaces } : {}),
    });
  } catch (error) {
    throw new UsageError(`discover: ${(error as Error).message}`);
  } finally {
    process.off('SIGINT', onSignal);
  }
  const targets = buildTargets(result.found, { workspaces });
  const out: string[] = [];
  out.push(`discover: tenant 1 by ${searchedBy(result.sources.consumer)}, tenant 2 by ${searchedBy(result.sources.provider)}`);
  out.push(`found ${targets.length} target${targets.length === 1 ? '' : 's'}${workspaces.length ? ` (narrowed to ${workspaces.length} workspace${workspaces.length === 1 ? '' : 's'})` : ''}:`);
  for (const t of targets) {
    out.push(`  ${oneLine(t.name)}  workspace ${t.workspaceId}${t.consumer?.privateEndpointId ? `  endpoint ${oneLine(t.consumer.privateEndpointId.split('/').pop() ?? '')}` : ''}`);
    for (const note of t.notes) out.push(`    note: ${oneLine(note)}`);
  }
  if (result.problems.length) {
    out.push('could not read:');
    for (const p of result.problems) out.push(`  ${oneLine(p)}`);
  }
  if (args.write) {
    const target = resolve(args.write);
    const schemaRef = relative(dirname(target), resolve(packageRoot(), 'schema/config.schema.json')).split('\\').join('/');
    const carried = rebaseFilePaths(raw, dirname(resolve(file)), dirname(target));
    const written = discoveredConfig(targets, carried, schemaRef.startsWith('.') ? schemaRef : `./${schemaRef}`);
    // What discover writes, run accepts: validated before it reaches the disk.
    resolveConfig(JSON.parse(written), args.write);
    await writeAtomic(target, written);
    out.push(`wrote ${args.write}: check it with \`xtenant-doctor validate-config ${args.write}\`, then \`xtenant-doctor run -c ${args.write}\``);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  if (targets.length === 0) return EXIT.notEvaluated;
  return EXIT.ok;
}

function splitList(values: string[] | undefined): string[] | undefined {
  return values?.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
}

const command: CommandModule<object, DiscoverArgs> = {
  command: 'discover',
  describe: "Find the Fabric private links in both tenants (Azure Resource Graph, else ARM) and write a config's targets",
  builder: (y) =>
    declared<DiscoverArgs>()(
      y
        .option('config', { alias: 'c', type: 'string', description: `Config with the credentials, cloud, dns and network settings (default ./${DEFAULT_CONFIG_FILE}); its targets are ignored` })
        .option('write', { alias: 'w', type: 'string', description: 'Write the discovered config to this file' })
        .option('subscription', { type: 'array', string: true, description: 'Only these subscriptions (repeatable)', coerce: splitList })
        .option('workspace', { type: 'array', string: true, description: 'Only these workspaces (repeatable)', coerce: splitList })
        .option('resource-graph', { type: 'boolean', default: true, description: 'Use Azure Resource Graph (--no-resource-graph: ARM listing only)' })
        .option('consumer-tenant', { type: 'string', description: "Tenant 1's id (default: from the config's targets)" })
        .option('provider-tenant', { type: 'string', description: "Tenant 2's id (default: from the config's targets)" })
        .example('$0 discover -c creds.json --write xtenant-doctor.json', 'every Fabric private link both credentials can see'),
    ),
  handler: async (argv) => {
    process.exitCode = await runDiscoverCommand(argv);
  },
};
export default command;

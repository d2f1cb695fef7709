// `xtenant-doctor discover [-c CONFIG] --write FILE`: the targets built from Azure instead of six ids
// copied by hand per workspace. CONFIG supplies credentials, cloud, dns and network settings (its
// targets are ignored, but for their tenant ids); the written config is sorted and stable.
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve, dirname } from 'node:path';
import type { CommandModule } from 'yargs';
import { DEFAULT_CONFIG_FILE } from '../../config/defaults.js';
import { EXIT } from '../../engine/status.js';
import { oneLine } from '../../text/sanitize.js';
import { packageRoot } from '../../version.js';
import { UsageError } from '../errors.js';

export interface DiscoverArgs {
  config?: string;
  write?: string;
  subscription?: string[];
  workspace?: string[];
  resourceGraph: boolean;
  consumerTenant?: string;
  providerTenant?: string;
}

/** A stand-in target: the credentials find their tenant in the targets; discover has none yet. */
const TENANT_CARRIER_WORKSPACE = 'd15c0000-0000-4000-8000-000000000001';

export async function runDiscoverCommand(args: DiscoverArgs): Promise<number> {
  const file = args.config ?? DEFAULT_CONFIG_FILE;
  if (!existsSync(file)) throw new UsageError(`discover needs a config for its credentials: ${args.config ? `${file} does not exist` : `use -c FILE (./${DEFAULT_CONFIG_FILE} does not exist)`}`);
  const [{ resolveConfig, describeJsonError, ConfigError }, { parseWorkspaceId }, { createServices }, { discover }, { buildTargets, discoveredConfig, rebaseFilePaths }, { writeAtomic }] = await Promise.all([
    import('../../config/load.js'),
    import('../../fabric/workspace.js'),
    import('../../engine/services.js'),
    import('../../discover/gather.js'),
    import('../../discover/build.js'),
    import('../../../reports/write.js'),
  ]);
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(file, [{ path: '$', message: `invalid JSON: ${describeJsonError(text, error as Error)}` }]);
  }
  const given = Array.isArray(raw.targets) ? (raw.targets as Array<{ provider?: { tenantId?: string }; consumer?: { tenantId?: string } }>) : [];
  const consumerTenant = args.consumerTenant ?? given.find((t) => t.consumer?.tenantId)?.consumer?.tenantId;
  const providerTenant = args.providerTenant ?? given.find((t) => t.provider?.tenantId)?.provider?.tenantId;
  const carrier = {
    name: 'discover',
    workspaceId: TENANT_CARRIER_WORKSPACE,
    ...(providerTenant ? { provider: { tenantId: providerTenant } } : {}),
    ...(consumerTenant ? { consumer: { tenantId: consumerTenant } } : {}),
  };
  const config = resolveConfig({ ...raw, $schema: undefined, targets: [carrier] }, file);
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
    });
  } catch (error) {
    throw new UsageError(`discover: ${(error as Error).message}`);
  } finally {
    process.off('SIGINT', onSignal);
  }
  const targets = buildTargets(result.found, { workspaces });
  const out: string[] = [];
  const how = (s?: string) => (s === 'resource-graph' ? 'Azure Resource Graph' : s === 'arm' ? 'ARM listing' : 'not searched');
  out.push(`discover: tenant 1 by ${how(result.sources.consumer)}, tenant 2 by ${how(result.sources.provider)}`);
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
    y
      .option('config', { alias: 'c', type: 'string', description: `Config with the credentials, cloud, dns and network settings (default ./${DEFAULT_CONFIG_FILE}); its targets are ignored` })
      .option('write', { alias: 'w', type: 'string', description: 'Write the discovered config to this file' })
      .option('subscription', { type: 'array', string: true, description: 'Only these subscriptions (repeatable)', coerce: splitList })
      .option('workspace', { type: 'array', string: true, description: 'Only these workspaces (repeatable)', coerce: splitList })
      .option('resource-graph', { type: 'boolean', default: true, description: 'Use Azure Resource Graph (--no-resource-graph: ARM listing only)' })
      .option('consumer-tenant', { type: 'string', description: "Tenant 1's id (default: from the config's targets)" })
      .option('provider-tenant', { type: 'string', description: "Tenant 2's id (default: from the config's targets)" })
      .example('$0 discover -c creds.json --write xtenant-doctor.json', 'every Fabric private link both credentials can see') as never,
  handler: async (argv) => {
    process.exitCode = await runDiscoverCommand(argv);
  },
};
export default command;

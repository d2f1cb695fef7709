// `xtenant-doctor init`: writes a starter config that points editors at the published schema.
import { existsSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { DEFAULT_CONFIG_FILE } from '../../config/defaults.js';
import { EMBEDDED, embeddedText } from '../../embedded.js';
import { packageRoot } from '../../version.js';
import { UsageError } from '../errors.js';

export function starterConfig(schemaRef: string): object {
  return {
    $schema: schemaRef,
    targets: [
      {
        name: 'sales-workspace',
        workspaceId: '00000000-0000-0000-0000-000000000000',
        provider: {
          tenantId: '00000000-0000-0000-0000-000000000002',
          subscriptionId: '00000000-0000-0000-0000-000000000000',
          privateLinkServiceId:
            '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fabric/providers/Microsoft.Fabric/privateLinkServicesForFabric/pls-sales',
        },
        consumer: {
          tenantId: '00000000-0000-0000-0000-000000000001',
          subscriptionId: '00000000-0000-0000-0000-000000000000',
          privateEndpointId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-network/providers/Microsoft.Network/privateEndpoints/pe-fabric',
          vnetId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-jump',
        },
      },
    ],
    credentials: { provider: { type: 'cli' }, consumer: { type: 'managed-identity' } },
    dns: { azureVm: true },
    probes: { public: false },
  };
}

/** Where the config's `$schema` points: the package's schema, or, from the single executable (which has no schema file), its copy written beside the config. */
function schemaRef(configFile: string): string {
  const embedded = embeddedText(EMBEDDED.configSchema);
  const schemaFile = embedded === undefined ? resolve(packageRoot(), 'schema/config.schema.json') : resolve(configFile, '..', 'xtenant-doctor.schema.json');
  if (embedded !== undefined) writeFileSync(schemaFile, embedded);
  const ref = relative(resolve(configFile, '..'), schemaFile).split('\\').join('/');
  return ref.startsWith('.') ? ref : `./${ref}`;
}

const command: CommandModule<object, { file: string; force?: boolean }> = {
  command: 'init [file]',
  describe: 'Write a starter config (with $schema, for editor completion)',
  builder: (y) =>
    y
      .positional('file', { type: 'string', default: DEFAULT_CONFIG_FILE })
      .option('force', { type: 'boolean', description: 'Overwrite an existing file' }),
  handler: (argv) => {
    if (existsSync(argv.file) && !argv.force) throw new UsageError(`${argv.file} exists; use --force to overwrite it`);
    writeFileSync(argv.file, `${JSON.stringify(starterConfig(schemaRef(argv.file)), null, 2)}\n`, { flag: argv.force ? 'w' : 'wx' });
    process.stdout.write(`wrote ${argv.file}: fill in your ids, then \`xtenant-doctor validate-config ${argv.file}\` and \`xtenant-doctor run -c ${argv.file}\`\n`);
  },
};
export default command;

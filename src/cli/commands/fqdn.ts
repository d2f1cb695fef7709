// `xtenant-doctor fqdn <workspaceId>`: the five FQDNs and their record names in the private zone.
import type { CommandModule } from 'yargs';
import { workspaceNames, ENDPOINT_KINDS, type WorkspaceNames } from '../../fabric/workspace.js';

export function fqdnJson(names: WorkspaceNames): object {
  return { workspaceId: names.workspaceId, fqdns: names.fqdns, zone: names.zone, records: names.records };
}

export function fqdnText(names: WorkspaceNames): string {
  const width = Math.max(...ENDPOINT_KINDS.map((k) => names.fqdns[k].length));
  const lines = [`workspace ${names.workspaceId}`, '', `  ${'FQDN'.padEnd(width)}  record in ${names.zone}`];
  for (const kind of ENDPOINT_KINDS) lines.push(`  ${names.fqdns[kind].padEnd(width)}  ${names.records[kind]}`);
  return `${lines.join('\n')}\n`;
}

const command: CommandModule<object, { workspaceId: string; json?: boolean }> = {
  command: 'fqdn <workspaceId>',
  describe: "The workspace's FQDNs and their record names in privatelink.fabric.microsoft.com",
  builder: (y) =>
    y
      .positional('workspaceId', { type: 'string', demandOption: true, description: 'A workspace GUID (any form) or a Fabric portal URL' })
      .option('json', { type: 'boolean', description: 'Print JSON' }),
  handler: (argv) => {
    const names = workspaceNames(argv.workspaceId);
    process.stdout.write(argv.json ? `${JSON.stringify(fqdnJson(names), null, 2)}\n` : fqdnText(names));
  },
};
export default command;

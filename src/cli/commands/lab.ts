// `xtenant-doctor lab`: serves the lab until interrupted and prints the path of a config that points
// the doctor at it. Stops cleanly on Ctrl+C and the other stop signals (src/cli/signals.ts): every server closed, the temp folder removed.
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { Lab } from '../../lab/server.js';
import { onStopSignal } from '../signals.js';
import { declared } from '../args.js';

export interface LabArgs {
  fault: string[];
  targets: number;
  latency: number;
  port: number;
  seed: string;
  chaos?: string;
  credentials: 'client-secret' | 'access-token';
  topology: string;
  subscriptions: number;
  resourceGraph: boolean;
  denySubscription: number[];
}

/** What the command prints once the lab is up (pure, for tests). */
export function formatLabBanner(lab: Pick<Lab, 'addresses' | 'state'>, configPath: string, faults: string[]): string {
  const { addresses, state } = lab;
  return [
    `xtenant-doctor lab: serving ${state.targets.length} target${state.targets.length === 1 ? '' : 's'} on ${addresses.host} (seed ${JSON.stringify(state.seed)})`,
    `  topology:      ${state.topology}`,
    `  faults:        ${faults.length ? faults.join(', ') : 'none (healthy)'}`,
    `  ARM, Fabric, authority: ${addresses.apiBase}`,
    `  DNS (the VM's path):   ${addresses.dns.vnet}`,
    `  DNS (VM's resolver):    ${addresses.dns.vm}`,
    `  DNS (public):           ${addresses.dns.public}`,
    ...Object.entries(addresses.dnsServers).map(([ip, server]) => `  DNS at ${ip.padEnd(16)} ${server}`),
    `  instance metadata:      http://${addresses.host}:${addresses.imdsPort} (169.254.169.254)`,
    `  config: ${configPath}`,
    '',
    `Run the doctor against it:  xtenant-doctor run -c ${configPath}`,
    'Press Ctrl-C to stop.',
  ].join('\n');
}

const command: CommandModule<object, LabArgs> = {
  command: 'lab',
  describe: 'Serve the local lab (both tenants, DNS, the private and public paths) until interrupted',
  builder: (yargs: Argv<object>) =>
    declared<LabArgs>()(
      yargs
        .option('fault', { type: 'string', array: true, default: [] as string[], describe: 'Inject a fault (repeatable; NAME or NAME@K for target K)' })
        .option('targets', { type: 'number', default: 1, describe: 'Number of workspaces/endpoints (a fleet)' })
        .option('latency', { type: 'number', default: 0, describe: 'Delay in ms added to every ARM, Fabric and token response' })
        .option('port', { type: 'number', default: 0, describe: 'Port of the HTTPS API server (0: any free port)' })
        .option('seed', { type: 'string', default: 'xtenant-doctor', describe: 'Seed of the generated world (ids, names, addresses)' })
        .option('chaos', { type: 'string', describe: 'SEED:RATE: the lab answers a seeded share (0-1) of ARM, Fabric and token requests with 429, 500, a reset, a stall or a truncated body' })
        .option('topology', { type: 'string', default: 'flat', describe: "Tenant 1's network: flat, hub-forwarder, hub-resolver, hub-firewall-dns, spoke-ruleset, pe-spoke, central-zone" })
        .option('credentials', { choices: ['client-secret', 'access-token'] as const, default: 'client-secret' as const, describe: 'Credential type written into the config' })
        .option('subscriptions', { type: 'number', default: 1, describe: 'Spread the fleet over this many subscriptions per tenant (for discover)' })
        .option('resource-graph', { type: 'boolean', default: true, describe: 'Serve Azure Resource Graph (--no-resource-graph: discover must list with ARM)' })
        .option('deny-subscription', { type: 'number', array: true, default: [] as number[], describe: "Deny reads in tenant 1's K-th subscription (repeatable; for discover)" })
        .example('$0 lab --fault zone-unlinked', 'serve a lab whose private DNS zone is not linked to the VNet')
        .example('$0 lab --targets 20 --fault record-missing@3', 'a fleet of 20 where target 3 lacks its API record'),
    ),
  handler: async (args: ArgumentsCamelCase<LabArgs>) => {
    const [{ startLab }, { parseChaos }] = await Promise.all([import('../../lab/server.js'), import('../../lab/chaos.js')]);
    const faults = (args.fault ?? []).flatMap((f) => String(f).split(',')).map((f) => f.trim()).filter(Boolean);
    let lab: Lab;
    try {
      const chaos = args.chaos !== undefined ? parseChaos(String(args.chaos)) : undefined;
      lab = await startLab({
        faults,
        targets: args.targets,
        latencyMs: args.latency,
        port: args.port,
        seed: args.seed,
        topology: String(args.topology),
        subscriptions: args.subscriptions,
        resourceGraph: args.resourceGraph,
        denySubscriptions: args.denySubscription,
        ...(chaos ? { chaos } : {}),
      });
    } catch (error) {
      process.stderr.write(`xtenant-doctor lab: ${(error as Error).message}\n`);
      process.exitCode = 2;
      return;
    }
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xtenant-doctor-lab-'));
    // The folder holds the lab's secrets: removed on every way out, also one that skips the cleanup below.
    const removeDir = () => rmSync(dir, { recursive: true, force: true });
    process.once('exit', removeDir);
    const configPath = await lab.writeConfig(dir, { credentials: args.credentials });
    // Listen for the signals before saying we are up, so an early Ctrl-C (Ctrl+Break, a closed console) still stops cleanly.
    const interrupted = new Promise<void>((resolve) => onStopSignal(() => resolve()));
    process.stdout.write(formatLabBanner(lab, configPath, faults) + (args.chaos !== undefined ? `\n  chaos: ${String(args.chaos)} (a seeded share of ARM, Fabric and token requests misbehave)` : '') + '\n');
    await interrupted;
    await lab.stop();
    removeDir();
    process.off('exit', removeDir);
    process.stdout.write('xtenant-doctor lab: stopped\n');
  },
};

export default command;

// `xtenant-doctor demo`: starts the lab in-process and runs the full diagnosis against it through the
// doctor's ordinary options (custom endpoints, CA, DNS servers, connect-to, sandbox). The embedded
// default: a new user sees the whole diagnosis, and every fault of docs/checks.md, on one machine.
import type { CommandModule } from 'yargs';
import type { RequestCounts } from '../../lab/server.js';
import { UsageError } from '../errors.js';
import { declared } from '../args.js';
import { CREDENTIAL_OPTIONS, withRunOptions, type RunArgs } from '../run-options.js';

export interface DemoArgs extends RunArgs {
  fault: string[];
  targets: number;
  latency: number;
  seed: string;
  chaos?: string;
  topology: string;
}

/** The lab's request counts, for --verbose: what the doctor asked of each service. */
export function formatRequestCounts(counts: RequestCounts): string {
  const lines = [`lab: ${counts.total} requests (${Object.entries(counts.byService).map(([service, n]) => `${service} ${n}`).join(', ')})`];
  for (const row of counts.byPath) lines.push(`  ${String(row.count).padStart(4)}  ${row.service.padEnd(18)} ${row.method.padEnd(5)} ${row.path}`);
  return `${lines.join('\n')}\n`;
}

const command: CommandModule<object, DemoArgs> = {
  command: 'demo',
  describe: 'Start the lab (both tenants and their DNS, on loopback) and diagnose it: try --fault zone-unlinked',
  builder: (y) =>
    declared<DemoArgs>()(
      withRunOptions(y)
      .option('fault', { type: 'string', array: true, default: [] as string[], description: 'Inject a lab fault (repeatable; NAME or NAME@K for target K). See CHECKS in the README.' })
      .option('targets', { type: 'number', default: 1, description: 'Number of workspaces in the lab (a fleet)' })
      .option('latency', { type: 'number', default: 0, description: 'Delay in ms added to every ARM, Fabric and token response' })
      .option('seed', { type: 'string', default: 'xtenant-doctor', description: 'Seed of the generated world' })
      .option('topology', { type: 'string', default: 'flat', description: "Tenant 1's network: flat, hub-forwarder, hub-resolver, hub-firewall-dns, spoke-ruleset, pe-spoke, central-zone" })
      .option('chaos', { type: 'string', description: 'SEED:RATE: the lab answers a seeded share (0-1) of ARM, Fabric and token requests with 429, 500, a reset, a stall or a truncated body' })
      .hide('config')
      .hide('workspace')
      .hide('consumer-credential')
      .hide('consumer-tenant')
      .hide('provider-credential')
      .hide('provider-tenant')
      .hide('cloud')
      .example('$0 demo', 'a healthy two-tenant world: every check passes')
      .example('$0 demo --fault zone-unlinked', 'the private DNS zone is not linked to the VNet: see the root cause and the fix')
      .example('$0 demo --targets 50 --fault record-missing@7', 'a fleet of 50 where target 7 lacks its API record')
      .example('$0 demo --topology hub-resolver --fault zone-linked-spoke-only', 'hub and spoke: the zone is linked to the spoke, not to the hub that resolves'),
    ),
  handler: async (argv) => {
    if (argv.config || argv.workspace) throw new UsageError('demo runs against the lab it starts; -c and --workspace belong to `run`');
    const given = CREDENTIAL_OPTIONS.filter((o) => argv[o] !== undefined);
    if (given.length) throw new UsageError(`demo signs in to the lab it starts with the lab's credentials; ${given.map((o) => `--${o}`).join(', ')} belong${given.length === 1 ? 's' : ''} to \`run\``);
    const [{ startLab }, { parseChaos }, { applyFlags }, { executeRun }] = await Promise.all([
      import('../../lab/server.js'),
      import('../../lab/chaos.js'),
      import('../run-config.js'),
      import('../execute.js'),
    ]);
    const faults = argv.fault.flatMap((f) => String(f).split(',')).map((f) => f.trim()).filter(Boolean);
    let lab;
    try {
      const chaos = argv.chaos !== undefined ? parseChaos(String(argv.chaos)) : undefined;
      lab = await startLab({ faults, targets: argv.targets, latencyMs: argv.latency, seed: argv.seed, topology: String(argv.topology), ...(chaos ? { chaos } : {}) });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    try {
      // The lab's credentials come through the environment, as a user's would.
      Object.assign(process.env, lab.secretEnv());
      const config = applyFlags(lab.resolvedConfig(), argv);
      const outcome = await executeRun(config, argv);
      if (argv.verbose) process.stdout.write(formatRequestCounts(lab.requestCounts()));
      process.exitCode = outcome.exitCode;
    } finally {
      await lab.stop();
    }
  },
};
export default command;

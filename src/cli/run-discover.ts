// `run --workspace ID` without targets but with a credential: discover (src/discover) narrowed to
// that one workspace gives the run its targets, so zero config checks both tenants' control plane.
// What was found (or why nothing was) is said in a line or two; nothing found is a usage error.
import type { ResolvedConfig } from '../config/types.js';
import type { Target } from '../engine/types.js';
import { oneLine } from '../text/sanitize.js';
import { UsageError } from './errors.js';
import { onStopSignal } from './signals.js';

export async function discoverWorkspaceTargets(config: ResolvedConfig, workspaceId: string, say: (line: string) => void): Promise<Target[]> {
  const [{ createServices }, { discover }, { buildTargets, searchedBy }, { parseResourceId }] = await Promise.all([
    import('../engine/services.js'),
    import('../discover/gather.js'),
    import('../discover/build.js'),
    import('../azure/resourceId.js'),
  ]);
  const abort = new AbortController();
  const stopListening = onStopSignal((signal) => abort.abort(signal));
  let result;
  try {
    result = await discover({ config, services: createServices(config, abort.signal), signal: abort.signal, resourceGraph: true, workspaces: [workspaceId] });
  } catch (error) {
    if (abort.signal.aborted) throw new UsageError(`--workspace ${workspaceId}: interrupted (${String(abort.signal.reason)}) while discovering its private link`);
    throw new UsageError(`--workspace ${workspaceId}: the private link could not be discovered: ${oneLine((error as Error).message)}`);
  } finally {
    stopListening();
  }
  const targets = buildTargets(result.found, { workspaces: [workspaceId] });
  const searched = (['consumer', 'provider'] as const).map((side) => {
    const tenant = side === 'consumer' ? 'tenant 1' : 'tenant 2';
    const source = result.sources[side];
    if (!source) return config.credentials[side].type === 'none' ? `${tenant} not searched: no credential` : `${tenant} not searched`;
    const n = result.searched[side] ?? 0;
    return `${tenant} by ${searchedBy(source)} in ${n} subscription${n === 1 ? '' : 's'}`;
  });
  const unread = result.problems.map(oneLine);
  if (!targets.length) {
    throw new UsageError(
      [
        `--workspace ${workspaceId}: no private link found for this workspace (${searched.join('; ')}): no private endpoint names it in its DNS configuration${result.sources.provider ? ', and no private link service is for it' : ''}.`,
        ...(unread.length ? [`Could not read: ${unread.join('; ')}.`] : []),
        `Check the workspace id and that the credential may read the subscriptions that hold the private link (Reader)${result.sources.provider ? '' : ', add --provider-credential to search tenant 2 too'}; or name the target in a config (-c FILE); or drop the credential flags for the local checks alone.`,
      ].join('\n'),
    );
  }
  say(`discovered workspace ${workspaceId} (${searched.join('; ')}):`);
  for (const t of targets) {
    const name = (id: string | undefined) => oneLine(parseResourceId(id)?.name ?? '-');
    say(`  ${oneLine(t.name)}: private endpoint ${name(t.consumer?.privateEndpointId)}, VNet ${name(t.consumer?.vnetId)}, zone ${t.consumer?.privateDnsZoneId ? `${name(t.consumer.privateDnsZoneId)} (${oneLine(parseResourceId(t.consumer.privateDnsZoneId)?.resourceGroup ?? '')})` : '-'}, private link service ${name(t.provider?.privateLinkServiceId)}`);
    for (const note of t.notes) say(`    note: ${oneLine(note)}`);
  }
  for (const problem of unread) say(`  discovery: ${problem}`);
  return targets.map(({ notes: _notes, ...target }) => target);
}

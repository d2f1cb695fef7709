// Workspace ids and the names derived from them (docs/reference.md §1).

export const PRIVATELINK_ZONE = 'privatelink.fabric.microsoft.com';

/** Fabric's error code for a request the workspace's inbound policy refused (docs/reference.md §3). */
export const DENIED_BY_POLICY = 'RequestDeniedByInboundPolicy';

/** The five workspace FQDNs, in the order the private endpoint lists its members. */
export const ENDPOINT_KINDS = ['api', 'compute', 'onelake', 'dfs', 'blob'] as const;
export type EndpointKind = (typeof ENDPOINT_KINDS)[number];

/** The label after `z{xy}.` for each kind, and the private endpoint member that serves it. */
const LABELS: Record<EndpointKind, { label: string; member: string }> = {
  api: { label: 'w.api', member: 'workspace-api' },
  compute: { label: 'c', member: 'workspace-compute' },
  onelake: { label: 'onelake', member: 'workspace-ols' },
  dfs: { label: 'dfs', member: 'workspace-dfs' },
  blob: { label: 'blob', member: 'workspace-blob' },
};

export const ACCEPTED_WORKSPACE_ID_FORMS = [
  'cfafbeb1-8037-4d0c-896e-a46fb27ff227 (a GUID, any case)',
  'cfafbeb180374d0c896ea46fb27ff227 (without dashes)',
  '{cfafbeb1-8037-4d0c-896e-a46fb27ff227} (in braces)',
  'https://app.fabric.microsoft.com/groups/cfafbeb1-8037-4d0c-896e-a46fb27ff227/... (a Fabric portal URL)',
];

export class WorkspaceIdError extends Error {
  constructor(public readonly input: string) {
    super(
      `not a workspace id: ${JSON.stringify(input)}. Accepted forms:\n` +
        ACCEPTED_WORKSPACE_ID_FORMS.map((form) => `  - ${form}`).join('\n'),
    );
    this.name = 'WorkspaceIdError';
  }
}

const HEX32 = /^[0-9a-f]{32}$/;
const DASHED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PORTAL_GROUP = /\/groups\/([^/?#]+)/i;

/** Parses any accepted form into the lower-case dashed GUID; throws WorkspaceIdError otherwise. */
export function parseWorkspaceId(input: string): string {
  let text = input.trim();
  if (/^https?:\/\//i.test(text)) {
    const match = PORTAL_GROUP.exec(text);
    if (!match?.[1]) throw new WorkspaceIdError(input);
    text = decodeURIComponent(match[1]);
  }
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1).trim();
  text = text.toLowerCase();
  if (DASHED.test(text)) return text;
  if (HEX32.test(text)) {
    return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
  }
  throw new WorkspaceIdError(input);
}

export function isWorkspaceId(input: string): boolean {
  try {
    parseWorkspaceId(input);
    return true;
  } catch {
    return false;
  }
}

export interface WorkspaceNames {
  readonly workspaceId: string;
  readonly fqdns: Readonly<Record<EndpointKind, string>>;
  readonly zone: typeof PRIVATELINK_ZONE;
  /** Record names relative to the zone. */
  readonly records: Readonly<Record<EndpointKind, string>>;
  /** The private endpoint member (ipConfigurations[].memberName) that serves each FQDN. */
  readonly members: Readonly<Record<EndpointKind, string>>;
}

/**
 * Names already made, frozen and shared: a fleet asks for each target's names a dozen times (its
 * facts, checks and fixes), ~0.1 ms of CPU a target. Bounded.
 */
const madeNames = new Map<string, WorkspaceNames>();
const MAX_MADE_NAMES = 4096;

/** The five FQDNs, their record names in the private zone, and their endpoint members. */
export function workspaceNames(workspaceId: string, dnsSuffix = 'fabric.microsoft.com'): WorkspaceNames {
  const key = `${workspaceId}\u0000${dnsSuffix}`;
  let names = madeNames.get(key);
  if (!names) {
    if (madeNames.size >= MAX_MADE_NAMES) madeNames.clear();
    names = makeNames(workspaceId, dnsSuffix);
    madeNames.set(key, names);
  }
  return names;
}

function makeNames(workspaceId: string, dnsSuffix: string): WorkspaceNames {
  const id = parseWorkspaceId(workspaceId);
  const label = id.replace(/-/g, '');
  const prefix = `${label}.z${label.slice(0, 2)}`;
  const fqdns = {} as Record<EndpointKind, string>;
  const records = {} as Record<EndpointKind, string>;
  const members = {} as Record<EndpointKind, string>;
  for (const kind of ENDPOINT_KINDS) {
    records[kind] = `${prefix}.${LABELS[kind].label}`;
    fqdns[kind] = `${records[kind]}.${dnsSuffix}`;
    members[kind] = LABELS[kind].member;
  }
  return Object.freeze({ workspaceId: id, fqdns: Object.freeze(fqdns), zone: PRIVATELINK_ZONE, records: Object.freeze(records), members: Object.freeze(members) });
}

/** Which of the five kinds an FQDN (or zone-relative record name) is, for this workspace; undefined if none. */
export function endpointKindOf(name: string, workspaceId: string): EndpointKind | undefined {
  const names = workspaceNames(workspaceId);
  const lower = name.toLowerCase().replace(/\.$/, '');
  return ENDPOINT_KINDS.find(
    (kind) => lower === names.fqdns[kind] || lower === names.records[kind] || lower === `${names.records[kind]}.${PRIVATELINK_ZONE}`,
  );
}

const WORKSPACE_FQDN = /^([0-9a-f]{32})\.z([0-9a-f]{2})\.(?:w\.api|c|onelake|dfs|blob)\.(?:privatelink\.)?fabric\.microsoft\.com\.?$/i;

/** The workspace id a workspace FQDN (as in an endpoint's DNS config) names; undefined for any other name. */
export function workspaceIdFromFqdn(fqdn: string): string | undefined {
  const match = WORKSPACE_FQDN.exec(fqdn.trim());
  if (!match || match[1]!.slice(0, 2).toLowerCase() !== match[2]!.toLowerCase()) return undefined;
  return parseWorkspaceId(match[1]!);
}

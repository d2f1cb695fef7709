// The fix steps more than one check prints, built once: each command complete for bash and
// PowerShell, every known value filled in, `--subscription` always given (a value the doctor does not
// know is looked up by the command itself, never left as a placeholder). Pure functions; the doctor
// never runs these, it prints them.
import { FABRIC_PLS_API_VERSION, FABRIC_PLS_TYPE, type ResourceId } from '../azure/resourceId.js';
import type { Fix, FixCommands, FixStep, TenantSide, Unavailable } from '../engine/types.js';
import { PRIVATELINK_ZONE } from '../fabric/workspace.js';
import { az, azToFile, loginStep, writeFileCommand, type FlagValue, type Lookup } from './commands.js';
import type { KnownValues } from './known.js';

export { loginStep };

/** A fix: a summary and its steps, the sign-in step of each tenant placed before that tenant's first command. */
export function fix(summary: string, steps: FixStep[], known?: KnownValues): Fix {
  const out: FixStep[] = [];
  const signedIn = new Set<string>();
  for (const step of steps) {
    if (step.tenant && step.commands && !signedIn.has(step.tenant)) {
      signedIn.add(step.tenant);
      out.push(loginStep(step.tenant === 'provider' ? known?.provider.tenantId : known?.consumer.tenantId, step.tenant));
    }
    out.push(step);
  }
  return { summary, steps: out };
}

/** A step in a tenant with its command. */
export function step(text: string, tenant: TenantSide | undefined, commands?: FixCommands): FixStep {
  return { text, ...(tenant ? { tenant } : {}), ...(commands ? { commands } : {}) };
}

const lookup = (commands: FixCommands): Lookup => ({ lookup: commands });

/** The subscription, or the one the tenant's sign-in selected (`az account show`). */
export function subscriptionOf(id: string | undefined): FlagValue {
  return id ?? lookup(az(['account', 'show'], [['query', 'id'], ['output', 'tsv']]));
}

// ---- tenant 2: the private link service and its connections ----------------------------------

const CONNECTION_BODY = 'approve-connection.json';

/** The approval body (PrivateEndpointConnections_Update), written to a file for `az rest --body @file`. */
function approvalBodyStep(): FixStep {
  const body = JSON.stringify({ properties: { privateLinkServiceConnectionState: { status: 'Approved', description: 'Approved', actionsRequired: 'None' } } });
  return step(`Write the approval body to ${CONNECTION_BODY} (a file, so that PowerShell passes the JSON intact).`, 'provider', writeFileCommand(CONNECTION_BODY, body));
}

/** Approve a connection on the Fabric private link service (PrivateEndpointConnections_Update). */
export function approveConnectionSteps(connectionId: string): FixStep[] {
  return [
    approvalBodyStep(),
    step(
      `Approve the connection ${connectionId.split('/').pop()} on the private link service (the subscription is in the id).`,
      'provider',
      az(['rest'], [['method', 'put'], ['url', `${connectionId}?api-version=${FABRIC_PLS_API_VERSION}`], ['body', `@${CONNECTION_BODY}`]]),
    ),
  ];
}

/** The Fabric private link services of tenant 2's subscription, when the doctor knows none. */
export function listPlsStep(k: KnownValues): FixStep {
  return step(
    "List the Fabric private link services (hidden resources, not in the portal's lists) to find this workspace's.",
    'provider',
    az(['resource', 'list'], [['subscription', subscriptionOf(k.provider.subscriptionId)], ['resource-type', FABRIC_PLS_TYPE], ['query', '[].{name:name, group:resourceGroup, id:id}'], ['output', 'table']]),
  );
}

/** The endpoint's DNS configuration (the names and IPs its records need), or the endpoints to find it among. */
export function endpointDnsConfigStep(k: KnownValues): FixStep {
  const pe = k.consumer.privateEndpoint;
  if (pe) {
    return step(
      `Show ${pe.name}'s DNS configuration: each FQDN and the IP its A record needs.`,
      'consumer',
      az(['network', 'private-endpoint', 'show'], [['subscription', pe.subscriptionId], ['resource-group', pe.resourceGroup], ['name', pe.name], ['query', 'customDnsConfigs'], ['output', 'table']]),
    );
  }
  return step(
    'List the private endpoints with their DNS configuration: the Fabric one lists the workspace FQDNs and their IPs.',
    'consumer',
    az(['network', 'private-endpoint', 'list'], [['subscription', subscriptionOf(k.consumer.subscriptionId)], ['query', '[].{name:name, group:resourceGroup, dns:customDnsConfigs}'], ['output', 'json']]),
  );
}

/** The connections of a private link service, to find one the doctor could not read. */
export function listConnectionsStep(pls: ResourceId, text: string): FixStep {
  return step(
    text,
    'provider',
    az(['rest'], [['method', 'get'], ['url', `${pls.id}/privateEndpointConnections?api-version=${FABRIC_PLS_API_VERSION}`], ['query', 'value[].{name:name, endpoint:properties.privateEndpoint.id, status:properties.privateLinkServiceConnectionState.status}'], ['output', 'table']]),
  );
}

const PLS_PROPERTIES = 'pls-properties.json';

/** Create (or redeploy: PUT is idempotent) the Fabric private link service for this workspace in tenant 2. */
export function createPlsSteps(k: KnownValues, pls: ResourceId | undefined): FixStep[] {
  const registration = step(
    'Register the Microsoft.Fabric resource provider in the subscription (needed once in each tenant).',
    'provider',
    az(['provider', 'register'], [['namespace', 'Microsoft.Fabric'], ['subscription', subscriptionOf(pls?.subscriptionId ?? k.provider.subscriptionId)]]),
  );
  if (!pls || !k.workspaceId || !k.provider.tenantId) {
    return [
      registration,
      step(
        `Deploy a ${FABRIC_PLS_TYPE} resource (location global) with properties.tenantId = tenant 2's id and properties.workspaceId = ${k.workspaceId ?? "the workspace's id"}, ` +
          'with the ARM template of the setup (step 2); then set targets[].provider.privateLinkServiceId in the config so the doctor can check it.',
        'provider',
      ),
    ];
  }
  return [
    registration,
    step(`Write the service's properties to ${PLS_PROPERTIES}.`, 'provider', writeFileCommand(PLS_PROPERTIES, JSON.stringify({ tenantId: k.provider.tenantId, workspaceId: k.workspaceId }))),
    step(
      `Create the private link service ${pls.name} for workspace ${k.workspaceId} (a hidden resource: it does not show in the portal's lists).`,
      'provider',
      az(['resource', 'create'], [
        ['subscription', pls.subscriptionId],
        ['resource-group', pls.resourceGroup],
        ['name', pls.name],
        ['resource-type', FABRIC_PLS_TYPE],
        ['api-version', FABRIC_PLS_API_VERSION],
        ['location', 'global'],
        ['properties', `@${PLS_PROPERTIES}`],
      ]),
    ),
  ];
}

// ---- tenant 1: the private endpoint ------------------------------------------------------------

/** The endpoint's name and group when the doctor knows none: named after the workspace, beside the jump VM's VNet. */
function endpointTarget(k: KnownValues): { subscription: FlagValue; resourceGroup?: string; name: string } {
  const pe = k.consumer.privateEndpoint;
  const label = (k.workspaceId ?? 'workspace').replace(/-/g, '').slice(0, 8);
  return {
    subscription: subscriptionOf(pe?.subscriptionId ?? k.consumer.subscriptionId),
    resourceGroup: pe?.resourceGroup ?? k.consumer.vnet?.resourceGroup,
    name: pe?.name ?? `pe-fabric-${label}`,
  };
}

export function deleteEndpointStep(k: KnownValues, why: string): FixStep | undefined {
  const pe = k.consumer.privateEndpoint;
  if (!pe) return undefined;
  return step(why, 'consumer', az(['network', 'private-endpoint', 'delete'], [['subscription', pe.subscriptionId], ['resource-group', pe.resourceGroup], ['name', pe.name]]));
}

/**
 * Create the endpoint against the Fabric private link service, group id `workspace`, as a manual
 * request (a cross-tenant connection is always approved by tenant 2). `subnetId` overrides the known one.
 */
export function createEndpointStep(k: KnownValues, subnetId = k.consumer.subnetId): FixStep {
  const where = endpointTarget(k);
  const pls = k.provider.privateLinkService;
  if (!pls || !subnetId || !where.resourceGroup) {
    const missing = [!pls && "the private link service's id (from tenant 2)", !subnetId && "a subnet of the jump VM's VNet", !where.resourceGroup && 'a resource group'].filter(Boolean);
    return step(
      `Create the private endpoint in tenant 1 (step 5): Azure portal → Private endpoints → Create → Connect by resource id, target sub-resource \`workspace\`, "request approval". ` +
        `The doctor does not know ${missing.join(', ')}: set them in the config (targets[].provider.privateLinkServiceId, targets[].consumer.vnetId) and run again to get the command.`,
      'consumer',
    );
  }
  return step(
    `Create the private endpoint ${where.name} against the Fabric private link service with group id workspace, as a manual request (tenant 2 approves it).`,
    'consumer',
    az(['network', 'private-endpoint', 'create'], [
      ['subscription', where.subscription],
      ['resource-group', where.resourceGroup],
      ['name', where.name],
      ['subnet', subnetId],
      ['private-connection-resource-id', pls.id],
      ['group-id', 'workspace'],
      ['connection-name', where.name],
      ['manual-request', 'true'],
    ]),
  );
}

/**
 * After a new endpoint: tenant 2 approves its connection. The connection's name is the service's
 * choice, so the command finds it on the private link service by the endpoint's name (a JMESPath
 * `join` gives the URL with its api-version) and approves that one.
 */
export function approveNewConnectionSteps(k: KnownValues): FixStep[] {
  const pls = k.provider.privateLinkService;
  if (!pls) {
    return [step('Ask tenant 2 to approve the new connection (step 6): run the doctor again, provider.connection-approved then prints the approval command with its name.', 'provider')];
  }
  const endpoint = endpointTarget(k).name;
  const connectionUrl = lookup(
    az(['rest'], [
      ['method', 'get'],
      ['url', `${pls.id}/privateEndpointConnections?api-version=${FABRIC_PLS_API_VERSION}`],
      ['query', `join('', [value[?ends_with(properties.privateEndpoint.id, '/privateEndpoints/${endpoint}')].id | [0], '?api-version=${FABRIC_PLS_API_VERSION}'])`],
      ['output', 'tsv'],
    ]),
  );
  return [
    approvalBodyStep(),
    step(
      `Approve the new connection from ${endpoint} on ${pls.name} (step 6; the command finds the connection by the endpoint's name).`,
      'provider',
      az(['rest'], [['method', 'put'], ['url', connectionUrl], ['body', `@${CONNECTION_BODY}`]]),
    ),
  ];
}

// ---- tenant 1: the private DNS zone ------------------------------------------------------------

/** The zone's resource group, or a lookup of the zone of that name in the subscription. */
function zoneLocation(k: KnownValues): { subscription: FlagValue; resourceGroup: FlagValue } {
  const zone = k.consumer.zone;
  if (zone) return { subscription: zone.subscriptionId, resourceGroup: zone.resourceGroup };
  const subscription = subscriptionOf(k.consumer.subscriptionId);
  return {
    subscription,
    resourceGroup: lookup(az(['network', 'private-dns', 'zone', 'list'], [['subscription', subscription], ['query', `[?name=='${PRIVATELINK_ZONE}'].resourceGroup | [0]`], ['output', 'tsv']])),
  };
}

/** `az network private-dns record-set a <verb>` on the zone, for one record and IP. */
export function recordCommand(k: KnownValues, verb: 'add-record' | 'remove-record', record: string, ip: string): FixCommands {
  const where = zoneLocation(k);
  return az(['network', 'private-dns', 'record-set', 'a', verb], [
    ['subscription', where.subscription],
    ['resource-group', where.resourceGroup],
    ['zone-name', PRIVATELINK_ZONE],
    ['record-set-name', record],
    ['ipv4-address', ip],
  ]);
}

export function deleteRecordCommand(k: KnownValues, record: string): FixCommands {
  const where = zoneLocation(k);
  return az(['network', 'private-dns', 'record-set', 'a', 'delete'], [['subscription', where.subscription], ['resource-group', where.resourceGroup], ['zone-name', PRIVATELINK_ZONE], ['name', record], ['yes', true]]);
}

/** Let the endpoint keep its records in the zone: a DNS zone group. */
export function zoneGroupStep(k: KnownValues): FixStep | undefined {
  const pe = k.consumer.privateEndpoint;
  const zone = k.consumer.zone;
  if (!pe || !zone) return undefined;
  return step(
    `Or let the endpoint manage its records: a DNS zone group on ${pe.name} writes all five and keeps them in step with the endpoint.`,
    'consumer',
    az(['network', 'private-endpoint', 'dns-zone-group', 'create'], [
      ['subscription', pe.subscriptionId],
      ['resource-group', pe.resourceGroup],
      ['endpoint-name', pe.name],
      ['name', 'default'],
      ['private-dns-zone', zone.id],
      ['zone-name', 'fabric'],
    ]),
  );
}

/** Link the zone to a VNet (the one whose queries reach Azure DNS). */
export function linkZoneStep(k: KnownValues, vnet: ResourceId | undefined = k.consumer.vnet): FixStep {
  if (!vnet) {
    return step(`Link ${PRIVATELINK_ZONE} to the VNet whose DNS queries reach Azure DNS (step 7): set targets[].consumer.vnetId in the config and run again to get the command.`, 'consumer');
  }
  const where = zoneLocation(k);
  return step(
    `Link ${PRIVATELINK_ZONE} to ${vnet.name} (step 7).`,
    'consumer',
    az(['network', 'private-dns', 'link', 'vnet', 'create'], [
      ['subscription', where.subscription],
      ['resource-group', where.resourceGroup],
      ['zone-name', PRIVATELINK_ZONE],
      ['name', `link-${vnet.name}`],
      ['virtual-network', vnet.id],
      ['registration-enabled', 'false'],
    ]),
  );
}

// ---- this machine ------------------------------------------------------------------------------

/** Clear the client's DNS cache so the next lookup asks the servers again. */
export function flushCacheStep(): FixStep {
  return step('Clear this machine\'s DNS cache, then run the doctor again (Linux: systemd-resolved; Windows: the DNS client).', undefined, {
    bash: 'resolvectl flush-caches',
    powershell: 'Clear-DnsClientCache',
  });
}

/** Show the hosts-file entries for a name (an entry there overrides DNS). */
export function hostsEntryStep(fqdn: string): FixStep {
  return step(`Remove the hosts-file entry for ${fqdn}, if there is one (this shows it; editing the file needs an administrator).`, undefined, {
    bash: `grep -in ${fqdn.replace(/[^A-Za-z0-9.-]/g, '')} /etc/hosts`,
    powershell: `Select-String -Path C:\\Windows\\System32\\drivers\\etc\\hosts -SimpleMatch -Pattern ${fqdn.replace(/[^A-Za-z0-9.-]/g, '')}`,
  });
}

// ---- tenant 2: Fabric REST --------------------------------------------------------------------

/** `az rest` on the Fabric REST API (with Fabric's token resource). */
export function fabricRest(k: KnownValues, method: 'get' | 'put' | 'post', path: string, extra: Array<[string, FlagValue]> = []): FixCommands {
  return az(['rest'], [['method', method], ['url', `${k.fabric.endpoint}/v1${path}`], ['resource', k.fabric.resource], ...extra]);
}

/** The capacities the signed-in identity can assign, to pick an active F SKU from. */
export function listCapacitiesStep(k: KnownValues): FixStep {
  return step(
    'List the capacities you can assign, with their SKU and state: pick an Active F SKU (not FT1, not P).',
    'provider',
    fabricRest(k, 'get', '/capacities', [['query', 'value[].{id:id, name:displayName, sku:sku, state:state}'], ['output', 'table']]),
  );
}

const CAPACITY_BODY = 'assign-capacity.json';

/**
 * Assign the workspace to a capacity (Fabric REST `POST /v1/workspaces/{id}/assignToCapacity`, body
 * `{"capacityId": …}`; the caller is a workspace admin and an admin or contributor of the capacity).
 * A known capacity is written as it is; else the body takes the first Active F capacity (not a
 * trial) the signed-in identity can assign, from the same list the step before prints.
 */
export function assignCapacitySteps(k: KnownValues, capacityId?: string): FixStep[] {
  const portal = 'Fabric portal (tenant 2) → the workspace → Workspace settings → License info → Edit → Fabric capacity';
  if (!k.workspaceId) return [step(`${portal}: pick an Active F SKU capacity → Apply, and wait until the assignment completes.`, 'provider')];
  const body = capacityId
    ? step(`Write the assignment body (capacity ${capacityId}) to ${CAPACITY_BODY}.`, 'provider', writeFileCommand(CAPACITY_BODY, JSON.stringify({ capacityId })))
    : step(
        `Write the first Active F SKU capacity (not a trial) from that list to ${CAPACITY_BODY}; to pick another, put its id there instead.`,
        'provider',
        azToFile(fabricRest(k, 'get', '/capacities', [['query', "{capacityId: value[?state=='Active' && starts_with(sku, 'F') && !starts_with(sku, 'FT')] | [0].id}"], ['output', 'json']]), CAPACITY_BODY),
      );
  return [
    body,
    step(
      `Assign workspace ${k.workspaceId} to it, as a workspace admin who administers or contributes to the capacity (or in the ${portal}).`,
      'provider',
      fabricRest(k, 'post', `/workspaces/${k.workspaceId}/assignToCapacity`, [['body', `@${CAPACITY_BODY}`]]),
    ),
    watchAssignmentStep(k),
  ];
}

/** The workspace's capacity and the progress of its assignment (Completed when done). */
export function watchAssignmentStep(k: KnownValues): FixStep {
  return k.workspaceId
    ? step(
        'Watch the assignment until capacityAssignmentProgress is Completed, then run the doctor again.',
        'provider',
        fabricRest(k, 'get', `/workspaces/${k.workspaceId}`, [['query', '{capacityId: capacityId, progress: capacityAssignmentProgress}'], ['output', 'table']]),
      )
    : step('Watch the assignment: Fabric portal (tenant 2) → the workspace → Workspace settings → License info.', 'provider');
}

const VIEWER_BODY = 'workspace-viewer.json';

/**
 * Give the doctor's provider identity the Viewer role on the workspace (Fabric REST `POST
 * /v1/workspaces/{id}/roleAssignments`, run by a member or admin of the workspace). The body needs
 * the service principal's object id in tenant 2, which `az ad sp show` writes into it.
 */
export function grantWorkspaceViewerSteps(k: KnownValues): FixStep[] {
  const portal = 'Fabric portal (tenant 2) → the workspace → Manage access → Add people or groups → Viewer';
  const app = k.provider.clientId;
  if (!k.workspaceId || !app) return [step(`Give the provider identity at least the Viewer role on the workspace: ${portal}.`, 'provider')];
  return [
    step(
      `Write the role assignment for the doctor's identity (app ${app}, its service principal in tenant 2) to ${VIEWER_BODY}.`,
      'provider',
      azToFile(az(['ad', 'sp', 'show'], [['id', app], ['query', "{principal: {id: id, type: 'ServicePrincipal'}, role: 'Viewer'}"], ['output', 'json']]), VIEWER_BODY),
    ),
    step(
      `As a member or admin of workspace ${k.workspaceId}, give it the Viewer role (or in the ${portal}).`,
      'provider',
      fabricRest(k, 'post', `/workspaces/${k.workspaceId}/roleAssignments`, [['body', `@${VIEWER_BODY}`]]),
    ),
  ];
}

/** A fix that is advice to follow, with the steps (commands) that help where there are any. */
export function advice(summary: string, ...steps: FixStep[]): Fix {
  return { summary, steps };
}

/** The role a Fabric workspace read needs (the workspace, its communication policy). */
export const WORKSPACE_VIEWER = 'the Viewer role (or higher) on the Fabric workspace, for the provider identity in tenant 2';

/**
 * A read refused with HTTP 403: give the doctor's identity the role it needs. For an ARM read whose
 * scope and principal are known, that is `az role assignment create --role Reader` on the resource
 * (or subscription) that was read, run in its tenant by someone allowed to assign roles there (an
 * Owner or User Access Administrator); the scope names the subscription. Otherwise the role in words.
 */
export function grantRoleFix(u: Unavailable, known?: KnownValues): Fix {
  const neededRole = u.neededRole ?? 'a role that allows the read';
  const summary = `The identity the doctor uses for this side needs ${neededRole}: grant it, then run again.`;
  // A Fabric workspace read: the Viewer role assignment through Fabric REST.
  if (neededRole === WORKSPACE_VIEWER && known) return fix(summary, grantWorkspaceViewerSteps(known), known);
  const details = u.details ?? {};
  const text = (key: string) => (typeof details[key] === 'string' && details[key] ? (details[key] as string) : undefined);
  const scope = text('scope');
  const principal = text('principal');
  const side = details.side === 'provider' || details.side === 'consumer' ? details.side : undefined;
  if (!scope || !principal || !side || !scope.toLowerCase().startsWith('/subscriptions/')) return { summary, steps: [{ text: summary }] };
  return {
    summary,
    steps: [
      loginStep(text('tenantId'), side),
      step(
        `As an Owner or User Access Administrator of ${scope}, give ${principal} (the doctor's identity) the Reader role on it.`,
        side,
        az(['role', 'assignment', 'create'], [['assignee', principal], ['role', 'Reader'], ['scope', scope]]),
      ),
    ],
  };
}

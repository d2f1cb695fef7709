// Tenant 2 through the Fabric REST API (always on cloud.fabricEndpoint): the workspace, the
// capacities the caller can see, the workspace's communication policy, and the tenant settings.
import { fabricClient } from '../../azure/fabric.js';
import { defineFact, type GatherContext } from '../../engine/define.js';
import { unavailable } from '../../engine/types.js';
import { expectFields, readAs } from '../arm/common.js';
import { tenantSettingsList, type CapacityJson, type CommunicationPolicyJson, type TenantSetting, type WorkspaceJson } from './shapes.js';
import { WORKSPACE_VIEWER } from '../../fix/steps.js';

export const CAPACITY_ROLE = 'Capacity administrator or contributor on the capacity (GET /v1/capacities lists only those)';
export const FABRIC_ADMIN = 'Fabric administrator (or a service principal allowed to use the read-only admin APIs, Tenant.Read.All)';

async function fabricRead<T>(ctx: GatherContext, what: string, neededRole: string, read: (client: ReturnType<typeof fabricClient>) => Promise<T>): Promise<T> {
  return readAs(ctx, { side: 'provider', what: `Fabric: ${what}`, neededRole, service: 'fabric' }, () => read(fabricClient(ctx.services, ctx.config, 'provider', ctx.target)));
}

export const workspaceFact = defineFact({
  id: 'provider.workspace',
  version: 1,
  description: 'the Fabric workspace (GET /v1/workspaces/{id})',
  side: 'provider',
  key: (ctx) => `fabric:/v1/workspaces/${ctx.target.workspaceId}`,
  gather: (ctx): Promise<WorkspaceJson> =>
    fabricRead(ctx, `the workspace ${ctx.target.workspaceId}`, WORKSPACE_VIEWER, async (client) => {
      const { body, requestId } = await client.get(`/v1/workspaces/${encodeURIComponent(ctx.target.workspaceId)}`, ctx.signal);
      expectFields(body, `the workspace ${ctx.target.workspaceId}`, requestId, 'id');
      return body as WorkspaceJson;
    }),
});

export const capacitiesFact = defineFact({
  id: 'provider.capacities',
  version: 1,
  description: 'the Fabric capacities the provider identity can see (GET /v1/capacities)',
  side: 'provider',
  key: () => 'fabric:/v1/capacities',
  gather: (ctx): Promise<{ value: CapacityJson[] }> =>
    fabricRead(ctx, 'the capacities list', CAPACITY_ROLE, async (client) => {
      const list = await client.list('/v1/capacities', ctx.signal);
      return { value: list.value as CapacityJson[] };
    }),
});

export const communicationPolicyFact = defineFact({
  id: 'provider.communicationPolicy',
  version: 1,
  description: "the workspace's networking communication policy (on the Fabric API host, never the workspace FQDN)",
  side: 'provider',
  key: (ctx) => `fabric:/v1/workspaces/${ctx.target.workspaceId}/networking/communicationPolicy`,
  gather: (ctx): Promise<CommunicationPolicyJson> =>
    fabricRead(ctx, `the communication policy of workspace ${ctx.target.workspaceId}`, WORKSPACE_VIEWER, async (client) => {
      const { body, requestId } = await client.get(`/v1/workspaces/${encodeURIComponent(ctx.target.workspaceId)}/networking/communicationPolicy`, ctx.signal);
      expectFields(body, `the communication policy of workspace ${ctx.target.workspaceId}`, requestId, 'inbound.publicAccessRules.defaultAction');
      return body as CommunicationPolicyJson;
    }),
});

export const tenantSettingsFact = defineFact({
  id: 'provider.tenantSettings',
  // Still version 1: `{ value }` is one of the shapes version 1 recorded (the whole first page).
  version: 1,
  description: "tenant 2's Fabric tenant settings, every page (GET /v1/admin/tenantsettings; Fabric admin only)",
  side: 'provider',
  key: () => 'fabric:/v1/admin/tenantsettings',
  gather: (ctx): Promise<{ value: TenantSetting[] }> =>
    fabricRead(ctx, 'the tenant settings', FABRIC_ADMIN, async (client) => {
      // The admin API pages the settings (x-ms-pageable, continuationUri): one page is not the list.
      const list = await client.list('/v1/admin/tenantsettings', ctx.signal, (body) => {
        const items = tenantSettingsList(body);
        if (!items) unavailable('invalid-response', 'Fabric: the tenant settings answer has neither `value` nor `tenantSettings`', { details: { missingField: 'value' } });
        return items;
      });
      return { value: list.value as TenantSetting[] };
    }),
});

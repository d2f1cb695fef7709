// The Fabric REST wire shapes the facts hold, declared once from the official examples
// (test/fixtures/reference/fabric-rest), and pure readers of them, so checks import them without a
// client. Every field is optional: the JSON comes from outside.

/** GET /v1/workspaces/{id} (platform/examples: Get a workspace). */
export interface WorkspaceJson {
  id?: string;
  displayName?: string;
  description?: string;
  type?: string;
  capacityId?: string;
  capacityAssignmentProgress?: string;
  capacityRegion?: string;
  apiEndpoint?: string;
}

/** One item of GET /v1/capacities. */
export interface CapacityJson {
  id?: string;
  displayName?: string;
  sku?: string;
  state?: string;
  region?: string;
}

/** GET /v1/workspaces/{id}/networking/communicationPolicy. */
export interface CommunicationPolicyJson {
  inbound?: { publicAccessRules?: { defaultAction?: string } };
  outbound?: { publicAccessRules?: { defaultAction?: string } };
}

export interface TenantSetting {
  settingName?: string;
  title?: string;
  enabled?: boolean;
  enabledSecurityGroups?: Array<{ graphId?: string; name?: string }>;
  excludedSecurityGroups?: Array<{ graphId?: string; name?: string }>;
}

/** The settings list: under `value` per the spec, `tenantSettings` as some clients see it. */
export function tenantSettingsList(body: unknown): TenantSetting[] | undefined {
  const b = body as { value?: unknown; tenantSettings?: unknown } | undefined;
  if (Array.isArray(b?.value)) return b.value as TenantSetting[];
  if (Array.isArray(b?.tenantSettings)) return b.tenantSettings as TenantSetting[];
  return undefined;
}

// Readers of the Fabric REST shapes the facts hold: pure, so checks import them without a client.

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

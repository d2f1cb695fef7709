// What a config can get wrong that its schema cannot see, found before anything is contacted: ids of
// the wrong resource type, ids that disagree with their subscription, the same or swapped tenants,
// the placeholders `init` writes, a side with no credential, files that cannot be read, waivers that
// name no check. `validate-config` prints every finding; `run` stops on errors, except those about
// one side's sign-in, which that side's credential check reports so the other side is still checked.
import { accessSync, constants, statSync } from 'node:fs';
import { FABRIC_PLS_TYPE, parseResourceId, vnetOfSubnet } from '../azure/resourceId.js';
import { matchesPattern } from '../text/glob.js';
import type { ConfigProblem } from './load.js';
import type { CredentialConfig, ResolvedConfig } from './types.js';
import { TENANT_SIDES, type TenantSide } from '../engine/types.js';

export interface ConfigFinding extends ConfigProblem {
  level: 'error' | 'warning';
  /** A problem of this side's sign-in only (a secret or token file): `run` lets its credential check say it. */
  signIn?: TenantSide;
}

const PRIVATE_ENDPOINT_TYPE = 'Microsoft.Network/privateEndpoints';
const VNET_TYPE = 'Microsoft.Network/virtualNetworks';
const PRIVATE_DNS_ZONE_TYPE = 'Microsoft.Network/privateDnsZones';
const PRIVATELINK_ZONE = 'privatelink.fabric.microsoft.com';

/** Every resource id field of a target, with the type it must have. */
const ID_FIELDS = [
  { side: 'provider', field: 'privateLinkServiceId', type: FABRIC_PLS_TYPE, what: "the Fabric private link service's id (tenant 2)" },
  { side: 'consumer', field: 'privateEndpointId', type: PRIVATE_ENDPOINT_TYPE, what: "the private endpoint's id (tenant 1)" },
  { side: 'consumer', field: 'vnetId', type: VNET_TYPE, what: "the jump VM's VNet id" },
  { side: 'consumer', field: 'privateDnsZoneId', type: PRIVATE_DNS_ZONE_TYPE, what: `the private DNS zone ${PRIVATELINK_ZONE}'s id` },
] as const;

/** Why an id of one type is not the id of another, for the mix-ups that happen. */
function typeMistake(found: string, expected: string, id: string): string {
  const f = found.toLowerCase();
  if (expected === FABRIC_PLS_TYPE && f === 'microsoft.network/privatelinkservices') {
    return `this is a Microsoft.Network/privateLinkServices id (a classic private link service); a workspace private link is a ${FABRIC_PLS_TYPE} resource`;
  }
  if (expected === PRIVATE_ENDPOINT_TYPE && f === FABRIC_PLS_TYPE.toLowerCase()) {
    return "this is the private link service's id (tenant 2); privateEndpointId is the private endpoint in tenant 1 that connects to it";
  }
  if (expected === VNET_TYPE && f === 'microsoft.network/virtualnetworks/subnets') return `this is a subnet id; the VNet is ${vnetOfSubnet(id)}`;
  return `this is a ${found} id, not a ${expected} id`;
}

/** `init` writes GUIDs of zeros (the last digit may differ) for the user to replace. */
const PLACEHOLDER_GUID = /^0{8}-0{4}-0{4}-0{4}-0{11}[0-9]$/;

function isPlaceholder(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  return PLACEHOLDER_GUID.test(value) || PLACEHOLDER_GUID.test(parseResourceId(value)?.subscriptionId ?? '');
}

/** Validates what the schema cannot. `raw` is the file as parsed (to tell a credential left out from `"type": "none"`). */
export function validateConfig(config: ResolvedConfig, options: { raw?: unknown; checkIds?: readonly string[] } = {}): ConfigFinding[] {
  const findings: ConfigFinding[] = [];
  const error = (path: string, message: string, signIn?: TenantSide) => findings.push({ path, message, level: 'error', ...(signIn ? { signIn } : {}) });
  const warn = (path: string, message: string) => findings.push({ path, message, level: 'warning' });

  config.targets.forEach((target, i) => {
    const at = `$.targets[${i}]`;
    if (isPlaceholder(target.workspaceId)) error(`${at}.workspaceId`, 'still the placeholder `init` writes: put the workspace id here');
    for (const side of TENANT_SIDES) {
      const values = target[side] as Record<string, unknown> | undefined;
      if (!values) continue;
      for (const key of ['tenantId', 'subscriptionId'] as const) {
        if (isPlaceholder(values[key])) error(`${at}.${side}.${key}`, 'still the placeholder `init` writes: put the real id here');
      }
    }
    for (const spec of ID_FIELDS) {
      const id = (target[spec.side] as Record<string, unknown> | undefined)?.[spec.field];
      if (typeof id !== 'string') continue;
      const path = `${at}.${spec.side}.${spec.field}`;
      const parsed = parseResourceId(id);
      if (!parsed) {
        error(path, `not an Azure resource id; expected ${spec.what}`);
        continue;
      }
      if (parsed.type.toLowerCase() !== spec.type.toLowerCase()) error(path, `${typeMistake(parsed.type, spec.type, id)}; expected ${spec.what}`);
      else if (spec.field === 'privateDnsZoneId' && parsed.name.toLowerCase() !== PRIVATELINK_ZONE) {
        warn(path, `the zone is named ${parsed.name}; a workspace private link answers from ${PRIVATELINK_ZONE}`);
      }
      if (isPlaceholder(id)) error(path, 'still the placeholder `init` writes (subscription of zeros): put the real id here');
    }
    // The side's own resources are in its subscription; the VNet and the zone may live elsewhere (hub, connectivity subscription).
    const own = [
      { side: 'provider', field: 'privateLinkServiceId' },
      { side: 'consumer', field: 'privateEndpointId' },
    ] as const;
    for (const { side, field } of own) {
      const values = target[side] as Record<string, unknown> | undefined;
      const subscriptionId = values?.subscriptionId;
      const idSubscription = parseResourceId(values?.[field] as string | undefined)?.subscriptionId;
      if (typeof subscriptionId === 'string' && idSubscription && idSubscription.toLowerCase() !== subscriptionId.toLowerCase()) {
        error(`${at}.${side}.subscriptionId`, `${subscriptionId} disagrees with ${side}.${field}, which is in subscription ${idSubscription}`);
      }
    }
    const t2 = target.provider?.tenantId?.toLowerCase();
    const t1 = target.consumer?.tenantId?.toLowerCase();
    if (t1 && t2 && t1 === t2 && !isPlaceholder(t1)) {
      warn(`${at}.consumer.tenantId`, 'the same tenant as provider.tenantId: a cross-tenant link has two tenants (fine for a same-tenant test)');
    }
    const swappedWith = config.targets.findIndex((other) => t1 && t2 && t1 !== t2 && other.provider?.tenantId?.toLowerCase() === t1 && other.consumer?.tenantId?.toLowerCase() === t2);
    if (swappedWith >= 0 && swappedWith < i) {
      warn(`${at}.provider.tenantId`, `provider and consumer tenant ids are the other way round in $.targets[${swappedWith}]: one of the two looks swapped`);
    }
    const plsSubscription = parseResourceId(target.provider?.privateLinkServiceId)?.subscriptionId.toLowerCase();
    const peSubscription = parseResourceId(target.consumer?.privateEndpointId)?.subscriptionId.toLowerCase();
    if (plsSubscription && peSubscription && plsSubscription !== peSubscription) {
      const crossed = plsSubscription === target.consumer?.subscriptionId?.toLowerCase() && peSubscription === target.provider?.subscriptionId?.toLowerCase();
      if (crossed) warn(`${at}.provider.subscriptionId`, 'provider.subscriptionId is the private endpoint\'s subscription and consumer.subscriptionId the private link service\'s: the sides look swapped');
    }
  });

  const raw = options.raw as { credentials?: Record<string, unknown> } | undefined;
  for (const side of TENANT_SIDES) {
    const spec = config.credentials[side];
    const named = config.targets.some((t) => t[side] && Object.keys(t[side]!).length > 0);
    if (spec.type === 'none' && named) {
      const tenant = side === 'provider' ? 'tenant 2' : 'tenant 1';
      if (raw && raw.credentials?.[side] === undefined) {
        error(`$.credentials.${side}`, `missing: the targets name the ${side} side, but nothing says how to sign in to ${tenant} (give a credential, or "type": "none" to leave ${tenant} unchecked)`);
      } else {
        warn(`$.credentials.${side}`, `"type": "none": ${tenant} will not be checked`);
      }
    }
    findings.push(...credentialFileFindings(spec, side));
  }
  if (config.tls.caFile) {
    const problem = unreadable(config.tls.caFile);
    if (problem) error('$.tls.caFile', `${config.tls.caFile}: ${problem}`);
  }
  if (options.checkIds) {
    config.checks.waivers.forEach((w, i) => {
      if (!options.checkIds!.some((id) => matchesPattern(id, w.check))) error(`$.checks.waivers[${i}].check`, `no check matches ${JSON.stringify(w.check)}`);
    });
  }
  return findings;
}

/** The credential's files (secret, certificate, token) must exist and be readable; its env names must be set to be used. */
function credentialFileFindings(spec: CredentialConfig, side: TenantSide): ConfigFinding[] {
  const out: ConfigFinding[] = [];
  const fields = spec as Record<string, unknown>;
  for (const key of ['secretFile', 'certificateFile', 'tokenFile', 'armTokenFile', 'fabricTokenFile']) {
    const file = fields[key];
    if (typeof file !== 'string') continue;
    const problem = unreadable(file);
    if (problem) out.push({ path: `$.credentials.${side}.${key}`, message: `${file}: ${problem}`, level: 'error', signIn: side });
  }
  for (const key of ['secretEnv', 'certificateEnv', 'certificatePasswordEnv', 'armTokenEnv', 'fabricTokenEnv']) {
    const name = fields[key];
    if (typeof name === 'string' && !process.env[name]) {
      out.push({ path: `$.credentials.${side}.${key}`, message: `the environment variable ${name} is not set here (set it before \`run\`)`, level: 'warning' });
    }
  }
  return out;
}

/** Why a file cannot be read, in words; undefined when it can. */
function unreadable(file: string): string | undefined {
  try {
    if (!statSync(file).isFile()) return 'not a file';
    accessSync(file, constants.R_OK);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'the file does not exist' : code === 'EACCES' || code === 'EPERM' ? 'the file may not be read by this user' : (e as Error).message;
  }
}

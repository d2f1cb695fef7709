// The config that points the doctor at a running lab, through its ordinary user-facing options:
// custom cloud endpoints and scopes, a custom CA, explicit DNS servers, connect-to overrides and
// sandbox mode. Pure: built from the lab's state and the addresses its servers listen on.
import { CLOUDS } from '../config/defaults.js';
import type { CredentialConfig } from '../config/types.js';
import type { LabScopes } from './identity.js';
import { effectiveDnsServers } from './resolution.js';
import { type LabState, privateAddresses, privatePathOpen, endpointById, sameId } from './state.js';

/** Where the instance metadata service lives on every Azure VM (the lab maps it to loopback). */
export const IMDS_ADDRESS = '169.254.169.254';

export type LabCredentialKind = 'client-secret' | 'access-token';

/** Environment variables the lab's credentials are read from (config `secretEnv` / `*TokenEnv`). */
export const LAB_ENV = {
  providerClientSecret: 'XTD_LAB_PROVIDER_CLIENT_SECRET',
  consumerClientSecret: 'XTD_LAB_CONSUMER_CLIENT_SECRET',
  providerArmToken: 'XTD_LAB_PROVIDER_ARM_TOKEN',
  providerFabricToken: 'XTD_LAB_PROVIDER_FABRIC_TOKEN',
  consumerArmToken: 'XTD_LAB_CONSUMER_ARM_TOKEN',
} as const;

export interface LabAddresses {
  /** https://127.0.0.1:PORT: ARM, Fabric and the identity authority. */
  apiBase: string;
  scopes: LabScopes;
  dns: { vnet: string; vm: string; public: string };
  /** The DNS server at each address the lab's ARM state names (168.63.129.16, forwarders, inbound endpoints, firewalls): `127.0.0.1:PORT`. */
  dnsServers: Record<string, string>;
  /** Port of the instance metadata service (HTTP), reached as 169.254.169.254:80. */
  imdsPort: number;
  listeners: { private: number; intercept?: number; public: number; dead: number };
  host: string;
}

export interface LabConfigJson {
  targets: Array<{
    name: string;
    workspaceId: string;
    provider: { tenantId: string; subscriptionId: string; privateLinkServiceId: string };
    consumer: { tenantId: string; subscriptionId: string; privateEndpointId: string; vnetId: string; privateDnsZoneId?: string };
  }>;
  credentials: { provider: CredentialConfig; consumer: CredentialConfig };
  cloud: { name: 'custom'; armEndpoint: string; armScope: string; fabricEndpoint: string; fabricScope: string; authorityHost: string; portalEndpoint: string };
  dns: {
    servers: string[];
    publicServers: string[];
    /** Proposed option: a DNS server asked in place of the OS resolver (dns.lookup), for the lab and tests. */
    systemResolver: string;
  };
  probes: { public: boolean };
  network: { connectTo: string[]; sandbox: boolean };
  tls: { ca?: string; caFile?: string };
}

/** Where each address the lab hands out goes on :443 (curl-style HOST:PORT:HOST2:PORT2). */
export function connectToRules(state: LabState, addresses: LabAddresses): string[] {
  const rules = new Map<string, number>();
  for (const target of state.targets) {
    const pe = endpointById(state, target.privateEndpointId);
    if (!pe) continue;
    const open = privatePathOpen(state, target);
    const intercepted = state.dataPath.tlsIntercepted.some((id) => sameId(id, target.workspaceId));
    const port = !open ? addresses.listeners.dead : intercepted && addresses.listeners.intercept ? addresses.listeners.intercept : addresses.listeners.private;
    for (const ip of Object.values(pe.ips)) rules.set(ip, port);
  }
  // Addresses nobody serves (records left behind, old or wrong IPs): a closed port refuses them.
  for (const ip of privateAddresses(state)) if (!rules.has(ip)) rules.set(ip, addresses.listeners.dead);
  rules.set(state.frontEnd.ip, addresses.listeners.public);
  const dns = Object.entries(addresses.dnsServers).map(([ip, server]) => `${ip}:53:${server}`);
  return [...[...rules].map(([ip, port]) => `${ip}:443:${addresses.host}:${port}`), ...dns, `${IMDS_ADDRESS}:80:${addresses.host}:${addresses.imdsPort}`];
}

export interface ConfigOptions {
  credentials?: LabCredentialKind;
  /** Refer to files (written by the `lab` command) instead of environment variables. */
  files?: { caFile: string; secrets: Partial<Record<keyof typeof LAB_ENV, string>> };
}

export function labCredentials(state: LabState, options: ConfigOptions): { provider: CredentialConfig; consumer: CredentialConfig } {
  const file = options.files?.secrets;
  if ((options.credentials ?? 'client-secret') === 'client-secret') {
    return {
      provider: { type: 'client-secret', clientId: state.provider.clientId, ...(file ? { secretFile: file.providerClientSecret! } : { secretEnv: LAB_ENV.providerClientSecret }) },
      consumer: { type: 'client-secret', clientId: state.consumer.clientId, ...(file ? { secretFile: file.consumerClientSecret! } : { secretEnv: LAB_ENV.consumerClientSecret }) },
    };
  }
  return {
    provider: file
      ? { type: 'access-token', armTokenFile: file.providerArmToken!, fabricTokenFile: file.providerFabricToken! }
      : { type: 'access-token', armTokenEnv: LAB_ENV.providerArmToken, fabricTokenEnv: LAB_ENV.providerFabricToken },
    consumer: file ? { type: 'access-token', armTokenFile: file.consumerArmToken! } : { type: 'access-token', armTokenEnv: LAB_ENV.consumerArmToken },
  };
}

function subscriptionOf(id: string): string {
  return id.split('/')[2]!;
}

export function buildConfigJson(state: LabState, addresses: LabAddresses, caPem: string, options: ConfigOptions = {}): LabConfigJson {
  return {
    targets: state.targets.map((t) => ({
      name: t.name,
      workspaceId: t.workspaceId,
      // A spread fleet's resources live in several subscriptions: each id names its own.
      provider: { tenantId: state.provider.tenantId, subscriptionId: subscriptionOf(t.privateLinkServiceId), privateLinkServiceId: t.privateLinkServiceId },
      consumer: {
        tenantId: state.consumer.tenantId,
        subscriptionId: subscriptionOf(t.privateEndpointId),
        privateEndpointId: t.privateEndpointId,
        vnetId: t.vnetId,
        ...(t.privateDnsZoneId ? { privateDnsZoneId: t.privateDnsZoneId } : {}),
      },
    })),
    credentials: labCredentials(state, options),
    cloud: {
      name: 'custom',
      armEndpoint: addresses.apiBase,
      armScope: addresses.scopes.arm,
      fabricEndpoint: addresses.apiBase,
      fabricScope: addresses.scopes.fabric,
      authorityHost: addresses.apiBase,
      // The lab stands for the public cloud: its reports link resources to the public portal (never fetched).
      portalEndpoint: CLOUDS.public.portalEndpoint,
    },
    // The servers the jump VM's OS reports (its effective DNS servers), each mapped by connect-to.
    dns: { servers: effectiveDnsServers(state), publicServers: [addresses.dns.public], systemResolver: addresses.dns.vm },
    probes: { public: true },
    network: { connectTo: connectToRules(state, addresses), sandbox: true },
    tls: options.files ? { caFile: options.files.caFile } : { ca: caPem },
  };
}

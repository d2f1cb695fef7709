// The config file's shape (schema/config.schema.json is the published contract) and the resolved
// config every other layer reads: defaults filled in, flags applied, workspace ids normalised.

/** One workspace private link to diagnose. Sides are optional: a workspace id alone is a target. */
export interface Target {
  name: string;
  workspaceId: string;
  provider?: ProviderTarget;
  consumer?: ConsumerTarget;
}

export interface ProviderTarget {
  tenantId?: string;
  subscriptionId?: string;
  /** Full resource id of the Microsoft.Fabric/privateLinkServicesForFabric resource. */
  privateLinkServiceId?: string;
  resourceGroup?: string;
  privateLinkServiceName?: string;
}

export interface ConsumerTarget {
  tenantId?: string;
  subscriptionId?: string;
  privateEndpointId?: string;
  /** The jump VM's VNet. */
  vnetId?: string;
  /** The jump VM (Microsoft.Compute/virtualMachines): its NIC's DNS settings start the DNS path. */
  vmId?: string;
  privateDnsZoneId?: string;
}

export type CredentialConfig =
  | { type: 'none' }
  | { type: 'default'; managedIdentityClientId?: string }
  | { type: 'cli' }
  | { type: 'managed-identity'; clientId?: string }
  | { type: 'client-secret'; clientId: string; secretEnv?: string; secretFile?: string }
  | { type: 'client-certificate'; clientId: string; certificateEnv?: string; certificateFile?: string; certificatePasswordEnv?: string }
  | { type: 'workload-identity'; clientId?: string; tokenFile?: string }
  | {
      type: 'access-token';
      /** Bearer token for ARM (`az account get-access-token` output or the bare token). */
      armTokenEnv?: string;
      armTokenFile?: string;
      /** Bearer token for the Fabric API. */
      fabricTokenEnv?: string;
      fabricTokenFile?: string;
    };

export type CloudName = 'public' | 'usgov' | 'china' | 'custom';

export interface CloudEndpoints {
  name: CloudName;
  armEndpoint: string;
  armScope: string;
  fabricEndpoint: string;
  fabricScope: string;
  authorityHost: string;
  /** The cloud's Azure portal, where reports link each resource; unknown for a custom cloud that names none. */
  portalEndpoint?: string;
}

export interface Waiver {
  check: string;
  target?: string;
  reason: string;
  /** ISO date (YYYY-MM-DD) after which the waiver no longer applies. */
  expires: string;
}

export interface ResolvedConfig {
  /** Where the config came from ('flags' when built from --workspace alone). */
  source: string;
  targets: Target[];
  credentials: { provider: CredentialConfig; consumer: CredentialConfig };
  cloud: CloudEndpoints;
  dns: {
    /** Servers asked directly (host, host:port, [v6]:port). Empty: the system's servers. */
    servers: string[];
    /** Public resolvers for the public-path probe. */
    publicServers: string[];
    /** The jump VM is in Azure: also ask 168.63.129.16. */
    azureVm: boolean;
    timeoutMs: number;
    retries: number;
    /**
     * What stands for "what applications see": `os` (default) is Node's dns.lookup (hosts file, OS
     * cache, nsswitch); a server `host[:port]` is asked directly instead, for environments that cannot
     * change the OS resolver (the lab models the VM's own resolver, with its stale cache, this way).
     */
    systemResolver: string;
  };
  probes: { tcp: boolean; tls: boolean; https: boolean; public: boolean; timeoutMs: number };
  network: {
    /** curl-style `HOST:PORT:HOST2:PORT2` overrides. */
    connectTo: string[];
    /** Refuse every connection that connect-to does not map to loopback (the lab, replay). */
    sandbox: boolean;
  };
  tls: { caFile?: string; ca?: string };
  checks: { skip: string[]; only: string[]; waivers: Waiver[] };
  plugins: string[];
  /** Concurrency per service family (`arm`, `fabric`, `dns`, `net`, `default`). */
  concurrency: Record<string, number>;
  timeouts: { requestMs: number; factMs: number };
  /** Bounds of one run: `readMB`, every ARM, Fabric and Resource Graph body read, in all (src/azure/http.ts). */
  limits: { readMB: number };
}

// Defaults and the cloud table. `testConfig` builds a ResolvedConfig for tests and the library API.
import type { CloudEndpoints, CloudName, ResolvedConfig } from './types.js';

export const CLOUDS: Record<Exclude<CloudName, 'custom'>, CloudEndpoints & { portalEndpoint: string }> = {
  public: {
    name: 'public',
    armEndpoint: 'https://management.azure.com',
    armScope: 'https://management.azure.com/.default',
    fabricEndpoint: 'https://api.fabric.microsoft.com',
    fabricScope: 'https://api.fabric.microsoft.com/.default',
    authorityHost: 'https://login.microsoftonline.com',
    portalEndpoint: 'https://portal.azure.com',
  },
  usgov: {
    name: 'usgov',
    armEndpoint: 'https://management.usgovcloudapi.net',
    armScope: 'https://management.usgovcloudapi.net/.default',
    fabricEndpoint: 'https://api.fabric.microsoft.us',
    fabricScope: 'https://api.fabric.microsoft.us/.default',
    authorityHost: 'https://login.microsoftonline.us',
    portalEndpoint: 'https://portal.azure.us',
  },
  china: {
    name: 'china',
    armEndpoint: 'https://management.chinacloudapi.cn',
    armScope: 'https://management.chinacloudapi.cn/.default',
    fabricEndpoint: 'https://api.fabric.microsoft.cn',
    fabricScope: 'https://api.fabric.microsoft.cn/.default',
    authorityHost: 'https://login.chinacloudapi.cn',
    portalEndpoint: 'https://portal.azure.cn',
  },
};

export const DEFAULT_CONFIG_FILE = 'xtenant-doctor.json';

export const AZURE_VNET_RESOLVER = '168.63.129.16';

/**
 * The default of `limits.readMB`: every body one run reads from ARM, Fabric and Resource Graph
 * together (src/azure/http.ts, RunReadBudget). In the lab one target reads 17.8 KB and a fleet of 20
 * with a shared zone of 20,000 record sets 713 KB (docs/control-plane.md): 256 MB leaves a real
 * tenant's larger answers ample room and still sits far inside the heap once parsed.
 */
export const DEFAULT_READ_MB = 256;

export function defaultConfig(): ResolvedConfig {
  return {
    source: 'defaults',
    targets: [],
    credentials: { provider: { type: 'none' }, consumer: { type: 'none' } },
    cloud: { ...CLOUDS.public },
    dns: { servers: [], publicServers: [], azureVm: false, timeoutMs: 2000, retries: 2, systemResolver: 'os' },
    probes: { tcp: true, tls: true, https: true, public: false, timeoutMs: 5000 },
    network: { connectTo: [], sandbox: false },
    tls: {},
    checks: { skip: [], only: [], waivers: [] },
    plugins: [],
    // arm is per subscription: one target reads ~10 things from tenant 1 at once (its endpoint, VNet,
    // the zone's links, its five record sets by name...); 8 made the tenth wait a round trip.
    // ARM's read budget (src/azure/budget.ts) still paces a fleet. fabric: a fleet makes two Fabric
    // reads per target, and at 8 in flight they were the longest chain of a 1000-target lab run;
    // a 429 is still retried after its Retry-After (src/azure/fabric.ts, http.ts).
    concurrency: { arm: 16, fabric: 16, dns: 16, net: 16, default: 8 },
    timeouts: { requestMs: 15000, factMs: 60000 },
    limits: { readMB: DEFAULT_READ_MB },
  };
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends Array<unknown> ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** A ResolvedConfig from defaults plus overrides (one level deep per section). For tests and library users. */
export function testConfig(overrides: DeepPartial<ResolvedConfig> = {}): ResolvedConfig {
  const base = defaultConfig();
  // Section by section: the keys of `overrides` are keys of ResolvedConfig, so the result is one.
  const merged: Record<keyof ResolvedConfig, unknown> = { ...base };
  for (const key of Object.keys(overrides) as Array<keyof ResolvedConfig>) {
    const value = overrides[key];
    const current = base[key];
    merged[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object' && !Array.isArray(current)
        ? { ...current, ...value }
        : value;
  }
  return merged as ResolvedConfig;
}

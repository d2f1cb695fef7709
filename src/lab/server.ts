// startLab: the whole lab in one process, everything on loopback. One HTTPS server for ARM, Fabric
// and the identity authority; three DNS servers (the VNet's resolver, the VM's own, public DNS);
// TLS listeners for the private endpoint (and an intercepting proxy) and for Fabric's public front
// end; a closed port for addresses nothing answers. The config it hands out maps every 10.x/20.x
// address to these listeners (connect-to) and turns on sandbox mode.
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import tls, { type TLSSocket } from 'node:tls';
import type { ResolvedConfig } from '../config/types.js';
import { defaultConfig } from '../config/defaults.js';
import { workspaceNames } from '../fabric/workspace.js';
import { armRequest } from './arm.js';
import { RESOURCE_GRAPH_PATH, resourceGraphRequest } from './resource-graph.js';
import { auditLab, LAB_PROBE_HEADER } from './audit.js';
import { Chaos, chaosKey, chaosStatus, type ChaosFault, type ChaosOptions, misbehave } from './chaos.js';
import { type CertificateAuthority, createCertificateAuthority, type KeyAndCertificate } from './certs.js';
import { buildConfigJson, type ConfigOptions, LAB_ENV, type LabAddresses, type LabConfigJson, type LabCredentialKind } from './config.js';
import { type DnsServerHandle, type DnsView, startDnsServer } from './dns.js';
import { fabricError, fabricRequest, workspaceEndpointRequest, workspaceOfHost } from './fabric.js';
import { applyFaults, parseFault } from './faults.js';
import { type HttpAnswer, identityRequest, isIdentityPath, LAB_SCOPES, TokenStore } from './identity.js';
import { serveInstanceMetadata } from './imds.js';
import { LIST_CHAOS, type ListChaos } from './lists.js';
import { dnsServerAddresses } from './resolution.js';
import { createState, type LabState, privatePathOpen, subscriptionsOf, targetOfWorkspace, type TopologyName } from './state.js';
import { parseTopology } from './topology.js';
import { restrictToOwner } from './owner-only.js';

export interface LabOptions {
  seed?: string | number;
  /** Fault names, `NAME` or `NAME@K` (docs/checks.md). */
  faults?: string[];
  targets?: number;
  /** Delay added to every ARM, Fabric and token response. */
  latencyMs?: number;
  /** Port of the HTTPS API server (ARM, Fabric, authority); default: any free port. */
  port?: number;
  /** Items per page of ARM and Fabric lists when the request names no `$top` (default 50). */
  pageSize?: number;
  /** The largest ARM `$top` honoured (default 1000). */
  maxPageSize?: number;
  /** Record sets in the shared zone in all, other workspaces' filling it up (default: the targets' own). */
  zoneRecords?: number;
  /** Lists that loop or never end (tests only: the doctor must answer `error`, never judge them). */
  listChaos?: ListChaos;
  plsWorkspaceKey?: LabState['plsWorkspaceKey'];
  /** Answer a seeded share of ARM, Fabric and token requests with a fault (chaos.ts). */
  chaos?: ChaosOptions;
  /** Tenant 1's network (topology.ts, docs/checks.md "Lab topologies"); default `flat`. */
  topology?: TopologyName | string;
  /** Spread the fleet over this many subscriptions per tenant (default 1; for discover). */
  subscriptions?: number;
  /** Serve Azure Resource Graph (default true); false: as in a cloud without it. */
  resourceGraph?: boolean;
  /** 1-based indexes of tenant 1's subscriptions the credential may not read (ARM 403, Resource Graph silent). */
  denySubscriptions?: number[];
}

export type LabService = 'identity' | 'arm' | 'resourcegraph' | 'fabric' | 'workspace-private' | 'workspace-public' | 'imds' | 'unknown' | `dns-${DnsView}`;

export interface LabRequestLogEntry {
  service: LabService;
  method: string;
  /** Path without the query string (for DNS: `TYPE name`). */
  path: string;
  status: number;
  /** Which tenant's subscription an ARM path named. */
  side?: 'consumer' | 'provider';
  /** The chaos fault served instead of the answer. */
  chaos?: ChaosFault;
  /** Sent by a test on purpose (LAB_PROBE_HEADER), not by the doctor: kept apart by the write-guard audit. */
  probe?: true;
  /** When the request arrived and when its answer was sent, in ms since the lab started (HTTP services): the bench's request timeline. */
  startMs?: number;
  endMs?: number;
}

export interface RequestCounts {
  total: number;
  byService: Record<string, number>;
  byMethod: Record<string, number>;
  /** One row per service, method and path, most requested first. */
  byPath: Array<{ service: string; method: string; path: string; count: number }>;
}

export interface Lab {
  readonly state: LabState;
  /** PEM of the lab's certificate authority (trust it with `tls.ca` / `tls.caFile`). */
  readonly caPem: string;
  readonly addresses: LabAddresses;
  /** Environment variables the lab's credentials are read from, with their values. */
  secretEnv(): Record<string, string>;
  /** The doctor's config file content that points at this lab. */
  configJson(options?: { credentials?: LabCredentialKind }): LabConfigJson;
  /** The same as a ResolvedConfig (defaults filled in), for running the engine in-process. */
  resolvedConfig(options?: { credentials?: LabCredentialKind }): ResolvedConfig;
  /** Writes config.json, ca.pem and the secrets (mode 0600) into `dir`; returns the config path. */
  writeConfig(dir: string, options?: { credentials?: LabCredentialKind }): Promise<string>;
  requestCounts(): RequestCounts;
  requestLog(): LabRequestLogEntry[];
  /** performance.now() in this process when the request timeline began: `startMs` and `endMs` count from it. */
  timelineOrigin: number;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

function validateOptions(options: LabOptions): void {
  if (options.latencyMs !== undefined && (!Number.isInteger(options.latencyMs) || options.latencyMs < 0 || options.latencyMs > 60_000)) {
    throw new Error(`lab latency: expected whole milliseconds from 0 to 60000, got ${String(options.latencyMs)}`);
  }
  if (options.port !== undefined && (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535)) {
    throw new Error(`lab port: expected 0-65535, got ${String(options.port)}`);
  }
  for (const [name, value] of [['page size', options.pageSize], ['max page size', options.maxPageSize]] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new Error(`lab ${name}: expected a whole number of at least 1, got ${String(value)}`);
  }
  if (options.listChaos !== undefined && !LIST_CHAOS.includes(options.listChaos)) {
    throw new Error(`lab list chaos: expected one of ${LIST_CHAOS.join(', ')}, got ${JSON.stringify(options.listChaos)}`);
  }
}

/**
 * The certificate names of the workspaces' FQDNs, by group: a group is a `z{xy}` label (the first two
 * hex digits of the workspace id) and its names are one-label wildcards, one per endpoint kind
 * (`*.z{xy}.w.api.fabric.microsoft.com`, …). The lab serves each group its own certificate, chosen
 * by SNI, as a front end would: not one certificate naming every group of a fleet.
 */
export function workspaceCertificateGroups(state: LabState): Map<string, string[]> {
  const groups = new Map<string, Set<string>>();
  for (const ws of state.workspaces) {
    for (const fqdn of Object.values(workspaceNames(ws.id).fqdns)) {
      const [, group, ...rest] = fqdn.split('.');
      if (!group) continue;
      let names = groups.get(group);
      if (!names) groups.set(group, (names = new Set()));
      names.add(`*.${[group, ...rest].join('.')}`);
    }
  }
  return new Map([...groups].map(([group, names]) => [group, [...names].sort()]));
}

/**
 * SNI → the TLS context of that name's workspace group, issued by `ca` (one key for all); any other
 * name (the API's, an IP, none) gets `fallback`, which names the API only. Every group's context is
 * issued before the lab answers, as a front end holds its certificates: issued on first use, a
 * 200-target fleet had the lab signing ~140 certificates (~3 ms of CPU each) while the doctor it
 * measures ran beside it on the same two cores.
 */
async function certificatesBySni(
  ca: CertificateAuthority,
  groups: Map<string, string[]>,
  fallback: KeyAndCertificate,
): Promise<{ key: string; cert: string; SNICallback: (servername: string, cb: (error: Error | null, context?: tls.SecureContext) => void) => void }> {
  const contexts = new Map<string, tls.SecureContext>();
  for (const [group, names] of groups) {
    const issued = await ca.issue({ dnsNames: names, keyOf: fallback });
    contexts.set(group, tls.createSecureContext({ key: issued.key, cert: issued.cert }));
  }
  const fallbackContext = tls.createSecureContext({ key: fallback.key, cert: fallback.cert });
  return {
    key: fallback.key,
    cert: fallback.cert,
    SNICallback: (servername, cb) => cb(null, contexts.get(servername.toLowerCase().split('.')[1] ?? '') ?? fallbackContext),
  };
}

async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, answer: HttpAnswer, extraHeaders: Record<string, string>): void {
  if (res.destroyed || res.headersSent) return;
  const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    ...extraHeaders,
    ...(answer.headers ?? {}),
    ...(body ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

async function listen(server: net.Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as net.AddressInfo).port;
}

/** A loopback port with nothing listening on it: connections there are refused (RST). */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  const port = await listen(probe);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function closeServer(server: https.Server | net.Server): Promise<void> {
  return new Promise((resolve) => {
    if ('closeAllConnections' in server) (server as https.Server).closeAllConnections();
    server.close(() => resolve());
  });
}

export async function startLab(options: LabOptions = {}): Promise<Lab> {
  validateOptions(options);
  const topology = parseTopology(options.topology ?? 'flat');
  const healthy = createState({
    seed: options.seed ?? 'xtenant-doctor',
    targets: options.targets ?? 1,
    plsWorkspaceKey: options.plsWorkspaceKey ?? 'workspaceId',
    ...(options.zoneRecords !== undefined ? { zoneRecords: options.zoneRecords } : {}),
    topology,
    subscriptions: options.subscriptions ?? 1,
  });
  const specs = (options.faults ?? []).map((f) => parseFault(f, healthy.targets.length, topology));
  const state = applyFaults(healthy, specs);
  state.service.resourceGraphOff = options.resourceGraph === false;
  for (const k of options.denySubscriptions ?? []) {
    const sub = subscriptionsOf(state.consumer)[k - 1];
    if (!sub) throw new Error(`lab deny-subscription: tenant 1 has ${subscriptionsOf(state.consumer).length} subscription(s); ${k} is not one of them`);
    state.service.deniedSubscriptions.push(sub);
  }
  const latencyMs = options.latencyMs ?? 0;
  const pageSize = options.pageSize ?? 50;
  const maxPageSize = options.maxPageSize ?? 1000;
  const listChaos = options.listChaos;
  const chaos = options.chaos ? new Chaos(options.chaos) : undefined;

  const intercepting = state.dataPath.tlsIntercepted.length > 0;
  const ca = await createCertificateAuthority('xtenant-doctor lab CA');
  const proxyCa = intercepting ? await createCertificateAuthority('Contoso TLS Inspection CA') : undefined;
  const sans = { dnsNames: ['localhost', 'api.fabric.microsoft.com'], ipAddresses: [HOST] };
  const [serverCert, proxyCert] = await Promise.all([ca.issue(sans), proxyCa ? proxyCa.issue(sans) : Promise.resolve(undefined as KeyAndCertificate | undefined)]);
  const groups = workspaceCertificateGroups(state);
  const serverTls = await certificatesBySni(ca, groups, serverCert);

  const tokens = new TokenStore();
  const staticTokens = {
    [LAB_ENV.providerArmToken]: tokens.issue(state.provider, 'arm', 24 * 3600),
    [LAB_ENV.providerFabricToken]: tokens.issue(state.provider, 'fabric', 24 * 3600),
    [LAB_ENV.consumerArmToken]: tokens.issue(state.consumer, 'arm', 24 * 3600),
  };

  const log: LabRequestLogEntry[] = [];
  const flushAudit = auditLab(() => log);
  const timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let stopped = false;
  const delay = (ms: number) =>
    ms <= 0 || stopped
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const entry = { timer: setTimeout(() => (timers.delete(entry), resolve()), ms), resolve };
          timers.add(entry);
        });

  // A stall lasts until the lab stops.
  const stopWaiters = new Set<() => void>();
  const untilStopped = () => (stopped ? Promise.resolve() : new Promise<void>((resolve) => stopWaiters.add(resolve)));

  const throttleCounts = new Map<string, number>();
  const flakyPaths = new Set<string>();
  const servers: Array<https.Server | net.Server> = [];

  // The request timeline: arrival and answer times of each HTTP request (the bench's depth).
  const labStart = performance.now();
  const sinceStart = () => Math.round((performance.now() - labStart) * 1000) / 1000;
  const timed = (startMs: number) => ({ startMs, endMs: sinceStart() });

  // ---- The API server: ARM, Fabric, identity ----
  let apiBase = '';
  const api = https.createServer(serverTls, (req, res) => {
    const startMs = sinceStart();
    void (async () => {
      const url = new URL(req.url ?? '/', apiBase);
      const method = (req.method ?? 'GET').toUpperCase();
      const p = url.pathname;
      const service: LabService = isIdentityPath(p)
        ? 'identity'
        : /^\/subscriptions(\/|$)/i.test(p)
          ? 'arm'
          : /^\/v1(\/|$)/i.test(p)
            ? 'fabric'
            : RESOURCE_GRAPH_PATH.test(p)
              ? 'resourcegraph'
              : 'unknown';
      const body = await readBody(req);
      const probe = req.headers[LAB_PROBE_HEADER] ? { probe: true as const } : {};
      let answer: HttpAnswer & { side?: 'consumer' | 'provider' };
      if (service === 'resourcegraph' && method === 'POST') {
        // The one POST besides sign-in that the doctor may send: a read in RBAC terms.
        answer = resourceGraphRequest({ state, tokens, pageSize }, p, url.searchParams, req.headers.authorization, body);
      } else if (service === 'identity') {
        answer = identityRequest({ state, tokens, scopes: LAB_SCOPES, authorityHost: apiBase }, method, p, body);
      } else if (method !== 'GET') {
        // Read-only: the lab serves only GET, and counts anything else.
        answer =
          service === 'fabric'
            ? fabricError(405, 'MethodNotAllowed', `The lab serves GET only; ${method} was refused.`, { allow: 'GET' })
            : { status: 405, body: { error: { code: 'MethodNotAllowed', message: `The lab serves GET only; ${method} was refused.` } }, headers: { allow: 'GET' } };
      } else if (service === 'arm') {
        answer = armRequest({ state, tokens, baseUrl: apiBase, pageSize, maxPageSize, listChaos, throttleCounts }, p, url.searchParams, req.headers.authorization);
      } else if (service === 'fabric') {
        answer = fabricRequest({ state, tokens, baseUrl: apiBase, pageSize, listChaos, flakyPaths }, p, url.searchParams, req.headers.authorization);
      } else {
        answer = { status: 404, body: { error: { code: 'NotFound', message: `The lab has no route for ${p}` } } };
      }
      await delay(latencyMs);
      const fault = chaos && service !== 'unknown' ? chaos.decide(chaosKey(service, method, `${p}${url.search}`, body)) : undefined;
      if (fault) {
        // Logged first: a stall answers only when the lab stops.
        log.push({ service, method, path: p, status: chaosStatus(fault, answer.status), chaos: fault, ...(answer.side ? { side: answer.side } : {}), ...probe, ...timed(startMs) });
        await misbehave(fault, { res, answer, service, untilStopped });
        return;
      }
      const requestId = randomUUID();
      const correlation = (req.headers['x-ms-correlation-request-id'] as string | undefined) ?? requestId;
      send(res, answer, service === 'arm' ? { 'x-ms-request-id': requestId, 'x-ms-correlation-request-id': correlation } : {});
      log.push({ service, method, path: p, status: answer.status, ...(answer.side ? { side: answer.side } : {}), ...probe, ...timed(startMs) });
    })().catch(() => {
      if (!res.headersSent) send(res, { status: 500, body: { error: { code: 'InternalServerError', message: 'lab error' } } }, {});
    });
  });
  servers.push(api);
  const apiPort = await listen(api, options.port ?? 0);
  apiBase = `https://${HOST}:${apiPort}`;

  // ---- Workspace listeners: the private endpoint, an intercepting proxy, the public front end ----
  const workspaceHandler = (via: 'private' | 'public', service: LabService) => (req: IncomingMessage, res: ServerResponse) => {
    const startMs = sinceStart();
    void (async () => {
      const url = new URL(req.url ?? '/', 'https://workspace');
      const method = (req.method ?? 'GET').toUpperCase();
      const sni = (req.socket as TLSSocket).servername || '';
      const host = req.headers.host ?? sni;
      await readBody(req);
      const probe = req.headers[LAB_PROBE_HEADER] ? { probe: true as const } : {};
      if (via === 'private') {
        // The private path carries only workspaces whose endpoint is usable; anything else is dropped.
        const ws = workspaceOfHost(state, host) ?? workspaceOfHost(state, sni);
        const target = ws && targetOfWorkspace(state, ws.id);
        if (!target || !privatePathOpen(state, target)) {
          log.push({ service, method, path: url.pathname, status: 0, ...probe, ...timed(startMs) });
          req.socket.destroy();
          return;
        }
      }
      const answer =
        method !== 'GET'
          ? fabricError(405, 'MethodNotAllowed', `The lab serves GET only; ${method} was refused.`, { allow: 'GET' })
          : workspaceEndpointRequest({ state, tokens, baseUrl: apiBase, pageSize, flakyPaths }, via, host, url.pathname, url.searchParams, req.headers.authorization);
      await delay(latencyMs);
      send(res, answer, {});
      log.push({ service, method, path: url.pathname, status: answer.status, ...probe, ...timed(startMs) });
    })().catch(() => req.socket.destroy());
  };
  const privateListener = https.createServer(serverTls, workspaceHandler('private', 'workspace-private'));
  const publicListener = https.createServer(serverTls, workspaceHandler('public', 'workspace-public'));
  servers.push(privateListener, publicListener);
  const privatePort = await listen(privateListener);
  const publicPort = await listen(publicListener);
  let interceptPort: number | undefined;
  if (proxyCert && proxyCa) {
    const interceptListener = https.createServer(await certificatesBySni(proxyCa, groups, proxyCert), workspaceHandler('private', 'workspace-private'));
    servers.push(interceptListener);
    interceptPort = await listen(interceptListener);
  }
  const deadPort = await closedPort();

  // ---- The instance metadata service (reached as 169.254.169.254:80 through connect-to) ----
  const imds = serveInstanceMetadata(state, (entry) => log.push({ service: 'imds', ...entry }));
  servers.push(imds);
  const imdsPort = await listen(imds);

  // ---- DNS: the VM's path, its own resolver, public DNS, and one server per DNS address in ARM ----
  const dnsServers: DnsServerHandle[] = [];
  const views: DnsView[] = ['vnet', 'vm', 'public', ...dnsServerAddresses(state).map((ip) => `ip:${ip}` as const)];
  try {
    for (const view of views) {
      dnsServers.push(
        await startDnsServer({
          view,
          state: () => state,
          onQuery: (q) => log.push({ service: `dns-${q.view}`, method: q.transport.toUpperCase(), path: q.question, status: 0 }),
        }),
      );
    }
  } catch (error) {
    await Promise.all([...servers.map(closeServer), ...dnsServers.map((d) => d.close())]);
    throw error;
  }
  const dnsAddress = (view: DnsView) => {
    const server = dnsServers.find((d) => d.view === view)!;
    return `${server.address}:${server.port}`;
  };

  const addresses: LabAddresses = {
    apiBase,
    scopes: LAB_SCOPES,
    dns: { vnet: dnsAddress('vnet'), vm: dnsAddress('vm'), public: dnsAddress('public') },
    dnsServers: Object.fromEntries(dnsServerAddresses(state).map((ip) => [ip, dnsAddress(`ip:${ip}`)])),
    imdsPort,
    listeners: { private: privatePort, ...(interceptPort ? { intercept: interceptPort } : {}), public: publicPort, dead: deadPort },
    host: HOST,
  };

  const secretEnv = (): Record<string, string> => ({
    [LAB_ENV.providerClientSecret]: state.provider.clientSecret,
    [LAB_ENV.consumerClientSecret]: state.consumer.clientSecret,
    ...staticTokens,
  });

  const lab: Lab = {
    state,
    caPem: ca.cert,
    addresses,
    secretEnv,
    configJson: (opts = {}) => buildConfigJson(state, addresses, ca.cert, opts),
    resolvedConfig: (opts = {}) => {
      const json = buildConfigJson(state, addresses, ca.cert, opts);
      const base = defaultConfig();
      return {
        ...base,
        source: 'lab',
        targets: json.targets,
        credentials: json.credentials,
        cloud: json.cloud,
        dns: { ...base.dns, ...json.dns },
        probes: { ...base.probes, ...json.probes },
        network: json.network,
        tls: { ca: ca.cert },
      };
    },
    async writeConfig(dir, opts = {}) {
      await mkdir(dir, { recursive: true });
      await restrictToOwner(dir, 'folder');
      const env = secretEnv();
      const secrets: ConfigOptions['files'] = { caFile: path.join(dir, 'lab-ca.pem'), secrets: {} };
      await writeFile(secrets.caFile, ca.cert);
      for (const [key, envName] of Object.entries(LAB_ENV) as Array<[keyof typeof LAB_ENV, string]>) {
        const file = path.join(dir, `${envName.toLowerCase()}.secret`);
        await writeFile(file, env[envName]!, { mode: 0o600 });
        await restrictToOwner(file, 'file');
        secrets.secrets[key] = file;
      }
      const config = buildConfigJson(state, addresses, ca.cert, { credentials: opts.credentials, files: secrets });
      const configPath = path.join(dir, 'xtenant-doctor.lab.json');
      await writeFile(configPath, JSON.stringify(config, null, 2) + '\n');
      return configPath;
    },
    requestCounts: () => countRequests(log),
    requestLog: () => log.map((e) => ({ ...e })),
    timelineOrigin: labStart,
    async stop() {
      if (stopped) return;
      stopped = true;
      flushAudit();
      for (const entry of timers) {
        clearTimeout(entry.timer);
        entry.resolve();
      }
      timers.clear();
      for (const resolve of stopWaiters) resolve();
      stopWaiters.clear();
      await Promise.all([...servers.map(closeServer), ...dnsServers.map((d) => d.close())]);
    },
  };
  return lab;
}

export function countRequests(log: LabRequestLogEntry[]): RequestCounts {
  const byService: Record<string, number> = {};
  const byMethod: Record<string, number> = {};
  const byPath = new Map<string, { service: string; method: string; path: string; count: number }>();
  for (const entry of log) {
    byService[entry.service] = (byService[entry.service] ?? 0) + 1;
    byMethod[entry.method] = (byMethod[entry.method] ?? 0) + 1;
    const key = `${entry.service} ${entry.method} ${entry.path.toLowerCase()}`;
    const row = byPath.get(key) ?? { service: entry.service, method: entry.method, path: entry.path, count: 0 };
    row.count++;
    byPath.set(key, row);
  }
  return { total: log.length, byService, byMethod, byPath: [...byPath.values()].sort((a, b) => b.count - a.count || a.path.localeCompare(b.path)) };
}

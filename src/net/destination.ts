// Where a connection really goes: curl-style connect-to overrides, and the sandbox rule that
// nothing leaves loopback (the lab and replay turn it on). Every socket the tool opens asks here first.
import net from 'node:net';
import type { ResolvedConfig } from '../config/types.js';

export interface ConnectToRule {
  /** Host name or address to match ('' matches any). */
  host: string;
  /** Port to match (undefined matches any). */
  port?: number;
  toHost: string;
  toPort?: number;
}

export type Destination =
  | { ok: true; host: string; port: number; mapped: boolean }
  | { ok: false; reason: string };

/** Parses `HOST:PORT:HOST2:PORT2` (IPv6 in brackets; empty parts match any / keep the original). */
export function parseConnectTo(spec: string): ConnectToRule {
  const parts = splitHostPorts(spec);
  if (!parts) throw new Error(`connect-to ${JSON.stringify(spec)}: expected HOST:PORT:HOST2:PORT2 (IPv6 in brackets, e.g. [::1])`);
  const [host, port, toHost, toPort] = parts;
  return {
    host: unbracket(host).toLowerCase(),
    ...(port ? { port: parsePort(port, spec) } : {}),
    toHost: unbracket(toHost),
    ...(toPort ? { toPort: parsePort(toPort, spec) } : {}),
  };
}

function splitHostPorts(spec: string): [string, string, string, string] | undefined {
  const match = /^(\[[^\]]*\]|[^:[\]]*):(\d*):(\[[^\]]*\]|[^:[\]]*):(\d*)$/.exec(spec.trim());
  return match ? [match[1]!, match[2]!, match[3]!, match[4]!] : undefined;
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function parsePort(text: string, spec: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`connect-to ${JSON.stringify(spec)}: port ${text} is not 1-65535`);
  return port;
}

/** A list's rules in order, and their positions by host ('' for the rules that match any host). */
interface IndexedRules {
  rules: ConnectToRule[];
  byHost: Map<string, number[]>;
}

/** Parsed and indexed once per list: a fleet asks for thousands of destinations (every DNS query) against ~1000 rules. */
const parsedLists = new WeakMap<readonly string[], IndexedRules>();

function parsedRules(specs: readonly string[]): IndexedRules {
  let indexed = parsedLists.get(specs);
  if (!indexed) {
    const rules = specs.map(parseConnectTo);
    const byHost = new Map<string, number[]>();
    rules.forEach((rule, i) => {
      const positions = byHost.get(rule.host);
      if (positions) positions.push(i);
      else byHost.set(rule.host, [i]);
    });
    parsedLists.set(specs, (indexed = { rules, byHost }));
  }
  return indexed;
}

/** The first rule, in the list's order, for one of these hosts (or any host) and this port. */
function firstRule(specs: readonly string[], candidates: string[], port: number): ConnectToRule | undefined {
  const { rules, byHost } = parsedRules(specs);
  let first = -1;
  for (const host of ['', ...candidates]) {
    for (const i of byHost.get(host) ?? []) {
      if (first !== -1 && i >= first) break;
      const rulePort = rules[i]!.port;
      if (rulePort === undefined || rulePort === port) {
        first = i;
        break;
      }
    }
  }
  return first === -1 ? undefined : rules[first];
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  const family = net.isIP(host);
  if (family === 4) return host.startsWith('127.');
  if (family === 6) return host === '::1' || host.toLowerCase() === '0:0:0:0:0:0:0:1' || host.toLowerCase().startsWith('::ffff:127.');
  return false;
}

/**
 * Decides where a connection to host:port goes. `names` are other names of the same destination
 * (the FQDN an address was resolved from), so a rule may match either. In sandbox mode a destination
 * that is not loopback after mapping is refused: no packet is sent.
 */
export function destinationFor(
  host: string,
  port: number,
  config: Pick<ResolvedConfig, 'network'>,
  names: string[] = [],
): Destination {
  const rule = firstRule(config.network.connectTo, [host, ...names].map((h) => h.toLowerCase()), port);
  if (rule) {
    const mapped = { host: rule.toHost || host, port: rule.toPort ?? port };
    if (config.network.sandbox && !isLoopback(mapped.host)) {
      return { ok: false, reason: `sandbox: ${host}:${port} maps to ${mapped.host}:${mapped.port}, which is not loopback; refused without a connection attempt` };
    }
    return { ok: true, ...mapped, mapped: true };
  }
  if (config.network.sandbox && !isLoopback(host)) {
    return { ok: false, reason: `sandbox: ${host}:${port} is not mapped by connect-to; refused without a connection attempt` };
  }
  return { ok: true, host, port, mapped: false };
}

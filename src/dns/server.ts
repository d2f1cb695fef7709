// DNS server specs as users write them: `host`, `host:port`, `[v6]:port`, or a bare IPv6 address.
import net from 'node:net';

export interface DnsServer {
  host: string;
  port: number;
}

export class ServerSpecError extends Error {
  constructor(spec: string, why: string) {
    super(`DNS server ${JSON.stringify(spec)}: ${why} (expected host, host:port, [ipv6]:port or an IPv6 address)`);
    this.name = 'ServerSpecError';
  }
}

export function parseServer(spec: string): DnsServer {
  const text = spec.trim();
  if (!text) throw new ServerSpecError(spec, 'empty');
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1]!;
    portText = bracketed[2];
    if (net.isIP(host) !== 6) throw new ServerSpecError(spec, `${host} in brackets is not an IPv6 address`);
  } else if (net.isIP(text) === 6) {
    host = text; // bare IPv6: no port possible without brackets
  } else {
    const parts = text.split(':');
    if (parts.length > 2) throw new ServerSpecError(spec, 'an IPv6 address with a port needs brackets');
    host = parts[0]!;
    portText = parts[1];
    if (!host) throw new ServerSpecError(spec, 'no host');
    if (!net.isIP(host) && !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i.test(host)) {
      throw new ServerSpecError(spec, `${host} is neither an IP address nor a host name`);
    }
  }
  let port = 53;
  if (portText !== undefined) {
    port = Number(portText);
    if (!/^\d+$/.test(portText) || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new ServerSpecError(spec, `port ${JSON.stringify(portText)} is not 1-65535`);
    }
  }
  return { host, port };
}

/** The canonical text of a server: port 53 is left out, IPv6 with a port is bracketed. */
export function formatServer(server: DnsServer): string {
  if (server.port === 53) return server.host;
  return net.isIP(server.host) === 6 ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}

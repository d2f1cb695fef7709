// The process-wide network guard of a replay: while it is on, every TCP/TLS connect, UDP send and
// DNS query is refused before a packet is sent. The config's sandbox already refuses what goes
// through the tool's own sockets; this catches everything else (a plugin, a library) at the bottom.
import dgram from 'node:dgram';
import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

export class NetworkRefusedError extends Error {
  readonly code = 'ERR_XTD_OFFLINE';
  constructor(what: string) {
    super(`offline replay: ${what} refused; a replay never touches the network`);
    this.name = 'NetworkRefusedError';
  }
}

export interface NetworkGuard {
  /** What was refused while the guard was on (`tcp 10.0.0.4:443`, `dns lookup host`, `udp 1.2.3.4:53`). */
  refused: string[];
}

type Patch = { target: object; key: string; original: unknown };

let active: { guard: NetworkGuard; patches: Patch[]; depth: number } | undefined;

/** Runs `fn` with the network refused; overlapping calls share one guard, lifted when the last ends. */
export async function withNetworkRefused<T>(fn: (guard: NetworkGuard) => Promise<T>): Promise<T> {
  const current = active ?? install();
  current.depth++;
  try {
    return await fn(current.guard);
  } finally {
    if (--current.depth === 0) uninstall(current.patches);
  }
}

function install(): NonNullable<typeof active> {
  const guard: NetworkGuard = { refused: [] };
  const patches: Patch[] = [];
  active = { guard, patches, depth: 0 };
  const patch = (target: object, key: string, replacement: unknown) => {
    patches.push({ target, key, original: (target as Record<string, unknown>)[key] });
    (target as Record<string, unknown>)[key] = replacement;
  };

  // net.connect, tls.connect, http(s), undici and fetch all end in Socket.prototype.connect.
  patch(net.Socket.prototype, 'connect', function (this: net.Socket, ...args: unknown[]) {
    const what = `tcp ${describeConnect(args)}`;
    guard.refused.push(what);
    const error = new NetworkRefusedError(what);
    process.nextTick(() => this.destroy(error));
    return this;
  });
  const refuseUdp = function (this: dgram.Socket, ...args: unknown[]) {
    const what = `udp ${describeUdp(args)}`;
    guard.refused.push(what);
    const callback = args.findLast((a) => typeof a === 'function') as ((e: Error) => void) | undefined;
    const error = new NetworkRefusedError(what);
    if (callback) process.nextTick(() => callback(error));
    else process.nextTick(() => this.emit('error', error));
  };
  patch(dgram.Socket.prototype, 'send', refuseUdp);
  patch(dgram.Socket.prototype, 'connect', refuseUdp);

  // DNS: getaddrinfo and c-ares send from native code, below any JS socket.
  patch(dns, 'lookup', (host: string, ...rest: unknown[]) => {
    const what = `dns lookup ${host}`;
    guard.refused.push(what);
    const callback = rest.findLast((a) => typeof a === 'function') as ((e: Error) => void) | undefined;
    process.nextTick(() => callback?.(new NetworkRefusedError(what)));
  });
  patch(dns.promises, 'lookup', async (host: string) => {
    const what = `dns lookup ${host}`;
    guard.refused.push(what);
    throw new NetworkRefusedError(what);
  });
  for (const Resolver of [dns.Resolver, dns.promises.Resolver]) {
    for (const key of Object.getOwnPropertyNames(Resolver.prototype)) {
      if (!/^(resolve|reverse)/.test(key)) continue;
      const isPromise = Resolver === dns.promises.Resolver;
      patch(Resolver.prototype, key, function (name: string, ...rest: unknown[]) {
        const what = `dns ${key} ${name}`;
        guard.refused.push(what);
        if (isPromise) return Promise.reject(new NetworkRefusedError(what));
        const callback = rest.findLast((a) => typeof a === 'function') as ((e: Error) => void) | undefined;
        process.nextTick(() => callback?.(new NetworkRefusedError(what)));
      });
    }
  }
  for (const key of Object.keys(dns).filter((k) => /^(resolve|reverse)/.test(k))) {
    patch(dns, key, (name: string, ...rest: unknown[]) => {
      const what = `dns ${key} ${name}`;
      guard.refused.push(what);
      const callback = rest.findLast((a) => typeof a === 'function') as ((e: Error) => void) | undefined;
      process.nextTick(() => callback?.(new NetworkRefusedError(what)));
    });
  }
  for (const key of Object.keys(dns.promises).filter((k) => /^(resolve|reverse)/.test(k))) {
    patch(dns.promises, key, async (name: string) => {
      const what = `dns ${key} ${name}`;
      guard.refused.push(what);
      throw new NetworkRefusedError(what);
    });
  }
  // `import { lookup } from 'node:dns'` bindings follow the module object only after a sync.
  syncBuiltinESMExports();
  return active;
}

function uninstall(patches: Patch[]): void {
  for (const { target, key, original } of patches.reverse()) (target as Record<string, unknown>)[key] = original;
  syncBuiltinESMExports();
  active = undefined;
}

function describeConnect(args: unknown[]): string {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first && typeof first === 'object') {
    const o = first as { host?: string; port?: number; path?: string };
    return o.path ?? `${o.host ?? 'localhost'}:${o.port ?? '?'}`;
  }
  if (typeof first === 'string' && typeof args[1] !== 'string' && !/^\d+$/.test(first)) return first; // a pipe path
  return `${typeof args[1] === 'string' ? args[1] : 'localhost'}:${String(first)}`;
}

function describeUdp(args: unknown[]): string {
  const port = args.find((a) => typeof a === 'number');
  const host = args.find((a, i) => i > 0 && typeof a === 'string');
  return `${host ?? '?'}:${port ?? '?'}`;
}

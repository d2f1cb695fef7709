// Shared per-run services: concurrency limits per service, lazily created clients, the request log.
import pLimit, { type LimitFunction } from 'p-limit';
import type { ResolvedConfig } from '../config/types.js';

/** One HTTP request the tool made: never a header value, never a body. */
export interface RequestLogEntry {
  service: string;
  method: string;
  host: string;
  path: string;
  status?: number;
  durationMs: number;
  requestId?: string;
  error?: string;
}

declare const holds: unique symbol;

/**
 * The name of a shared service, typed by what it holds (invariant): `shared` takes only these, so a
 * misspelt key is an unknown constant and a value of the wrong type does not compile, where a bare
 * string silently made a second service. Declare one beside the code that owns the service.
 */
export type ServiceKey<T> = string & { readonly [holds]: (value: T) => T };

export function serviceKey<T>(name: string): ServiceKey<T> {
  return name as ServiceKey<T>;
}

export interface Services {
  /** Runs `fn` when the named service (e.g. `arm:<subscription>`, `fabric`, `dns`) has a free slot. */
  limit<T>(service: string, fn: () => Promise<T>): Promise<T>;
  /** One client per key for the whole run (e.g. `arm:consumer`), created on first use; tests register fakes first. */
  shared<T>(key: ServiceKey<T>, create: () => T): T;
  requestLog: RequestLogEntry[];
  /** Aborted when the run is interrupted. */
  signal: AbortSignal;
}

export function createServices(config: ResolvedConfig, signal: AbortSignal): Services {
  // p-limit: a woken waiter keeps its slot, so a newcomer between two releases cannot overtake it
  // (the hand-written semaphore this replaces ran 3 tasks at once with a limit of 2).
  const limits = new Map<string, LimitFunction>();
  const clients = new Map<string, unknown>();
  return {
    limit(service, fn) {
      let limit = limits.get(service);
      if (!limit) {
        const family = service.split(':')[0] ?? service;
        limit = pLimit(config.concurrency[family] ?? config.concurrency.default ?? 8);
        limits.set(service, limit);
      }
      return limit(fn);
    },
    shared<T>(key: ServiceKey<T>, create: () => T): T {
      if (!clients.has(key)) clients.set(key, create());
      return clients.get(key) as T;
    },
    requestLog: [],
    signal,
  };
}

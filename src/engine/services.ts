// Shared per-run services: concurrency limits per service, lazily created clients, the request log.
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

export interface Services {
  /** Runs `fn` when the named service (e.g. `arm:<subscription>`, `fabric`, `dns`) has a free slot. */
  limit<T>(service: string, fn: () => Promise<T>): Promise<T>;
  /** One client per name for the whole run (e.g. `arm:consumer`), created on first use. */
  shared<T>(name: string, create: () => T): T;
  requestLog: RequestLogEntry[];
  /** Aborted when the run is interrupted. */
  signal: AbortSignal;
}

/** A counting semaphore: at most `max` tasks run at once, the rest wait in order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly max: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export function createServices(config: ResolvedConfig, signal: AbortSignal): Services {
  const limits = new Map<string, Semaphore>();
  const clients = new Map<string, unknown>();
  return {
    limit(service, fn) {
      let semaphore = limits.get(service);
      if (!semaphore) {
        const family = service.split(':')[0] ?? service;
        semaphore = new Semaphore(config.concurrency[family] ?? config.concurrency.default ?? 8);
        limits.set(service, semaphore);
      }
      return semaphore.run(fn);
    },
    shared<T>(name: string, create: () => T): T {
      if (!clients.has(name)) clients.set(name, create());
      return clients.get(name) as T;
    },
    requestLog: [],
    signal,
  };
}

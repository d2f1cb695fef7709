// Chaos: the lab answers a seeded share of ARM, Fabric and token requests with a fault (429, 500, a
// reset connection, a stall past the doctor's timeout, a truncated body), to prove the doctor stays
// upright when the services misbehave. The choice depends only on the seed and the request (service,
// method, path and query, token scope), never on arrival order, so one seed always breaks the same
// requests the same way, however the doctor's concurrency interleaves them.
import { createHash } from 'node:crypto';

export const CHAOS_FAULTS = ['throttle-once', 'throttle', 'server-error', 'reset', 'stall', 'truncate'] as const;
/**
 * - `throttle-once`: 429 with Retry-After the first time this request is seen, then the real answer
 *   (a retry recovers, whoever asks first);
 * - `throttle`: 429 every time (the doctor gives up after its retries);
 * - `server-error`: 500 with an error body; `reset`: the connection is destroyed without an answer;
 * - `stall`: no answer until the lab stops (past any timeout); `truncate`: headers announce the
 *   whole body, half is sent, the connection is closed.
 */
export type ChaosFault = (typeof CHAOS_FAULTS)[number];

export interface ChaosOptions {
  seed: string | number;
  /** The share of distinct requests that get a fault, from 0 to 1. */
  rate: number;
}

/** Parses `SEED:RATE` (e.g. `7:0.3`); throws a message naming the option. */
export function parseChaos(text: string, option = '--chaos'): ChaosOptions {
  const at = text.lastIndexOf(':');
  const seed = at > 0 ? text.slice(0, at) : '';
  const rateText = at > 0 ? text.slice(at + 1) : '';
  const rate = Number(rateText);
  if (!seed || rateText.trim() === '' || !Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new Error(`${option} ${JSON.stringify(text)}: expected SEED:RATE, a seed and a share of requests from 0 to 1 (e.g. 7:0.3)`);
  }
  return { seed, rate };
}

export function validateChaos(chaos: ChaosOptions): void {
  if (typeof chaos.rate !== 'number' || !Number.isFinite(chaos.rate) || chaos.rate < 0 || chaos.rate > 1) {
    throw new Error(`lab chaos rate: expected a share from 0 to 1, got ${String(chaos.rate)}`);
  }
  if ((typeof chaos.seed !== 'string' && typeof chaos.seed !== 'number') || String(chaos.seed) === '') {
    throw new Error(`lab chaos seed: expected a non-empty string or a number, got ${JSON.stringify(chaos.seed)}`);
  }
}

/** Decides, per request, whether and how it fails. */
export class Chaos {
  private readonly seen = new Map<string, number>();
  constructor(readonly options: ChaosOptions) {
    validateChaos(options);
  }

  /** The fault for this request, or undefined to answer normally. `key` identifies the request. */
  decide(key: string): ChaosFault | undefined {
    const digest = createHash('sha256').update(`${String(this.options.seed)}\0${key}`).digest();
    const draw = digest.readUInt32BE(0) / 2 ** 32;
    if (draw >= this.options.rate) return undefined;
    const fault = CHAOS_FAULTS[digest.readUInt32BE(4) % CHAOS_FAULTS.length]!;
    if (fault !== 'throttle-once') return fault;
    const count = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, count);
    return count === 1 ? fault : undefined;
  }
}

/** The request's identity for chaos: the token scope matters (one token path serves ARM and Fabric). */
export function chaosKey(service: string, method: string, pathAndQuery: string, body: string): string {
  let scope = '';
  if (service === 'identity') {
    try {
      scope = new URLSearchParams(body).get('scope') ?? '';
    } catch {
      scope = '';
    }
  }
  // The identity library adds a random client-request-id to the query: only the path counts there.
  const at = pathAndQuery.indexOf('?');
  const where = service === 'identity' && at !== -1 ? pathAndQuery.slice(0, at) : pathAndQuery;
  return `${service} ${method} ${where.toLowerCase()} ${scope}`;
}

/** What a chaotic answer needs from the server. */
export interface ChaosResponder {
  res: import('node:http').ServerResponse;
  /** The answer the lab would have given (truncate sends half of it). */
  answer: { status: number; body?: unknown; headers?: Record<string, string> };
  service: string;
  /** Resolves when the lab stops: a stall lasts until then. */
  untilStopped: () => Promise<void>;
}

/** The status the lab's request log records for a fault (0: no answer at all). */
export function chaosStatus(fault: ChaosFault, answerStatus: number): number {
  return fault === 'throttle' || fault === 'throttle-once' ? 429 : fault === 'server-error' ? 500 : fault === 'truncate' ? answerStatus : 0;
}

/** Sends the fault instead of the answer. */
export async function misbehave(fault: ChaosFault, { res, answer, service, untilStopped }: ChaosResponder): Promise<void> {
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    if (res.destroyed || res.headersSent) return;
    res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const errorBody = (code: string, message: string) =>
    service === 'fabric' ? { errorCode: code, message } : service === 'identity' ? { error: 'temporarily_unavailable', error_description: message } : { error: { code, message } };
  switch (fault) {
    case 'throttle-once':
    case 'throttle':
      json(429, errorBody('TooManyRequests', 'lab chaos: throttled'), { 'retry-after': '1' });
      return;
    case 'server-error':
      json(500, errorBody('InternalServerError', 'lab chaos: internal error'));
      return;
    case 'reset':
      res.socket?.destroy();
      return;
    case 'stall':
      await untilStopped();
      res.socket?.destroy();
      return;
    case 'truncate': {
      const text = answer.body === undefined ? '{}' : JSON.stringify(answer.body);
      if (res.destroyed || res.headersSent) return;
      res.writeHead(answer.status, { ...(answer.headers ?? {}), 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.write(text.slice(0, Math.floor(text.length / 2)));
      // Let the half reach the client before the connection goes.
      await new Promise((resolve) => setTimeout(resolve, 10));
      res.socket?.destroy();
      return;
    }
  }
}

// What every request of the tool shares, whichever client sends it: a per-request timeout, bounded
// retries of transient answers (408, 429, 500, 502, 503, 504, a reset connection) honouring Retry-After, a request log entry (never a header value or a body),
// and the translation of an HTTP fault into a typed unavailable fact.
import type { RequestLogEntry } from '../engine/services.js';
import type { ArmReadBudget } from './budget.js';
import { sleep } from './sleep.js';

import { DEFAULT_READ_MB } from '../config/defaults.js';
import { FactUnavailableError, type TenantSide, type Unavailable } from '../engine/types.js';
import { ReadOnlyViolationError, stripQuery } from './guard.js';
import { readCapped } from '../net/capped.js';

/** At most this many attempts per request (the first plus two retries). */
export const MAX_ATTEMPTS = 3;
/** A Retry-After longer than this is cut to it: the fact's own timeout bounds the rest. */
export const MAX_RETRY_WAIT_MS = 10_000;
/** Bodies larger than this are refused (a diagnosis never needs more). */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;
const MiB = 1024 * 1024;

/** The named error of a run that has read its budget: the fact whose read crossed it (and every later one) is `error`. */
export class ReadBudgetError extends Error {
  constructor(
    readonly maxBytes: number,
    readonly url: string,
    readonly requestId?: string,
  ) {
    super(
      `the run has read its budget of ${maxBytes / MiB} MB from ARM and Fabric (limits.readMB) and reads no more; ` +
        `raise limits.readMB in the config (default ${DEFAULT_READ_MB}) or diagnose fewer targets per run`,
    );
    this.name = 'ReadBudgetError';
  }
}

/**
 * The bytes every ARM, Fabric and Resource Graph body of a run has taken (one per run, shared by both
 * sides), charged by readBody as the body streams in: a run ends in a named error, never out of memory.
 */
export class RunReadBudget {
  used = 0;
  readonly maxBytes: number;
  constructor(readMB: number = DEFAULT_READ_MB) {
    this.maxBytes = readMB * MiB;
  }
  /** Throws ReadBudgetError once the run has read its budget (before a request is sent). */
  ensureLeft(url: string): void {
    if (this.used >= this.maxBytes) throw new ReadBudgetError(this.maxBytes, url);
  }
  /** Counts `bytes` more; throws ReadBudgetError when they take the run past its budget. */
  charge(bytes: number, url: string, requestId?: string): void {
    this.used += bytes;
    if (this.used > this.maxBytes) throw new ReadBudgetError(this.maxBytes, url, requestId);
  }
}

export interface RequestPolicy {
  /** Request-log service name: `arm:<side>`, `fabric:<side>`, `identity:<side>`. */
  service: string;
  requestMs: number;
  log: RequestLogEntry[];
  /** ARM: the per-subscription read budget every attempt waits for and learns from. */
  budget?: ArmReadBudget;
  /** The run's budget of bytes read (limits.readMB), charged by readBody. */
  reads?: RunReadBudget;
}

/** An HTTP answer that is not a success. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
    readonly code: string | undefined,
    readonly serviceMessage: string | undefined,
    readonly requestId: string | undefined,
  ) {
    super(`HTTP ${status}${code ? ` ${code}` : ''}${serviceMessage ? `: ${serviceMessage}` : ''}`);
    this.name = 'HttpStatusError';
  }
}

export class RequestTimeoutError extends Error {
  constructor(
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`no answer from ${stripQuery(url)} within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

/** A body that is not what the API documents (not JSON, a missing field). */
export class InvalidResponseError extends Error {
  constructor(
    message: string,
    readonly requestId?: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'InvalidResponseError';
  }
}

export interface AttemptResult {
  status: number;
  retryAfter?: string | null;
  requestId?: string;
  /** ARM's `x-ms-ratelimit-remaining-subscription-reads`. */
  remainingReads?: string | null;
}

/** Retry-After in seconds or as an HTTP date → milliseconds, capped; undefined when absent. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), MAX_RETRY_WAIT_MS);
}

/** Answers that say "try again": a timeout at the front door, throttling, and the gateway and server faults. */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Connection-level failures a second attempt usually gets past: the peer or a middlebox dropped the connection. */
const TRANSIENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** The backoff before attempt `attempt + 1` when the answer names no wait: 0.5 s, 1 s, 2 s… capped. */
export function backoffMs(attempt: number): number {
  return Math.min(500 * 2 ** (attempt - 1), MAX_RETRY_WAIT_MS);
}

/** The wait before attempt `attempt + 1`, or undefined when the answer is final. */
export function retryDelay(result: AttemptResult, attempt: number): number | undefined {
  if (attempt >= MAX_ATTEMPTS) return undefined;
  if (!TRANSIENT_STATUSES.has(result.status)) return undefined;
  return retryAfterMs(result.retryAfter) ?? backoffMs(attempt);
}

/** A reset connection (here or in any `cause`), not a timeout of ours nor a refusal of the guard. */
export function isTransientError(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return true;
    if (typeof e.message === 'string' && /socket hang up|other side closed/i.test(e.message)) return true;
  }
  return false;
}


/**
 * Sends one logical request: each attempt gets its own timeout signal; 429/503 are retried.
 * `attempt(signal)` performs one try and returns its status (and the raw result).
 */
export async function sendWithPolicy<R extends AttemptResult>(
  method: string,
  url: string,
  policy: RequestPolicy,
  outer: AbortSignal | null | undefined,
  attempt: (signal: AbortSignal) => Promise<R>,
): Promise<R> {
  for (let n = 1; ; n++) {
    policy.reads?.ensureLeft(url);
    await policy.budget?.acquire(url, outer);
    const timer = new AbortController();
    const handle = setTimeout(() => timer.abort(new RequestTimeoutError(url, policy.requestMs)), policy.requestMs);
    const signal = outer ? AbortSignal.any([outer, timer.signal]) : timer.signal;
    const t0 = performance.now();
    let result: R;
    try {
      result = await attempt(signal);
    } catch (error) {
      const timedOut = timer.signal.aborted && !outer?.aborted;
      const failure = timedOut ? new RequestTimeoutError(url, policy.requestMs) : error;
      logRequest(policy, method, url, t0, { error: failure });
      if (timedOut || outer?.aborted || n >= MAX_ATTEMPTS || !isTransientError(failure)) throw failure;
      await sleep(backoffMs(n), outer);
      continue;
    } finally {
      clearTimeout(handle);
    }
    logRequest(policy, method, url, t0, { status: result.status, requestId: result.requestId });
    policy.budget?.observe(url, { status: result.status, remainingReads: result.remainingReads, retryAfterMs: retryAfterMs(result.retryAfter) });
    const wait = retryDelay(result, n);
    if (wait === undefined) return result;
    await sleep(wait, outer);
  }
}

/**
 * The one reader of an ARM, Fabric, identity or Resource Graph body: refused past `cap` bytes (this
 * answer) or past the run's read budget (every answer), whether or not the server announced a
 * length; the rest is never read and the stream is destroyed.
 */
export async function readBody(
  body: AsyncIterable<Buffer | Uint8Array | string> & { destroy?(): unknown },
  url: string,
  policy: Pick<RequestPolicy, 'reads'>,
  options: { cap?: number; length?: number; requestId?: string } = {},
): Promise<string> {
  const cap = options.cap ?? MAX_BODY_BYTES;
  if (options.length !== undefined && options.length > cap) {
    body.destroy?.();
    throw new InvalidResponseError(`the answer from ${stripQuery(url)} is ${options.length} bytes, over the ${cap}-byte cap`, options.requestId);
  }
  const read = await readCapped(body, cap, (bytes) => policy.reads?.charge(bytes, url, options.requestId));
  if (read.truncated) throw new InvalidResponseError(`the answer from ${stripQuery(url)} is over the ${cap}-byte cap`, options.requestId);
  return read.text;
}

function logRequest(policy: RequestPolicy, method: string, url: string, t0: number, outcome: { status?: number; requestId?: string; error?: unknown }) {
  let host = '';
  let path = stripQuery(url);
  try {
    const parsed = new URL(url);
    host = parsed.host;
    path = parsed.pathname;
  } catch {
    // keep the raw path
  }
  const entry: RequestLogEntry = { service: policy.service, method: method.toUpperCase(), host, path, durationMs: Math.round(performance.now() - t0) };
  if (outcome.status !== undefined) entry.status = outcome.status;
  if (outcome.requestId) entry.requestId = outcome.requestId;
  if (outcome.error !== undefined) entry.error = outcome.error instanceof Error ? outcome.error.name : 'error';
  policy.log.push(entry);
}

/** Who asked, for a forbidden message: the tenant, the principal when known, the role needed. */
export interface FaultContext {
  /** What was being read, e.g. "the private endpoint /subscriptions/…". */
  what: string;
  side: TenantSide;
  tenantId?: string;
  principal?: string;
  neededRole: string;
  /** An ARM id where Reader would allow the read (a resource or a subscription). */
  scope?: string;
}

/** Turns any failure of a read into a typed unavailable fact (thrown). Never includes a header or token. */
export function toFact(error: unknown, context: FaultContext): FactUnavailableError {
  if (error instanceof FactUnavailableError) return error;
  const tenant = context.tenantId ?? `the ${context.side} tenant (${context.side === 'provider' ? 'tenant 2' : 'tenant 1'})`;
  const fault = describe(error);
  const base: Omit<Unavailable, 'kind' | 'message'> = {};
  // A damaged body may carry anything in these fields: only strings (and a whole status) are kept.
  if (Number.isInteger(fault.status)) base.httpStatus = fault.status;
  if (typeof fault.requestId === 'string' && fault.requestId) base.requestId = fault.requestId.slice(0, 200);
  if (typeof fault.code === 'string' && fault.code) base.code = fault.code.slice(0, 200);
  const make = (kind: Unavailable['kind'], message: string, extra: Omit<Unavailable, 'kind' | 'message'> = {}) =>
    new FactUnavailableError({ kind, message, ...base, ...extra });

  if (error instanceof ReadOnlyViolationError) return make('error', error.message);
  if (error instanceof ReadBudgetError) return make('error', `${context.what}: ${error.message}`, { code: 'ReadBudgetExceeded' });
  if (error instanceof Error && TOKEN_ERRORS.has(error.name)) {
    return make('error', `could not get a token for the ${context.side} side (tenant ${tenant}) to read ${context.what}: ${tokenReason(error.message)}`, {
      code: error.name,
    });
  }
  if (error instanceof RequestTimeoutError) return make('timeout', `${context.what}: ${error.message}`);
  if (error instanceof InvalidResponseError) {
    return make('invalid-response', `${context.what}: ${error.message}`, error.field ? { details: { missingField: error.field } } : {});
  }
  if (fault.status === 401) {
    // 401 is about the token (another tenant, another API, expired), never a missing role: the
    // service's own message says which, and it is kept whole.
    const who = context.principal ? `${context.principal}'s token for tenant ${tenant}` : `the ${context.side} token for tenant ${tenant}`;
    return make('forbidden', `${context.what}: ${who} was refused (HTTP 401${fault.code ? ` ${fault.code}` : ''}${fault.message ? `: ${fault.message}` : ''})`, {
      details: { tenantId: context.tenantId ?? null, principal: context.principal ?? null, side: context.side },
    });
  }
  if (fault.status === 403) {
    const who = context.principal ? `${context.principal} in tenant ${tenant}` : `the ${context.side} identity in tenant ${tenant}`;
    return make('forbidden', `${who} may not read ${context.what} (HTTP ${fault.status}${fault.code ? ` ${fault.code}` : ''}); it needs ${context.neededRole}`, {
      neededRole: context.neededRole,
      details: { tenantId: context.tenantId ?? null, principal: context.principal ?? null, side: context.side, ...(context.scope ? { scope: context.scope } : {}) },
    });
  }
  if (fault.status === 404) return make('not-found', `${context.what} was not found (HTTP 404${fault.code ? ` ${fault.code}` : ''})`);
  if (fault.status === 429) return make('throttled', `${context.what}: still throttled (HTTP 429) after ${MAX_ATTEMPTS} attempts`);
  if (fault.status !== undefined && TRANSIENT_STATUSES.has(fault.status)) {
    return make('error', `${context.what}: HTTP ${fault.status}${fault.code ? ` ${fault.code}` : ''} after ${MAX_ATTEMPTS} attempts${fault.message ? `: ${fault.message}` : ''}`);
  }
  if (fault.status !== undefined) return make('error', `${context.what}: HTTP ${fault.status}${fault.code ? ` ${fault.code}` : ''}${fault.message ? `: ${fault.message}` : ''}`);
  if (fault.parse) return make('invalid-response', `${context.what}: the answer is not valid JSON`);
  if (fault.network) return make('network', `${context.what}: ${fault.message}`);
  return make('error', `${context.what}: ${fault.message}`);
}

/** The identity library's errors: the credential could not produce a token at all. */
const TOKEN_ERRORS = new Set(['AuthenticationError', 'CredentialUnavailableError', 'AggregateAuthenticationError', 'AuthenticationRequiredError']);

/** The identity library's message without MSAL's trace ids, timestamps and help links. */
export function tokenReason(message: string): string {
  const first = message.split('\n').find((line) => line.trim()) ?? message;
  const reason = first
    .replace(/\s*(Trace ID|Correlation ID|Timestamp):.*$/i, '')
    .replace(/\s*See https:\/\/aka\.ms\/\S+( for details\.?)?/gi, '')
    .trim();
  return reason.length > 300 ? `${reason.slice(0, 297)}...` : reason || 'the credential gave no token';
}

interface Described {
  status?: number;
  code?: string;
  requestId?: string;
  message: string;
  parse?: boolean;
  network?: boolean;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'REQUEST_SEND_ERROR', 'ERR_TLS_CERT_ALTNAME_INVALID', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);

/** Reads status, service code and request id from our errors and from the Azure SDK's RestError. */
function describe(error: unknown): Described {
  if (error instanceof HttpStatusError) {
    return { status: error.status, code: error.code, requestId: error.requestId, message: error.serviceMessage ?? '' };
  }
  const e = error as { statusCode?: number; code?: string; message?: string; response?: { headers?: { get(name: string): string | undefined }; status?: number }; cause?: { code?: string } };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const requestId = e?.response?.headers?.get?.('x-ms-request-id') ?? undefined;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code === 'PARSE_ERROR' || error instanceof SyntaxError) return { message, parse: true, requestId, status: status && status < 300 ? undefined : status };
  const out: Described = { message, requestId };
  if (status !== undefined) out.status = status;
  if (code) out.code = code;
  if (!status && (NETWORK_CODES.has(code ?? '') || NETWORK_CODES.has(e?.cause?.code ?? ''))) out.network = true;
  return out;
}

/** What an error answer's body says when it is not the service's JSON error (e.g. a proxy's HTML page). */
export function describeErrorBody(text: string): string | undefined {
  return /^\s*</.test(text) ? 'the answer is an HTML page (a proxy or gateway answered instead of the service?)' : undefined;
}

/** The error for a body that does not parse as JSON; an HTML page usually means a proxy answered. */
export function notJsonError(where: string, text: string, requestId?: string): InvalidResponseError {
  const html = /^\s*</.test(text);
  return new InvalidResponseError(
    html ? `the answer from ${where} is an HTML page, not valid JSON (a proxy or gateway answered instead of the service?)` : `the answer from ${where} is not valid JSON`,
    requestId,
  );
}

/** A value at a dotted path must exist, or the body is not the documented shape. */
export function requireField(body: unknown, path: string, what: string, requestId?: string): void {
  let current: unknown = body;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object' || !(part in (current as Record<string, unknown>))) {
      throw new InvalidResponseError(`${what}: the answer has no field \`${path}\``, requestId, path);
    }
    current = (current as Record<string, unknown>)[part];
  }
  if (current === undefined || current === null) throw new InvalidResponseError(`${what}: the answer has no field \`${path}\``, requestId, path);
}

// The HTTPS probe: `GET https://{fqdn}{path}` through undici, the connection going where
// destinationFor says (connect-to, sandbox) with SNI and Host = the FQDN. Only GET is ever sent;
// the body is capped; the request log gets method, host, path, status, duration and request id,
// never a header value or the token.
import type { TLSSocket } from 'node:tls';
import type { ResolvedConfig } from '../../config/types.js';
import type { RequestLogEntry } from '../../engine/services.js';
import { destinationFor } from '../../net/destination.js';
import { failureOf, type ConnectFailure, type SocketError } from './socket.js';
import type { ProbeDestination } from './tcp.js';
import { defaultTlsConnect, checkNameOnX509, type TlsConnect } from './tls.js';
import { readCapped } from '../../net/capped.js';
import { undici } from '../../net/undici.js';

export const MAX_BODY_BYTES = 1024 * 1024;

/** The Fabric error code of a request refused by the workspace's inbound communication policy. */
export { DENIED_BY_POLICY } from '../../fabric/workspace.js';

export type HttpsOutcome = 'response' | 'sandbox-refused' | ConnectFailure;

export interface HttpsProbeResult {
  method: 'GET';
  host: string;
  path: string;
  address: string;
  port: number;
  destination?: ProbeDestination;
  outcome: HttpsOutcome;
  error?: SocketError;
  status?: number;
  /** `errorCode` and `message` of a Fabric error body. */
  errorCode?: string;
  errorMessage?: string;
  /** `empty`: no body (e.g. a bare 403); `fabric-error`: JSON with errorCode; `json`; `other`. */
  bodyKind?: 'empty' | 'fabric-error' | 'json' | 'other';
  bodyBytes?: number;
  bodyTruncated?: boolean;
  requestId?: string;
  /** Whether an Authorization header was sent (never its value). */
  auth: 'bearer' | 'none' | 'token-error';
  tokenError?: string;
  durationMs: number;
}

export interface HttpsProbeInput {
  fqdn: string;
  /** The address the FQDN resolved to: the connection goes there (or where connect-to maps it). */
  address: string;
  port?: number;
  path: string;
  config: Pick<ResolvedConfig, 'network'>;
  ca: string[];
  /** The same roots as a ready TLS context (shared across probes). */
  secureContext?: import('node:tls').SecureContext;
  timeoutMs: number;
  signal?: AbortSignal;
  token?: { token?: string; auth: HttpsProbeResult['auth']; tokenError?: string };
  requestLog?: RequestLogEntry[];
  connect?: TlsConnect;
  maxBodyBytes?: number;
  /**
   * The TLS probe's open connection to the same destination: the request goes over it when its
   * handshake was authorized (chain, dates and name) and it is still open; else a connection of its own.
   */
  socket?: TLSSocket;
}

/** A TLS socket the request may use as if it had connected itself (undici refuses what Node would not authorize). */
function reusable(socket: TLSSocket | undefined): boolean {
  return !!socket && socket.authorized && !socket.destroyed && socket.readyState === 'open';
}

/**
 * What the probe's client is destroyed with once the probe is over: one error made once, as undici
 * would otherwise build (and Node format the stack of) a new ClientDestroyedError per probe.
 */
const PROBE_OVER = new Error('the HTTPS probe is over');

export async function probeHttps(input: HttpsProbeInput): Promise<HttpsProbeResult> {
  // undici is loaded (src/net/undici.ts) before the clock starts, so the probe's time is the network's.
  const { Client } = await undici();
  const port = input.port ?? 443;
  const auth = input.token ?? { auth: 'none' as const };
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  const base = {
    method: 'GET' as const,
    host: input.fqdn,
    path: input.path,
    address: input.address,
    port,
    auth: auth.auth,
    ...(auth.tokenError ? { tokenError: auth.tokenError } : {}),
  };
  const log = (entry: Partial<RequestLogEntry>) =>
    input.requestLog?.push({ service: 'net', method: 'GET', host: input.fqdn, path: input.path, durationMs: elapsed(), ...entry });

  const destination = destinationFor(input.address, port, input.config, [input.fqdn]);
  if (!destination.ok) {
    input.socket?.destroy();
    log({ error: destination.reason });
    return { ...base, outcome: 'sandbox-refused', error: { code: 'SANDBOX', message: destination.reason }, durationMs: elapsed() };
  }
  const dest = { host: destination.host, port: destination.port, mapped: destination.mapped };
  const connectTls = input.connect ?? defaultTlsConnect;
  let handedOver = input.socket;
  const client = new Client(`https://${input.fqdn}:${port}`, {
    connect: (_options, callback) => {
      const opened = handedOver;
      handedOver = undefined;
      // Handed back on the next tick: undici's connect() must return before its callback runs.
      if (opened && reusable(opened)) return void process.nextTick(() => callback(null, opened));
      opened?.destroy();
      const socket = checkNameOnX509(connectTls({ host: dest.host, port: dest.port, servername: input.fqdn, ...(input.secureContext ? { secureContext: input.secureContext } : { ca: input.ca }), ALPNProtocols: ['http/1.1'] }));
      const timer = setTimeout(() => socket.destroy(Object.assign(new Error(`no TLS connection within ${input.timeoutMs} ms`), { code: 'ETIMEDOUT' })), input.timeoutMs);
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        socket.removeListener('error', onError);
        callback(null, socket);
      });
      const onError = (error: Error) => {
        clearTimeout(timer);
        callback(error, null);
      };
      socket.once('error', onError);
    },
    headersTimeout: input.timeoutMs,
    bodyTimeout: input.timeoutMs,
    // One request per probe; with 0, undici would ask for `connection: close` and the server's close
    // would end the response with an error of undici's own, stack and all, per probe.
    pipelining: 1,
  });
  try {
    const response = await client.request({
      method: 'GET',
      path: input.path,
      headers: { accept: 'application/json', ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}) },
      signal: input.signal ?? null,
      // The connection is closed below with the client; without this undici would close it at the
      // response's end with an error of its own, stack and all, per probe.
      reset: false,
    });
    const body = await readCapped(response.body, input.maxBodyBytes ?? MAX_BODY_BYTES);
    const requestId = headerValue(response.headers['requestid']) ?? headerValue(response.headers['x-ms-request-id']);
    log({ status: response.statusCode, ...(requestId ? { requestId } : {}) });
    return {
      ...base,
      destination: dest,
      outcome: 'response',
      status: response.statusCode,
      ...parseBody(body.text, body.truncated),
      bodyBytes: body.bytes,
      bodyTruncated: body.truncated,
      ...(requestId ? { requestId } : {}),
      durationMs: elapsed(),
    };
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    const code = err.code ?? (err.name === 'AbortError' ? 'ABORT_ERR' : undefined);
    const outcome: HttpsOutcome = failureOf(code);
    log({ error: err.message });
    return { ...base, destination: dest, outcome, error: { ...(code ? { code } : {}), message: err.message }, durationMs: elapsed() };
  } finally {
    handedOver?.destroy();
    await client.destroy(PROBE_OVER).catch(() => {});
  }
}

/** What the body says, kept small: the Fabric errorCode and message, never the rest. */
export function parseBody(text: string, truncated: boolean): Pick<HttpsProbeResult, 'bodyKind' | 'errorCode' | 'errorMessage'> {
  if (truncated) return { bodyKind: 'other' };
  if (text.trim() === '') return { bodyKind: 'empty' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { bodyKind: 'other' };
  }
  if (json && typeof json === 'object' && typeof (json as { errorCode?: unknown }).errorCode === 'string') {
    const { errorCode, message } = json as { errorCode: string; message?: unknown };
    return { bodyKind: 'fabric-error', errorCode, ...(typeof message === 'string' ? { errorMessage: message.slice(0, 500) } : {}) };
  }
  return { bodyKind: 'json' };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text ? text.slice(0, 200) : undefined;
}

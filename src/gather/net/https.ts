// The HTTPS probe: `GET https://{fqdn}{path}` with Node's HTTP client over a TLS connection of its
// own or the TLS probe's, going where destinationFor says (connect-to, sandbox) with SNI and Host =
// the FQDN. Only GET is ever sent; the body is capped; the request log gets method, host, path,
// status, duration and request id, never a header value or the token.
import http from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { ResolvedConfig } from '../../config/types.js';
import type { RequestLogEntry } from '../../engine/services.js';
import { destinationFor } from '../../net/destination.js';
import { failureOf, waitForSocket, type ConnectFailure, type SocketError } from './socket.js';
import type { ProbeDestination } from './tcp.js';
import { checkNameOnX509 } from '../../net/peer-certificate.js';
import { defaultTlsConnect, type TlsConnect } from './tls.js';
import { readCapped, type CappedBody } from '../../net/capped.js';

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

/** A TLS socket the request may use as if it had connected itself (one Node would authorize: chain, dates, name). */
function reusable(socket: TLSSocket): boolean {
  return socket.authorized && !socket.destroyed && socket.readyState === 'open';
}

export async function probeHttps(input: HttpsProbeInput): Promise<HttpsProbeResult> {
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
  const failed = (outcome: HttpsOutcome, error: SocketError): HttpsProbeResult => {
    log({ error: error.message });
    return { ...base, destination: dest, outcome, error, durationMs: elapsed() };
  };

  // The TLS probe's connection when Node would have authorized it; else one of the probe's own,
  // verified as any client verifies (an untrusted chain or another name fails the handshake).
  let socket: TLSSocket;
  if (input.socket && reusable(input.socket)) socket = input.socket;
  else {
    input.socket?.destroy();
    const connectTls = input.connect ?? defaultTlsConnect;
    socket = checkNameOnX509(connectTls({ host: dest.host, port: dest.port, servername: input.fqdn, ...(input.secureContext ? { secureContext: input.secureContext } : { ca: input.ca }), ALPNProtocols: ['http/1.1'] }));
    const ready = await waitForSocket(socket, 'secureConnect', input.timeoutMs, input.signal);
    if (!ready.ok) return failed(ready.outcome, ready.error);
  }
  try {
    const response = await getOver(socket, input, port, auth.token);
    log({ status: response.status, ...(response.requestId ? { requestId: response.requestId } : {}) });
    return {
      ...base,
      destination: dest,
      outcome: 'response',
      status: response.status,
      ...parseBody(response.body.text, response.body.truncated),
      bodyBytes: response.body.bytes,
      bodyTruncated: response.body.truncated,
      ...(response.requestId ? { requestId: response.requestId } : {}),
      durationMs: elapsed(),
    };
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    const code = err.code ?? (err.name === 'AbortError' ? 'ABORT_ERR' : undefined);
    return failed(failureOf(code), { ...(code ? { code } : {}), message: err.message });
  } finally {
    socket.destroy();
  }
}

/**
 * The one GET over an open TLS connection, with Node's own HTTP client (its native parser: ~0.25 ms
 * of CPU less a request than undici's Client made per probe). The headers must come within
 * `timeoutMs` of the request, and the body may pause at most `timeoutMs` between chunks.
 */
function getOver(socket: TLSSocket, input: HttpsProbeInput, port: number, token: string | undefined): Promise<{ status: number; requestId?: string; body: CappedBody }> {
  return new Promise((resolve, reject) => {
    const timeout = (what: string) => Object.assign(new Error(`${what} within ${input.timeoutMs} ms`), { code: 'ETIMEDOUT' });
    const request = http.request({
      method: 'GET',
      path: input.path,
      // Host as a client of https://{fqdn}:{port} sends it (no port for 443).
      setHost: false,
      headers: { host: port === 443 ? input.fqdn : `${input.fqdn}:${port}`, accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      createConnection: () => socket,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    const headersTimer = setTimeout(() => request.destroy(timeout('no response headers')), input.timeoutMs);
    request.once('error', (error) => {
      clearTimeout(headersTimer);
      reject(error);
    });
    request.once('response', (response) => {
      clearTimeout(headersTimer);
      response.setTimeout(input.timeoutMs, () => response.destroy(timeout('the body stalled: no data')));
      const requestId = headerValue(response.headers['requestid']) ?? headerValue(response.headers['x-ms-request-id']);
      readCapped(response, input.maxBodyBytes ?? MAX_BODY_BYTES).then((body) => resolve({ status: response.statusCode ?? 0, ...(requestId ? { requestId } : {}), body }), reject);
    });
    request.end();
  });
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

// Waiting for a socket to become ready, and naming why it did not: refused, timeout, reset,
// unreachable are different faults (a firewall that drops, one that rejects, a proxy that resets).
import type net from 'node:net';

/** `tls-failed`: the handshake ended in a TLS alert or a refused certificate. */
export type ConnectFailure = 'refused' | 'timeout' | 'reset' | 'unreachable' | 'tls-failed' | 'error';

/** Node's and OpenSSL's TLS error codes (a handshake alert, a certificate undici refused). */
const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|HOSTNAME_MISMATCH|ERR_OSSL_)/;

export interface SocketError {
  code?: string;
  message: string;
}

export type SocketReady = { ok: true; ms: number } | { ok: false; outcome: ConnectFailure; error: SocketError; ms: number };

/** Outcome names for errno codes a connect or a handshake can end with. */
export function failureOf(code: string | undefined): ConnectFailure {
  if (code && TLS_CODES.test(code)) return 'tls-failed';
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return 'timeout';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return 'reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
    case 'ENETDOWN':
    case 'EHOSTDOWN':
      return 'unreachable';
    default:
      return 'error';
  }
}

/**
 * Resolves when `socket` emits `readyEvent` ('connect' for TCP, 'secureConnect' for TLS), or with the
 * failure. On timeout or abort the socket is destroyed; on success it is left open for the caller.
 */
export function waitForSocket(socket: net.Socket, readyEvent: 'connect' | 'secureConnect', timeoutMs: number, signal?: AbortSignal): Promise<SocketReady> {
  const t0 = performance.now();
  const elapsed = () => Math.round((performance.now() - t0) * 10) / 10;
  return new Promise((resolve) => {
    const finish = (result: SocketReady) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.off(readyEvent, onReady);
      socket.off('error', onError);
      socket.off('close', onClose);
      if (!result.ok) {
        // Late errors from a socket we gave up on must not become uncaught exceptions.
        socket.on('error', () => {});
        socket.destroy();
      }
      resolve(result);
    };
    const onReady = () => finish({ ok: true, ms: elapsed() });
    const onError = (error: NodeJS.ErrnoException) =>
      finish({ ok: false, outcome: failureOf(error.code), error: { ...(error.code ? { code: error.code } : {}), message: error.message }, ms: elapsed() });
    // A peer that closes during a TLS handshake without an error event (some proxies do) is a reset.
    const onClose = () => finish({ ok: false, outcome: 'reset', error: { message: 'the connection was closed before it was ready' }, ms: elapsed() });
    const onAbort = () => finish({ ok: false, outcome: 'error', error: { code: 'ABORT_ERR', message: 'aborted' }, ms: elapsed() });
    const timer = setTimeout(
      () => finish({ ok: false, outcome: 'timeout', error: { code: 'ETIMEDOUT', message: `no ${readyEvent === 'connect' ? 'connection' : 'TLS handshake'} within ${timeoutMs} ms` }, ms: elapsed() }),
      timeoutMs,
    );
    socket.once(readyEvent, onReady);
    socket.once('error', onError);
    socket.once('close', onClose);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

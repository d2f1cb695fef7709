// The one request policy: transient answers and reset connections are retried with backoff, bounded;
// a timeout of ours and other errors are not.
import { describe, expect, it } from 'vitest';
import { isTransientError, retryDelay, sendWithPolicy, TRANSIENT_STATUSES, type RequestPolicy } from '../../../src/azure/http.js';
import type { RequestLogEntry } from '../../../src/engine/services.js';

const policy = (log: RequestLogEntry[] = []): RequestPolicy => ({ service: 'arm:consumer', requestMs: 2000, log });
const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

describe('transient failures', () => {
  it('retries 408, 429, 500, 502, 503, 504 with a wait; not 400, 401, 403, 404, 409', () => {
    for (const status of [408, 429, 500, 502, 503, 504]) expect(retryDelay({ status, retryAfter: '0' }, 1), String(status)).toBe(0);
    for (const status of [400, 401, 403, 404, 409]) expect(retryDelay({ status }, 1), String(status)).toBeUndefined();
    expect([...TRANSIENT_STATUSES].sort()).toEqual([408, 429, 500, 502, 503, 504]);
    // Bounded: after the last attempt the answer is final.
    expect(retryDelay({ status: 503 }, 3)).toBeUndefined();
    expect(retryDelay({ status: 503 }, 1)).toBe(500);
  });

  it('recognises a reset connection here or in its cause, and nothing else', () => {
    expect(isTransientError(reset())).toBe(true);
    expect(isTransientError(Object.assign(new Error('request failed'), { code: 'REQUEST_SEND_ERROR', cause: reset() }))).toBe(true);
    expect(isTransientError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }))).toBe(true);
    expect(isTransientError(Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }))).toBe(false);
    expect(isTransientError(new Error('refused by the read-only guard'))).toBe(false);
  });

  it('a reset once: the request is sent again and succeeds; both attempts are logged', async () => {
    const log: RequestLogEntry[] = [];
    let attempts = 0;
    const result = await sendWithPolicy('GET', 'https://management.azure.com/subscriptions/s/x', policy(log), undefined, async () => {
      attempts++;
      if (attempts === 1) throw reset();
      return { status: 200 };
    });
    expect(result.status).toBe(200);
    expect(log.map((e) => e.status ?? e.error)).toEqual(['Error', 200]);
  });

  it('a reset every time: given up after the bounded attempts, with the reset as the error', async () => {
    let attempts = 0;
    const sent = sendWithPolicy('GET', 'https://management.azure.com/subscriptions/s/x', policy(), undefined, async () => {
      attempts++;
      throw reset();
    });
    await expect(sent).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(attempts).toBe(3);
  });

  it('any other failure is not retried', async () => {
    let attempts = 0;
    const sent = sendWithPolicy('GET', 'https://management.azure.com/subscriptions/s/x', policy(), undefined, async () => {
      attempts++;
      throw new Error('certificate has expired');
    });
    await expect(sent).rejects.toThrow('certificate has expired');
    expect(attempts).toBe(1);
  });
});

// The run waits for its sign-in to be on the wire twice (before its checks load, and in the engine's
// head start); an authority that never answers holds it back SIGN_IN_HEAD_START_MAX_MS in all, not
// at each wait. Fake timers: no connection ever comes up here, so only the bound ends a wait.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SIGN_IN_HEAD_START_MAX_MS, signInOnTheWire } from '../../../src/azure/credentials.js';

type WireConfig = Parameters<typeof signInOnTheWire>[0];
const signsIn = () => ({ credentials: { provider: { type: 'client-secret' }, consumer: { type: 'none' } }, network: {}, tls: {} }) as unknown as WireConfig;

/** Whether `promise` settles within a few turns of the event loop, with no timer advanced. */
async function settlesNow(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('signInOnTheWire', () => {
  it('waits at most the bound in all: the second wait of the same run ends when the first one did', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const config = signsIn();
    const first = signInOnTheWire(config);
    expect(await settlesNow(first)).toBe(false);
    vi.advanceTimersByTime(SIGN_IN_HEAD_START_MAX_MS - 100);
    const second = signInOnTheWire(config);
    vi.advanceTimersByTime(100);
    expect(await settlesNow(first)).toBe(true);
    expect(await settlesNow(second)).toBe(true);
    // Past the bound, a later wait does not wait at all.
    expect(await settlesNow(signInOnTheWire(config))).toBe(true);
    // Another run's config has a bound of its own.
    expect(await settlesNow(signInOnTheWire(signsIn()))).toBe(false);
  });

  it('does not wait when this process does not sign in', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const config = { credentials: { provider: { type: 'access-token' }, consumer: { type: 'none' } }, network: {}, tls: {} } as unknown as WireConfig;
    expect(await settlesNow(signInOnTheWire(config))).toBe(true);
  });
});

// ARM's read budget: pacing when x-ms-ratelimit-remaining-subscription-reads runs low, a 429 pausing
// every request to its subscription (and only that one). A fake clock: no wall time is asserted.
import { describe, expect, it } from 'vitest';
import { ArmReadBudget, LOW_WATER, PACE_MS, subscriptionOf, type BudgetClock } from '../../../src/azure/budget.js';
import { sendWithPolicy } from '../../../src/azure/http.js';

const SUB_A = '11111111-1111-1111-1111-111111111111';
const SUB_B = '22222222-2222-2222-2222-222222222222';
const url = (sub: string, rest = '/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe') => `https://management.example/subscriptions/${sub}${rest}?api-version=1`;

/** Time moves only when someone sleeps; every sleep is recorded. */
function fakeClock(): BudgetClock & { time: number; sleeps: number[] } {
  const clock = {
    time: 0,
    sleeps: [] as number[],
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.time += ms;
    },
  };
  return clock;
}

describe('ArmReadBudget', () => {
  it('reads the subscription from an ARM URL or path', () => {
    expect(subscriptionOf(url(SUB_A))).toBe(SUB_A);
    expect(subscriptionOf(`/subscriptions/${SUB_B.toUpperCase()}/providers/x`)).toBe(SUB_B);
    expect(subscriptionOf('https://api.fabric.example/v1/workspaces/x')).toBeUndefined();
  });

  it('does not wait while the budget is unknown or plentiful', async () => {
    const clock = fakeClock();
    const budget = new ArmReadBudget(clock);
    await budget.acquire(url(SUB_A));
    budget.observe(url(SUB_A), { status: 200, remainingReads: '249' });
    for (let i = 0; i < 5; i++) await budget.acquire(url(SUB_A));
    expect(clock.sleeps).toEqual([]);
    expect(budget.remaining(SUB_A)).toBe(244);
  });

  it('paces requests once fewer than 10% of the reads remain, and stops when ARM reports more', async () => {
    const clock = fakeClock();
    const budget = new ArmReadBudget(clock);
    budget.observe(url(SUB_A), { status: 200, remainingReads: String(LOW_WATER - 1) });
    await budget.acquire(url(SUB_A));
    await budget.acquire(url(SUB_A));
    await budget.acquire(url(SUB_A));
    expect(clock.sleeps).toEqual([PACE_MS, PACE_MS]);
    // Another subscription has its own budget.
    await budget.acquire(url(SUB_B));
    expect(clock.sleeps).toHaveLength(2);
    budget.observe(url(SUB_A), { status: 200, remainingReads: '200' });
    await budget.acquire(url(SUB_A));
    expect(clock.sleeps).toHaveLength(2);
    expect(budget.stats.delayed).toBe(2);
  });

  it('after a 429, every request to that subscription waits out the Retry-After', async () => {
    const clock = fakeClock();
    const budget = new ArmReadBudget(clock);
    budget.observe(url(SUB_A), { status: 429, remainingReads: '0', retryAfterMs: 3000 });
    await budget.acquire(url(SUB_B));
    expect(clock.sleeps).toEqual([]);
    await budget.acquire(url(SUB_A, '/resourceGroups/other/providers/Microsoft.Network/virtualNetworks/v'));
    expect(clock.sleeps[0]).toBe(3000);
  });
});

describe('sendWithPolicy with a budget', () => {
  it('a throttled answer holds back the other requests to the subscription; the retry then succeeds', async () => {
    const clock = fakeClock();
    const budget = new ArmReadBudget(clock);
    const log: never[] = [];
    const policy = { service: 'arm:consumer', requestMs: 5000, log, budget };
    const answers = [
      { status: 429, retryAfter: '0.05', remainingReads: '0' },
      { status: 200, remainingReads: '240' },
    ];
    const first = await sendWithPolicy('GET', url(SUB_A), policy, undefined, async () => answers.shift()!);
    expect(first.status).toBe(200);
    // The retry waited, before its attempt, for the pause the 429 set on the whole subscription.
    expect(clock.sleeps).toContain(50);
    expect(budget.remaining(SUB_A)).toBe(240);
    expect(log.map((e: { status?: number }) => e.status)).toEqual([429, 200]);
  });
});

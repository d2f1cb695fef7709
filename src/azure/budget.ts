// ARM's read budget per subscription: a token bucket (250 reads, refilled over time) that ARM
// reports in `x-ms-ratelimit-remaining-subscription-reads`. A fleet shares it with everything else
// in the subscription, so the doctor slows down before ARM has to throttle it: when the budget runs
// low it paces its requests to that subscription, and after a 429 every request to that
// subscription waits out the Retry-After, not only the one that was refused.
import { sleep } from './sleep.js';

/** ARM's documented bucket for subscription reads. */
export const ARM_READ_BUCKET = 250;
/** Below this many remaining reads (10 % of the bucket), requests are paced. */
export const LOW_WATER = ARM_READ_BUCKET / 10;
/** The pace when low: 10 reads a second, under ARM's refill rate, so the bucket recovers. */
export const PACE_MS = 100;
/** A 429 without a usable Retry-After pauses the subscription this long. */
export const DEFAULT_PAUSE_MS = 1000;

export const REMAINING_READS_HEADER = 'x-ms-ratelimit-remaining-subscription-reads';

export interface BudgetObservation {
  status: number;
  /** The header's value, when the answer had one. */
  remainingReads?: string | null;
  /** The wait the answer asked for (Retry-After), in ms. */
  retryAfterMs?: number;
}

interface SubscriptionState {
  remaining?: number;
  /** No request before this time (after a 429). */
  pausedUntil: number;
  /** The next paced slot (when low). */
  nextSlot: number;
}

export interface BudgetClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal | null): Promise<void>;
}

export class ArmReadBudget {
  private readonly subscriptions = new Map<string, SubscriptionState>();
  /** How many requests waited, and for how long in all (for tests and --verbose). */
  readonly stats = { delayed: 0, waitedMs: 0 };

  constructor(private readonly clock: BudgetClock = realClock) {}

  /** Waits until a request to `url`'s subscription may go. */
  async acquire(url: string, signal?: AbortSignal | null): Promise<void> {
    const state = this.state(url);
    if (!state) return;
    let waited = 0;
    for (;;) {
      const now = this.clock.now();
      let wait = state.pausedUntil - now;
      if (wait <= 0 && state.remaining !== undefined && state.remaining < LOW_WATER) {
        wait = state.nextSlot - now;
        if (wait <= 0) state.nextSlot = now + PACE_MS;
      }
      if (wait <= 0) break;
      waited += wait;
      await this.clock.sleep(wait, signal);
    }
    if (waited > 0) {
      this.stats.delayed++;
      this.stats.waitedMs += waited;
    }
    // Requests already sent spend the budget before ARM says so.
    if (state.remaining !== undefined) state.remaining = Math.max(0, state.remaining - 1);
  }

  /** Learns from an answer: the remaining reads, or a 429's pause. */
  observe(url: string, answer: BudgetObservation): void {
    const state = this.state(url);
    if (!state) return;
    const remaining = Number(answer.remainingReads);
    if (answer.remainingReads && Number.isFinite(remaining)) state.remaining = remaining;
    if (answer.status === 429) {
      state.remaining = 0;
      state.pausedUntil = Math.max(state.pausedUntil, this.clock.now() + (answer.retryAfterMs ?? DEFAULT_PAUSE_MS));
    }
  }

  /** What the budget knows about a subscription (undefined: nothing yet). */
  remaining(subscriptionId: string): number | undefined {
    return this.subscriptions.get(subscriptionId.toLowerCase())?.remaining;
  }

  private state(url: string): SubscriptionState | undefined {
    const subscription = subscriptionOf(url);
    if (!subscription) return undefined;
    let state = this.subscriptions.get(subscription);
    if (!state) this.subscriptions.set(subscription, (state = { pausedUntil: 0, nextSlot: 0 }));
    return state;
  }
}

/** The subscription an ARM URL names (lower case), or undefined. */
export function subscriptionOf(url: string): string | undefined {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // a bare path
  }
  return /^\/subscriptions\/([^/?]+)/i.exec(path)?.[1]?.toLowerCase();
}

const realClock: BudgetClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, signal),
};

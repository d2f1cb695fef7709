// The chaos decision: a pure function of the seed and the request, never of arrival order.
import { describe, expect, it } from 'vitest';
import { Chaos, chaosKey, parseChaos } from '../../src/lab/chaos.js';

describe('lab chaos decisions', () => {
  it('parses SEED:RATE and names the option on bad input', () => {
    expect(parseChaos('7:0.3')).toEqual({ seed: '7', rate: 0.3 });
    expect(parseChaos('a:b:1')).toEqual({ seed: 'a:b', rate: 1 });
    for (const bad of ['7', ':0.3', '7:', '7:1.5', '7:-0.1', '7:x', '7:NaN']) expect(() => parseChaos(bad)).toThrow(/--chaos .*SEED:RATE/);
  });

  it('the same seed breaks the same requests the same way, whatever the order', () => {
    const keys = Array.from({ length: 200 }, (_, i) => chaosKey('arm', 'GET', `/subscriptions/s/r${i}?api-version=1`, ''));
    const a = new Chaos({ seed: 's', rate: 0.3 });
    const b = new Chaos({ seed: 's', rate: 0.3 });
    const forward = keys.map((k) => a.decide(k));
    const backward = [...keys].reverse().map((k) => b.decide(k)).reverse();
    expect(backward).toEqual(forward);
    const share = forward.filter(Boolean).length / keys.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.45);
    const other = new Chaos({ seed: 'other', rate: 0.3 });
    expect(keys.map((k) => other.decide(k))).not.toEqual(forward);
  });

  it('rate 0 never, rate 1 always; throttle-once only the first time', () => {
    const keys = Array.from({ length: 100 }, (_, i) => `k${i}`);
    expect(keys.every((k) => new Chaos({ seed: 1, rate: 0 }).decide(k) === undefined)).toBe(true);
    const always = new Chaos({ seed: 1, rate: 1 });
    const first = keys.map((k) => always.decide(k));
    expect(first.every(Boolean)).toBe(true);
    const second = keys.map((k) => always.decide(k));
    keys.forEach((_, i) => expect(second[i]).toBe(first[i] === 'throttle-once' ? undefined : first[i]));
  });

  it('token requests are told apart by scope, not by the random client-request-id', () => {
    const arm = chaosKey('identity', 'POST', '/t/oauth2/v2.0/token?client-request-id=1', 'grant_type=client_credentials&scope=https%3A%2F%2Farm%2F.default');
    expect(chaosKey('identity', 'POST', '/t/oauth2/v2.0/token?client-request-id=2', 'scope=https%3A%2F%2Farm%2F.default&x=1')).toBe(arm);
    expect(chaosKey('identity', 'POST', '/t/oauth2/v2.0/token', 'scope=https%3A%2F%2Ffabric%2F.default')).not.toBe(arm);
  });
});

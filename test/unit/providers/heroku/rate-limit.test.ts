import { describe, expect, it } from 'vitest';
import { RateBudget } from '../../../../src/providers/heroku/rate-limit.js';

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('RateBudget', () => {
  it('lets requests through at once above the reserve', () => {
    const c = clock();
    const b = new RateBudget({ bucketSize: 100, refillPerHour: 3600, reserveFraction: 0.1, now: c.now });
    expect(b.delayForNext()).toBe(0); // nothing known yet
    b.observeFree(100);
    for (let i = 0; i < 89; i++) {
      expect(b.delayForNext()).toBe(0);
      b.take();
    }
    expect(Math.round(b.remaining()!)).toBe(11);
    expect(b.delayForNext()).toBe(0);
    b.take();
    // Now at the reserve (10): one request per refilled token (3600/h = 1 per second).
    expect(b.delayForNext()).toBe(1000);
    c.advance(1000);
    expect(b.delayForNext()).toBe(0);
    b.take();
    expect(b.delayForNext()).toBe(1000);
  });

  it('counts outstanding requests against each response header', () => {
    const c = clock();
    const b = new RateBudget({ bucketSize: 100, refillPerHour: 3600, reserveFraction: 0.1, now: c.now });
    b.observeFree(50);
    b.take();
    b.take();
    b.take();
    b.settle(49); // the server counted the first; two are still out
    expect(b.remaining()).toBe(47);
    expect(b.lastRemaining()).toBe(49);
  });

  it('waits for an empty bucket to refill before anything else', () => {
    const c = clock();
    const b = new RateBudget({ bucketSize: 4500, refillPerHour: 4500, reserveFraction: 0.1, now: c.now });
    b.observeFree(0);
    expect(b.delayForNext()).toBe(800); // 1 token at 1.25/s
    c.advance(800);
    expect(b.delayForNext()).toBe(0);
  });

  it('learns the pool from the largest remaining and the refill rate from the headers', () => {
    const c = clock();
    const b = new RateBudget({ bucketSize: 100, refillPerHour: 4500, reserveFraction: 0.1, now: c.now });
    b.observeFree(1200);
    expect(b.pool()).toBe(1200);
    expect(b.reserve()).toBe(120);
    // 30 s at a true 1200/hour refill = 10 tokens back, while 20 requests were made.
    b.observeFree(1000);
    for (let i = 0; i < 20; i++) {
      b.take();
      b.settle(undefined);
    }
    c.advance(30_000);
    b.observeFree(1000 - 20 + 10);
    expect(Math.round(b.observedRefillPerHour()!)).toBe(1200);
    expect(Math.round(b.refillPerHour())).toBe(1200); // slower than configured: the observed one wins
  });

  it('estimates time for n requests: fast above the reserve, refill rate below', () => {
    const c = clock();
    const b = new RateBudget({ bucketSize: 100, refillPerHour: 3600, reserveFraction: 0.1, now: c.now });
    b.observeFree(100);
    expect(b.estimateMs(90, 10, 20)).toBe(180);
    // 300 requests: 90 fast (180 ms), then 210 - 0.18 refilled at 1/s, plus one latency.
    expect(b.estimateMs(300, 10, 20)).toBe(Math.round(180 + (210 - 0.18) * 1000 + 20));
  });

  it('checks its options', () => {
    expect(() => new RateBudget({ bucketSize: 0, refillPerHour: 1, reserveFraction: 0.1 })).toThrow(RangeError);
    expect(() => new RateBudget({ bucketSize: 1, refillPerHour: 1, reserveFraction: 1 })).toThrow(RangeError);
  });
});

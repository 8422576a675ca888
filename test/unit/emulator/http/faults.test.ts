import { describe, expect, it } from 'vitest';
import { FaultInjector, Latency } from '../../../../src/emulator/http/faults.js';
import { TokenBucket } from '../../../../src/emulator/http/rate-limit.js';

const run = (seed: number, rate: number, n = 400) => {
  const f = new FaultInjector(rate, seed);
  return Array.from({ length: n }, (_, i) => f.decide(i % 2 ? 'POST' : 'GET', '/apps', i % 2 === 1) ?? '-');
};

describe('FaultInjector', () => {
  it('repeats exactly under a seed and differs across seeds', () => {
    expect(run(42, 0.2)).toEqual(run(42, 0.2));
    expect(run(42, 0.2)).not.toEqual(run(43, 0.2));
  });

  it('injects about the requested share, of every kind, drop-after only on writes', () => {
    const kinds = run(7, 0.25, 4000);
    const share = kinds.filter((k) => k !== '-').length / kinds.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.3);
    for (const k of ['500', '503', 'drop-before', 'drop-after']) expect(kinds).toContain(k);
    kinds.forEach((k, i) => {
      if (k === 'drop-after') expect(i % 2).toBe(1);
    });
  });

  it('never faults at rate 0, always at rate 1', () => {
    expect(run(1, 0).every((k) => k === '-')).toBe(true);
    expect(run(1, 1).every((k) => k !== '-')).toBe(true);
  });

  it('serves targeted faults first, only to matching requests, n times', () => {
    const f = new FaultInjector(0, 1);
    f.failNext(2, 'drop-after', { method: 'post', path: /\/addons$/ });
    expect(f.decide('GET', '/apps/a/addons', false)).toBeUndefined();
    expect(f.decide('POST', '/apps/a/domains', true)).toBeUndefined();
    expect(f.decide('POST', '/apps/a/addons', true)).toBe('drop-after');
    expect(f.decide('POST', '/apps/a/addons', true)).toBe('drop-after');
    expect(f.decide('POST', '/apps/a/addons', true)).toBeUndefined();
  });

  it('rejects bad rates and kinds', () => {
    const f = new FaultInjector(0, 1);
    expect(() => f.setRate(1.5)).toThrow(RangeError);
    expect(() => f.setRate(Number.NaN)).toThrow(RangeError);
    expect(() => f.failNext(1, 'boom' as never)).toThrow(RangeError);
    expect(() => new FaultInjector(-1, 1).setRate(-1)).toThrow(RangeError);
  });
});

describe('Latency', () => {
  it('stays within latency ± jitter and repeats under a seed', () => {
    const a = new Latency(100, 20, 9);
    const b = new Latency(100, 20, 9);
    const xs = Array.from({ length: 200 }, () => a.next());
    expect(xs).toEqual(Array.from({ length: 200 }, () => b.next()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(80);
    expect(Math.max(...xs)).toBeLessThanOrEqual(120);
    expect(new Set(xs).size).toBeGreaterThan(10);
    expect(new Latency(0, 0, 1).next()).toBe(0);
  });
});

describe('TokenBucket', () => {
  it('takes one token per call and refills continuously up to capacity', () => {
    const b = new TokenBucket(3, 3600, 0); // one token per second
    expect([b.take(0), b.take(0), b.take(0), b.take(0)]).toEqual([true, true, true, false]);
    expect(b.remaining(0)).toBe(0);
    expect(b.remaining(1500)).toBe(1);
    expect(b.take(1500)).toBe(true);
    expect(b.take(1500)).toBe(false);
    expect(b.remaining(60_000)).toBe(3);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientEvent } from '../../../src/model/client.js';
import { createApp } from '../../../src/providers/heroku/apps.js';
import { RateLimitedError } from '../../../src/providers/heroku/errors.js';
import { Bench } from './helpers.js';

/**
 * A client told the wrong refill rate (far faster than the account's) runs
 * into 429s: it must wait them out and retry, report the waits, and give up
 * with RateLimitedError only at its deadline.
 */
describe('429 responses from the emulator', () => {
  let bench: Bench;

  beforeAll(async () => {
    bench = await Bench.start({ rateLimit: 5, refillPerHour: 36_000 }); // 10 tokens a second
    await createApp(bench.client(), { name: 'rl429' });
  });
  afterAll(() => bench.close());

  it('are waited out and retried until every request succeeds', async () => {
    const events: ClientEvent[] = [];
    const client = bench.client({ bucketSize: 5, refillPerHour: 36_000_000, rateLimitBaseMs: 50, onEvent: (e) => events.push(e) });
    bench.emu.resetStats();
    const results = await Promise.all(Array.from({ length: 30 }, () => client.get('/apps/rl429')));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const emuStats = bench.emu.stats();
    expect(emuStats.rateLimited).toBeGreaterThan(0);
    expect(client.stats().status429).toBe(emuStats.rateLimited);
    // Each 429 was followed by exactly one more attempt; plus the one free budget probe.
    expect(emuStats.byRoute['GET /apps/{app}']).toBe(30 + emuStats.rateLimited);
    expect(emuStats.byStatus['200']).toBe(30 + 1);
    const waits = events.filter((e) => e.type === 'rate-limit-wait' && e.reason === '429');
    expect(waits.length).toBe(emuStats.rateLimited);
    expect(events.filter((e) => e.type === 'retry' && e.reason === '429 rate_limit')).toHaveLength(emuStats.rateLimited);
  });

  it('end in RateLimitedError at the deadline, with a message saying what to do', async () => {
    const slow = await Bench.start({ rateLimit: 1, refillPerHour: 1 });
    try {
      const client = slow.client({ bucketSize: 1, refillPerHour: 36_000_000, deadlineMs: 400, rateLimitBaseMs: 50 });
      await client.get('/account').catch(() => undefined); // spends the only token
      const err = await client.get('/account').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RateLimitedError);
      expect((err as RateLimitedError).status).toBe(429);
      expect((err as Error).message).toMatch(/rate limit stayed exhausted after waiting .*GET \/account\/rate-limits shows them/);
    } finally {
      await slow.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientEvent } from '../../../src/model/client.js';
import { createApp } from '../../../src/providers/heroku/apps.js';
import { fastClock } from '../../helpers/fast-clock.js';
import { Bench } from './helpers.js';

/**
 * A 100-token bucket refilling at 3,600/hour (one per second): 300 requests
 * need ~210 s of refill. The client must get through them without a single
 * 429 by pacing itself under the reserve. Client and emulator bucket share
 * a clock running 5× faster, so the ~210 s take ~45 s of real time (a faster clock also multiplies the event loop's lag under load); every
 * figure asserted below is in that clock's time and unchanged by it.
 */
describe('rate limit: 300 requests through a 100-token bucket at 3,600/hour', () => {
  let bench: Bench;
  const clock = fastClock(5);

  beforeAll(async () => {
    bench = await Bench.start({ rateLimit: 100, refillPerHour: 3600, rateLimitClock: clock.emulatorNow });
    await createApp(bench.client({ bucketSize: 100, refillPerHour: 3600, clock }), { name: 'rl-app' });
  });
  afterAll(() => bench.close());

  it('finishes with zero 429s sent by the emulator and reports the pacing', async () => {
    const events: ClientEvent[] = [];
    const client = bench.client({ bucketSize: 100, refillPerHour: 3600, concurrency: 10, clock, onEvent: (e) => events.push(e) });
    const remaining = await client.refreshRateLimit();
    expect(remaining).toBeGreaterThanOrEqual(98);
    // ~90 go at once; the other ~210 at one per second.
    const estimate = client.estimateMs(300);
    expect(estimate).toBeGreaterThan(190_000);
    expect(estimate).toBeLessThan(230_000);

    bench.emu.resetStats();
    const results = await Promise.all(Array.from({ length: 300 }, () => client.get<Record<string, string>>('/apps/rl-app/config-vars')));
    expect(results.every((r) => r.status === 200)).toBe(true);

    const stats = bench.emu.stats();
    expect(stats.rateLimited).toBe(0);
    expect(stats.byStatus['429']).toBeUndefined();
    expect(stats.requests).toBe(300);
    expect(client.stats().status429).toBe(0);

    const waits = events.filter((e): e is Extract<ClientEvent, { type: 'rate-limit-wait' }> => e.type === 'rate-limit-wait');
    expect(waits.length).toBeGreaterThan(150);
    expect(waits.every((w) => w.reason === 'pacing' && w.remaining <= 11)).toBe(true);
    expect(client.stats().rateLimitWaits).toBe(waits.length);
    // The budget was held near the reserve (10), never run down to empty.
    expect(client.rateLimitRemaining()).toBeGreaterThanOrEqual(5);
  }, 120_000);
});

import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../src/providers/heroku/client.js';

/**
 * Time running `factor` times faster than the wall clock, for a client and
 * an emulator bucket that must agree: what either computes (refill, pacing
 * waits, estimates) is in the fast time, so assertions on it are unchanged
 * while the test takes 1/factor of the real time.
 */
export function fastClock(factor: number): Clock & { emulatorNow: () => number } {
  const t0 = performance.now();
  const now = (): number => t0 + (performance.now() - t0) * factor;
  return {
    now,
    emulatorNow: () => Math.floor(now()),
    sleep: async (ms, signal) => {
      await sleep(ms / factor, undefined, signal ? { signal } : undefined);
    },
  };
}

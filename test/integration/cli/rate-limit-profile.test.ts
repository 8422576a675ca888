import { afterEach, expect, it } from 'vitest';
import { CliWorld } from '../../helpers/cli-world.js';

// An account (or emulator) whose bucket is not today's 4,500 tells the
// client so through the environment; a bad value is refused up front.

let w: CliWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const yaml = (n: number) =>
  `version: 1\napps:\n${Array.from({ length: n }, (_, i) => `  rl-app-${i}:\n    config: { A: "1" }\n`).join('')}`;

it('plans 20 apps (84 requests) through a 50-token bucket without a single 429 when told the profile', async () => {
  w = await CliWorld.start({ rateLimit: 50, refillPerHour: 360_000 });
  await w.write('dynoform.yaml', yaml(20));
  for (let i = 0; i < 20; i++) await w.heroku.appsCreate(`rl-app-${i}`);
  w.emulator.resetStats();
  const r = await w.run(['plan'], { DYNOFORM_RATE_LIMIT_POOL: '50', DYNOFORM_RATE_LIMIT_REFILL_PER_HOUR: '360000' });
  expect(r.code).toBe(0);
  expect(w.emulator.stats().requests).toBe(4 * 20 + 4);
  expect(w.emulator.stats().rateLimited).toBe(0);
});

it('refuses a rate-limit profile that is not a whole number', async () => {
  w = await CliWorld.start();
  await w.write('dynoform.yaml', yaml(1));
  const r = await w.run(['plan'], { DYNOFORM_RATE_LIMIT_POOL: 'lots' });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('DYNOFORM_RATE_LIMIT_POOL must be a whole number');
  expect(w.emulator.stats().requests).toBe(0);
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apply, DynoformError, plan, type ApplyStreamEvent, type CommonOptions, type Diagnostic } from '../../../src/index.js';
import { startEmulator, type EmulatorHandle } from '../../../src/emulator/index.js';
import { TEST_FINGERPRINT_KEY } from '../../helpers/fingerprint-key.js';

// Issue 15 §2 at the library level: plan() returns each catalogue mistake
// as an error diagnostic at its YAML place (refused: true), and apply()
// refuses with DynoformError 'refused' before the emulator sees any write.

let emulator: EmulatorHandle;
let dir: string;

const options = (): CommonOptions => ({
  cwd: dir,
  env: { DYNOFORM_FINGERPRINT_KEY: TEST_FINGERPRINT_KEY },
  apiUrl: emulator.url,
  token: 'lib-token',
  client: { retryBaseMs: 5 },
});

beforeEach(async () => {
  emulator = await startEmulator({ rateLimit: 100_000, refillPerHour: 100_000, apiKeys: ['lib-token', 'other-token'] });
  dir = await mkdtemp(join(tmpdir(), 'dynoform-catalogue-'));
});
afterEach(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

async function drain(stream: AsyncIterable<ApplyStreamEvent>): Promise<void> {
  for await (const e of stream) void e;
}

const writes = (): number => Object.values(emulator.stats().writes).reduce((a, b) => a + b, 0);

async function expectRefused(yaml: string, expected: Partial<Diagnostic>): Promise<void> {
  await writeFile(join(dir, 'dynoform.yaml'), yaml);
  const before = writes();
  const out = await plan(options());
  expect(out.refused).toBe(true);
  expect(out.plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([expect.objectContaining({ severity: 'error', file: 'dynoform.yaml', ...expected })]);
  const err = await drain(apply(options())).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DynoformError);
  expect((err as DynoformError).code).toBe('refused');
  expect((err as DynoformError).diagnostics).toEqual([expect.objectContaining(expected)]);
  expect(writes()).toBe(before);
}

const app = (fields: string) => `version: 1\napps:\n  shop:\n    name: shop-app\n${fields}`;

describe('plan() and apply() against the catalogue (issue 15 §2)', () => {
  it('an add-on plan not in the catalogue', async () => {
    await expectRefused(app('    addons:\n      cache:\n        plan: heroku-redis:tiny-9\n'), { code: 'unknown-addon-plan', line: 7, col: 9, address: 'app.shop/addon.cache' });
  });

  it('region europe-west', async () => {
    await expectRefused(app('    region: europe-west\n'), { code: 'unknown-region', line: 5, col: 5, address: 'app.shop' });
  });

  it('stack cedar-14', async () => {
    await expectRefused(app('    stack: cedar-14\n'), { code: 'unknown-stack', line: 5, col: 5, address: 'app.shop' });
  });

  it('a name held by an app of another account', async () => {
    const res = await fetch(`${emulator.url}/apps`, {
      method: 'POST',
      headers: { Accept: 'application/vnd.heroku+json; version=3', Authorization: 'Bearer other-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'shop-app' }),
    });
    expect(res.status).toBe(201);
    await expectRefused(app(''), { code: 'app-name-taken', line: 4, col: 5, address: 'app.shop' });
  });

  it('a Private Space dyno size on a running process type', async () => {
    await writeFile(join(dir, 'dynoform.yaml'), app(''));
    await drain(apply(options()));
    const h = { Accept: 'application/vnd.heroku+json; version=3', Authorization: 'Bearer lib-token', 'Content-Type': 'application/json' };
    const slug = (await (await fetch(`${emulator.url}/apps/shop-app/slugs`, { method: 'POST', headers: h, body: JSON.stringify({ process_types: { web: 'x' } }) })).json()) as { id: string };
    await fetch(`${emulator.url}/apps/shop-app/releases`, { method: 'POST', headers: h, body: JSON.stringify({ slug: slug.id }) });
    await expectRefused(app('    formation:\n      web: { quantity: 1, size: private-M }\n'), { code: 'dyno-size-private-space', line: 6, col: 27, address: 'app.shop/formation.web' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../../../src/emulator/index.js';
import { checkResponse } from '../../conformance/support.js';
import { client, withEmulator, type Call } from './helpers.js';

// Issue 15 §2: what `dynoform plan` now catches from the catalogue, the
// emulator refuses as Heroku does (422 invalid_params, 403 for an app of
// another account), so a client that skips the check meets the real answer.

let emu: EmulatorHandle;
let call: Call;
let other: Call;
beforeAll(async () => {
  ({ emu, call } = await withEmulator({ apiKeys: ['test-token', 'other-token'], seed: 15 }));
  other = client(emu, 'other-token');
  await call('POST', '/apps', { body: { name: 'mine-app' } });
  await call('POST', '/apps', { body: { name: 'second-app' } });
  await other('POST', '/apps', { body: { name: 'their-app' } });
});
afterAll(() => emu.close());

const invalid = (r: { status: number; body: { id: string; message: string } }, message: RegExp): void => {
  expect(r.status).toBe(422);
  expect(r.body.id).toBe('invalid_params');
  expect(r.body.message).toMatch(message);
};

describe('the catalogue a plan reads', () => {
  it('serves schema-valid lists of regions, stacks, dyno sizes, services and plans', async () => {
    for (const [pattern, path] of [
      ['/regions', '/regions'],
      ['/stacks', '/stacks'],
      ['/dyno-sizes', '/dyno-sizes'],
      ['/addon-services', '/addon-services'],
      ['/addon-services/{service}/plans', '/addon-services/heroku-redis/plans'],
    ] as const) {
      const r = await call('GET', path);
      expect(r.status).toBe(200);
      expect(checkResponse('GET', pattern, r.body)).toEqual([]);
    }
    const plans = (await call('GET', '/addon-services/heroku-redis/plans')).body as Array<{ name: string }>;
    expect(plans.map((p) => p.name)).toContain('heroku-redis:mini');
    const missing = await call('GET', '/addon-services/heroku-redi/plans');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ id: 'not_found' });
  });

  it('tells a free app name (404) from one held by an app this account cannot see (403)', async () => {
    expect((await call('GET', '/apps/nobody-has-this')).status).toBe(404);
    const theirs = await call('GET', '/apps/their-app');
    expect(theirs.status).toBe(403);
    expect(theirs.body).toMatchObject({ id: 'forbidden', message: 'You do not have access to the app their-app.' });
  });
});

describe('refuses what plan catches, with the API\'s 422', () => {
  it('region europe-west and a Private Space region', async () => {
    invalid(await call('POST', '/apps', { body: { name: 'eu-west', region: 'europe-west' } }), /Couldn't find that region/);
    invalid(await call('POST', '/apps', { body: { name: 'in-space', region: 'frankfurt' } }), /only available to apps in a Private Space/);
  });

  it('stack cedar-14, at create and as a build stack change', async () => {
    invalid(await call('POST', '/apps', { body: { name: 'old-stack', stack: 'cedar-14' } }), /Couldn't find that stack: cedar-14/);
    invalid(await call('PATCH', '/apps/mine-app', { body: { build_stack: 'cedar-14' } }), /Couldn't find that stack: cedar-14/);
  });

  it('a name already taken, by this account or another, at create and at rename', async () => {
    invalid(await call('POST', '/apps', { body: { name: 'their-app' } }), /Name their-app is already taken/);
    invalid(await call('PATCH', '/apps/mine-app', { body: { name: 'their-app' } }), /Name their-app is already taken/);
    invalid(await call('PATCH', '/apps/mine-app', { body: { name: 'second-app' } }), /Name second-app is already taken/);
  });

  it('an add-on plan not in the catalogue', async () => {
    invalid(await call('POST', '/apps/mine-app/addons', { body: { plan: 'heroku-redis:tiny-9' } }), /Couldn't find either the add-on service or the add-on plan of "heroku-redis:tiny-9"/);
  });

  it('an unknown and a Private Space dyno size', async () => {
    const slug = await call('POST', '/apps/mine-app/slugs', { body: { process_types: { web: 'node server.js' } } });
    await call('POST', '/apps/mine-app/releases', { body: { slug: slug.body.id } });
    invalid(await call('PATCH', '/apps/mine-app/formation', { body: { updates: [{ type: 'web', size: 'standard-3X' }] } }), /Invalid dyno size "standard-3X"/);
    invalid(await call('PATCH', '/apps/mine-app/formation', { body: { updates: [{ type: 'web', size: 'private-M' }] } }), /only available to apps in a Private Space/);
  });

  it('config vars over 32 kB', async () => {
    invalid(await call('PATCH', '/apps/mine-app/config-vars', { body: { BLOB: 'x'.repeat(40 * 1024) } }), /Config vars are limited to 32 kB per app/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../../../src/emulator/index.js';
import { tick, withEmulator, type Call } from './helpers.js';

let emu: EmulatorHandle;
let call: Call;
// Long enough that a loaded machine still sees `provisioning` on the read right after the create.
beforeAll(async () => ({ emu, call } = await withEmulator({ provisionDelayMs: 1000 })));
afterAll(() => emu.close());

const waitFor = async (check: () => Promise<boolean>, ms = 15_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await tick(20);
  }
  throw new Error('timed out');
};

describe('add-ons', () => {
  it('provisions asynchronously: provisioning, then provisioned with its vars and a release', async () => {
    await call('POST', '/apps', { body: { name: 'async-db' } });
    const res = await call('POST', '/apps/async-db/addons', { body: { plan: 'heroku-postgresql:essential-0' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      state: 'provisioning',
      plan: { name: 'heroku-postgresql:essential-0' },
      addon_service: { name: 'heroku-postgresql' },
      app: { name: 'async-db' },
      billing_entity: { name: 'async-db', type: 'app' },
      billed_price: { cents: 500, contract: false, unit: 'month' },
      config_vars: ['DATABASE_URL'],
    });
    expect(res.body.name).toMatch(/^postgresql-[a-z]+-\d{5}$/);
    expect((await call('GET', '/apps/async-db/config-vars')).body).toEqual({});
    await waitFor(async () => (await call('GET', `/apps/async-db/addons/${res.body.id}`)).body.state === 'provisioned');
    expect(Object.keys((await call('GET', '/apps/async-db/config-vars')).body)).toEqual(['DATABASE_URL']);
  });

  it('takes the plan as service:plan, {name}, an id, or a bare service (its default plan)', async () => {
    await call('POST', '/apps', { body: { name: 'plans' } });
    const mini = (await call('GET', '/addon-services/heroku-redis/plans/mini')).body;
    const byObject = await call('POST', '/apps/plans/addons', { body: { plan: { name: 'heroku-redis:premium-0' }, attachment: {}, config: {} } });
    expect(byObject.body.plan.name).toBe('heroku-redis:premium-0');
    expect(byObject.body.config_vars).toEqual(['REDIS_URL']);
    const byId = await call('POST', '/apps/plans/addons', { body: { plan: mini.id } });
    expect(byId.body.plan.name).toBe('heroku-redis:mini');
    // The second Redis gets a colour name, as on Heroku.
    expect(byId.body.config_vars).toEqual(['HEROKU_REDIS_AMBER_URL']);
    const bare = await call('POST', '/apps/plans/addons', { body: { plan: 'papertrail' } });
    expect(bare.body).toMatchObject({ plan: { name: 'papertrail:choklad' }, state: 'provisioned', config_vars: ['PAPERTRAIL_API_TOKEN'] });
    const unknown = await call('POST', '/apps/plans/addons', { body: { plan: 'heroku-postgresql:gigantic' } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toContain('heroku-postgresql:gigantic');
    expect((await call('POST', '/apps/plans/addons', { body: {} })).status).toBe(422);
    expect((await call('POST', '/apps/plans/addons', { body: { plan: 'papertrail:fixa' } })).status).toBe(422);
  });

  it('names: given ones are global and unique; attachment names follow `as`', async () => {
    await call('POST', '/apps', { body: { name: 'named' } });
    const db = await call('POST', '/apps/named/addons', { body: { plan: 'heroku-postgresql:standard-0', name: 'shop-primary-db', attachment: { name: 'primary_db' } } });
    expect(db.body).toMatchObject({ name: 'shop-primary-db', config_vars: ['PRIMARY_DB_URL'] });
    expect((await call('POST', '/apps/named/addons', { body: { plan: 'heroku-postgresql', name: 'shop-primary-db' } })).status).toBe(422);
    expect((await call('POST', '/apps/named/addons', { body: { plan: 'heroku-postgresql', attachment: { name: 'PRIMARY_DB' } } })).status).toBe(422);
    expect((await call('POST', '/apps/named/addons', { body: { plan: 'heroku-postgresql', name: '1bad' } })).status).toBe(422);
    expect((await call('GET', '/addons/shop-primary-db')).body.id).toBe(db.body.id);
    expect((await call('GET', '/apps/named/addons/PRIMARY_DB')).body.id).toBe(db.body.id);
  });

  it('changes plan with PATCH within the same service only', async () => {
    await call('POST', '/apps', { body: { name: 'upgrade' } });
    const db = (await call('POST', '/apps/upgrade/addons', { body: { plan: 'heroku-postgresql:essential-0' } })).body;
    const up = await call('PATCH', `/apps/upgrade/addons/${db.name}`, { body: { plan: 'heroku-postgresql:essential-1' } });
    expect(up.body).toMatchObject({ plan: { name: 'heroku-postgresql:essential-1' }, billed_price: { cents: 900 } });
    expect((await call('PATCH', `/apps/upgrade/addons/${db.name}`, { body: { plan: { name: 'heroku-postgresql:standard-0' } } })).body.plan.name).toBe('heroku-postgresql:standard-0');
    expect((await call('PATCH', `/apps/upgrade/addons/${db.name}`, { body: { plan: 'heroku-redis:mini' } })).status).toBe(422);
    expect((await call('PATCH', `/apps/upgrade/addons/${db.name}`, { body: {} })).status).toBe(422);
  });

  it('lists per app and account-wide, and deletes (returned deprovisioned)', async () => {
    await call('POST', '/apps', { body: { name: 'listing' } });
    const a = (await call('POST', '/apps/listing/addons', { body: { plan: 'heroku-redis:mini' } })).body;
    expect((await call('GET', '/apps/listing/addons')).body.map((x: any) => x.id)).toEqual([a.id]);
    expect((await call('GET', '/addons')).body.map((x: any) => x.id)).toContain(a.id);
    expect((await call('GET', '/users/~/addons')).body.map((x: any) => x.id)).toContain(a.id);
    const gone = await call('DELETE', `/apps/listing/addons/${a.id}`);
    expect(gone.body).toMatchObject({ id: a.id, state: 'deprovisioned' });
    expect((await call('GET', `/addons/${a.id}`)).status).toBe(404);
    expect((await call('GET', '/apps/listing/addons')).body).toEqual([]);
  });

  it('inlines plan and service with Accept-Expansion, as for the Heroku CLI', async () => {
    await call('POST', '/apps', { body: { name: 'expand' } });
    const res = await call('POST', '/apps/expand/addons', {
      body: { plan: 'heroku-postgresql:essential-0' },
      headers: { 'Accept-Expansion': 'plan, addon_service' },
    });
    expect(res.body.plan).toMatchObject({ name: 'heroku-postgresql:essential-0', price: { cents: 500, unit: 'month' } });
    expect(res.body.addon_service).toMatchObject({ name: 'heroku-postgresql', human_name: 'Heroku Postgres' });
  });

  it('papertrail adds a log drain that only removing the add-on removes', async () => {
    await call('POST', '/apps', { body: { name: 'logs' } });
    const pt = (await call('POST', '/apps/logs/addons', { body: { plan: 'papertrail:choklad' } })).body;
    const drains = (await call('GET', '/apps/logs/log-drains')).body;
    expect(drains).toHaveLength(1);
    expect(drains[0].addon).toMatchObject({ id: pt.id, name: pt.name, app: { name: 'logs' } });
    expect((await call('GET', `/addons/${pt.id}/log-drains`)).body).toHaveLength(1);
    expect((await call('DELETE', `/apps/logs/log-drains/${drains[0].id}`)).status).toBe(422);
    await call('DELETE', `/apps/logs/addons/${pt.id}`);
    expect((await call('GET', '/apps/logs/log-drains')).body).toEqual([]);
  });

  it('knows the other common add-ons: Scheduler (no vars), MemCachier (three vars)', async () => {
    await call('POST', '/apps', { body: { name: 'common' } });
    const scheduler = await call('POST', '/apps/common/addons', { body: { plan: 'scheduler:standard' } });
    expect(scheduler.body).toMatchObject({ state: 'provisioned', config_vars: [], billed_price: { cents: 0 } });
    const cache = await call('POST', '/apps/common/addons', { body: { plan: 'memcachier:dev' } });
    expect(cache.body.config_vars).toEqual(['MEMCACHIER_SERVERS', 'MEMCACHIER_USERNAME', 'MEMCACHIER_PASSWORD']);
    expect(Object.keys((await call('GET', '/apps/common/config-vars')).body).sort()).toEqual(['MEMCACHIER_PASSWORD', 'MEMCACHIER_SERVERS', 'MEMCACHIER_USERNAME']);
    const names = (await call('GET', '/apps/common/releases')).body.map((r: any) => r.description);
    expect(names).toEqual(['Initial release', `Attach SCHEDULER (@ref:${scheduler.body.name})`, `Attach MEMCACHIER (@ref:${cache.body.name})`]);
    expect((await call('POST', '/apps/common/addons', { body: { plan: 'scheduler' } })).status).toBe(422);
  });

  it('resolves add-ons by name or attachment', async () => {
    await call('POST', '/apps', { body: { name: 'resolver' } });
    const r = (await call('POST', '/apps/resolver/addons', { body: { plan: 'heroku-redis:mini' } })).body;
    expect((await call('POST', '/actions/addons/resolve', { body: { addon: r.name } })).body.map((x: any) => x.id)).toEqual([r.id]);
    expect((await call('POST', '/actions/addons/resolve', { body: { addon: 'REDIS', app: 'resolver' } })).body.map((x: any) => x.id)).toEqual([r.id]);
    expect((await call('POST', '/actions/addons/resolve', { body: { addon: 'nothing-here' } })).status).toBe(404);
    const atts = (await call('POST', '/actions/addon-attachments/resolve', { body: { addon_attachment: 'REDIS', app: 'resolver' } })).body;
    expect(atts.map((a: any) => a.name)).toEqual(['REDIS']);
  });
});

describe('add-on attachments', () => {
  it('share an add-on with another app: vars and a release there; detach takes them away', async () => {
    await call('POST', '/apps', { body: { name: 'owner-app' } });
    await call('POST', '/apps', { body: { name: 'guest-app' } });
    const db = (await call('POST', '/apps/owner-app/addons', { body: { plan: 'heroku-postgresql:essential-0' } })).body;
    await waitFor(async () => (await call('GET', `/addons/${db.id}`)).body.state === 'provisioned');
    const owned = (await call('GET', '/apps/owner-app/config-vars')).body.DATABASE_URL;

    const att = await call('POST', '/addon-attachments', { body: { addon: db.name, app: 'guest-app', name: 'OWNER_DB' } });
    expect(att.status).toBe(201);
    expect(att.body).toMatchObject({ name: 'OWNER_DB', app: { name: 'guest-app' }, addon: { id: db.id, name: db.name, app: { name: 'owner-app' } } });
    expect((await call('GET', '/apps/guest-app/config-vars')).body).toEqual({ OWNER_DB_URL: owned });
    expect((await call('GET', '/apps/guest-app/addon-attachments/OWNER_DB')).body.id).toBe(att.body.id);
    expect((await call('GET', `/addon-attachments/${att.body.id}`)).body.name).toBe('OWNER_DB');
    expect((await call('GET', `/addons/${db.id}/addon-attachments`)).body.map((a: any) => a.name).sort()).toEqual(['DATABASE', 'OWNER_DB']);
    expect((await call('GET', '/addon-attachments')).body.map((a: any) => a.id)).toContain(att.body.id);
    expect((await call('GET', '/apps/guest-app/addons')).body.map((a: any) => a.id)).toEqual([db.id]);

    // Only the billing app changes or removes it.
    expect((await call('DELETE', `/apps/guest-app/addons/${db.id}`)).status).toBe(422);
    expect((await call('PATCH', `/apps/guest-app/addons/${db.id}`, { body: { plan: 'heroku-postgresql:essential-1' } })).status).toBe(422);
    const detached = await call('DELETE', `/addon-attachments/${att.body.id}`);
    expect(detached.status).toBe(200);
    expect((await call('GET', '/apps/guest-app/config-vars')).body).toEqual({});
    const descriptions = (await call('GET', '/apps/guest-app/releases')).body.map((r: any) => r.description);
    expect(descriptions).toEqual(['Initial release', `Attach OWNER_DB (@ref:${db.name})`, `Detach OWNER_DB (@ref:${db.name})`]);
  });

  it('a provider rotating its URL (PATCH /addons/{id}/config): every attached app gets it, with a release each', async () => {
    await call('POST', '/apps', { body: { name: 'rot-owner' } });
    await call('POST', '/apps', { body: { name: 'rot-guest' } });
    const db = (await call('POST', '/apps/rot-owner/addons', { body: { plan: 'heroku-postgresql:essential-0' } })).body;
    await waitFor(async () => (await call('GET', `/addons/${db.id}`)).body.state === 'provisioned');
    await call('POST', '/addon-attachments', { body: { addon: db.id, app: 'rot-guest', name: 'SHARED' } });
    const before = (await call('GET', '/apps/rot-guest')).body.released_at;

    const url = 'postgres://u:rotated@db.example.com:5432/d';
    const res = await call('PATCH', `/addons/${db.id}/config`, { body: { config: [{ name: 'URL', value: url }] } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([{ name: 'URL', value: url }]);
    expect((await call('GET', `/addons/${db.id}/config`)).body).toEqual([{ name: 'URL', value: url }]);
    expect((await call('GET', '/apps/rot-owner/config-vars')).body.DATABASE_URL).toBe(url);
    expect((await call('GET', '/apps/rot-guest/config-vars')).body.SHARED_URL).toBe(url);
    for (const app of ['rot-owner', 'rot-guest']) {
      const releases = (await call('GET', `/apps/${app}/releases`)).body;
      expect(releases.at(-1).description).toBe('Update ' + (app === 'rot-owner' ? 'DATABASE' : 'SHARED') + ' by heroku-postgresql');
    }
    expect((await call('GET', '/apps/rot-guest')).body.released_at >= before).toBe(true);

    const bad = await call('PATCH', `/addons/${db.id}/config`, { body: { config: [{ name: 'PASSWORD', value: 'x' }] } });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toContain('PASSWORD is not a config var of heroku-postgresql');
    expect((await call('GET', '/apps/rot-guest/config-vars')).body.SHARED_URL).toBe(url);
  });

  it('refuses to detach the last attachment to the billing app, and unshareable add-ons', async () => {
    await call('POST', '/apps', { body: { name: 'solo' } });
    await call('POST', '/apps', { body: { name: 'other-solo' } });
    const pt = (await call('POST', '/apps/solo/addons', { body: { plan: 'papertrail' } })).body;
    const atts = (await call('GET', '/apps/solo/addon-attachments')).body;
    expect((await call('DELETE', `/addon-attachments/${atts[0].id}`)).status).toBe(422);
    expect((await call('POST', '/addon-attachments', { body: { addon: pt.id, app: 'other-solo' } })).status).toBe(422);
    expect((await call('POST', '/addon-attachments', { body: { addon: pt.id } })).status).toBe(422);
  });
});

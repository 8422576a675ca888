import { afterEach, describe, expect, it } from 'vitest';
import { parsePlan, serializePlan } from '../../../src/planner/index.js';
import { eventsOf, executable, expectNoChanges, World } from './world.js';

const SECRET = 'sk_live_do-not-print-me-4242';
const DRAIN_PW = 'drain-password-never-shown';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** Every kind: app, config (literal + secret), add-on, formation, domains, drains (one with credentials from env). */
const SHOP = `
version: 1
apps:
  shop:
    name: shop-test
    region: eu
    stack: heroku-24
    protect: false
    config:
      RAILS_ENV: production
      SECRET_KEY_BASE: \${env:SECRET_KEY_BASE}
    addons:
      db: { plan: heroku-postgresql:essential-0, as: DATABASE }
    formation:
      web: { quantity: 2, size: standard-1X }
      worker: { quantity: 1, size: standard-2X }
    domains:
      - www.example.com
      - { hostname: api.example.com, sni_endpoint: null }
    drains:
      - https://logs.example.com/ingest
      - https://user:\${env:DRAIN_PW}@secure-logs.example.com/in
`;

async function shopWorld(opts: Parameters<typeof World.start>[0] = {}): Promise<World> {
  const w = await World.start(opts);
  w.env = { SECRET_KEY_BASE: SECRET, DRAIN_PW };
  await w.yaml(SHOP);
  return w;
}

describe('apply against the emulator', () => {
  it('creates an app with all six kinds from nothing, then converges formation after a release', async () => {
    world = await shopWorld({ provisionDelayMs: 800 });
    const { first, run, second } = await world.converge();
    const r = run.result!;
    expect(first.plan.changes.map((c) => `${c.address} ${c.action}`)).toEqual(expect.arrayContaining(['app.shop create', 'app.shop/addon.db create', 'app.shop/config create', 'app.shop/formation waiting']));
    // Everything but formation (no release defines web/worker yet) succeeded.
    expect(r.failed).toEqual([]);
    expect(r.succeeded.map((s) => s.address).sort()).toEqual(
      [
        'app.shop',
        'app.shop/addon.db',
        'app.shop/config',
        'app.shop/domain.api.example.com',
        'app.shop/domain.www.example.com',
        'app.shop/drain.https://logs.example.com/ingest',
        'app.shop/drain.https://***@secure-logs.example.com/***',
      ].sort(),
    );
    expect(r.skipped.map((s) => s.address)).toEqual(['app.shop/formation']);
    expect(r.skipped[0]!.message).toMatch(/waiting for a release/);
    // Said once, by the skip, naming the process types (issue 15 §5: a warning as well printed it twice).
    expect(eventsOf(run.events, 'change-skipped').map((e) => e.reason)).toEqual(['waiting for a release that defines web and worker']);
    expect(eventsOf(run.events, 'warning').some((w) => /waiting for a release/.test(w.message))).toBe(false);
    // Add-on attach + config patch.
    expect(r.releases).toBe(2);
    // The add-on was polled while provisioning, and config ran only after it.
    expect(eventsOf(run.events, 'wait').filter((w) => w.reason === 'provisioning').length).toBeGreaterThan(0);
    const order = run.events.filter((e) => e.type === 'change-done' || e.type === 'change-start').map((e) => `${e.type} ${'address' in e ? e.address : ''}`);
    expect(order.indexOf('change-done app.shop/addon.db')).toBeLessThan(order.indexOf('change-start app.shop/config'));
    expect(order.indexOf('change-done app.shop')).toBeLessThan(order.indexOf('change-start app.shop/addon.db'));
    // State after every change: one state-saved per write, and the state holds everything, no secret.
    expect(eventsOf(run.events, 'state-saved').length).toBeGreaterThan(0);
    const inv = await world.inventory();
    const app = inv.apps.shop!;
    expect(app).toMatchObject({ name: 'shop-test', region: 'eu', protect: false, created: true });
    expect(Object.keys(app.config).sort()).toEqual(['RAILS_ENV', 'SECRET_KEY_BASE']);
    expect(app.config.SECRET_KEY_BASE!.secret).toBe(true);
    expect(app.addons.db).toMatchObject({ plan: 'heroku-postgresql:essential-0', attachment: 'DATABASE' });
    expect(Object.keys(app.domains).sort()).toEqual(['api.example.com', 'www.example.com']);
    expect(Object.values(app.drains).map((d) => d.maskedUrl).sort()).toEqual(['https://***@secure-logs.example.com/***', 'https://logs.example.com/ingest']);
    const everything = JSON.stringify({ inv, events: run.events, plan: first.plan, second: second.plan });
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(DRAIN_PW);
    // Live: the secret really was set.
    const vars = await world.api<Record<string, string>>('GET', '/apps/shop-test/config-vars');
    expect(vars).toMatchObject({ RAILS_ENV: 'production', SECRET_KEY_BASE: SECRET });
    expect(vars.DATABASE_URL).toMatch(/^postgres:/);

    // Deploy code: now formation can be applied.
    await world.release('shop-test', { web: 'bundle exec puma', worker: 'bundle exec sidekiq' });
    const again = await world.converge();
    expect(again.run.result!.succeeded.map((s) => s.address)).toEqual(['app.shop/formation']);
    const formation = await world.api<Array<{ type: string; quantity: number; size: string }>>('GET', '/apps/shop-test/formation');
    expect(formation.map((f) => [f.type, f.quantity, f.size.toLowerCase()]).sort()).toEqual([
      ['web', 2, 'standard-1x'],
      ['worker', 1, 'standard-2x'],
    ]);
    expect((await world.inventory()).apps.shop!.formation).toEqual({ web: { quantity: 2, size: 'standard-1X' }, worker: { quantity: 1, size: 'standard-2X' } });
  });

  it('applies updates with exactly the requests the plan announced', async () => {
    world = await shopWorld();
    await world.converge();
    await world.release('shop-test', { web: 'puma', worker: 'sidekiq' });
    await world.converge();

    await world.yaml(
      SHOP.replace('RAILS_ENV: production', 'RAILS_ENV: staging\n      NEW_KEY: hello')
        .replace('      SECRET_KEY_BASE: ${env:SECRET_KEY_BASE}\n', '')
        .replace('quantity: 2, size: standard-1X', 'quantity: 3, size: standard-1X')
        .replace('      - www.example.com\n', '      - www.example.com\n      - shop.example.org\n')
        .replace('      - https://logs.example.com/ingest\n', '')
        .replace('    protect: false\n', '    protect: false\n    maintenance: true\n'),
    );
    const { first, run } = await world.converge();
    const r = run.result!;
    expect(executable(first.plan).map((c) => `${c.address} ${c.action}`).sort()).toEqual(
      [
        'app.shop update',
        'app.shop/config update',
        'app.shop/formation update',
        'app.shop/domain.shop.example.org create',
        'app.shop/drain.https://logs.example.com/ingest delete',
      ].sort(),
    );
    expect(r.failed).toEqual([]);
    expect(r.requests).toBe(first.plan.summary.requests);
    expect(r.releases).toBe(1);
    const vars = await world.api<Record<string, string>>('GET', '/apps/shop-test/config-vars');
    expect(vars.RAILS_ENV).toBe('staging');
    expect(vars.NEW_KEY).toBe('hello');
    expect(vars.SECRET_KEY_BASE).toBeUndefined();
    expect(vars.DATABASE_URL).toBeDefined();
    const app = await world.api<{ maintenance: boolean }>('GET', '/apps/shop-test');
    expect(app.maintenance).toBe(true);
    const inv = (await world.inventory()).apps.shop!;
    expect(Object.keys(inv.config).sort()).toEqual(['NEW_KEY', 'RAILS_ENV']);
    expect(Object.values(inv.drains).map((d) => d.maskedUrl)).toEqual(['https://***@secure-logs.example.com/***']);
    expect(inv.formation.web).toEqual({ quantity: 3, size: 'standard-1X' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DesiredApp, DesiredState } from '../../../src/model/desired.js';
import type { Inventory } from '../../../src/model/inventory.js';
import * as addons from '../../../src/providers/heroku/addons.js';
import * as apps from '../../../src/providers/heroku/apps.js';
import { patchConfigVars } from '../../../src/providers/heroku/config-vars.js';
import * as domains from '../../../src/providers/heroku/domains.js';
import * as drains from '../../../src/providers/heroku/drains.js';
import { readLiveState } from '../../../src/providers/heroku/live.js';
import { Bench, deploy, seedApps } from './helpers.js';

function app(key: string, name = key): DesiredApp {
  return { key, name, protect: true, config: {}, configMode: 'merge', addons: {}, formation: {}, domains: [], drains: [] };
}
function desired(...list: DesiredApp[]): DesiredState {
  return { apps: Object.fromEntries(list.map((a) => [a.key, a])), files: [] };
}

describe('readLiveState against the emulator', () => {
  let bench: Bench;
  let shopId: string;

  beforeAll(async () => {
    bench = await Bench.start();
    const c = bench.client();
    await seedApps(c, 20, 'other'); // undeclared: must never be read
    shopId = (await apps.createApp(c, { name: 'shop' })).app.id;
    await apps.createApp(c, { name: 'blog' });
    await patchConfigVars(c, 'shop', { RAILS_ENV: 'production' });
    await deploy(c, 'shop', { web: 'npm start' });
    const db = await addons.createAddon(c, 'shop', { plan: 'heroku-postgresql:essential-0', as: 'DATABASE' });
    await addons.waitProvisioned(c, 'shop', db.id, { timeoutMs: 5000, intervalMs: 20 });
    // Shared to blog under another name: blog gets SHOP_DB_URL.
    await c.request('POST', '/addon-attachments', { body: { addon: db.id, app: 'blog', name: 'SHOP_DB' } });
    await domains.createDomain(c, 'shop', { hostname: 'www.shop.example.com' });
    await drains.createDrain(c, 'shop', 'https://logs.example.com/shop');
  });
  afterAll(() => bench.close());

  it('reads declared apps in full with 4N + 4 requests and never touches undeclared ones', async () => {
    const c = bench.client();
    bench.emu.resetStats();
    const live = await readLiveState(c, desired(app('shop'), app('blog'), app('missing')), undefined);
    expect(Object.keys(live.apps).sort()).toEqual(['blog', 'shop']);
    expect(live.requests).toBe(4 * 2 + 4);
    expect(bench.emu.stats().requests).toBe(4 * 2 + 4);
    expect(Object.keys(live.appIds)).toHaveLength(22);
    const paths = Object.keys(bench.emu.stats().byRoute);
    expect(paths).toContain('GET /account/rate-limits');
    expect(live.rateLimitRemaining).toBeGreaterThan(0);

    const shop = live.apps.shop!;
    expect(shop).toMatchObject({ id: shopId, name: 'shop', region: 'us', maintenance: false });
    expect(shop.config.vars).toMatchObject({ RAILS_ENV: 'production', DATABASE_URL: expect.any(String) });
    expect(shop.config.etag).toBeDefined();
    expect(shop.formation.map((f) => f.type)).toEqual(['web']);
    expect(shop.formationEtag).toBeDefined();
    expect(shop.domains.filter((d) => d.kind === 'custom').map((d) => d.hostname)).toEqual(['www.shop.example.com']);
    expect(shop.drains.map((d) => d.url)).toEqual(['https://logs.example.com/shop']);
    expect(shop.addons.map((a) => a.plan)).toEqual(['heroku-postgresql:essential-0']);
    expect(shop.addons[0]!.attachments.map((a) => a.name).sort()).toEqual(['DATABASE', 'SHOP_DB']);
    expect(shop.addonConfigVars).toEqual(['DATABASE_URL']);

    const blog = live.apps.blog!;
    expect(blog.addons.map((a) => a.appName)).toEqual(['shop']); // attached, billed elsewhere
    expect(blog.addonConfigVars).toEqual(['SHOP_DB_URL']);
    expect(blog.config.vars.SHOP_DB_URL).toBeDefined();
  });

  it('finds a declared app by the inventory id after a rename in YAML, and limits to targets', async () => {
    const c = bench.client();
    const inventory: Inventory = {
      version: 1,
      lineage: 'l',
      serial: 1,
      apps: { shop: { key: 'shop', id: shopId, name: 'shop', protect: true, created: true, config: {}, addons: {}, domains: {}, drains: {}, formation: {} } },
    };
    bench.emu.resetStats();
    const live = await readLiveState(c, desired(app('shop', 'shop-renamed'), app('blog')), inventory, { apps: ['shop'] });
    expect(Object.keys(live.apps)).toEqual(['shop']);
    expect(live.apps.shop!.id).toBe(shopId);
    expect(live.requests).toBe(4 + 4);
  });
});

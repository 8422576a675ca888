import { describe, expect, it } from 'vitest';
import { addonGuard } from '../../../src/util/guard.js';
import { change, desiredApp, liveAddon, managed, plan } from './fixtures.js';

const PG = 'heroku-postgresql:essential-0';

describe('planner: add-ons', () => {
  it('creates a declared add-on on a new app after the app', () => {
    const p = plan({ desired: [desiredApp('shop', { addons: { db: { key: 'db', plan: PG, as: 'DATABASE' } } })] });
    const c = change(p, 'app.shop/addon.db');
    expect(c.action).toBe('create');
    expect(c.op).toEqual({ type: 'addon.create', plan: PG, as: 'DATABASE' });
    expect(c.dependsOn).toEqual(['app.shop']);
    expect(c.sideEffects.releases).toBe(1); // attaching makes a release, as on any app
    expect(c.requests).toBe(1);
  });

  it('creating an add-on on an existing app causes a release', () => {
    const m = managed('shop', { desired: { addons: { cache: { key: 'cache', plan: 'heroku-redis:mini' } } } });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/addon.cache');
    expect(c.action).toBe('create');
    expect(c.sideEffects.releases).toBe(1);
    expect(c.dependsOn).toEqual([]);
  });

  it('matches by state id and updates a changed plan, guarded by a fingerprint of {id, plan}', () => {
    const m = managed('shop', { desired: { addons: { db: { key: 'db', plan: 'heroku-postgresql:essential-1', as: 'DATABASE' } } } });
    const a = liveAddon(m.live, PG, { attachAs: 'DATABASE' });
    m.live.addons = [a];
    m.inv.addons = { db: { id: a.id, name: a.name, plan: PG, attachment: 'DATABASE' } };
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/addon.db');
    expect(c.action).toBe('update');
    expect(c.op).toEqual({ type: 'addon.update', addonId: a.id, plan: 'heroku-postgresql:essential-1' });
    expect(c.guard).toEqual({ fingerprint: addonGuard(a) });
    expect(c.requests).toBe(2);
    expect(c.items).toEqual([{ key: 'plan', action: 'update', before: PG, after: 'heroku-postgresql:essential-1' }]);
  });

  it('plans nothing for an owned add-on that matches (noop)', () => {
    const m = managed('shop', { desired: { addons: { db: { key: 'db', plan: PG, as: 'DATABASE' } } } });
    const a = liveAddon(m.live, PG, { attachAs: 'DATABASE' });
    m.live.addons = [a];
    m.inv.addons = { db: { id: a.id, name: a.name, plan: PG, attachment: 'DATABASE' } };
    expect(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }).changes).toEqual([]);
  });

  it('adopts by attachment name when not in state', () => {
    const m = managed('shop', { desired: { addons: { db: { key: 'db', plan: PG, as: 'DATABASE' } } } });
    const other = liveAddon(m.live, PG, { attachAs: 'HEROKU_POSTGRESQL_RED' });
    const mine = liveAddon(m.live, PG, { attachAs: 'DATABASE' });
    m.live.addons = [other, mine];
    const p = plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] });
    const c = change(p, 'app.shop/addon.db');
    expect(c.action).toBe('adopt');
    expect(c.op).toEqual({ type: 'addon.adopt', addonId: mine.id, addonName: mine.name, plan: PG, as: 'DATABASE' });
    expect(c.requests).toBe(0);
    expect(c.reason).toMatch(/matched by attachment name DATABASE/);
    // The other postgres is neither declared nor owned: reported, untouched.
    expect(p.diagnostics.find((d) => d.code === 'addon-unmanaged')?.message).toContain(other.name);
  });

  it('adopts the one add-on of the same service, changing its plan when it differs', () => {
    const m = managed('shop', { desired: { addons: { cache: { key: 'cache', plan: 'heroku-redis:premium-0' } } } });
    const r = liveAddon(m.live, 'heroku-redis:mini', { attachAs: 'REDIS' });
    m.live.addons = [r];
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/addon.cache');
    expect(c.action).toBe('adopt');
    expect(c.op).toMatchObject({ type: 'addon.adopt', addonId: r.id, plan: 'heroku-redis:premium-0', livePlan: 'heroku-redis:mini', as: 'REDIS' });
    expect(c.guard).toEqual({ fingerprint: addonGuard(r) });
    expect(c.requests).toBe(2);
  });

  it('blocks when several add-ons of the service could match and no `as` picks one', () => {
    const m = managed('shop', { desired: { addons: { db: { key: 'db', plan: PG } } } });
    m.live.addons = [liveAddon(m.live, PG, { attachAs: 'A' }), liveAddon(m.live, PG, { attachAs: 'B' })];
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/addon.db');
    expect(c.action).toBe('blocked');
    expect(c.reason).toMatch(/set `as:`/);
  });

  it('does not adopt one add-on under two keys', () => {
    const m = managed('shop', { desired: { addons: { a: { key: 'a', plan: PG }, b: { key: 'b', plan: PG } } } });
    const only = liveAddon(m.live, PG, { attachAs: 'DATABASE' });
    m.live.addons = [only];
    const p = plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] });
    expect(change(p, 'app.shop/addon.a').action).toBe('adopt');
    expect(change(p, 'app.shop/addon.b').action).toBe('create');
  });

  it('refuses a changed attachment name', () => {
    const m = managed('shop', { desired: { addons: { db: { key: 'db', plan: PG, as: 'MAIN_DB' } } } });
    const a = liveAddon(m.live, PG, { attachAs: 'DATABASE' });
    m.live.addons = [a];
    m.inv.addons = { db: { id: a.id, name: a.name, plan: PG, attachment: 'DATABASE' } };
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/addon.db');
    expect(c.action).toBe('replace-refused');
    expect(c.reason).toMatch(/attachment name differs \(live DATABASE, declared MAIN_DB\)/);
    expect(c.requests).toBe(0);
  });

  it('deletes an owned, undeclared add-on after the config change when state says protect: false', () => {
    const m = managed('shop', { desired: { protect: false, config: { A: 'new' } }, live: { vars: { A: 'old' } }, inv: { protect: false } });
    const a = liveAddon(m.live, PG, { attachAs: 'DATABASE' });
    m.live.addons = [a];
    m.inv.addons = { db: { id: a.id, name: a.name, plan: PG, attachment: 'DATABASE' } };
    const p = plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] });
    const c = change(p, 'app.shop/addon.db');
    expect(c.action).toBe('delete');
    expect(c.op).toEqual({ type: 'addon.delete', addonId: a.id });
    expect(c.reason).toMatch(/--allow-destroy/);
    expect(c.dependsOn).toEqual(['app.shop/config']);
    expect(c.sideEffects.releases).toBe(1);
    expect(c.requests).toBe(2);
    const order = p.changes.map((x) => x.address);
    expect(order.indexOf('app.shop/config')).toBeLessThan(order.indexOf('app.shop/addon.db'));
  });

  it('blocks deleting an owned add-on while state still says protect: true, even if the YAML now says false', () => {
    const m = managed('shop', { desired: { protect: false }, inv: { protect: true } });
    const a = liveAddon(m.live, PG, { attachAs: 'DATABASE' });
    m.live.addons = [a];
    m.inv.addons = { db: { id: a.id, name: a.name, plan: PG } };
    const p = plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] });
    const c = change(p, 'app.shop/addon.db');
    expect(c.action).toBe('blocked');
    expect(c.reason).toMatch(/set protect: false and apply first/);
    // The protect change itself is planned, so the next plan can delete.
    expect(change(p, 'app.shop').op).toMatchObject({ protect: false });
  });

  it('forgets an owned add-on deleted outside dynoform', () => {
    const m = managed('shop');
    m.inv.addons = { db: { id: 'gone-id', name: 'pg-gone', plan: PG } };
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/addon.db');
    expect(c.action).toBe('delete');
    expect(c.op).toEqual({ type: 'state.forget' });
    expect(c.requests).toBe(0);
  });

  it('creates again a declared add-on deleted outside dynoform', () => {
    const m = managed('shop', { desired: { addons: { db: { key: 'db', plan: PG } } } });
    m.inv.addons = { db: { id: 'gone-id', name: 'pg-gone', plan: PG } };
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/addon.db');
    expect(c.action).toBe('create');
    expect(c.reason).toMatch(/pg-gone was in state but no longer exists/);
  });
});

import { describe, expect, it } from 'vitest';
import { appGuard } from '../../../src/util/guard.js';
import { createPlan } from '../../../src/planner/index.js';
import { change, desiredApp, input, invApp, liveApp, managed, plan } from './fixtures.js';

describe('planner: apps', () => {
  it('creates a declared app that does not exist', () => {
    const p = plan({ desired: [desiredApp('shop', { region: 'eu', stack: 'heroku-24' })] });
    const c = change(p, 'app.shop');
    expect(c.action).toBe('create');
    expect(c.op).toEqual({ type: 'app.create', name: 'shop', region: 'eu', stack: 'heroku-24', protect: true });
    expect(c.before).toBeNull();
    expect(c.after).toEqual({ name: 'shop', protect: true, region: 'eu', stack: 'heroku-24' });
    expect(c.requests).toBe(1);
    expect(c.patch).toContainEqual({ op: 'add', path: '/region', value: 'eu' });
  });

  it('counts a second request when a new app starts in maintenance mode', () => {
    const c = change(plan({ desired: [desiredApp('shop', { maintenance: true })] }), 'app.shop');
    expect(c.requests).toBe(2);
  });

  it('says so when an app in state was deleted outside dynoform, and creates it again', () => {
    const gone = liveApp('shop');
    const p = plan({ desired: [desiredApp('shop')], inventory: [invApp('shop', gone)] });
    const c = change(p, 'app.shop');
    expect(c.action).toBe('create');
    expect(c.reason).toMatch(/deleted outside dynoform/);
  });

  it('adopts an existing app that is not in state, with only the fields that differ', () => {
    const l = liveApp('shop', { maintenance: false });
    const p = plan({ desired: [desiredApp('shop', { maintenance: true, region: 'us' })], live: { shop: l } });
    const c = change(p, 'app.shop');
    expect(c.action).toBe('adopt');
    expect(c.op).toEqual({ type: 'app.adopt', appId: l.id, maintenance: true, protect: true });
    expect(c.items?.map((i) => i.key)).toEqual(['maintenance']);
    expect(c.guard).toEqual({ fingerprint: appGuard(l) });
    expect(c.requests).toBe(2); // PATCH + the re-read that checks the guard
  });

  it('adopts without a request when nothing differs', () => {
    const l = liveApp('shop');
    const c = change(plan({ desired: [desiredApp('shop')], live: { shop: l } }), 'app.shop');
    expect(c.action).toBe('adopt');
    expect(c.requests).toBe(0);
    expect(c.guard).toEqual({});
    expect(c.op).toEqual({ type: 'app.adopt', appId: l.id, protect: true });
  });

  it('renames by id: a new name in the YAML is an update, not delete + create', () => {
    const m = managed('shop', { desired: { name: 'shop-old' } });
    const p = plan({ desired: [{ ...m.desired, name: 'shop-new' }], live: { shop: m.live }, inventory: [m.inv] });
    expect(p.changes.map((c) => [c.address, c.action])).toEqual([['app.shop', 'update']]);
    const c = change(p, 'app.shop');
    expect(c.op).toMatchObject({ type: 'app.update', appId: m.live.id, name: 'shop-new' });
    expect(c.items).toEqual([{ key: 'name', action: 'update', before: 'shop-old', after: 'shop-new', note: 'rename: its herokuapp.com URL and git remote change' }]);
    expect(c.patch).toEqual([{ op: 'replace', path: '/name', value: 'shop-new' }]);
    // The reviewer is told what breaks: the old URL and every clone's remote.
    expect(p.diagnostics.filter((d) => d.code === 'app-rename').map((d) => d.message)).toEqual([
      expect.stringMatching(/^renaming shop-old to shop-new changes its URL \(https:\/\/shop-old\.herokuapp\.com stops answering.*heroku git:remote -a shop-new/),
    ]);
  });

  it('warns when the new name belongs to another app', () => {
    const m = managed('shop');
    const p = plan({ desired: [{ ...m.desired, name: 'taken' }], live: { shop: m.live }, inventory: [m.inv], otherApps: { taken: 'other-id' } });
    expect(p.diagnostics.map((d) => d.code)).toContain('app-name-taken');
  });

  it('changes the build stack, noting it takes effect at the next build', () => {
    const m = managed('shop', { desired: { stack: 'heroku-24' }, live: { stack: 'heroku-22' } });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop');
    expect(c.action).toBe('update');
    expect(c.op).toMatchObject({ buildStack: 'heroku-24' });
    expect(c.items?.[0]).toMatchObject({ key: 'stack', before: 'heroku-22', after: 'heroku-24', note: 'takes effect at next build' });
  });

  it('uses the ETag of the app when the read gave one', () => {
    const m = managed('shop', { desired: { maintenance: true }, live: { etag: '"app-etag"' } });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop');
    expect(c.guard).toEqual({ etag: '"app-etag"' });
    expect(c.requests).toBe(1);
  });

  it('records protect in state only, without a request', () => {
    const m = managed('shop', { desired: { protect: false }, inv: { protect: true } });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop');
    expect(c.action).toBe('update');
    expect(c.requests).toBe(0);
    expect(c.op).toEqual({ type: 'app.update', appId: m.live.id, protect: false });
    expect(c.items?.[0]).toMatchObject({ key: 'protect', before: true, after: false });
  });

  it('refuses a region change: it needs a new app', () => {
    const m = managed('shop', { desired: { region: 'eu', maintenance: true }, live: { region: 'us' } });
    const p = plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] });
    const c = change(p, 'app.shop');
    expect(c.action).toBe('replace-refused');
    expect(c.reason).toBe('region cannot change (us → eu); it needs a new app');
    expect(c.requests).toBe(0);
    expect(c.op).toEqual({ type: 'none' });
    expect(p.summary.replaceRefused).toBe(1);
  });

  it('plans nothing for an app that matches (noop)', () => {
    const m = managed('shop', { desired: { region: 'us', stack: 'heroku-24', maintenance: false } });
    const p = plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] });
    expect(p.changes).toEqual([]);
  });

  it('deletes an undeclared app whose state says protect: false, noting --allow-destroy', () => {
    const l = liveApp('old');
    const p = plan({ live: {}, otherApps: { old: l.id }, inventory: [invApp('old', l, { protect: false })] });
    const c = change(p, 'app.old');
    expect(c.action).toBe('delete');
    expect(c.op).toEqual({ type: 'app.delete', appId: l.id });
    expect(c.reason).toMatch(/--allow-destroy/);
    expect(c.requests).toBe(1);
    expect(p.summary.delete).toBe(1);
  });

  it('guards the deletion of an undeclared app with what the app list showed of it', () => {
    const l = liveApp('old');
    const w = { live: {}, otherApps: { old: l.id }, inventory: [invApp('old', l, { protect: false })] };
    const i = input(w);
    i.live.undeclared = { old: { id: l.id, name: 'old', region: 'us', stack: 'heroku-24', buildStack: 'heroku-24', maintenance: false } };
    const c = change(createPlan(i), 'app.old');
    expect(c.action).toBe('delete');
    expect(c.guard).toEqual({ fingerprint: appGuard({ id: l.id, name: 'old', maintenance: false, buildStack: 'heroku-24' }) });
    expect(c.requests).toBe(2); // the guard's re-read, then the DELETE
  });

  it('blocks deleting an undeclared app that is still protected in state', () => {
    const l = liveApp('old');
    const p = plan({ otherApps: { old: l.id }, inventory: [invApp('old', l, { protect: true })] });
    const c = change(p, 'app.old');
    expect(c.action).toBe('blocked');
    expect(c.reason).toMatch(/set protect: false and apply first, then remove it, and apply with --allow-destroy/);
    expect(c.requests).toBe(0);
    expect(c.op).toEqual({ type: 'none' });
    expect(p.summary.blocked).toBe(1);
  });

  it('forgets an undeclared app that is already gone, without a request', () => {
    const l = liveApp('old');
    const p = plan({ inventory: [invApp('old', l, { protect: true })] });
    const c = change(p, 'app.old');
    expect(c.action).toBe('delete');
    expect(c.op).toEqual({ type: 'state.forget' });
    expect(c.requests).toBe(0);
    expect(p.summary).toMatchObject({ delete: 0, forget: 1 });
  });

  it('adopts the live app when the one in state was replaced by another of the same name', () => {
    const old = liveApp('shop');
    const now = liveApp('shop');
    const p = plan({ desired: [desiredApp('shop')], live: { shop: now }, inventory: [invApp('shop', old)] });
    const c = change(p, 'app.shop');
    expect(c.action).toBe('adopt');
    expect(c.reason).toMatch(/no longer exists/);
    expect(c.op).toMatchObject({ appId: now.id });
  });
});

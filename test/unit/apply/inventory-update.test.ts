import { describe, expect, it } from 'vitest';
import { applyToInventory, InventoryUpdateError } from '../../../src/apply/inventory-update.js';
import { change, inventory, invApp } from './fixtures.js';

describe('applyToInventory', () => {
  it('records a created app with its protection, without touching the input', () => {
    const inv = inventory();
    const c = change('shop', 'app', 'create', { type: 'app.create', name: 'shop-prod', region: 'eu', protect: false });
    const next = applyToInventory(inv, c, { type: 'app', id: 'A1', name: 'shop-prod', created: true, region: 'eu', stack: 'heroku-24', protect: false });
    expect(inv.apps).toEqual({});
    expect(next.apps.shop).toEqual({
      key: 'shop', id: 'A1', name: 'shop-prod', protect: false, created: true, region: 'eu', stack: 'heroku-24',
      config: {}, addons: {}, domains: {}, drains: {}, formation: {},
    });
    expect(next.serial).toBe(inv.serial);
  });

  it('adopts an app as not created, and an update keeps unspecified fields', () => {
    const adopted = applyToInventory(inventory(), change('shop', 'app', 'adopt', { type: 'app.adopt', appId: 'A1' }), { type: 'app', id: 'A1', name: 'shop', created: false });
    expect(adopted.apps.shop!.created).toBe(false);
    expect(adopted.apps.shop!.protect).toBe(true);
    const updated = applyToInventory(
      inventory([invApp('shop', { maintenance: false, protect: true, config: { A: { fingerprint: 'f', secret: false } } })]),
      change('shop', 'app', 'update', { type: 'app.update', appId: 'id-shop', protect: false }),
      { type: 'app', id: 'id-shop', name: 'shop', created: false, protect: false },
    );
    expect(updated.apps.shop!.protect).toBe(false);
    expect(updated.apps.shop!.created).toBe(true);
    expect(updated.apps.shop!.maintenance).toBe(false);
    expect(updated.apps.shop!.config).toEqual({ A: { fingerprint: 'f', secret: false } });
  });

  it('deletes an app', () => {
    const next = applyToInventory(inventory([invApp('old')]), change('old', 'app', 'delete', { type: 'app.delete', appId: 'id-old' }), { type: 'app-deleted' });
    expect(next.apps).toEqual({});
  });

  it('sets and removes config keys', () => {
    const inv = inventory([invApp('shop', { config: { OLD: { fingerprint: 'o', secret: false }, KEEP: { fingerprint: 'k', secret: true } } })]);
    const c = change('shop', 'config', 'update', { type: 'config.patch', set: {}, unset: ['OLD'], own: {} });
    const next = applyToInventory(inv, c, { type: 'config', set: { NEW: { fingerprint: 'sha256:n', secret: false }, KEEP: { fingerprint: 'scrypt:k2', secret: true } }, remove: ['OLD'] });
    expect(next.apps.shop!.config).toEqual({ NEW: { fingerprint: 'sha256:n', secret: false }, KEEP: { fingerprint: 'scrypt:k2', secret: true } });
    expect(inv.apps.shop!.config.OLD).toBeDefined();
  });

  it('records the declared scale of every process type as last applied, replacing what state had', () => {
    let inv = inventory([invApp('shop', { formation: { web: { quantity: 1, size: 'basic' }, clock: { quantity: 1 } } })]);
    inv = applyToInventory(inv, change('shop', 'formation', 'adopt', { type: 'formation.batch', updates: [] }), {
      type: 'formation',
      updates: [],
      record: { web: { quantity: 2 }, worker: { quantity: 1, size: 'standard-1X' } },
    });
    expect(inv.apps.shop!.formation).toEqual({ web: { quantity: 2 }, worker: { quantity: 1, size: 'standard-1X' }, clock: { quantity: 1 } });
  });

  it('records add-ons, domains, drains and merges formation', () => {
    let inv = inventory([invApp('shop', { formation: { web: { quantity: 1, size: 'basic' } } })]);
    inv = applyToInventory(inv, change('shop', 'addon', 'create', { type: 'addon.create', plan: 'p:x' }, { key: 'db' }), { type: 'addon', key: 'db', addon: { id: 'ad1', name: 'shop-db', plan: 'p:x', attachment: 'DATABASE' } });
    inv = applyToInventory(inv, change('shop', 'domain', 'create', { type: 'domain.create', hostname: 'a.io', sniEndpoint: null }, { key: 'a.io' }), { type: 'domain', domain: { id: 'd1', hostname: 'a.io' } });
    inv = applyToInventory(inv, change('shop', 'drain', 'create', { type: 'drain.create', url: { kind: 'literal', value: 'https://l.io' }, maskedUrl: 'https://l.io' }), { type: 'drain', drain: { id: 'dr1', maskedUrl: 'https://l.io', urlFingerprint: 'sha256:x' } });
    inv = applyToInventory(inv, change('shop', 'formation', 'update', { type: 'formation.batch', updates: [] }), { type: 'formation', updates: [{ type: 'web', quantity: 3 }, { type: 'worker', quantity: 1, size: 'standard-1X' }] });
    const app = inv.apps.shop!;
    expect(app.addons.db).toEqual({ id: 'ad1', name: 'shop-db', plan: 'p:x', attachment: 'DATABASE' });
    expect(app.domains['a.io']).toEqual({ id: 'd1', hostname: 'a.io' });
    expect(app.drains.dr1).toEqual({ id: 'dr1', maskedUrl: 'https://l.io', urlFingerprint: 'sha256:x' });
    expect(app.formation).toEqual({ web: { quantity: 3, size: 'basic' }, worker: { quantity: 1, size: 'standard-1X' } });

    inv = applyToInventory(inv, change('shop', 'addon', 'delete', { type: 'addon.delete', addonId: 'ad1' }, { key: 'db' }), { type: 'addon-deleted', key: 'db' });
    inv = applyToInventory(inv, change('shop', 'domain', 'delete', { type: 'domain.delete', domainId: 'd1', hostname: 'a.io' }, { key: 'a.io' }), { type: 'domain-deleted', hostname: 'a.io' });
    inv = applyToInventory(inv, change('shop', 'drain', 'delete', { type: 'drain.delete', drainId: 'dr1', maskedUrl: 'https://l.io' }), { type: 'drain-deleted', id: 'dr1' });
    expect(inv.apps.shop!.addons).toEqual({});
    expect(inv.apps.shop!.domains).toEqual({});
    expect(inv.apps.shop!.drains).toEqual({});
  });

  it('forgets what the change address names', () => {
    const base = inventory([
      invApp('shop', {
        addons: { db: { id: 'a', name: 'n', plan: 'p' } },
        domains: { 'a.io': { id: 'd', hostname: 'a.io' } },
        drains: { dr1: { id: 'dr1', maskedUrl: 'https://***@l.io/x', urlFingerprint: 'f' } },
        formation: { web: { quantity: 1 } },
      }),
      invApp('gone'),
    ]);
    const forget = (app: string, kind: Parameters<typeof change>[1], key?: string) =>
      change(app, kind, 'delete', { type: 'state.forget' }, key === undefined ? {} : { key });
    expect(applyToInventory(base, forget('shop', 'addon', 'db'), { type: 'forget' }).apps.shop!.addons).toEqual({});
    expect(applyToInventory(base, forget('shop', 'domain', 'a.io'), { type: 'forget' }).apps.shop!.domains).toEqual({});
    expect(applyToInventory(base, forget('shop', 'drain', 'https://***@l.io/x'), { type: 'forget' }).apps.shop!.drains).toEqual({});
    expect(applyToInventory(base, forget('shop', 'formation', 'web'), { type: 'forget' }).apps.shop!.formation).toEqual({});
    expect(Object.keys(applyToInventory(base, forget('gone', 'app'), { type: 'forget' }).apps)).toEqual(['shop']);
    // The original is untouched.
    expect(base.apps.shop!.addons.db).toBeDefined();
    expect(base.apps.gone).toBeDefined();
  });

  it('refuses to record a child of an app that state does not know', () => {
    expect(() =>
      applyToInventory(inventory(), change('x', 'domain', 'create', { type: 'domain.create', hostname: 'a.io', sniEndpoint: null }), { type: 'domain', domain: { id: 'd', hostname: 'a.io' } }),
    ).toThrow(InventoryUpdateError);
  });
});

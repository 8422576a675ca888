import { describe, expect, it } from 'vitest';
import {
  checkInventory,
  cloneInventory,
  findAddress,
  forgetAddress,
  listAddresses,
  newInventory,
  parseInventory,
  serializeInventory,
} from '../../../src/state/inventory.js';
import { sampleApp, sampleInventory } from './fixtures.js';

describe('newInventory / cloneInventory', () => {
  it('starts at serial 0 with a random lineage', () => {
    const a = newInventory();
    const b = newInventory();
    expect(a).toMatchObject({ version: 1, serial: 0, apps: {} });
    expect(a.lineage).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.lineage).not.toBe(b.lineage);
  });

  it('clones deeply', () => {
    const inv = sampleInventory();
    const copy = cloneInventory(inv);
    copy.apps.shop!.config.RAILS_ENV!.secret = true;
    expect(inv.apps.shop!.config.RAILS_ENV!.secret).toBe(false);
  });
});

describe('listAddresses', () => {
  it('lists apps in key order, each followed by config, add-ons, domains, drains and formation', () => {
    expect(listAddresses(sampleInventory())).toEqual([
      'app.blog',
      'app.blog/config.RAILS_ENV',
      'app.blog/config.SECRET_KEY_BASE',
      'app.blog/addon.db',
      'app.blog/domain.www.example.com',
      'app.blog/drain.https://***@logs.example.com/ingest',
      'app.blog/formation.web',
      'app.blog/formation.worker',
      'app.shop',
      'app.shop/config.RAILS_ENV',
      'app.shop/config.SECRET_KEY_BASE',
      'app.shop/addon.db',
      'app.shop/domain.www.example.com',
      'app.shop/drain.https://***@logs.example.com/ingest',
      'app.shop/formation.web',
      'app.shop/formation.worker',
    ]);
  });
});

describe('findAddress', () => {
  const inv = sampleInventory();
  it('finds entries, groups, apps, and drains by masked URL or id', () => {
    expect(findAddress(inv, 'app.shop/config.RAILS_ENV')).toEqual([
      expect.objectContaining({ address: 'app.shop/config.RAILS_ENV', kind: 'config', key: 'RAILS_ENV', entry: inv.apps.shop!.config.RAILS_ENV }),
    ]);
    expect(findAddress(inv, 'app.shop/formation')[0]!.entry).toEqual(inv.apps.shop!.formation);
    expect(findAddress(inv, 'app.shop')[0]!.entry).toEqual(inv.apps.shop);
    expect(findAddress(inv, 'app.shop/drain.https://***@logs.example.com/ingest')[0]!.key).toBe('drain-shop');
    expect(findAddress(inv, 'app.shop/drain.drain-shop')[0]!.address).toBe('app.shop/drain.https://***@logs.example.com/ingest');
    // Given with its credentials, a drain is still found by its masked form.
    expect(findAddress(inv, 'app.shop/drain.https://user:pw@logs.example.com/ingest')).toHaveLength(1);
  });

  it('finds nothing for unknown or malformed addresses', () => {
    expect(findAddress(inv, 'app.nope')).toEqual([]);
    expect(findAddress(inv, 'app.shop/config.NOPE')).toEqual([]);
    expect(findAddress(inv, 'app.shop/config.toString')).toEqual([]);
    expect(findAddress(inv, 'shop')).toEqual([]);
    expect(findAddress(inv, 'app.shop/bogus.x')).toEqual([]);
  });
});

describe('forgetAddress', () => {
  it('removes one entry and leaves the input untouched', () => {
    const inv = sampleInventory();
    const { inventory, removed } = forgetAddress(inv, 'app.shop/config.RAILS_ENV');
    expect(removed).toEqual(['app.shop/config.RAILS_ENV']);
    expect(inventory.apps.shop!.config).not.toHaveProperty('RAILS_ENV');
    expect(inv.apps.shop!.config).toHaveProperty('RAILS_ENV');
    expect(inventory.serial).toBe(inv.serial);
  });

  it('removes an app with all its children', () => {
    const { inventory, removed } = forgetAddress(sampleInventory(), 'app.shop');
    expect(removed).toHaveLength(8);
    expect(removed[0]).toBe('app.shop');
    expect(inventory.apps).not.toHaveProperty('shop');
    expect(inventory.apps).toHaveProperty('blog');
  });

  it('removes a whole group, and a drain by its masked URL', () => {
    const { inventory, removed } = forgetAddress(sampleInventory(), 'app.blog/formation');
    expect(removed).toEqual(['app.blog/formation.web', 'app.blog/formation.worker']);
    expect(inventory.apps.blog!.formation).toEqual({});
    const d = forgetAddress(sampleInventory(), 'app.blog/drain.https://***@logs.example.com/ingest');
    expect(d.removed).toEqual(['app.blog/drain.https://***@logs.example.com/ingest']);
    expect(d.inventory.apps.blog!.drains).toEqual({});
  });

  it('removes nothing for an unknown address', () => {
    const inv = sampleInventory();
    const { inventory, removed } = forgetAddress(inv, 'app.shop/domain.nope.example.com');
    expect(removed).toEqual([]);
    expect(inventory).toEqual(inv);
  });
});

describe('serializeInventory / parseInventory / checkInventory', () => {
  it('writes a stable key order whatever order the object was built in', () => {
    const inv = sampleInventory();
    const shuffled = JSON.parse(JSON.stringify({ apps: { shop: inv.apps.shop, blog: inv.apps.blog }, serial: inv.serial, lineage: inv.lineage, version: 1 }));
    const text = serializeInventory(shuffled);
    expect(text).toBe(serializeInventory(inv));
    expect(text.startsWith('{\n  "version": 1,\n  "lineage": ')).toBe(true);
    expect(text.indexOf('"blog"')).toBeLessThan(text.indexOf('"shop"'));
    expect(text.endsWith('}\n')).toBe(true);
    const back = parseInventory(text);
    expect(back.ok && back.inventory).toEqual(inv);
  });

  it('refuses non-JSON, wrong shapes and raw values where fingerprints belong', () => {
    expect(parseInventory('{')).toMatchObject({ ok: false, kind: 'corrupt', problem: expect.stringMatching(/not valid JSON/) });
    expect(checkInventory([])).toMatch(/top level/);
    expect(checkInventory({ version: 1, lineage: 'l', serial: -1, apps: {} })).toMatch(/^serial/);
    const inv = sampleInventory();
    inv.apps.shop!.config.RAILS_ENV!.fingerprint = 'staging';
    expect(checkInventory(inv)).toBe('apps.shop.config.RAILS_ENV.fingerprint: must be a sha256:, hmac:, unkeyed: or scrypt: fingerprint');
    const inv2 = sampleInventory();
    inv2.apps.shop!.drains['drain-shop']!.maskedUrl = 'https://user:pw@logs.example.com';
    expect(checkInventory(inv2)).toMatch(/maskedUrl: holds credentials/);
    const inv3 = sampleInventory();
    (inv3.apps as Record<string, unknown>).x = sampleApp('x', { protect: 'yes' as unknown as boolean });
    expect(checkInventory(inv3)).toBe('apps.x.protect: must be true or false');
  });

  it('reports a newer version before looking at the shape', () => {
    expect(parseInventory(JSON.stringify({ version: 2, whatever: true }))).toEqual({ ok: false, kind: 'newer', version: 2 });
  });

  it('accepts unknown extra fields (newer optional fields)', () => {
    const inv = { ...sampleInventory(), extra: { a: 1 } };
    expect(checkInventory(inv)).toBeUndefined();
  });
});

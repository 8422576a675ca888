import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src/apply/graph.js';
import { change } from './fixtures.js';

const appCreate = change('shop', 'app', 'create', { type: 'app.create', name: 'shop' });
const addon = change('shop', 'addon', 'create', { type: 'addon.create', plan: 'heroku-postgresql:essential-0' }, { key: 'db' });
const config = change('shop', 'config', 'update', { type: 'config.patch', set: {}, unset: ['A'], own: {} });
const formation = change('shop', 'formation', 'update', { type: 'formation.batch', updates: [{ type: 'web', quantity: 1 }] });
const domain = change('shop', 'domain', 'create', { type: 'domain.create', hostname: 'a.example.com', sniEndpoint: null }, { key: 'a.example.com' });
const domainDelete = change('shop', 'domain', 'delete', { type: 'domain.delete', domainId: 'd1', hostname: 'b.example.com' }, { key: 'b.example.com' });
const addonDelete = change('old', 'addon', 'delete', { type: 'addon.delete', addonId: 'a1' }, { key: 'cache' });
const appDelete = change('old', 'app', 'delete', { type: 'app.delete', appId: 'x' });
const drainDelete = change('old', 'drain', 'delete', { type: 'drain.delete', drainId: 'dr', maskedUrl: 'https://l.example.com' }, { key: 'https://l.example.com' });

describe('buildGraph', () => {
  it('orders an app: app → add-ons → config → formation; domains and drains after the app alone', () => {
    // Deliberately out of order: the graph, not the plan order, decides.
    const g = buildGraph([formation, domain, config, addon, appCreate]);
    expect(g.nodes.get(addon.id)!.soft).toEqual([appCreate.id]);
    expect(new Set(g.nodes.get(config.id)!.soft)).toEqual(new Set([appCreate.id, addon.id]));
    expect(new Set(g.nodes.get(formation.id)!.soft)).toEqual(new Set([appCreate.id, addon.id, config.id]));
    // Issue 15 §5: a domain does not wait for an add-on that may take minutes to provision.
    expect(g.nodes.get(domain.id)!.soft).toEqual([appCreate.id]);
    expect(g.cyclic.size).toBe(0);
  });

  it('makes everything depend hard on the app being created, and formation on add-ons and config', () => {
    const g = buildGraph([appCreate, addon, config, formation, domain]);
    expect(g.nodes.get(domain.id)!.hard).toEqual([appCreate.id]);
    expect(new Set(g.nodes.get(formation.id)!.hard)).toEqual(new Set([appCreate.id, addon.id, config.id]));
    // Config values do not need the add-on: ordering only.
    expect(g.nodes.get(config.id)!.hard).toEqual([appCreate.id]);
  });

  it('holds formation back for a new add-on, not for a plan change of an existing one (it exists either way)', () => {
    const upgrade = change('shop', 'addon', 'update', { type: 'addon.update', addonId: 'a1', plan: 'heroku-postgresql:essential-1' }, { key: 'db' });
    const g = buildGraph([upgrade, formation]);
    expect(g.nodes.get(formation.id)!.soft).toEqual([upgrade.id]);
    expect(g.nodes.get(formation.id)!.hard).toEqual([]);
  });

  it('reverses deletions: drains/domains, then add-ons, then the app', () => {
    const g = buildGraph([appDelete, addonDelete, drainDelete]);
    expect(new Set(g.nodes.get(appDelete.id)!.soft)).toEqual(new Set([addonDelete.id, drainDelete.id]));
    expect(g.nodes.get(appDelete.id)!.hard).toEqual([addonDelete.id]);
    expect(g.nodes.get(addonDelete.id)!.soft).toEqual([drainDelete.id]);
    expect(g.nodes.get(drainDelete.id)!.soft).toEqual([]);
  });

  it('keeps deletions inside an updated app independent of its creations', () => {
    const g = buildGraph([domain, domainDelete]);
    expect(g.nodes.get(domain.id)!.soft).toEqual([]);
    expect(g.nodes.get(domainDelete.id)!.soft).toEqual([]);
  });

  it('takes the planner dependsOn as hard, across apps too, and ignores ids the plan lacks', () => {
    const other = change('web', 'config', 'update', { type: 'config.patch', set: {}, unset: ['X'], own: {} }, { dependsOn: [addon.id, 'app.gone'] });
    const g = buildGraph([appCreate, addon, other]);
    expect(g.nodes.get(other.id)!.hard).toEqual([addon.id]);
  });

  it('marks a dependency cycle (and what waits behind it) instead of deadlocking', () => {
    const a = change('a', 'config', 'update', { type: 'config.patch', set: {}, unset: ['X'], own: {} }, { dependsOn: ['app.b/config'] });
    const b = change('b', 'config', 'update', { type: 'config.patch', set: {}, unset: ['X'], own: {} }, { dependsOn: ['app.a/config'] });
    const c = change('c', 'config', 'update', { type: 'config.patch', set: {}, unset: ['X'], own: {} }, { dependsOn: ['app.a/config'] });
    const d = change('d', 'config', 'update', { type: 'config.patch', set: {}, unset: ['X'], own: {} });
    const g = buildGraph([a, b, c, d]);
    expect([...g.cyclic].sort()).toEqual(['app.a/config', 'app.b/config', 'app.c/config']);
  });

  it('refuses duplicate ids', () => {
    expect(() => buildGraph([config, config])).toThrow(/two changes/);
  });
});

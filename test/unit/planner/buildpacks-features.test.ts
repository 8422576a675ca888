import { describe, expect, it } from 'vitest';
import type { LiveFeature } from '../../../src/model/live.js';
import { change, managed, plan } from './fixtures.js';

const bp = (...names: string[]) => names.map((buildpack) => ({ buildpack, loc: { file: 'dynoform.yaml', line: 9, col: 7 } }));
const liveBp = (list: string[], etag = '"bp-1"') => ({ list, urls: list.map((n) => `https://buildpack-registry.s3.amazonaws.com/buildpacks/${n}.tgz`), etag });
const feature = (name: string, enabled: boolean): LiveFeature => ({ id: `id-${name}`, name, enabled, state: 'public', description: '' });

describe('planner: buildpacks', () => {
  it('sets a differing owned list in one guarded PUT, one item per position', () => {
    const m = managed('shop', { desired: { buildpacks: bp('heroku/nodejs', 'heroku/python') }, live: { buildpacks: liveBp(['heroku/python']) }, inv: { buildpacks: ['heroku/python'] } });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/buildpacks');
    expect(c.action).toBe('update');
    expect(c.op).toEqual({ type: 'buildpacks.set', buildpacks: ['heroku/nodejs', 'heroku/python'], send: true });
    expect(c.guard).toEqual({ etag: '"bp-1"' });
    expect(c.requests).toBe(1);
    expect(c.items).toEqual([
      { key: '1', action: 'update', before: 'heroku/python', after: 'heroku/nodejs' },
      { key: '2', action: 'create', before: null, after: 'heroku/python' },
    ]);
  });

  it('matches a live entry by its URL as well as by its name, and is then a no-op', () => {
    const live = liveBp(['heroku/nodejs']);
    const m = managed('shop', { desired: { buildpacks: bp(live.urls[0]!) }, live: { buildpacks: live }, inv: { buildpacks: [live.urls[0]!] } });
    expect(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }).changes).toEqual([]);
  });

  it('adopts an equal list without a request, and an unequal one with the PUT', () => {
    const m = managed('shop', { desired: { buildpacks: bp('heroku/nodejs') }, live: { buildpacks: liveBp(['heroku/nodejs']) } });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/buildpacks');
    expect(c).toMatchObject({ action: 'adopt', requests: 0, op: { type: 'buildpacks.set', send: false } });
    m.desired.buildpacks = bp('heroku/ruby');
    const d = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/buildpacks');
    expect(d).toMatchObject({ action: 'adopt', requests: 1, op: { send: true } });
  });

  it('falls back to a fingerprint guard (one more read at apply) when the list came without an ETag', () => {
    const live = { list: ['heroku/go'], urls: ['heroku/go'] };
    const m = managed('shop', { desired: { buildpacks: bp() }, live: { buildpacks: live }, inv: { buildpacks: ['heroku/go'] } });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/buildpacks');
    expect(c.guard.fingerprint).toMatch(/^g1:/);
    expect(c.requests).toBe(2);
    expect(c.op).toMatchObject({ buildpacks: [] });
  });

  it('an owned list that leaves the YAML is only forgotten: nothing is sent', () => {
    const m = managed('shop', { live: { buildpacks: liveBp(['heroku/go']) }, inv: { buildpacks: ['heroku/go'] } });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/buildpacks');
    expect(c).toMatchObject({ action: 'delete', requests: 0, op: { type: 'state.forget' } });
  });

  it('undeclared and unowned: untouched', () => {
    const m = managed('shop', { live: { buildpacks: liveBp(['heroku/go']) } });
    expect(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }).changes).toEqual([]);
  });

  it('a new app gets its list after it is created', () => {
    const m = managed('shop', { desired: { buildpacks: bp('heroku/nodejs') } });
    const p = plan({ desired: [m.desired], live: {}, inventory: [] });
    const c = change(p, 'app.shop/buildpacks');
    expect(c).toMatchObject({ action: 'create', requests: 1, dependsOn: ['app.shop'] });
  });
});

describe('planner: features', () => {
  it('enables a declared feature with a re-read guard (2 requests), and adopts one already as declared for free', () => {
    const m = managed('shop', {
      desired: { features: { preboot: { enabled: true }, 'runtime-dyno-metadata': { enabled: false } } },
      live: { features: [feature('preboot', false), feature('runtime-dyno-metadata', false)] },
    });
    const p = plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] });
    expect(change(p, 'app.shop/feature.preboot')).toMatchObject({ action: 'adopt', requests: 2, op: { type: 'feature.set', name: 'preboot', enabled: true, send: true } });
    expect(change(p, 'app.shop/feature.preboot').guard.fingerprint).toMatch(/^g1:/);
    expect(change(p, 'app.shop/feature.runtime-dyno-metadata')).toMatchObject({ action: 'adopt', requests: 0, op: { send: false } });
  });

  it('an owned feature switched outside is set back; in sync is a no-op', () => {
    const m = managed('shop', { desired: { features: { preboot: { enabled: true } } }, live: { features: [feature('preboot', false)] }, inv: { features: { preboot: { enabled: true } } } });
    expect(change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/feature.preboot').action).toBe('update');
    m.live.features = [feature('preboot', true)];
    expect(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }).changes).toEqual([]);
  });

  it('an unknown feature is refused at plan time with its line and a suggestion', () => {
    const loc = { file: 'dynoform.yaml', line: 12, col: 7 };
    const m = managed('shop', { desired: { features: { prebot: { enabled: true, loc } } }, live: { features: [feature('preboot', false)] } });
    const p = plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] });
    expect(change(p, 'app.shop/feature.prebot')).toMatchObject({ action: 'replace-refused', requests: 0, op: { type: 'none' } });
    const d = p.diagnostics.find((x) => x.code === 'unknown-feature');
    expect(d).toMatchObject({ severity: 'error', file: 'dynoform.yaml', line: 12, col: 7 });
    expect(d?.message).toContain('did you mean preboot?');
  });

  it('a feature that leaves the YAML is forgotten, not switched', () => {
    const m = managed('shop', { live: { features: [feature('preboot', true)] }, inv: { features: { preboot: { enabled: true } } } });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/feature.preboot');
    expect(c).toMatchObject({ action: 'delete', requests: 0, op: { type: 'state.forget' } });
  });
});

import { describe, expect, it } from 'vitest';
import { createPlan } from '../../../src/planner/index.js';
import type { ForeignApp } from '../../../src/model/inventory.js';
import { change, desiredApp, input, invApp, liveApp, managed } from './fixtures.js';

const PG = 'heroku-postgresql:essential-0';

function foreignOf(live: { id: string; name: string }, key = live.name): ForeignApp {
  return { id: live.id, name: live.name, key, environment: 'production', state: '.dynoform/production.json' };
}

describe('planner: environments', () => {
  it('refuses to adopt an app another environment owns, and plans none of its parts', () => {
    const prod = liveApp('shop-production', { vars: { A: '1' } });
    const w = input({ desired: [desiredApp('shop-production', { config: { A: '2' } })], live: { 'shop-production': prod } });
    const p = createPlan({ ...w, foreign: [foreignOf(prod)], environment: 'staging' });
    expect(p.changes.map((c) => [c.address, c.action])).toEqual([['app.shop-production', 'blocked']]);
    expect(change(p, 'app.shop-production').reason).toContain('managed by environment production (state .dynoform/production.json');
    expect(p.environment).toBe('staging');
  });

  it('never deletes an app that another state also owns', () => {
    const m = managed('old', { inv: { protect: false } });
    const keep = managed('keep');
    const w = input({ desired: [keep.desired], live: { old: m.live, keep: keep.live }, inventory: [m.inv, keep.inv] });
    const p = createPlan({ ...w, foreign: [foreignOf(m.live, 'old')] });
    expect(change(p, 'app.old')).toMatchObject({ action: 'blocked', op: { type: 'none' } });
    expect(change(p, 'app.old').reason).toContain('dynoform state forget app.old');
  });

  it('refuses a plan that deletes every app it manages, unless allowed', () => {
    const a = managed('a', { inv: { protect: false } });
    const w = input({ desired: [desiredApp('new')], live: { a: a.live }, inventory: [a.inv] });
    const p = createPlan(w);
    const err = p.diagnostics.find((d) => d.code === 'mass-destroy');
    expect(err).toMatchObject({ severity: 'error' });
    expect(err!.message).toContain('every app this state manages (1 app): a');
    const allowed = createPlan({ ...w, options: { ...w.options, allowMassDestroy: true } });
    expect(allowed.diagnostics.some((d) => d.severity === 'error')).toBe(false);
  });

  it('with --target, says the share is of the targeted apps, not of every app the state manages', () => {
    const a = managed('a', { inv: { protect: false } });
    const keep = managed('keep');
    const w = input({ desired: [keep.desired], live: { a: a.live, keep: keep.live }, inventory: [a.inv, keep.inv] });
    const p = createPlan({ ...w, options: { ...w.options, targets: ['a'] } });
    const err = p.diagnostics.find((d) => d.code === 'mass-destroy');
    expect(err!.message).toContain('the plan deletes every app it targets (1 app): a.');
  });

  it('refuses more than half, allows half', () => {
    const apps = ['a', 'b', 'c', 'd'].map((k) => managed(k, { inv: { protect: false } }));
    const live = Object.fromEntries(apps.map((m) => [m.desired.key, m.live]));
    const half = createPlan(input({ desired: [apps[0]!.desired, apps[1]!.desired], live, inventory: apps.map((m) => m.inv) }));
    expect(half.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const most = createPlan(input({ desired: [apps[0]!.desired], live, inventory: apps.map((m) => m.inv) }));
    expect(most.diagnostics.find((d) => d.code === 'mass-destroy')!.message).toContain('3 of the 4 apps this state manages (more than half): b, c, d');
  });

  it('counts blocked deletions too: a wrong file set is refused even when nothing could be deleted', () => {
    const a = managed('a');
    const b = managed('b');
    const p = createPlan(input({ desired: [desiredApp('x')], live: { a: a.live, b: b.live }, inventory: [a.inv, b.inv] }));
    expect(p.diagnostics.find((d) => d.code === 'mass-destroy')).toBeDefined();
  });

  it('refuses files that declare no app (only the shared defaults)', () => {
    const w = input({});
    w.desired.files = ['defaults.yaml'];
    const p = createPlan(w);
    expect(p.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', code: 'no-apps-declared', file: 'defaults.yaml', message: expect.stringContaining("defaults.yaml declares no apps: give the environment's file too") }),
    ]);
  });

  it('lists the add-ons an app deletion takes with it', () => {
    const live = liveApp('gone');
    const inv = invApp('gone', live, { protect: false, addons: { db: { id: 'x', name: 'postgresql-1', plan: PG } } });
    const keep = managed('keep');
    const p = createPlan(input({ desired: [keep.desired], live: { gone: live, keep: keep.live }, inventory: [inv, keep.inv] }));
    expect(change(p, 'app.gone').reason).toContain(`add-ons that go with it: db (${PG}, postgresql-1)`);
  });

  it('records the state it was planned against', () => {
    const w = input({ desired: [desiredApp('x')] });
    const p = createPlan({ ...w, environment: 'production', options: { ...w.options, state: '.dynoform/production.json' } });
    expect(p).toMatchObject({ environment: 'production', state: '.dynoform/production.json' });
  });
});

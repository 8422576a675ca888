import { describe, expect, it } from 'vitest';
import { createPlan, planHasChanges } from '../../../src/planner/index.js';
import { addresses, change, desiredApp, input, invApp, liveApp, liveDomain, liveDrain, liveFormation, managed, plan } from './fixtures.js';

const PG = 'heroku-postgresql:essential-0';

function fullNewApp() {
  return desiredApp('shop', {
    maintenance: false,
    config: { RAILS_ENV: 'production' },
    addons: { db: { key: 'db', plan: PG, as: 'DATABASE' }, cache: { key: 'cache', plan: 'heroku-redis:mini' } },
    formation: { web: { type: 'web', quantity: 2 } },
    domains: [{ hostname: 'www.example.com' }],
    drains: [{ url: 'https://logs.example.com/x', secret: false }],
  });
}

describe('planner: the plan as a whole', () => {
  it('orders a new app: app → add-ons → config → formation; config, domains and drains depend on the app only', () => {
    const p = plan({ desired: [fullNewApp()] });
    expect(addresses(p)).toEqual([
      'app.shop',
      'app.shop/addon.cache',
      'app.shop/addon.db',
      'app.shop/config',
      'app.shop/formation',
      'app.shop/domain.www.example.com',
      'app.shop/drain.https://logs.example.com/x',
    ]);
    expect(change(p, 'app.shop/addon.db').dependsOn).toEqual(['app.shop']);
    // Config, domains and drains need only the app: a failed add-on does not hold them back (issue 15).
    expect(change(p, 'app.shop/config').dependsOn).toEqual(['app.shop']);
    expect(change(p, 'app.shop/domain.www.example.com').dependsOn).toEqual(['app.shop']);
    expect(change(p, 'app.shop/drain.https://logs.example.com/x').dependsOn).toEqual(['app.shop']);
    // Waiting changes are not executed and depend on nothing.
    expect(change(p, 'app.shop/formation')).toMatchObject({ action: 'waiting', dependsOn: [] });
  });

  it('skips missing stages when wiring dependencies', () => {
    const m = managed('shop', { desired: { maintenance: true, domains: [{ hostname: 'a.example.com' }] } });
    const p = plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] });
    expect(change(p, 'app.shop/domain.a.example.com').dependsOn).toEqual(['app.shop']);
  });

  it('totals requests (with guard re-reads) and releases exactly', () => {
    const m = managed('shop', {
      desired: { maintenance: true, config: { A: '1' }, addons: { cache: { key: 'cache', plan: 'heroku-redis:mini' } }, formation: { web: { type: 'web', quantity: 2 } } },
      live: { formation: [liveFormation('web', 1)] },
    });
    const n = { ...fullNewApp(), key: 'blog', name: 'blog' };
    const p = plan({ desired: [m.desired, n], live: { shop: m.live }, inventory: [m.inv], rateLimitRemaining: 1180 });
    // shop: app PATCH + guard re-read (2), add-on create without a name or `as` (list + POST: 2), config PATCH (1), formation batch (1) = 6
    // blog: app create (1), add-on with `as` (1), add-on without (2), config (1), domain (1), drain (1) = 7; formation waits
    expect(p.summary.requests).toBe(13);
    // shop: add-on attach (1) + config (1); blog: 2 add-on attachments + config (3)
    expect(p.summary.releases).toBe(5);
    expect(p.summary).toMatchObject({ create: 7, update: 3, delete: 0, adopt: 0, blocked: 0, replaceRefused: 0, waiting: 1 });
  });

  it('warns when the apply needs more requests than the budget holds', () => {
    const p = plan({ desired: [fullNewApp()], rateLimitRemaining: 3 });
    expect(p.diagnostics.find((d) => d.code === 'rate-limit-budget')?.severity).toBe('warning');
  });

  it('--target plans only the given apps; others are not even reported as deletions', () => {
    const a = managed('a', { desired: { maintenance: true } });
    const b = managed('b', { desired: { maintenance: true } });
    const gone = liveApp('old');
    const p = plan({
      desired: [a.desired, b.desired],
      live: { a: a.live, b: b.live },
      inventory: [a.inv, b.inv, invApp('old', gone, { protect: false })],
      otherApps: { old: gone.id },
      targets: ['b'],
    });
    expect(addresses(p)).toEqual(['app.b']);
    expect(p.targets).toEqual(['b']);
  });

  it('warns about a target that matches nothing', () => {
    const p = plan({ desired: [desiredApp('a')], targets: ['nope'] });
    expect(p.changes).toEqual([]);
    expect(p.diagnostics.map((d) => d.code)).toEqual(['unknown-target']);
  });

  it('stamps the state and the inputs it came from', () => {
    const p = plan({ desired: [desiredApp('a')], lineage: 'L-9', serial: 42 });
    expect(p).toMatchObject({ formatVersion: 1, lineage: 'L-9', serial: 42, createdAt: '2026-01-02T03:04:05.000Z', apiUrl: 'https://api.heroku.com', dynoformVersion: '0.1.0-test', files: ['dynoform.yaml'] });
  });

  it('is pure and deterministic: same input, same plan; the input is not mutated', () => {
    const m = managed('shop', { desired: { config: { A: '1' }, domains: [{ hostname: 'x.example.com' }] }, live: { vars: { B: '2' }, domains: [liveDomain('y.example.com')] } });
    const i = input({ desired: [m.desired, fullNewApp()].map((d, n) => (n === 1 ? { ...d, key: 'z', name: 'z' } : d)), live: { shop: m.live }, inventory: [m.inv] });
    const snapshot = JSON.stringify(i);
    const one = JSON.stringify(createPlan(i));
    const two = JSON.stringify(createPlan(i));
    expect(one).toBe(two);
    expect(JSON.stringify(i)).toBe(snapshot);
  });

  it('gives unique ids to drains whose masked URLs coincide', () => {
    const m = managed('shop', {
      desired: { drains: [{ url: 'https://a:1@logs.example.com/x', secret: false }, { url: 'https://b:2@logs.example.com/x', secret: false }] },
      live: { drains: [liveDrain('https://c:3@elsewhere.example.com/')] },
    });
    const p = plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] });
    expect(p.changes.map((c) => c.id)).toEqual(['app.shop/drain.https://***@logs.example.com/x', 'app.shop/drain.https://***@logs.example.com/x#2']);
  });

  it('planHasChanges: false when empty or only waiting; true for anything to apply or resolve', () => {
    const waitingOnly = managed('shop', { desired: { formation: { worker: { type: 'worker', quantity: 1 } } } });
    expect(planHasChanges(plan({ desired: [waitingOnly.desired], live: { shop: waitingOnly.live }, inventory: [waitingOnly.inv] }))).toBe(false);
    const inSync = managed('shop');
    expect(planHasChanges(plan({ desired: [inSync.desired], live: { shop: inSync.live }, inventory: [inSync.inv] }))).toBe(false);
    expect(planHasChanges(plan({ desired: [desiredApp('new')] }))).toBe(true);
    const gone = liveApp('old');
    expect(planHasChanges(plan({ otherApps: { old: gone.id }, inventory: [invApp('old', gone)] }))).toBe(true); // blocked
  });
});

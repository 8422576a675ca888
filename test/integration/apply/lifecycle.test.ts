import { afterEach, describe, expect, it } from 'vitest';
import { eventsOf, executable, expectNoChanges, World } from './world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const two = (protect: boolean, withOld = true, withCache = true) => `
version: 1
apps:
  keep:
    name: keep-app
    config: { A: "1" }
${
  withOld
    ? `  old:
    name: old-app
    protect: ${protect}
    config: { B: "2" }
    addons:
      db: { plan: heroku-postgresql:essential-0, as: DATABASE }
${withCache ? '      cache: { plan: heroku-redis:mini, as: REDIS }\n' : ''}`
    : ''
}`;

describe('deletion', () => {
  it('deletes an app and add-on only with protect: false applied first and --allow-destroy', async () => {
    world = await World.start();
    await world.yaml(two(true));
    await world.converge();
    // Consent first: protect: false is applied (state only, no request).
    await world.yaml(two(false));
    const consent = await world.converge();
    expect(consent.run.result!.requests).toBe(0);
    expect((await world.inventory()).apps.old!.protect).toBe(false);

    // Remove an add-on: deletion needs --allow-destroy.
    await world.yaml(two(false, true, false));
    const { plan } = await world.plan();
    expect(executable(plan).map((c) => `${c.address} ${c.action}`)).toEqual(['app.old/addon.cache delete']);
    const refused = await world.apply(plan);
    expect(refused.diagnostics.map((d) => d.code)).toEqual(['destroy-needs-flag']);
    expect(refused.events).toEqual([]);
    // The engine called without the flag still never deletes.
    const forced = await world.apply(plan, { skipPreflight: true });
    expect(forced.result!.skipped).toEqual([expect.objectContaining({ address: 'app.old/addon.cache' })]);
    expect(forced.result!.skipped[0]!.message).toMatch(/--allow-destroy/);
    expect(forced.result!.requests).toBe(0);
    const withFlag = await world.converge({ allowDestroy: true });
    expect(withFlag.run.result!.succeeded.map((s) => s.address)).toEqual(['app.old/addon.cache']);
    expect(withFlag.run.result!.releases).toBe(1);
    const addons = await world.api<Array<{ addon_service: { name: string } }>>('GET', '/apps/old-app/addons');
    expect(addons.map((a) => a.addon_service.name)).toEqual(['heroku-postgresql']);

    // Remove the whole app.
    await world.yaml(two(false, false));
    const del = await world.converge({ allowDestroy: true });
    expect(executable(del.first.plan).map((c) => `${c.address} ${c.action}`)).toEqual(['app.old delete']);
    await expect(world.api('GET', '/apps/old-app')).rejects.toThrow(/404/);
    expect(Object.keys((await world.inventory()).apps)).toEqual(['keep']);
  });

  it('blocks the deletion of a protected app: apply refuses the plan (as prevent_destroy), the app untouched', async () => {
    world = await World.start();
    await world.yaml(two(true));
    await world.converge();
    await world.yaml(two(true, false));
    const { plan } = await world.plan();
    expect(plan.changes.map((c) => `${c.address} ${c.action}`)).toEqual(['app.old blocked']);
    const run = await world.apply(plan, { allowDestroy: true });
    expect(run.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'plan-blocked', message: expect.stringContaining('app.old') })]);
    expect(run.result).toBeUndefined();
    expect(await world.api<{ name: string }>('GET', '/apps/old-app')).toMatchObject({ name: 'old-app' });
    expect((await world.inventory()).apps.old).toBeDefined();
  });
});

describe('add-on provisioning', () => {
  const db = `
version: 1
apps:
  data:
    name: data-app
    config: { MODE: "x" }
    addons:
      db: { plan: heroku-postgresql:essential-0, as: DATABASE }
`;

  it('waits until provisioned before the config change, reporting the wait', async () => {
    world = await World.start({ provisionDelayMs: 1500 });
    await world.yaml(db);
    const { run } = await world.converge();
    const waits = eventsOf(run.events, 'wait');
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(waits.every((w) => w.reason === 'provisioning' && w.address === 'app.data/addon.db')).toBe(true);
    expect(waits[0]!.detail).toMatch(/provisioning/);
    const seq = run.events.map((e) => ('address' in e ? `${e.type} ${e.address}` : e.type));
    expect(seq.indexOf('change-done app.data/addon.db')).toBeLessThan(seq.indexOf('change-start app.data/config'));
    const addon = (await world.api<Array<{ state: string }>>('GET', '/apps/data-app/addons'))[0]!;
    expect(addon.state).toBe('provisioned');
  });

  it('times out waiting: fails the add-on with provision-timeout, records it, still sets the config (it does not depend on the add-on); the next run converges', async () => {
    world = await World.start({ provisionDelayMs: 1200 });
    await world.yaml(db);
    const { plan } = await world.plan();
    const run = await world.apply(plan, { provisionTimeoutMs: 100 });
    const r = run.result!;
    expect(r.succeeded.map((s) => s.address)).toEqual(['app.data', 'app.data/config']);
    expect(r.failed).toEqual([expect.objectContaining({ address: 'app.data/addon.db', outcome: 'failed' })]);
    expect(eventsOf(run.events, 'change-failed')[0]!.code).toBe('provision-timeout');
    expect(r.failed[0]!.message).toMatch(/still provisioning/);
    expect(r.skipped).toEqual([]);
    // Ordered after the add-on all the same (soft edge): the config change started once the add-on had finished.
    const seq = run.events.map((e) => ('address' in e ? `${e.type} ${e.address}` : e.type));
    expect(seq.indexOf('change-failed app.data/addon.db')).toBeLessThan(seq.indexOf('change-start app.data/config'));
    expect((await world.api<Record<string, string>>('GET', '/apps/data-app/config-vars')).MODE).toBe('x');
    // The add-on exists and is ours: recorded, so the next plan does not create a second one.
    expect((await world.inventory()).apps.data!.addons.db).toBeDefined();
    await new Promise((res) => setTimeout(res, 1300));
    const next = await world.converge();
    expect(executable(next.first.plan).map((c) => c.address)).toEqual([]);
    expect(await world.api<unknown[]>('GET', '/apps/data-app/addons')).toHaveLength(1);
  });
});

describe('failures and interruption', () => {
  it('a failed add-on skips only its true dependants: config, domain and drain of its app go ahead; another app is complete', async () => {
    world = await World.start();
    await world.yaml(`
version: 1
apps:
  bad:
    name: bad-app
    config: { X: "1" }
    addons:
      search: { plan: cloudamqp:lemur, name: shared-search }
    domains: [bad.example.com]
    drains: [https://logs.example.com/bad]
  good:
    name: good-app
    config: { Y: "2" }
    domains: [good.example.com]
`);
    const { plan } = await world.plan();
    // Between plan and apply someone takes the add-on's globally unique name: a failure no plan can foresee.
    await world.api('POST', '/apps', { name: 'elsewhere-app' });
    await world.api('POST', '/apps/elsewhere-app/addons', { plan: 'cloudamqp:lemur', name: 'shared-search' });
    const run = await world.apply(plan);
    const r = run.result!;
    expect(r.failed.map((f) => f.address)).toEqual(['app.bad/addon.search']);
    expect(r.failed[0]!.message).toMatch(/422/);
    expect(eventsOf(run.events, 'change-failed')[0]!.code).toBe('invalid_params');
    // Nothing else in the app needs the add-on (issue 15): no "delete skipped: depends on addon.search (create), which failed".
    expect(r.skipped).toEqual([]);
    expect(r.succeeded.map((s) => s.address).sort()).toEqual([
      'app.bad',
      'app.bad/config',
      'app.bad/domain.bad.example.com',
      'app.bad/drain.https://logs.example.com/bad',
      'app.good',
      'app.good/config',
      'app.good/domain.good.example.com',
    ]);
    expect((await world.api<Record<string, string>>('GET', '/apps/bad-app/config-vars')).X).toBe('1');
    expect((await world.api<Record<string, string>>('GET', '/apps/good-app/config-vars')).Y).toBe('2');
  });

  it('Ctrl-C: in-flight changes finish and are saved, nothing new starts; plan then shows exactly the rest and apply converges', async () => {
    world = await World.start({ latencyMs: 20 });
    const apps = Array.from({ length: 8 }, (_, i) => `  a${i}:\n    name: int-app-${i}\n    config: { K: "v" }\n`).join('');
    await world.yaml(`version: 1\napps:\n${apps}`);
    const { plan } = await world.plan();
    expect(executable(plan)).toHaveLength(16);
    const ctl = new AbortController();
    let started = 0;
    const run = await world.apply(plan, {
      concurrency: 2,
      signal: ctl.signal,
      onEvent: (e) => {
        if (e.type === 'change-start' && ++started === 3) ctl.abort();
      },
    });
    const r = run.result!;
    expect(r.interrupted).toBe(true);
    // Exactly the started changes ran to completion; none failed.
    expect(r.failed).toEqual([]);
    expect(r.succeeded).toHaveLength(eventsOf(run.events, 'change-start').length);
    expect(r.succeeded.length + r.skipped.length).toBe(16);
    expect(r.skipped.every((s) => s.message === 'interrupted before it started')).toBe(true);
    expect(run.events.at(-1)!.type).toBe('apply-done');
    expect(run.events.at(-2)!.type).toBe('state-saved');

    // State says what was done: the next plan is exactly the remainder.
    const next = await world.plan();
    const done = new Set(r.succeeded.map((s) => s.address));
    expect(executable(next.plan).map((c) => c.address).sort()).toEqual(
      executable(plan).map((c) => c.address).filter((a) => !done.has(a)).sort(),
    );
    const finish = await world.apply(next.plan);
    expect(finish.result!.failed).toEqual([]);
    expectNoChanges((await world.plan()).plan);
  });
});

describe('adoption', () => {
  it('adopts an app made outside dynoform with its add-on, domain and drain, then converges', async () => {
    world = await World.start();
    await world.api('POST', '/apps', { name: 'legacy-app', region: 'us' });
    await world.api('PATCH', '/apps/legacy-app/config-vars', { KEEP: 'same', OLD: 'x' });
    await world.api('POST', '/apps/legacy-app/addons', { plan: 'heroku-redis:mini', attachment: { name: 'REDIS' } });
    await world.api('POST', '/apps/legacy-app/domains', { hostname: 'legacy.example.com', sni_endpoint: null });
    await world.api('POST', '/apps/legacy-app/log-drains', { url: 'https://logs.example.com/legacy' });
    await world.yaml(`
version: 1
apps:
  legacy:
    name: legacy-app
    maintenance: true
    config: { KEEP: same, NEW: "1" }
    addons:
      cache: { plan: heroku-redis:mini, as: REDIS }
    domains: [legacy.example.com]
    drains: [https://logs.example.com/legacy]
`);
    const { first, run } = await world.converge();
    expect(executable(first.plan).map((c) => `${c.address} ${c.action}`).sort()).toEqual(
      ['app.legacy adopt', 'app.legacy/addon.cache adopt', 'app.legacy/config update', 'app.legacy/domain.legacy.example.com adopt', 'app.legacy/drain.https://logs.example.com/legacy adopt'].sort(),
    );
    // Adopting costs no request: only the maintenance flag and the NEW key are written.
    expect(run.result!.requests).toBe(first.plan.summary.requests);
    const inv = (await world.inventory()).apps.legacy!;
    expect(inv.created).toBe(false);
    expect(inv.maintenance).toBe(true);
    expect(Object.keys(inv.config).sort()).toEqual(['KEEP', 'NEW']);
    expect(inv.addons.cache).toMatchObject({ plan: 'heroku-redis:mini', attachment: 'REDIS' });
    expect(Object.keys(inv.domains)).toEqual(['legacy.example.com']);
    expect(Object.values(inv.drains).map((d) => d.maskedUrl)).toEqual(['https://logs.example.com/legacy']);
    // Merge mode: the undeclared key is left alone.
    expect((await world.api<Record<string, string>>('GET', '/apps/legacy-app/config-vars')).OLD).toBe('x');
  });
});

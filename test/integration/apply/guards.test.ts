import { afterEach, describe, expect, it } from 'vitest';
import { parsePlan, serializePlan } from '../../../src/planner/index.js';
import { eventsOf, executable, expectNoChanges, World } from './world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const SECRET = 'first-secret-value-1234';
const CHANGED = 'second-secret-value-5678';

const yaml = (extra = '') => `
version: 1
apps:
  web:
    name: web-app
    config:
      MODE: one
      TOKEN: \${env:TOKEN}
    domains:
      - www.example.com
${extra}`;

async function start(): Promise<World> {
  const w = await World.start();
  w.env = { TOKEN: SECRET };
  await w.yaml(yaml());
  await w.converge();
  return w;
}

describe('guards', () => {
  it('stops a config change on 412 when another client edited config since the plan; the edit survives', async () => {
    world = await start();
    await world.yaml(yaml().replace('MODE: one', 'MODE: two').replace('      - www.example.com\n', '      - www.example.com\n      - shop.example.com\n'));
    const { plan } = await world.plan();
    expect(executable(plan).map((c) => c.address).sort()).toEqual(['app.web/config', 'app.web/domain.shop.example.com']);

    // A colleague changes config between plan and apply.
    await world.api('PATCH', '/apps/web-app/config-vars', { MODE: 'colleague', EXTRA: 'kept' });

    // Apply re-derives the plan from the YAML and the live state first: the edit is seen before any write (issue 13).
    const refused = await world.apply(plan);
    expect(refused.diagnostics).toEqual([expect.objectContaining({ code: 'plan-differs', address: 'app.web/config' })]);
    expect(refused.events).toEqual([]);

    // Should the edit land between that re-read and the write, the engine's own guard (If-Match) stops the change.
    const run = await world.apply(plan, { skipPreflight: true });
    const r = run.result!;
    expect(r.conflicts).toBe(1);
    expect(r.failed).toEqual([expect.objectContaining({ address: 'app.web/config', outcome: 'conflict' })]);
    expect(r.failed[0]!.message).toMatch(/changed since plan — run plan again/);
    const failed = eventsOf(run.events, 'change-failed');
    expect(failed).toEqual([expect.objectContaining({ outcome: 'conflict', code: 'conflict' })]);
    // A domain needs only the app, not the config: it is applied anyway (issue 15).
    expect(r.skipped).toEqual([]);
    expect(r.succeeded.map((c) => c.address)).toEqual(['app.web/domain.shop.example.com']);
    // Nothing was overwritten.
    const vars = await world.api<Record<string, string>>('GET', '/apps/web-app/config-vars');
    expect(vars).toMatchObject({ MODE: 'colleague', EXTRA: 'kept', TOKEN: SECRET });
    // The free budget read (this engine-only run had none before), one PATCH tried (412) and the domain's POST, nothing else.
    expect(r.requests).toBe(3);

    // Plan again: it sees the colleague's value and wants ours back; apply converges, EXTRA survives (merge mode).
    await world.converge();
    const after = await world.api<Record<string, string>>('GET', '/apps/web-app/config-vars');
    expect(after).toMatchObject({ MODE: 'two', EXTRA: 'kept' });
  });

  it('fails a fingerprint-guarded change as a conflict without writing when the object moved', async () => {
    world = await start();
    await world.yaml(yaml().replace('      - www.example.com\n', '      - other.example.com\n'));
    // The domain is owned: removing it from YAML plans a delete guarded by a fingerprint (domains come from a list).
    const { plan } = await world.plan();
    const del = executable(plan).find((c) => c.address === 'app.web/domain.www.example.com')!;
    expect(del.action).toBe('delete');
    expect(del.guard.fingerprint).toBeDefined();
    // Someone re-creates the hostname with another id between plan and apply.
    await world.api('DELETE', '/apps/web-app/domains/www.example.com');
    await world.api('POST', '/apps/web-app/domains', { hostname: 'www.example.com', sni_endpoint: null });
    expect((await world.apply(plan)).diagnostics.map((d) => d.code)).toEqual(['plan-differs']);
    // The engine's own guard, for an edit between apply's re-read and its write.
    const run = await world.apply(plan, { skipPreflight: true });
    expect(run.result!.conflicts).toBe(1);
    expect(run.result!.failed[0]!.message).toMatch(/changed since plan/);
    const domains = await world.api<Array<{ hostname: string }>>('GET', '/apps/web-app/domains');
    expect(domains.map((d) => d.hostname)).toContain('www.example.com');
    // The independent create went ahead.
    expect(run.result!.succeeded.map((s) => s.address)).toEqual(['app.web/domain.other.example.com']);
  });

  it('does not count its own add-on attachment as a conflict for the config change after it', async () => {
    world = await start();
    // One apply: attach an add-on (which adds DATABASE_URL, changing the config ETag) and change config.
    await world.yaml(yaml('').replace('    domains:', '    addons:\n      db: { plan: heroku-postgresql:essential-0, as: DATABASE }\n    domains:').replace('MODE: one', 'MODE: three'));
    const { first, run } = await world.converge();
    expect(executable(first.plan).map((c) => c.address).sort()).toEqual(['app.web/addon.db', 'app.web/config']);
    expect(run.result!.conflicts).toBe(0);
    // Two extra reads re-check the config around our own attachment.
    expect(run.result!.requests).toBeGreaterThanOrEqual(first.plan.summary.requests + 2);
    const vars = await world.api<Record<string, string>>('GET', '/apps/web-app/config-vars');
    expect(vars.MODE).toBe('three');
    expect(vars.DATABASE_URL).toBeDefined();
  });

  it('still catches another client between plan and apply when our own add-on also changes config', async () => {
    world = await start();
    await world.yaml(yaml('').replace('    domains:', '    addons:\n      db: { plan: heroku-postgresql:essential-0, as: DATABASE }\n    domains:').replace('MODE: one', 'MODE: three'));
    const { plan } = await world.plan();
    await world.api('PATCH', '/apps/web-app/config-vars', { MODE: 'colleague' });
    expect((await world.apply(plan)).diagnostics.map((d) => d.code)).toEqual(['plan-differs']);
    // The engine's own guard, for an edit between apply's re-read and its write.
    const run = await world.apply(plan, { skipPreflight: true });
    expect(run.result!.succeeded.map((s) => s.address)).toEqual(['app.web/addon.db']);
    expect(run.result!.failed).toEqual([expect.objectContaining({ address: 'app.web/config', outcome: 'conflict' })]);
    expect((await world.api<Record<string, string>>('GET', '/apps/web-app/config-vars')).MODE).toBe('colleague');
  });

  it('renames an app and scales it in one apply without tripping on its own rename', async () => {
    world = await start();
    await world.release('web-app', { web: 'puma' });
    await world.yaml(yaml().replace('      TOKEN: ${env:TOKEN}\n', '      TOKEN: ${env:TOKEN}\n    formation:\n      web: { quantity: 1, size: standard-1X }\n'));
    await world.converge();
    await world.yaml(yaml().replace('name: web-app', 'name: web-app-renamed').replace('      TOKEN: ${env:TOKEN}\n', '      TOKEN: ${env:TOKEN}\n    formation:\n      web: { quantity: 2, size: standard-1X }\n'));
    const { run } = await world.converge();
    expect(run.result!.conflicts).toBe(0);
    const formation = await world.api<Array<{ quantity: number }>>('GET', '/apps/web-app-renamed/formation');
    expect(formation[0]!.quantity).toBe(2);
  });

  it('refuses a stale saved plan (the state serial moved since the plan)', async () => {
    world = await start();
    await world.yaml(yaml().replace('MODE: one', 'MODE: two'));
    const saved = serializePlan((await world.plan()).plan);
    // Another apply runs in between (any change moves the serial).
    await world.yaml(yaml().replace('MODE: one', 'MODE: other'));
    await world.converge();
    await world.yaml(yaml().replace('MODE: one', 'MODE: two'));

    const parsed = parsePlan(saved);
    if (!parsed.plan) throw new Error('plan did not parse');
    const run = await world.apply(parsed.plan);
    expect(run.diagnostics.map((d) => d.code)).toEqual(['plan-stale']);
    expect(run.events).toEqual([]);
    // The engine, called anyway, refuses every change rather than apply half-blind.
    const forced = await world.apply(parsed.plan, { skipPreflight: true });
    expect(forced.result!.succeeded).toEqual([]);
    expect(forced.result!.requests).toBe(0);
    expect(forced.result!.skipped[0]!.message).toMatch(/stale/);
    expect((await world.api<Record<string, string>>('GET', '/apps/web-app/config-vars')).MODE).toBe('other');
  });

  it('refuses a saved plan when a secret changed since, naming the variable and never the value', async () => {
    world = await start();
    world.env.TOKEN = CHANGED;
    const { plan } = await world.plan();
    const saved = serializePlan(plan);
    expect(saved).not.toContain(CHANGED);
    world.env.TOKEN = 'third-value-not-reviewed';
    const parsed = parsePlan(saved).plan!;
    const run = await world.apply(parsed);
    expect(run.diagnostics.map((d) => d.code)).toEqual(['secret-mismatch']);
    expect(run.diagnostics[0]!.message).toContain('$TOKEN');
    expect(run.diagnostics[0]!.address).toBe('app.web/config');
    // The engine called anyway fails that change with the same code and sends nothing.
    const forced = await world.apply(parsed, { skipPreflight: true });
    expect(forced.result!.failed).toEqual([expect.objectContaining({ address: 'app.web/config' })]);
    expect(eventsOf(forced.events, 'change-failed')[0]!.code).toBe('secret-mismatch');
    expect(forced.result!.requests).toBe(0);
    const all = JSON.stringify([run, forced]);
    expect(all).not.toContain('third-value-not-reviewed');
    expect(all).not.toContain(CHANGED);
    expect(all).not.toContain(SECRET);
    expect((await world.api<Record<string, string>>('GET', '/apps/web-app/config-vars')).TOKEN).toBe(SECRET);

    // With the reviewed value back, the same saved plan applies.
    world.env.TOKEN = CHANGED;
    const ok = await world.apply(parsed);
    expect(ok.diagnostics).toEqual([]);
    expect(ok.result!.succeeded.map((s) => s.address)).toEqual(['app.web/config']);
    expectNoChanges((await world.plan()).plan);
  });
});

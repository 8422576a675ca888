import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyDrift } from '../../../src/drift/index.js';
import { createFingerprinter, saltForLineage } from '../../../src/util/fingerprint.js';
import type { Change, Plan } from '../../../src/model/plan.js';
import { World, expectNoChanges } from '../apply/world.js';

function change(plan: Plan, address: string): Change {
  const c = plan.changes.find((x) => x.address === address);
  if (!c) throw new Error(`no change at ${address}: ${plan.changes.map((x) => x.address).join(', ')}`);
  return c;
}

const yaml = (features: string) => `version: 1
apps:
  feat-shop:
    features:
${features}`;

describe('app features against the emulator', () => {
  let w: World;
  beforeAll(async () => {
    w = await World.start();
  });
  afterAll(async () => {
    await w?.close();
  });

  const enabled = async (name: string) => (await w.api<{ enabled: boolean }>('GET', `/apps/feat-shop/features/${name}`)).enabled;

  it('create: a new app gets its declared features, then the plan is empty', async () => {
    await w.yaml(yaml('      preboot: true\n      runtime-dyno-metadata: false\n'));
    const { first } = await w.converge();
    expect(change(first.plan, 'app.feat-shop/feature.preboot')).toMatchObject({ action: 'create', requests: 1 });
    expect(await enabled('preboot')).toBe(true);
    expect(await enabled('runtime-dyno-metadata')).toBe(false);
    expect((await w.inventory()).apps['feat-shop']!.features).toEqual({ preboot: { enabled: true }, 'runtime-dyno-metadata': { enabled: false } });
  });

  it('no-op: one features list read per app, nothing else for the kind', async () => {
    w.emulator.resetStats();
    const { plan } = await w.plan();
    expectNoChanges(plan);
    const stats = w.emulator.stats();
    expect(stats.byRoute['GET /apps/{app}/features'] ?? 0).toBe(1);
    expect(stats.requests).toBe(4 + 4 + 1);
  });

  it('drift: an outside switch is changed-outside at the feature\'s YAML line', async () => {
    await w.api('PATCH', '/apps/feat-shop/features/preboot', { enabled: false });
    const { desired, inventory } = await w.plan();
    const live = await (await import('../../../src/providers/heroku/live.js')).readLiveState(w.client, desired, inventory);
    const report = classifyDrift({ desired, live, inventory, fingerprint: createFingerprinter(saltForLineage(inventory.lineage)) });
    expect(report.items).toEqual([
      expect.objectContaining({ class: 'changed-outside', address: 'app.feat-shop/feature.preboot', before: true, after: false, loc: { file: expect.stringContaining('dynoform.yaml'), line: 5, col: 7 } }),
    ]);
  });

  it('update: the plan switches it back, guarded; a conflict (switched again after the plan) writes nothing', async () => {
    const { plan } = await w.plan();
    expect(change(plan, 'app.feat-shop/feature.preboot')).toMatchObject({ action: 'update', requests: 2 });
    await w.api('PATCH', '/apps/feat-shop/features/preboot', { enabled: true });
    w.emulator.resetStats();
    // Apply re-derives the plan from the YAML and the live state first and refuses before any write (issue 13);
    // the engine's own guard, tested next, is for an edit landing between that read and the write.
    expect((await w.apply(plan)).diagnostics.map((d) => d.code)).toEqual(['plan-differs']);
    const run = await w.apply(plan, { skipPreflight: true });
    expect(run.result?.conflicts).toBe(1);
    expect(w.emulator.stats().byRoute['PATCH /apps/{app}/features/{feature}'] ?? 0).toBe(0);

    // Switched off again by hand: the fresh plan applies.
    await w.api('PATCH', '/apps/feat-shop/features/preboot', { enabled: false });
    await w.converge();
    expect(await enabled('preboot')).toBe(true);
  });

  it('a 412 on the PATCH itself (the feature moved between the re-read and the write) leaves the outside edit in place', async () => {
    await w.api('PATCH', '/apps/feat-shop/features/preboot', { enabled: false });
    const { plan } = await w.plan();
    const c = change(plan, 'app.feat-shop/feature.preboot');
    // As if the plan had been made from a single GET: its ETag is then stale once someone else writes.
    const got = await w.other.get<unknown>('/apps/feat-shop/features/preboot');
    c.guard = { etag: got.etag! };
    c.requests = 1;
    await w.api('PATCH', '/apps/feat-shop/features/preboot', { enabled: true });
    await w.api('PATCH', '/apps/feat-shop/features/preboot', { enabled: false });
    await new Promise((r) => setTimeout(r, 1100));
    await w.api('PATCH', '/apps/feat-shop/features/preboot', { enabled: true });
    await w.api('PATCH', '/apps/feat-shop/features/preboot', { enabled: false });
    const run = await w.apply(plan, { skipPreflight: true });
    expect(run.result?.conflicts).toBe(1);
    expect(await enabled('preboot')).toBe(false);
    await w.converge();
  });

  it('adopt: an existing feature already as declared is owned for free; one that differs is set', async () => {
    await w.api('PATCH', '/apps/feat-shop/features/log-runtime-metrics', { enabled: true });
    await w.yaml(yaml('      preboot: true\n      runtime-dyno-metadata: false\n      log-runtime-metrics: true\n      http-session-affinity: true\n'));
    const { first } = await w.converge();
    expect(change(first.plan, 'app.feat-shop/feature.log-runtime-metrics')).toMatchObject({ action: 'adopt', requests: 0 });
    expect(change(first.plan, 'app.feat-shop/feature.http-session-affinity')).toMatchObject({ action: 'adopt', requests: 2 });
    expect(await enabled('http-session-affinity')).toBe(true);
  });

  it('delete: a feature removed from the YAML is let go of, not switched', async () => {
    await w.yaml(yaml('      preboot: true\n      runtime-dyno-metadata: false\n      log-runtime-metrics: true\n'));
    const { first, run } = await w.converge();
    expect(change(first.plan, 'app.feat-shop/feature.http-session-affinity')).toMatchObject({ action: 'delete', requests: 0 });
    expect(run.result?.failed).toEqual([]);
    expect(await enabled('http-session-affinity')).toBe(true);
    expect((await w.inventory()).apps['feat-shop']!.features?.['http-session-affinity']).toBeUndefined();
  });

  it('an unknown feature is refused at plan time, with a suggestion, and apply does not send it', async () => {
    await w.yaml(yaml('      prebot: true\n'));
    const { plan } = await w.plan();
    expect(change(plan, 'app.feat-shop/feature.prebot').action).toBe('replace-refused');
    expect(plan.diagnostics.find((d) => d.code === 'unknown-feature')?.message).toContain('did you mean preboot?');
    w.emulator.resetStats();
    await w.apply(plan);
    expect(w.emulator.stats().byRoute['PATCH /apps/{app}/features/{feature}'] ?? 0).toBe(0);
  });
});

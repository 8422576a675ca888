import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyDrift } from '../../../src/drift/index.js';
import type { Change, Plan } from '../../../src/model/plan.js';
import { readLiveState } from '../../../src/providers/heroku/live.js';
import { createFingerprinter, saltForLineage } from '../../../src/util/fingerprint.js';
import { World, expectNoChanges } from '../apply/world.js';

function change(plan: Plan, address: string): Change {
  const c = plan.changes.find((x) => x.address === address);
  if (!c) throw new Error(`no change at ${address}: ${plan.changes.map((x) => x.address).join(', ')}`);
  return c;
}

const yaml = (buildpacks: string | undefined) => `version: 1
apps:
  bp-shop:
    stack: heroku-24
${buildpacks === undefined ? '' : `    buildpacks:\n${buildpacks}`}`;

describe('buildpacks against the emulator', () => {
  let w: World;
  const live = async () => (await w.api<Array<{ buildpack: { name: string } }>>('GET', '/apps/bp-shop/buildpack-installations')).map((b) => b.buildpack.name);
  const put = (...names: string[]) => w.other.request('PUT', '/apps/bp-shop/buildpack-installations', { body: { updates: names.map((buildpack) => ({ buildpack })) } });

  beforeAll(async () => {
    w = await World.start();
  });
  afterAll(async () => {
    await w?.close();
  });

  it('create: a new app gets its list in order, then the plan is empty', async () => {
    await w.yaml(yaml('      - heroku/nodejs\n      - urn:buildpack:heroku/python\n'));
    const { first } = await w.converge();
    expect(change(first.plan, 'app.bp-shop/buildpacks')).toMatchObject({ action: 'create', requests: 1 });
    expect(await live()).toEqual(['heroku/nodejs', 'heroku/python']);
  });

  it('no-op: one buildpack-installations read for the app, nothing else for the kind', async () => {
    w.emulator.resetStats();
    expectNoChanges((await w.plan()).plan);
    expect(w.emulator.stats().byRoute['GET /apps/{app}/buildpack-installations']).toBe(1);
    expect(w.emulator.stats().requests).toBe(4 + 4 + 1);
  });

  it('drift: an outside reorder is changed-outside at the buildpacks: line', async () => {
    await put('heroku/python', 'heroku/nodejs');
    const { desired, inventory } = await w.plan();
    const l = await readLiveState(w.client, desired, inventory);
    const report = classifyDrift({ desired, live: l, inventory, fingerprint: createFingerprinter(saltForLineage(inventory.lineage)) });
    expect(report.items).toEqual([
      expect.objectContaining({
        class: 'changed-outside',
        address: 'app.bp-shop/buildpacks',
        before: 'heroku/nodejs, urn:buildpack:heroku/python',
        after: 'heroku/python, heroku/nodejs',
        loc: expect.objectContaining({ line: 5, col: 5 }),
      }),
    ]);
  });

  it('update: one guarded PUT restores the order; a 412 (edited again after the plan) leaves the outside edit in place', async () => {
    const { plan } = await w.plan();
    expect(change(plan, 'app.bp-shop/buildpacks')).toMatchObject({ action: 'update', requests: 1, guard: { etag: expect.any(String) } });
    await put('heroku/go');
    w.emulator.resetStats();
    // Apply re-derives the plan from the YAML and the live state first and refuses before any write (issue 13);
    // the engine's own guard, tested next, is for an edit landing between that read and the write.
    expect((await w.apply(plan)).diagnostics.map((d) => d.code)).toEqual(['plan-differs']);
    const run = await w.apply(plan, { skipPreflight: true });
    expect(run.result?.conflicts).toBe(1);
    expect(await live()).toEqual(['heroku/go']);
    const { first } = await w.converge();
    expect(change(first.plan, 'app.bp-shop/buildpacks').items).toEqual([
      { key: '1', action: 'update', before: 'heroku/go', after: 'heroku/nodejs' },
      { key: '2', action: 'create', before: null, after: 'urn:buildpack:heroku/python' },
    ]);
    expect(await live()).toEqual(['heroku/nodejs', 'heroku/python']);
  });

  it('delete: removing buildpacks: lets go of the list (state only); buildpacks: [] clears it', async () => {
    await w.yaml(yaml(undefined));
    const { first } = await w.converge();
    expect(change(first.plan, 'app.bp-shop/buildpacks')).toMatchObject({ action: 'delete', requests: 0 });
    expect(await live()).toEqual(['heroku/nodejs', 'heroku/python']);
    expect((await w.inventory()).apps['bp-shop']!.buildpacks).toBeUndefined();
    w.emulator.resetStats();
    expectNoChanges((await w.plan()).plan);
    expect(w.emulator.stats().byRoute['GET /apps/{app}/buildpack-installations'] ?? 0).toBe(0);
  });

  it('adopt: an equal list is owned without a request; [] clears an unowned list', async () => {
    await w.yaml(yaml('      - heroku/nodejs\n      - heroku/python\n'));
    const { first } = await w.converge();
    expect(change(first.plan, 'app.bp-shop/buildpacks')).toMatchObject({ action: 'adopt', requests: 0 });
    await w.yaml(yaml('      []\n').replace('buildpacks:\n      []', 'buildpacks: []'));
    await w.converge();
    expect(await live()).toEqual([]);
  });
});

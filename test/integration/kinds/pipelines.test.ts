import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classifyDrift } from '../../../src/drift/index.js';
import { readLiveState } from '../../../src/providers/heroku/live.js';
import { createFingerprinter, saltForLineage } from '../../../src/util/fingerprint.js';
import { executable, expectNoChanges, World } from '../apply/world.js';

const APPS = ['version: 1', 'apps:', '  shop-dev: {}', '  shop-staging: {}', '  shop-prod: {}'];

function pipelineYaml(stages: Record<string, string[]>, extra: string[] = []): string {
  return [
    ...APPS,
    'pipelines:',
    '  shop:',
    ...extra.map((l) => `    ${l}`),
    '    stages:',
    ...Object.entries(stages).map(([s, apps]) => `      ${s}: [${apps.join(', ')}]`),
    '',
  ].join('\n');
}

interface Coupling {
  id: string;
  stage: string;
  app: { id: string };
  pipeline: { id: string };
}

describe('pipelines and couplings against the emulator', () => {
  let w: World;
  beforeEach(async () => {
    w = await World.start();
  });
  afterEach(async () => {
    await w.close();
  });

  const couplings = async (): Promise<Record<string, string>> => {
    const list = await w.api<Coupling[]>('GET', '/pipeline-couplings');
    const apps = await w.api<Array<{ id: string; name: string }>>('GET', '/apps');
    const pipelines = await w.api<Array<{ id: string; name: string }>>('GET', '/pipelines');
    const name = (all: Array<{ id: string; name: string }>, id: string) => all.find((x) => x.id === id)?.name ?? id;
    return Object.fromEntries(list.map((c) => [name(apps, c.app.id), `${name(pipelines, c.pipeline.id)}:${c.stage}`]));
  };
  const couplingOf = async (app: string): Promise<Coupling> => w.api<Coupling>('GET', `/apps/${app}/pipeline-couplings`);

  it('creates a pipeline with three apps (couplings after the apps exist), then plans nothing', async () => {
    await w.yaml(pipelineYaml({ development: ['shop-dev'], staging: ['shop-staging'], production: ['shop-prod'] }));
    const { first, run } = await w.converge();
    const c = first.plan.changes.find((x) => x.address === 'pipeline.shop/coupling.shop-prod')!;
    expect(c.action).toBe('create');
    expect(c.dependsOn.sort()).toEqual(['app.shop-prod', 'pipeline.shop']);
    expect(run.result?.failed).toEqual([]);
    expect(await couplings()).toEqual({ 'shop-dev': 'shop:development', 'shop-staging': 'shop:staging', 'shop-prod': 'shop:production' });
    const inv = await w.inventory();
    expect(Object.keys(inv.pipelines?.['shop']?.couplings ?? {}).sort()).toEqual(['shop-dev', 'shop-prod', 'shop-staging']);
  });

  it('no-op cost: two account-wide lists for any number of pipelines, none when nothing is declared or owned', async () => {
    await w.yaml(APPS.join('\n'));
    await w.converge();
    w.emulator.resetStats();
    await w.plan();
    const without = w.emulator.stats();
    expect(without.byRoute['GET /pipelines'] ?? 0).toBe(0);
    expect(without.byRoute['GET /pipeline-couplings'] ?? 0).toBe(0);

    await w.yaml(pipelineYaml({ development: ['shop-dev'], staging: ['shop-staging'], production: ['shop-prod'] }));
    await w.converge();
    w.emulator.resetStats();
    const { plan } = await w.plan();
    expectNoChanges(plan);
    const withP = w.emulator.stats();
    expect(withP.byRoute['GET /pipelines']).toBe(1);
    expect(withP.byRoute['GET /pipeline-couplings']).toBe(1);
    expect(withP.requests - without.requests).toBe(2);
    expect(Object.keys(withP.writes)).toEqual([]);
  });

  it('moves an app to another stage, renames the pipeline, removes an app: guarded writes, then nothing left', async () => {
    await w.yaml(pipelineYaml({ development: ['shop-dev'], staging: ['shop-staging'], production: ['shop-prod'] }));
    await w.converge();
    await w.yaml(pipelineYaml({ staging: ['shop-dev', 'shop-staging'] }, ['name: shop-two']));
    const first = await w.plan();
    expect(executable(first.plan).map((c) => `${c.address} ${c.action}`)).toEqual([
      'pipeline.shop update',
      'pipeline.shop/coupling.shop-dev update',
      'pipeline.shop/coupling.shop-prod delete',
    ]);
    const run = await w.apply(first.plan);
    expect(run.result?.failed).toEqual([]);
    expectNoChanges((await w.plan()).plan);
    expect(await couplings()).toEqual({ 'shop-dev': 'shop-two:staging', 'shop-staging': 'shop-two:staging' });
  });

  it('a stage changed by someone else after the plan is a conflict, not an overwrite', async () => {
    await w.yaml(pipelineYaml({ development: ['shop-dev'] }));
    await w.converge();
    await w.yaml(pipelineYaml({ staging: ['shop-dev'] }));
    const { plan } = await w.plan();
    const c = await couplingOf('shop-dev');
    await w.api('PATCH', `/pipeline-couplings/${c.id}`, { stage: 'production' });
    // Apply re-derives the plan from the YAML and the live state first and refuses before any write (issue 13);
    // the engine's own guard, tested next, is for an edit landing between that read and the write.
    expect((await w.apply(plan)).diagnostics.map((d) => d.code)).toEqual(['plan-differs']);
    const run = await w.apply(plan, { skipPreflight: true });
    expect(run.result?.conflicts).toBe(1);
    expect(run.result?.failed.map((x) => x.address)).toEqual(['pipeline.shop/coupling.shop-dev']);
    expect(await couplings()).toEqual({ 'shop-dev': 'shop:production' });
  });

  it('deleting a pipeline needs protect: false applied first and --allow-destroy; its apps stay', async () => {
    await w.yaml(pipelineYaml({ development: ['shop-dev'] }));
    await w.converge();
    await w.yaml(APPS.join('\n'));
    const blocked = await w.plan();
    expect(blocked.plan.changes.map((c) => `${c.address} ${c.action}`)).toEqual(['pipeline.shop blocked']);
    expect(blocked.plan.changes[0]!.reason).toContain('set protect: false and apply first');

    await w.yaml(pipelineYaml({ development: ['shop-dev'] }, ['protect: false']));
    await w.converge();
    await w.yaml(APPS.join('\n'));
    const del = await w.plan();
    expect(del.plan.changes.map((c) => `${c.address} ${c.action}`)).toEqual(['pipeline.shop delete']);
    const refused = await w.apply(del.plan);
    expect(refused.diagnostics.map((d) => d.code)).toEqual(['destroy-needs-flag']);
    const run = await w.apply(del.plan, { allowDestroy: true });
    expect(run.result?.failed).toEqual([]);
    expect(await w.api<unknown[]>('GET', '/pipelines')).toEqual([]);
    expect((await w.api<unknown[]>('GET', '/apps')).length).toBe(3);
    expectNoChanges((await w.plan()).plan);
    expect((await w.inventory()).pipelines).toEqual({});
  });

  it('adopts a pipeline built by hand, its couplings too, moving a stage that differs', async () => {
    await w.yaml(APPS.join('\n'));
    await w.converge();
    const p = await w.api<{ id: string }>('POST', '/pipelines', { name: 'shop' });
    await w.api('POST', '/pipeline-couplings', { app: 'shop-dev', pipeline: p.id, stage: 'development' });
    await w.api('POST', '/pipeline-couplings', { app: 'shop-prod', pipeline: p.id, stage: 'staging' });
    await w.yaml(pipelineYaml({ development: ['shop-dev'], production: ['shop-prod'] }));
    const first = await w.plan();
    expect(first.plan.changes.map((c) => `${c.address} ${c.action} ${c.requests}`)).toEqual([
      'pipeline.shop adopt 0',
      'pipeline.shop/coupling.shop-dev adopt 0',
      'pipeline.shop/coupling.shop-prod adopt 2',
    ]);
    const run = await w.apply(first.plan);
    expect(run.result?.failed).toEqual([]);
    expectNoChanges((await w.plan()).plan);
    expect(await couplings()).toEqual({ 'shop-dev': 'shop:development', 'shop-prod': 'shop:production' });
  });

  it('an app in a pipeline this state does not own is refused with the way out, not stolen', async () => {
    await w.yaml(APPS.join('\n'));
    await w.converge();
    const other = await w.api<{ id: string }>('POST', '/pipelines', { name: 'legacy' });
    await w.api('POST', '/pipeline-couplings', { app: 'shop-dev', pipeline: other.id, stage: 'development' });
    await w.yaml(pipelineYaml({ development: ['shop-dev'] }));
    const { plan } = await w.plan();
    const c = plan.changes.find((x) => x.address === 'pipeline.shop/coupling.shop-dev')!;
    expect(c.action).toBe('replace-refused');
    expect(c.reason).toContain('heroku pipelines:remove -a shop-dev');
  });

  it('drift: a stage changed by hand and a coupling removed by hand, at their YAML lines', async () => {
    await w.yaml(pipelineYaml({ development: ['shop-dev'], staging: ['shop-staging'] }));
    await w.converge();
    const dev = await couplingOf('shop-dev');
    const staging = await couplingOf('shop-staging');
    await w.api('PATCH', `/pipeline-couplings/${dev.id}`, { stage: 'production' });
    await w.api('DELETE', `/pipeline-couplings/${staging.id}`);
    const desired = await w.load();
    const inventory = await w.inventory();
    const live = await readLiveState(w.client, desired, inventory);
    const fp = createFingerprinter(saltForLineage(inventory.lineage));
    const report = classifyDrift({ desired, live, inventory, fingerprint: fp });
    expect(report.items.map((i) => `${i.class} ${i.address} ${i.loc?.line}:${i.loc?.col} ${i.before}→${i.after}`)).toEqual([
      'changed-outside pipeline.shop/coupling.shop-dev 9:21 development→production',
      'missing pipeline.shop/coupling.shop-staging 10:17 staging→null',
    ]);
    // apply puts both back.
    await w.converge();
  });

  it('a team-owned pipeline: created for the team (GET /teams once), refused for a team the account is not in', async () => {
    await w.api('POST', '/teams', { name: 'acme' });
    await w.yaml(pipelineYaml({ staging: ['shop-staging'] }, ['team: acme']));
    const first = await w.plan();
    expect(first.plan.changes.find((c) => c.address === 'pipeline.shop')?.after).toMatchObject({ owner: 'team acme' });
    await w.converge();
    const [p] = await w.api<Array<{ owner: { type: string; id: string } }>>('GET', '/pipelines');
    const [team] = await w.api<Array<{ id: string }>>('GET', '/teams');
    expect(p!.owner).toEqual({ type: 'team', id: team!.id });
    w.emulator.resetStats();
    expectNoChanges((await w.plan()).plan);
    expect(w.emulator.stats().byRoute['GET /teams']).toBe(1);

    await w.yaml(pipelineYaml({ staging: ['shop-staging'] }, ['team: nobody']));
    const { plan } = await w.plan();
    expect(plan.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.line}:${d.col}`)).toEqual(['unknown-team 8:5']);
  });
});

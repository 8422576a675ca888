import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CliWorld } from '../../helpers/cli-world.js';

/**
 * A pipeline of three apps built with the Heroku CLI's request shapes
 * (`pipelines:create` sends `generation` and an owner; `pipelines:add`
 * couples by app name), then `dynoform import --pipeline`: the first plan
 * is empty and drift finds nothing.
 */
describe('dynoform import --pipeline', () => {
  let w: CliWorld;

  beforeAll(async () => {
    w = await CliWorld.start();
    const h = w.heroku;
    for (const a of ['pipe-dev', 'pipe-staging', 'pipe-prod']) await h.appsCreate(a);
    const me = (await h.request('GET', '/users/~')) as { id: string };
    const p = (await h.request('POST', '/pipelines', { generation: { name: 'cedar' }, name: 'pipe', owner: { id: me.id, type: 'user' } })) as { id: string };
    await h.request('POST', '/pipeline-couplings', { app: 'pipe-dev', pipeline: p.id, stage: 'development' });
    await h.request('POST', '/pipeline-couplings', { app: 'pipe-staging', pipeline: p.id, stage: 'staging' });
    await h.request('POST', '/pipeline-couplings', { app: 'pipe-prod', pipeline: p.id, stage: 'production' });
  });

  afterAll(async () => {
    await w?.close();
  });

  it('writes the pipeline with its three apps and takes ownership without a write; the first plan is empty', async () => {
    w.emulator.resetStats();
    const r = await w.run(['import', '--pipeline', 'pipe', '-o', 'pipe.yaml']);
    expect(r.code, r.stderr).toBe(0);
    expect(w.writes()).toEqual({});
    expect(r.stderr).toContain('Imported 3 apps (pipe-dev, pipe-staging, pipe-prod) and pipeline pipe into pipe.yaml');
    const doc = parse(await readFile(w.path('pipe.yaml'), 'utf8')) as { apps: Record<string, unknown>; pipelines: Record<string, unknown> };
    expect(Object.keys(doc.apps)).toEqual(['pipe-dev', 'pipe-staging', 'pipe-prod']);
    expect(doc.pipelines).toEqual({ pipe: { stages: { development: ['pipe-dev'], staging: ['pipe-staging'], production: ['pipe-prod'] } } });

    const plan = await w.run(['plan', '-f', 'pipe.yaml', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    const drift = await w.run(['drift', '-f', 'pipe.yaml', '--classes', 'all']);
    expect(drift.code, drift.stdout).toBe(0);
    const state = await w.run(['state', 'list', '-f', 'pipe.yaml']);
    expect(state.stdout).toContain('pipeline.pipe/coupling.pipe-staging');
  });

  it('refuses a pipeline it already manages, and one that does not exist', async () => {
    const again = await w.run(['import', '--pipeline', 'pipe', '-o', 'again.yaml']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('dynoform state forget pipeline.pipe');
    const none = await w.run(['import', '--pipeline', 'no-such', '-o', 'x.yaml', '--state', 'other.json']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no such pipeline visible to this account: no-such');
  });
});

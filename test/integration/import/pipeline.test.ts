import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CliWorld } from '../../helpers/cli-world.js';
import { expectNoLeak } from '../../helpers/secret-scan.js';

const TOKEN = 'rv-7Hq2LmZx91KpQ0wErT5yUu3s';

/**
 * A pipeline of three apps built with the Heroku CLI's request shapes
 * (`pipelines:create` sends `generation` and an owner; `pipelines:add`
 * couples by app name; `reviewapps:enable` sends the pipeline id and the
 * repository, `--autodeploy` then PATCHes), with review-app and CI config
 * vars, then `dynoform import --pipeline`: the first plan is empty and
 * drift finds nothing.
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
    await h.request('PATCH', `/pipelines/${p.id}/stage/review/config-vars`, { API_TOKEN: TOKEN, RAILS_ENV: 'review', FLAG: 'yes' });
    await h.request('PATCH', `/pipelines/${p.id}/stage/test/config-vars`, { CI: 'true' });
    await h.request('POST', `/pipelines/${p.id}/review-app-config`, { pipeline: p.id, repo: 'acme/pipe' });
    await h.request('PATCH', `/pipelines/${p.id}/review-app-config`, { automatic_review_apps: true, pipeline: p.id, repo: 'acme/pipe' });
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
    const text = await readFile(w.path('pipe.yaml'), 'utf8');
    expect(doc.pipelines).toEqual({
      pipe: {
        stages: { development: ['pipe-dev'], staging: ['pipe-staging'], production: ['pipe-prod'] },
        // The token by the import secret rule, the rest as literals ("yes" quoted so that no YAML 1.1 reader takes it for true).
        config: { review: { API_TOKEN: '${env:PIPE_REVIEW__API_TOKEN}', FLAG: 'yes', RAILS_ENV: 'review' }, test: { CI: 'true' } },
        review_apps: { repo: 'acme/pipe', automatic_review_apps: true, destroy_stale_apps: false, stale_days: 5, wait_for_ci: false },
      },
    });
    expect(text).toContain('FLAG: "yes"');
    expect(r.stderr).toContain('PIPE_REVIEW__API_TOKEN');

    const env = { PIPE_REVIEW__API_TOKEN: TOKEN };
    const plan = await w.run(['plan', '-f', 'pipe.yaml', '--detailed-exitcode'], env);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    const drift = await w.run(['drift', '-f', 'pipe.yaml', '--classes', 'all'], env);
    expect(drift.code, drift.stdout).toBe(0);
    const state = await w.run(['state', 'list', '-f', 'pipe.yaml']);
    expect(state.stdout).toContain('pipeline.pipe/coupling.pipe-staging');
    expect(state.stdout).toContain('pipeline.pipe/config.review');
    expect(state.stdout).toContain('pipeline.pipe/review-apps');
    expectNoLeak(
      { import: r.stdout + r.stderr, yaml: text, plan: plan.stdout + plan.stderr, drift: drift.stdout + drift.stderr, state: await readFile(w.path('.dynoform/state.json'), 'utf8') },
      [TOKEN],
    );

    // An edit by hand after the import shows in drift, at the line of the key in the written YAML.
    const [pl] = (await w.heroku.request('GET', '/pipelines')) as Array<{ id: string }>;
    await w.heroku.request('PATCH', `/pipelines/${pl!.id}/stage/review/config-vars`, { RAILS_ENV: 'edited' });
    const line = text.split('\n').findIndex((l) => l.includes('RAILS_ENV: review')) + 1;
    const gh = await w.run(['drift', '-f', 'pipe.yaml', '--format', 'github'], env);
    expect(gh.code).toBe(2);
    expect(gh.stdout).toContain(`file=pipe.yaml,line=${line}`);
    expect(gh.stdout).toContain('RAILS_ENV');
    expect(gh.stdout).not.toContain('edited');
    await w.heroku.request('PATCH', `/pipelines/${pl!.id}/stage/review/config-vars`, { RAILS_ENV: 'review' });
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

import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliWorld, lineOf } from '../../helpers/cli-world.js';

/**
 * #17's end-to-end check: an app built with the Heroku CLI's requests using
 * every kind → `dynoform import` → the first plan is empty; then one
 * outside edit per kind → `drift` reports each at its YAML line.
 */
describe('every per-app kind: built by hand, imported, then drifted', () => {
  let w: CliWorld;
  let yamlText: string;

  beforeAll(async () => {
    w = await CliWorld.start();
    const h = w.heroku;
    await h.request('POST', '/teams', { name: 'kinds-team' });
    await h.appsCreateInTeam('kinds-shop', 'kinds-team');
    await h.accessAdd('kinds-shop', 'dev@example.com', ['deploy']);
    await h.accessAdd('kinds-shop', 'viewer@example.com');
    await h.labs('kinds-shop', 'preboot', true);
    await h.labs('kinds-shop', 'runtime-dyno-metadata', true);
    await h.buildpacksSet('kinds-shop', 'heroku/nodejs', 'https://github.com/heroku/heroku-buildpack-python');
  });

  afterAll(async () => {
    await w?.close();
  });

  it('imports to an empty first plan', async () => {
    const r = await w.run(['import', 'kinds-shop', '-o', 'dynoform.yaml']);
    expect(r.code, r.stderr).toBe(0);
    yamlText = await readFile(w.path('dynoform.yaml'), 'utf8');
    expect(yamlText).toContain('features:\n      preboot: true\n      runtime-dyno-metadata: true\n');
    expect(yamlText).toContain('    team: kinds-team\n    locked: false\n');
    expect(yamlText).toContain('collaborators:\n      - email: dev@example.com\n        permissions:\n          - deploy\n      - viewer@example.com\n');
    expect(yamlText).toContain('buildpacks:\n      - heroku/nodejs\n      - https://github.com/heroku/heroku-buildpack-python\n');
    const plan = await w.run(['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes');
  });

  it('reports one outside edit per kind at its YAML line', async () => {
    await w.heroku.labs('kinds-shop', 'preboot', false);
    await w.heroku.buildpacksSet('kinds-shop', 'heroku/nodejs');
    await w.heroku.accessUpdate('kinds-shop', 'dev@example.com', ['operate']);
    await w.heroku.request('PATCH', '/teams/apps/kinds-shop', { locked: true });
    w.emulator.resetStats();
    const r = await w.run(['drift', '--format', 'json']);
    expect(r.code, r.stderr).toBe(2);
    expect(w.writes()).toEqual({});
    const doc = JSON.parse(r.stdout) as { items: Array<{ class: string; address: string; loc?: { line: number } }> };
    const brief = doc.items.map((i) => `${i.class} ${i.address} @${i.loc?.line}`);
    expect(brief).toEqual([
      `changed-outside app.kinds-shop/buildpacks @${lineOf(yamlText, 'buildpacks:')}`,
      `changed-outside app.kinds-shop/feature.preboot @${lineOf(yamlText, 'preboot: true')}`,
      `changed-outside app.kinds-shop/team @${lineOf(yamlText, 'locked: false')}`,
      `changed-outside app.kinds-shop/collaborator.dev@example.com @${lineOf(yamlText, 'email: dev@example.com')}`,
    ]);
  });
});

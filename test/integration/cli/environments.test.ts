import { readFile, mkdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliWorld } from '../../helpers/cli-world.js';

// Issue 15 §1: two environments laid out as examples/ (defaults.yaml +
// staging.yaml + production.yaml) cannot hurt each other. The real CLI
// in-process, the real client over loopback, the emulator as Heroku.

const defaults = `version: 1
defaults:
  region: us
  config:
    LANG: en_US.UTF-8
`;

const staging = `version: 1
environment: staging
apps:
  acme-api-staging:
    protect: false
    config: { RAILS_ENV: staging }
  acme-web-staging:
    protect: false
  acme-worker-staging:
    protect: false
`;

const production = `version: 1
environment: production
apps:
  acme-api:
    protect: false
    config:
      RAILS_ENV: production
      SENTRY_DSN: \${env:SENTRY_DSN}
`;

const SENTRY = 'https://k3y-s3cr3t@sentry.example.com/1';

describe('environments (stacks)', () => {
  let w: CliWorld;
  beforeEach(async () => {
    w = await CliWorld.start();
    w.env.SENTRY_DSN = SENTRY;
    await w.write('defaults.yaml', defaults);
    await w.write('staging.yaml', staging);
    await w.write('production.yaml', production);
  });
  afterEach(async () => {
    await w.close();
  });

  const stagingFiles = ['-f', 'defaults.yaml', '-f', 'staging.yaml'];
  const productionFiles = ['-f', 'defaults.yaml', '-f', 'production.yaml'];

  it('staging applied, then production with --allow-destroy: staging untouched, never mentioned; one state each', async () => {
    expect((await w.run(['apply', ...stagingFiles, '--auto-approve'])).code).toBe(0);
    const writesAfterStaging = w.writes();

    const plan = await w.run(['plan', ...productionFiles]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('Environment: production (state .dynoform/production.json)');
    expect(plan.stdout).toContain('app.acme-api will be created');
    expect(plan.stdout + plan.stderr).not.toContain('staging');

    const apply = await w.run(['apply', ...productionFiles, '--auto-approve', '--allow-destroy']);
    expect(apply.code).toBe(0);
    expect(apply.stdout + apply.stderr).not.toContain('staging');
    // Staging's apps are all still there, and no request touched them.
    for (const app of ['acme-api-staging', 'acme-web-staging', 'acme-worker-staging']) {
      expect(await w.heroku.request('GET', `/apps/${app}`)).toMatchObject({ name: app });
    }
    const deletes = Object.entries(w.writes()).filter(([route]) => route.startsWith('DELETE'));
    expect(deletes).toEqual(Object.entries(writesAfterStaging).filter(([route]) => route.startsWith('DELETE')));

    const stagingState = JSON.parse(await readFile(w.path('.dynoform/staging.json'), 'utf8'));
    const productionState = JSON.parse(await readFile(w.path('.dynoform/production.json'), 'utf8'));
    expect(stagingState.environment).toBe('staging');
    expect(Object.keys(stagingState.apps).sort()).toEqual(['acme-api-staging', 'acme-web-staging', 'acme-worker-staging']);
    expect(productionState.environment).toBe('production');
    expect(Object.keys(productionState.apps)).toEqual(['acme-api']);
    // Re-planning staging: nothing to do.
    expect((await w.run(['plan', ...stagingFiles, '--detailed-exitcode'])).code).toBe(0);
  });

  it('plan -f defaults.yaml alone refuses (exit 1), as does apply', async () => {
    const plan = await w.run(['plan', '-f', 'defaults.yaml']);
    expect(plan.code).toBe(1);
    expect(plan.stdout + plan.stderr).toContain("defaults.yaml declares no apps: give the environment's file too");
    const apply = await w.run(['apply', '-f', 'defaults.yaml', '--auto-approve', '--allow-destroy']);
    expect(apply.code).toBe(1);
  });

  it('a CI job that forgets the environment file cannot plan the deletion of every app', async () => {
    expect((await w.run(['apply', ...stagingFiles, '--auto-approve'])).code).toBe(0);
    // The right state, the wrong files: every app of the state would go.
    const plan = await w.run(['plan', '-f', 'defaults.yaml', '--env', 'staging']);
    expect(plan.code).toBe(1);
    const apply = await w.run(['apply', '-f', 'defaults.yaml', '-e', 'staging', '--auto-approve', '--allow-destroy']);
    expect(apply.code).toBe(1);
    expect(Object.keys(w.writes()).filter((r) => r.startsWith('DELETE'))).toEqual([]);
  });

  it('-f . (both environments at once) is refused at the second environment: line', async () => {
    const r = await w.run(['plan', '-f', '.']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/staging\.yaml:2:\d+: error: this file is for environment "staging", but production\.yaml:2:\d+ is for "production"/);
  });

  it('adopting another environment\u2019s app refuses (plan and apply), and writes nothing', async () => {
    expect((await w.run(['apply', ...productionFiles, '--auto-approve'])).code).toBe(0);
    // A staging file that (by mistake) declares the production app.
    await w.write('staging.yaml', staging + '  acme-api:\n    config: { RAILS_ENV: staging }\n');
    const before = w.writes();
    const plan = await w.run(['plan', ...stagingFiles]);
    expect(plan.stdout).toContain('app.acme-api is blocked');
    expect(plan.stdout).toContain('acme-api is managed by environment production');
    expect(plan.stdout).toContain('Error: 1 change cannot be made, so apply will refuse this plan');
    const apply = await w.run(['apply', ...stagingFiles, '--auto-approve']);
    expect(apply.code).toBe(1);
    expect(w.writes()).toEqual(before);
    expect((await w.heroku.request('GET', '/apps/acme-api/config-vars')) as Record<string, string>).toMatchObject({ RAILS_ENV: 'production' });
    // Import is adoption too.
    const imp = await w.run(['import', 'acme-api', '-e', 'staging', '--state', '.dynoform/staging.json']);
    expect(imp.code).toBe(1);
    expect(imp.stderr).toContain('already managed by another state: acme-api (environment production');
  });

  it('a state refuses another environment; --env must agree with the files', async () => {
    expect((await w.run(['apply', ...stagingFiles, '--auto-approve'])).code).toBe(0);
    const wrong = await w.run(['plan', ...productionFiles, '--state', '.dynoform/staging.json']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('belongs to environment staging, not production');
    const disagree = await w.run(['plan', ...productionFiles, '--env', 'staging']);
    expect(disagree.code).toBe(1);
    expect(disagree.stderr).toContain('--env says environment staging, but the files are for environment production (production.yaml:2:14)');
  });

  it('a saved plan goes back to its state and environment: plan --state X -o p; apply p', async () => {
    await mkdir(w.path('states'));
    const plan = await w.run(['plan', ...productionFiles, '--state', 'states/prod.json', '-o', 'prod.plan']);
    expect(plan.code).toBe(0);
    const apply = await w.run(['apply', 'prod.plan']);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    const st = JSON.parse(await readFile(w.path('states/prod.json'), 'utf8'));
    expect(Object.keys(st.apps)).toEqual(['acme-api']);
    expect(st.environment).toBe('production');
    // Nothing went to the default location.
    await expect(readFile(w.path('.dynoform/production.json'), 'utf8')).rejects.toThrow(/ENOENT/);
    // The secret is in no output, state or plan file.
    const planFile = await readFile(w.path('prod.plan'), 'utf8');
    for (const text of [plan.stdout, plan.stderr, apply.stdout, planFile, JSON.stringify(st)]) expect(text).not.toContain('k3y-s3cr3t');
  });

  it('a legacy shared state is refused by a named environment and moved with one command', async () => {
    // Before environments: staging and production applied into one .dynoform/state.json.
    const legacy = ['--env', 'default', '--state', '.dynoform/state.json'];
    const noEnv = (t: string) => t.replace(/^environment: .*\n/m, '');
    await w.write('staging.yaml', noEnv(staging));
    await w.write('production.yaml', noEnv(production));
    expect((await w.run(['apply', ...stagingFiles, ...legacy, '--auto-approve'])).code).toBe(0);
    await w.write('both.yaml', noEnv(staging) + noEnv(production).replace('version: 1\napps:\n', ''));
    expect((await w.run(['apply', '-f', 'defaults.yaml', '-f', 'both.yaml', '--auto-approve'])).code).toBe(0);
    await w.write('staging.yaml', staging);
    await w.write('production.yaml', production);

    const refused = await w.run(['plan', ...stagingFiles, '--state', '.dynoform/state.json']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('dynoform state migrate');

    const moved = await w.run(['state', 'migrate', ...stagingFiles]);
    expect(moved.stderr).toBe('');
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain('Moved 3 apps of environment staging');
    expect(moved.stdout).toContain('Left in');
    expect((await w.run(['state', 'migrate', ...productionFiles])).code).toBe(0);
    expect((await w.run(['plan', ...stagingFiles, '--detailed-exitcode'])).code).toBe(0);
    expect((await w.run(['plan', ...productionFiles, '--detailed-exitcode'])).code).toBe(0);
    expect(JSON.parse(await readFile(w.path('.dynoform/state.json'), 'utf8')).apps).toEqual({});
  });
});

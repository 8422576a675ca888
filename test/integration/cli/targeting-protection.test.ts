import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliWorld } from '../../helpers/cli-world.js';

// Issue 15 §3 (empty secrets) and §4 (targeting and protection) at the CLI,
// against the emulator: what the user sees, the exit code, and the writes
// the emulator received (counted per request path).

const apps = `version: 1
apps:
  api:
    name: edge-api-prod
    protect: false
    config: { RAILS_ENV: production }
  web:
    name: edge-web-prod
    config: { RAILS_ENV: production }
    addons:
      db: heroku-postgresql:essential-0
      cache: { plan: heroku-redis:mini, as: REDIS }
`;

describe('issue 15 §3–§4 at the CLI', () => {
  let w: CliWorld;
  beforeEach(async () => {
    w = await CliWorld.start();
    await w.write('apps.yaml', apps);
    expect((await w.run(['apply', '-f', 'apps.yaml', '--auto-approve'])).code).toBe(0);
  });
  afterEach(async () => {
    await w.close();
  });

  const writePaths = (): string[] => Object.keys(w.emulator.stats().writePaths).sort();

  it('apply --target by Heroku name changes that app only, and says targeting is in effect', async () => {
    await w.write('apps.yaml', apps.replace(/RAILS_ENV: production/g, 'RAILS_ENV: prod'));
    w.emulator.resetStats();
    const r = await w.run(['apply', '-f', 'apps.yaml', '--target', 'edge-web-prod', '--auto-approve']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Targeting is in effect: only app web is planned.');
    const web = (await w.heroku.request('GET', '/apps/edge-web-prod')) as { id: string };
    expect(writePaths()).toHaveLength(1);
    expect(writePaths()[0]).toMatch(new RegExp(`^PATCH /apps/(edge-web-prod|${web.id})/config-vars$`));
    // The other app is untouched, and the next full plan still has its change.
    expect(await w.heroku.request('GET', '/apps/edge-api-prod/config-vars')).toMatchObject({ RAILS_ENV: 'production' });
    const rest = await w.run(['plan', '-f', 'apps.yaml', '--detailed-exitcode']);
    expect(rest.code).toBe(2);
    expect(rest.stdout).toContain('app.api/config will be updated');
    expect(rest.stdout).not.toContain('app.web/config');
  });

  it('drift --target by YAML key checks that app only, with a note', async () => {
    await w.heroku.configSet('edge-api-prod', { RAILS_ENV: 'by-hand' });
    await w.heroku.configSet('edge-web-prod', { RAILS_ENV: 'by-hand' });
    const r = await w.run(['drift', '-f', 'apps.yaml', '--target', 'web']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Targeting is in effect: only web is checked; drift in other apps is not reported.');
    expect(r.stdout).toContain('app.web');
    expect(r.stdout).not.toContain('app.api');
    expect(r.stdout).toContain('Drift in 1 app: 1 changed outside.');
  });

  it('removing a protected app: plan fails with the blocked change under Error:, apply exits 1 and deletes nothing', async () => {
    await w.write('apps.yaml', apps.slice(0, apps.indexOf('  web:')));
    const plan = await w.run(['plan', '-f', 'apps.yaml', '--allow-mass-destroy']);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('Error: 1 change cannot be made, so apply will refuse this plan:');
    expect(plan.stdout).toMatch(/app\.web is blocked: removed from the YAML but protected/);
    expect(plan.stderr).toContain('Error: the plan has errors');
    const saved = await w.run(['plan', '-f', 'apps.yaml', '--allow-mass-destroy', '-o', 'web.plan']);
    expect(saved.code).toBe(1);
    expect(saved.stderr).toContain('so it was not saved to web.plan');
    w.emulator.resetStats();
    const apply = await w.run(['apply', '-f', 'apps.yaml', '--auto-approve', '--allow-destroy', '--allow-mass-destroy']);
    expect(apply.code).toBe(1);
    expect(apply.stdout + apply.stderr).not.toContain('Apply complete!');
    expect(writePaths()).toEqual([]);
    expect(await w.heroku.request('GET', '/apps/edge-web-prod')).toMatchObject({ name: 'edge-web-prod' });
  });

  it('deleting an app lists the add-ons (and plans) that go with it', async () => {
    await w.write('apps.yaml', apps.replace('    name: edge-web-prod\n', '    name: edge-web-prod\n    protect: false\n'));
    expect((await w.run(['apply', '-f', 'apps.yaml', '--auto-approve'])).code).toBe(0);
    await w.write('apps.yaml', apps.slice(0, apps.indexOf('  web:')));
    const plan = await w.run(['plan', '-f', 'apps.yaml']);
    expect(plan.code).toBe(0);
    const reason = plan.stdout.split('\n').find((l) => l.includes('deletes edge-web-prod'));
    expect(reason?.replace(/(postgresql|redis)-[a-z]+-\d+/g, '$1-NAME').trim()).toBe(
      '# deletes edge-web-prod with all its add-ons and data (add-ons that go with it: cache (heroku-redis:mini, redis-NAME), ' +
        'db (heroku-postgresql:essential-0, postgresql-NAME)); apply needs --allow-destroy',
    );
  });

  it('an empty ${env:} value is an error at its line unless the YAML allows it', async () => {
    await w.write('secret.yaml', 'version: 1\napps:\n  edge-secret:\n    config:\n      CLI_TOKEN: ${env:EDGE_CLI_TOKEN}\n');
    // A state of its own: the apps above are not this file's.
    const empty = await w.run(['plan', '-f', 'secret.yaml', '--state', 'secret.json'], { EDGE_CLI_TOKEN: '' });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('secret.yaml:5:7: error: config value for CLI_TOKEN reads ${env:EDGE_CLI_TOKEN}, which is set but empty');
    await w.write('secret.yaml', 'version: 1\napps:\n  edge-secret:\n    config:\n      CLI_TOKEN: ${env:EDGE_CLI_TOKEN:-}\n');
    const allowed = await w.run(['plan', '-f', 'secret.yaml', '--state', 'secret.json'], { EDGE_CLI_TOKEN: '' });
    expect(allowed.stderr).toBe('');
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/\+ {2}CLI_TOKEN: +\(sensitive\)/);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { CliWorld, HerokuCliShapes, TOKEN } from '../../helpers/cli-world.js';

// Issue 15 §2: mistakes the API would refuse halfway through an apply are
// caught by plan, at their YAML line, before any write. The real CLI
// in-process, the real client over loopback, the emulator as Heroku (its
// catalogue, and its 422s for the same mistakes).

const OTHER = 'someone-elses-token';
let w: CliWorld;
afterEach(async () => {
  await w.close();
});

const sum = (m: Record<string, number>): number => Object.values(m).reduce((a, b) => a + b, 0);

/** plan and apply both exit 1 naming file:line:col on stderr, and apply sends not one write. */
async function expectCaught(at: string, message: RegExp, code: string): Promise<void> {
  const writesBefore = sum(w.emulator.stats().writes);
  const plan = await w.run(['plan']);
  expect(plan.code).toBe(1);
  const line = plan.stderr.split('\n').find((l) => l.startsWith(`dynoform.yaml:${at}: error:`));
  expect(line, plan.stderr).toBeDefined();
  expect(line).toMatch(message);
  expect(line).toContain(`[${code}]`);
  const apply = await w.run(['apply', '--auto-approve']);
  expect(apply.code).toBe(1);
  expect(apply.stderr).toContain(`dynoform.yaml:${at}: error:`);
  expect(apply.stderr).toMatch(/apply refused: the plan has errors|nothing was planned/);
  expect(sum(w.emulator.stats().writes)).toBe(writesBefore);
}

const newApp = (fields: string) => `version: 1
apps:
  shop:
    name: shop-app
${fields}`;

describe('plan catches what the API would refuse (issue 15 §2)', () => {
  it('an add-on plan not in the catalogue, with a "did you mean" from it; the plan reads only what it needs', async () => {
    w = await CliWorld.start();
    await w.write('dynoform.yaml', newApp(`    config: { LANG: en }
    addons:
      cache:
        plan: heroku-redis:tiny-9
`));
    await expectCaught('8:9', /add-on plan "heroku-redis:tiny-9" is not in the catalogue of heroku-redis: did you mean "heroku-redis:mini"\? \(its plans: mini, premium-0/, 'unknown-addon-plan');
    // Each plan: the four account reads, the service's plans, the new name: no region, stack or size read.
    w.emulator.resetStats();
    await w.run(['plan']);
    expect(w.emulator.stats().byRoute).toEqual({
      'GET /account/rate-limits': 1,
      'GET /apps': 1,
      'GET /addons': 1,
      'GET /addon-attachments': 1,
      'GET /addon-services/{service}/plans': 1,
      'GET /apps/{app}': 1,
    });
  });

  it('an add-on service that does not exist', async () => {
    w = await CliWorld.start();
    await w.write('dynoform.yaml', newApp(`    addons:
      cache: { plan: "heroku-redi:mini" }
`));
    await expectCaught('6:16', /add-on service "heroku-redi" \(plan "heroku-redi:mini"\) does not exist: did you mean "heroku-redis"\?/, 'unknown-addon-service');
  });

  it('a second add-on of a service that allows one per app', async () => {
    w = await CliWorld.start();
    await w.write('dynoform.yaml', newApp('    addons:\n      logs: { plan: papertrail:choklad }\n'));
    expect((await w.run(['apply', '--auto-approve'])).code).toBe(0);
    await w.write('dynoform.yaml', newApp('    addons:\n      logs: { plan: papertrail:choklad }\n      more-logs: { plan: papertrail:fixa }\n'));
    await expectCaught('7:20', /papertrail allows one add-on per app, and shop-app would have it twice \(besides papertrail-[a-z0-9-]+\): keep one/, 'addon-single-installation');
  });

  it('region europe-west', async () => {
    w = await CliWorld.start();
    await w.write('dynoform.yaml', newApp('    region: europe-west\n'));
    await expectCaught('5:5', /region "europe-west" of shop-app is not a Heroku region \(the regions for apps: eu, us\)/, 'unknown-region');
  });

  it('a Private Space region', async () => {
    w = await CliWorld.start();
    await w.write('dynoform.yaml', newApp('    region: frankfurt\n'));
    await expectCaught('5:5', /region "frankfurt" of shop-app is only for apps in a Private Space/, 'region-private-space');
  });

  it('stack cedar-14, on a new app and as a change of an existing one', async () => {
    w = await CliWorld.start();
    await w.write('dynoform.yaml', newApp('    stack: cedar-14\n'));
    await expectCaught('5:5', /stack "cedar-14" of shop-app is not available \(the stacks: container, heroku-22, heroku-24\)/, 'unknown-stack');
    await w.write('dynoform.yaml', newApp('    stack: heroku-24\n'));
    expect((await w.run(['apply', '--auto-approve'])).code).toBe(0);
    await w.write('dynoform.yaml', newApp('    stack: heroku-2\n'));
    await expectCaught('5:5', /stack "heroku-2" of shop-app is not available: did you mean "heroku-22"\?/, 'unknown-stack');
  });

  it('an unknown dyno size (offline, as validate reports it)', async () => {
    w = await CliWorld.start();
    await w.write('dynoform.yaml', newApp('    formation:\n      web: { quantity: 1, size: standard-3X }\n'));
    await expectCaught('6:27', /dyno size "standard-3X" of formation "web" is not known/, 'unknown-dyno-size');
    expect((await w.run(['validate'])).code).toBe(1);
  });

  it('a Private Space dyno size (from the catalogue) when a process type is scaled; a valid size passes', async () => {
    w = await CliWorld.start();
    await w.write('dynoform.yaml', newApp('    formation:\n      web: { quantity: 1, size: basic }\n'));
    expect((await w.run(['apply', '--auto-approve'])).code).toBe(0);
    await w.heroku.deploy('shop-app', { web: 'node server.js' });
    await w.write('dynoform.yaml', newApp('    formation:\n      web: { quantity: 1, size: private-M }\n'));
    await expectCaught('6:27', /dyno size private-M of process type web runs only in a Private Space, which dynoform does not create: use one of basic, eco,/, 'dyno-size-private-space');
    await w.write('dynoform.yaml', newApp('    formation:\n      web: { quantity: 2, size: standard-1X }\n'));
    w.emulator.resetStats();
    expect((await w.run(['apply', '--auto-approve'])).code).toBe(0);
    expect(w.emulator.stats().byRoute['GET /dyno-sizes']).toBe(1);
    expect(w.emulator.stats().appliedWrites).toEqual({ 'PATCH /apps/{app}/formation': 1 });
  });

  it('a rename to a name another app of the account has', async () => {
    w = await CliWorld.start();
    await w.heroku.appsCreate('taken-app');
    await w.write('dynoform.yaml', newApp(''));
    expect((await w.run(['apply', '--auto-approve'])).code).toBe(0);
    await w.write('dynoform.yaml', newApp('').replace('name: shop-app', 'name: taken-app'));
    await expectCaught('4:5', /cannot rename shop-app to taken-app: another app of this account already has that name; choose another name/, 'app-name-taken');
  });

  it('a rename to, or a new app with, a name held by an app this account cannot see (the API answers 403)', async () => {
    w = await CliWorld.start({ apiKeys: [TOKEN, OTHER] });
    await new HerokuCliShapes(w.emulator.url, OTHER).appsCreate('their-app');
    await w.write('dynoform.yaml', newApp('').replace('name: shop-app', 'name: their-app'));
    await expectCaught('4:5', /cannot create the app their-app: another Heroku account has an app by that name \(app names are global\); choose another name/, 'app-name-taken');
    await w.write('dynoform.yaml', newApp(''));
    expect((await w.run(['apply', '--auto-approve'])).code).toBe(0);
    await w.write('dynoform.yaml', newApp('').replace('name: shop-app', 'name: their-app'));
    await expectCaught('4:5', /cannot rename shop-app to their-app: another Heroku account has an app by that name/, 'app-name-taken');
  });

  it('a 40 kB config value (offline, as validate reports it)', async () => {
    w = await CliWorld.start();
    await w.write('dynoform.yaml', newApp(''));
    expect((await w.run(['apply', '--auto-approve'])).code).toBe(0);
    await w.write('dynoform.yaml', newApp(`    config:\n      LANG: en\n      BLOB: "${'x'.repeat(40 * 1024)}"\n`));
    await expectCaught('7:7', /the config of shop-app is 40\.0 kB, over Heroku's limit of 32 kB/, 'config-too-large');
  });

  it('valid names pass, cost one read each, and a no-op plan reads none of them (4N + 4)', async () => {
    w = await CliWorld.start();
    await w.write('dynoform.yaml', newApp(`    region: eu
    stack: heroku-22
    addons:
      cache: { plan: heroku-redis:mini }
      db: { plan: heroku-postgresql:essential-0 }
      more: { plan: heroku-redis:premium-0 }
    formation:
      web: { quantity: 1, size: standard-1X }
`));
    const plan = await w.run(['plan']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(w.emulator.stats().byRoute).toEqual({
      'GET /account/rate-limits': 1,
      'GET /apps': 1,
      'GET /addons': 1,
      'GET /addon-attachments': 1,
      'GET /regions': 1,
      'GET /stacks': 1,
      // The formation of a new app waits for a release: its size is read when a plan scales it.
      // One read per distinct service, not per add-on.
      'GET /addon-services/{service}/plans': 2,
      // Two heroku-redis add-ons on one app: whether the service allows that.
      'GET /addon-services/{service}': 1,
      'GET /apps/{app}': 1,
    });
    expect((await w.run(['apply', '--auto-approve'])).code).toBe(0);
    w.emulator.resetStats();
    const noop = await w.run(['plan', '--detailed-exitcode']);
    expect(noop.code, noop.stdout).toBe(0);
    expect(w.emulator.stats().requests).toBe(4 * 1 + 4);
  });
});

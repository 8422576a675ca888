import { describe, expect, it } from 'vitest';
import type { Catalogue } from '../../../src/model/catalogue.js';
import { catalogueNeeds, checkCatalogue, createPlan, needsNothing } from '../../../src/planner/index.js';
import { desiredApp, input, liveAddon, liveFormation, managed, type World } from './fixtures.js';

const at = (line: number) => ({ file: 'dynoform.yaml', line, col: 5 });

function run(w: World, catalogue: Partial<Catalogue> = {}) {
  const i = input(w);
  const plan = createPlan(i);
  const needs = catalogueNeeds(plan, i.desired, i.live);
  const checked = checkCatalogue(plan, i.desired, i.live, { plans: {}, appNames: {}, requests: 0, ...catalogue });
  return { plan, needs, checked, errors: checked.diagnostics.filter((d) => d.severity !== 'info' && d.code !== 'formation-waiting') };
}

describe('planner: the catalogue check (issue 15 §2)', () => {
  it('needs nothing for a plan that creates and changes none of the names (the no-op bound stays 4N + 4)', () => {
    const m = managed('shop', {
      desired: { region: 'us', stack: 'heroku-24', addons: { db: { key: 'db', plan: 'heroku-postgresql:essential-0' } }, formation: { web: { type: 'web', quantity: 1, size: 'basic' } } },
      live: { region: 'us', stack: 'heroku-24', buildStack: 'heroku-24', formation: [liveFormation('web', 1, 'basic')] },
    });
    const db = liveAddon(m.live, 'heroku-postgresql:essential-0');
    m.live.addons = [db];
    m.inv.addons = { db: { id: db.id, name: db.name, plan: db.plan } };
    m.inv.formation = { web: { quantity: 1, size: 'basic' } };
    const { plan, needs } = run({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] });
    expect(plan.changes.filter((c) => c.action !== 'noop').map((c) => `${c.address} ${c.action}`)).toEqual([]);
    expect(needsNothing(needs)).toBe(true);
  });

  it('needs what a new app sends, one service per distinct one, its name, and whether a service may be installed twice', () => {
    const d = desiredApp('shop', {
      region: 'eu',
      stack: 'heroku-22',
      addons: { a: { key: 'a', plan: 'heroku-redis:mini' }, b: { key: 'b', plan: 'heroku-redis:premium-0' }, c: { key: 'c', plan: 'papertrail:choklad' } },
    });
    expect(run({ desired: [d] }).needs).toEqual({ regions: true, stacks: true, dynoSizes: false, services: ['heroku-redis', 'papertrail'], appNames: ['shop'], installations: ['heroku-redis'] });
  });

  it('reports a plan that installs only inside a Private Space, and warns about a deprecated stack', () => {
    const d = desiredApp('shop', {
      stack: 'heroku-20',
      addons: { db: { key: 'db', plan: 'heroku-postgresql:private-0', planLoc: at(9) } },
      fieldLocs: { stack: at(5) },
    });
    const { errors } = run(
      { desired: [d] },
      { stacks: [{ name: 'heroku-20', state: 'deprecated' }], plans: { 'heroku-postgresql': [{ name: 'heroku-postgresql:private-0', outsidePrivateNetwork: false }] }, appNames: { shop: 'free' } },
    );
    expect(errors.map((e) => [e.severity, e.code, e.line])).toEqual([
      ['warning', 'stack-deprecated', 5],
      ['error', 'addon-plan-private-space', 9],
    ]);
  });

  it('says an unknown region rather than "cannot change" for an existing app', () => {
    const m = managed('shop', { desired: { region: 'europe-west', fieldLocs: { region: at(4) } }, live: { region: 'us' }, inv: {} });
    const { needs, errors } = run({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }, { regions: [{ name: 'us', privateSpaceOnly: false }, { name: 'eu', privateSpaceOnly: false }] });
    expect(needs.regions).toBe(true);
    expect(errors.find((e) => e.code === 'unknown-region')).toMatchObject({ severity: 'error', line: 4, message: expect.stringContaining('(the regions for apps: eu, us)') });
  });

  it('asks the service whether an app may have a second add-on of it, counting live ones, and refuses when it may not', () => {
    const m = managed('shop', {
      desired: {
        addons: {
          logs: { key: 'logs', plan: 'papertrail:choklad', planLoc: at(7) },
          more: { key: 'more', plan: 'papertrail:fixa', planLoc: at(8) },
          db: { key: 'db', plan: 'heroku-postgresql:essential-0' },
          db2: { key: 'db2', plan: 'heroku-postgresql:essential-0' },
        },
      },
    });
    m.live.addons = [liveAddon(m.live, 'papertrail:choklad', { name: 'papertrail-1' })];
    const w = { desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] };
    expect(run(w).needs.installations).toEqual(['heroku-postgresql', 'papertrail']);
    const { errors } = run(w, { multipleInstallations: { papertrail: false, 'heroku-postgresql': true }, plans: {} });
    const single = errors.filter((e) => e.code === 'addon-single-installation');
    expect(single.map((e) => [e.address, e.line])).toEqual([['app.shop/addon.more', 8]]);
    expect(single[0]!.message).toBe('papertrail allows one add-on per app, and shop would have it twice (besides papertrail-1): keep one');
  });

  it('leaves a plan whose names are all offered as it was', () => {
    const d = desiredApp('shop', { region: 'eu', addons: { a: { key: 'a', plan: 'heroku-redis:mini' } } });
    const { plan, checked } = run(
      { desired: [d] },
      { regions: [{ name: 'eu', privateSpaceOnly: false }], plans: { 'heroku-redis': [{ name: 'heroku-redis:mini', outsidePrivateNetwork: true }] }, appNames: { shop: 'free' } },
    );
    expect(checked).toBe(plan);
  });
});

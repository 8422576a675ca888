import { afterAll, beforeAll, describe, it } from 'vitest';
import { editJson } from '../helpers/hostile-proxy.js';
import { expectOneLineError, HostileWorld, YAML } from './world.js';

// #14 for the catalogue reads of issue 15 §2: a plan that creates an app and
// an add-on and rescales a process type reads regions, stacks, dyno sizes, a
// service's plans and the new app's name. Each bad answer ends plan and apply
// with one line naming the request and the field; nothing is written.

type Json = Record<string, unknown>;
const each = (f: (item: Json) => void) => editJson((body) => (Array.isArray(body) ? body.forEach((i) => f(i as Json)) : f(body as Json)));

const CHANGED =
  YAML.replace('size: standard-1X', 'size: standard-2X') +
  `  hz-new:
    region: eu
    stack: heroku-22
    addons:
      cache: { plan: heroku-redis:mini }
`;

describe('invalid catalogue answers', () => {
  let hw: HostileWorld;
  beforeAll(async () => {
    hw = await HostileWorld.start();
    await hw.world.write('dynoform.yaml', CHANGED);
  }, 120_000);
  afterAll(() => hw.close());

  const cases: Array<[string, (path: string) => boolean, (item: Json) => void, RegExp, string]> = [
    ['a region without name', (p) => p === '/regions', (r) => delete r.name, /GET \/regions \(/, '[0].name is missing'],
    ['a region whose private_capable is a string', (p) => p === '/regions', (r) => (r.private_capable = 'no'), /GET \/regions \(/, '[0].private_capable must be boolean'],
    ['a stack with an empty name', (p) => p === '/stacks', (s) => (s.name = ''), /GET \/stacks \(/, '[0].name must not be empty'],
    ['a dyno size whose name is null', (p) => p === '/dyno-sizes', (d) => (d.name = null), /GET \/dyno-sizes \(/, '[0].name must be string, got null'],
    ['a plan without name', (p) => p === '/addon-services/heroku-redis/plans', (x) => delete x.name, /GET \/addon-services\/heroku-redis\/plans \(/, '[0].name is missing'],
  ];

  for (const [name, match, edit, request, field] of cases) {
    it(`${name}: plan and apply --auto-approve stop at it, no write`, async () => {
      for (const args of [['plan'], ['apply', '--auto-approve']]) {
        const r = await hw.run(args, ({ path }) => (match(path) ? { type: 'rewrite', rewrite: each(edit) } : { type: 'pass' }));
        expectOneLineError(r, request, field);
      }
    });
  }

  it('the new name looked up answering 200 with an app without id: plan and apply --auto-approve stop at it, no write', async () => {
    for (const args of [['plan'], ['apply', '--auto-approve']]) {
      const r = await hw.run(args, ({ path }) =>
        path === '/apps/hz-new' ? { type: 'respond', status: 200, headers: { 'Request-Id': 'rid-hz-new' }, body: '{"name":"hz-new"}' } : { type: 'pass' },
      );
      expectOneLineError(r, /GET \/apps\/hz-new \(/, 'id is missing');
    }
  });

  it('a clean catalogue: the plan goes through (the cases above fail for their answer alone)', async () => {
    const r = await hw.run(['plan'], () => ({ type: 'pass' }));
    if (r.code !== 0) throw new Error(r.stderr + r.stdout);
  });
});

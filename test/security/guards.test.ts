import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CliWorld } from '../helpers/cli-world.js';
import { HostileProxy } from '../helpers/hostile-proxy.js';

/**
 * #13 item 2: no write without a guard. A proxy strips the ETag of the
 * config vars (or garbles their body): the plan then guards the write with a
 * keyed fingerprint of the live values, apply re-reads and compares right
 * before writing, and an outside edit in between stops it with exit 3.
 */
const APP = 'guard-shop';

describe('writes without an ETag (#13.2)', () => {
  let w: CliWorld;
  let proxy: HostileProxy;
  const viaProxy = (): Record<string, string> => ({ HEROKU_API_URL: proxy.url });

  beforeAll(async () => {
    w = await CliWorld.start();
    proxy = await HostileProxy.start(w.emulator.url);
    await w.write('dynoform.yaml', `version: 1\napps:\n  ${APP}:\n    config:\n      A: one\n`);
    expect((await w.run(['apply', '--auto-approve'])).code).toBe(0);
  });
  afterAll(async () => {
    await proxy.close();
    await w.close();
  });
  beforeEach(() => {
    proxy.reset();
    proxy.rule = ({ method, path }) =>
      method === 'GET' && path.startsWith(`/apps/`) && path.endsWith('/config-vars')
        ? { type: 'rewrite', rewrite: (up) => ({ ...up, headers: Object.fromEntries(Object.entries(up.headers).filter(([k]) => k !== 'etag')) }) }
        : { type: 'pass' };
  });

  it('an outside edit right before the write is caught by the re-read: exit 3, nothing written', async () => {
    await w.write('dynoform.yaml', `version: 1\napps:\n  ${APP}:\n    config:\n      A: two\n`);
    expect((await w.run(['plan', '-o', 'p.plan'], viaProxy())).code).toBe(0);
    // Apply reads config-vars twice: re-deriving the plan (issue 13.6), then the guard's re-read right
    // before the write. The outside edit lands between the two, so only the guard can catch it.
    const stripped = proxy.rule;
    let reads = 0;
    proxy.rule = (req) => {
      const action = stripped(req);
      if (req.method !== 'GET' || !req.path.endsWith('/config-vars') || action.type !== 'rewrite') return action;
      reads += 1;
      return reads === 2 ? { ...action, before: () => w.heroku.configSet(APP, { A: 'edited-outside' }).then(() => undefined) } : action;
    };
    const r = await w.run(['apply', 'p.plan'], viaProxy());
    expect(reads).toBe(2);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout + r.stderr).toMatch(/changed since the plan was made/);
    expect(proxy.writes().filter((s) => s.path.endsWith('/config-vars'))).toEqual([]);
    expect((await w.heroku.configVars(APP)).A).toBe('edited-outside');
  });

  it('without an outside edit the re-read matches and the write goes through', async () => {
    await w.write('dynoform.yaml', `version: 1\napps:\n  ${APP}:\n    config:\n      A: three\n`);
    expect((await w.run(['plan', '-o', 'p.plan'], viaProxy())).code).toBe(0);
    proxy.seen.length = 0;
    const r = await w.run(['apply', 'p.plan'], viaProxy());
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // One GET to re-derive the plan, one right before the write (the guard), then the write.
    expect(proxy.seen.filter((s) => s.path.endsWith('/config-vars')).map((s) => s.method)).toEqual(['GET', 'GET', 'PATCH']);
    expect((await w.heroku.configVars(APP)).A).toBe('three');
  });

  it('a saved plan whose guard cannot be checked (made without a fingerprint key) is refused, exit 3; plan and apply in one step still work', async () => {
    await w.write('dynoform.yaml', `version: 1\napps:\n  ${APP}:\n    config:\n      A: four\n`);
    const noKey = { ...viaProxy(), DYNOFORM_FINGERPRINT_KEY: '' };
    expect((await w.run(['plan', '-o', 'p.plan'], noKey)).code).toBe(0);
    const refused = await w.run(['apply', 'p.plan'], noKey);
    expect(refused.code, refused.stdout + refused.stderr).toBe(3);
    expect(proxy.writes()).toEqual([]);
    expect((await w.heroku.configVars(APP)).A).toBe('three');
    const inOne = await w.run(['apply', '--auto-approve'], noKey);
    expect(inOne.code, inOne.stdout + inOne.stderr).toBe(0);
    expect((await w.heroku.configVars(APP)).A).toBe('four');
  });

  it.each([
    ['null', 'null'],
    ['an array', '[]'],
    ['a string', '"str"'],
  ])('a config-vars body of %s is refused at plan time: exit 1, no write', async (_what, body) => {
    await w.write('dynoform.yaml', `version: 1\napps:\n  ${APP}:\n    config:\n      A: five\n`);
    proxy.rule = ({ method, path }) => (method === 'GET' && path.endsWith('/config-vars') ? { type: 'rewrite', rewrite: (up) => ({ ...up, body }) } : { type: 'pass' });
    const r = await w.run(['apply', '--auto-approve'], viaProxy());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/config-vars/);
    expect(proxy.writes()).toEqual([]);
    expect((await w.heroku.configVars(APP)).A).toBe('four');
  });
});

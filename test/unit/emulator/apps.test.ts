import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../../src/emulator/index.js';
import { client, withEmulator, type Call } from './helpers.js';

let emu: EmulatorHandle;
let call: Call;
beforeAll(async () => ({ emu, call } = await withEmulator({ seed: 11 })));
afterAll(() => emu.close());

describe('apps', () => {
  it('creates with a generated Heroku-style name, release v1 and the herokuapp.com domain', async () => {
    const res = await call('POST', '/apps', { body: {} });
    expect(res.status).toBe(201);
    const app = res.body;
    expect(app.name).toMatch(/^[a-z][a-z0-9-]{1,28}[a-z0-9]$/);
    expect(app).toMatchObject({
      region: { name: 'us' },
      stack: { name: 'heroku-24' },
      build_stack: { name: 'heroku-24' },
      maintenance: false,
      web_url: `https://${app.name}.herokuapp.com/`,
      git_url: `https://git.heroku.com/${app.name}.git`,
      owner: { email: 'emulator@example.com' },
      repo_size: null,
      slug_size: null,
    });
    const releases = await call('GET', `/apps/${app.name}/releases`);
    expect(releases.body.map((r: any) => [r.version, r.description, r.current])).toEqual([[1, 'Initial release', true]]);
    const domains = await call('GET', `/apps/${app.id}/domains`);
    expect(domains.body.map((d: any) => [d.kind, d.hostname])).toEqual([['heroku', `${app.name}.herokuapp.com`]]);
    const formation = await call('GET', `/apps/${app.id}/formation`);
    expect(formation.body).toEqual([]);
  });

  it('takes region and stack by name or id and refuses unknown ones', async () => {
    const eu = await call('POST', '/apps', { body: { name: 'in-europe', region: 'eu', stack: 'heroku-22' } });
    expect(eu.body).toMatchObject({ name: 'in-europe', region: { name: 'eu' }, stack: { name: 'heroku-22' } });
    const byId = await call('POST', '/apps', { body: { name: 'by-region-id', region: eu.body.region.id } });
    expect(byId.body.region.name).toBe('eu');
    expect((await call('POST', '/apps', { body: { name: 'nowhere', region: 'mars' } })).status).toBe(422);
    expect((await call('POST', '/apps', { body: { name: 'private', region: 'virginia' } })).status).toBe(422);
    expect((await call('POST', '/apps', { body: { name: 'old-stack', stack: 'cedar-14' } })).status).toBe(422);
  });

  it('enforces the name pattern and global uniqueness with 422 naming the field', async () => {
    for (const name of ['Upper', 'a', '-lead', 'trail-', 'has_underscore', 'x'.repeat(31)]) {
      const res = await call('POST', '/apps', { body: { name } });
      expect(res.status, name).toBe(422);
      expect(res.body.id).toBe('invalid_params');
      expect(res.body.message).toContain('name');
    }
    expect((await call('POST', '/apps', { body: { name: 'taken-name' } })).status).toBe(201);
    const dup = await call('POST', '/apps', { body: { name: 'taken-name' } });
    expect(dup.status).toBe(422);
    expect(dup.body.message).toBe('Name taken-name is already taken');
  });

  it('reads by id or name, lists on /apps and /users/~/apps, 404 for unknown', async () => {
    const app = (await call('POST', '/apps', { body: { name: 'lookup-me' } })).body;
    expect((await call('GET', `/apps/${app.id}`)).body.name).toBe('lookup-me');
    expect((await call('GET', '/apps/lookup-me')).body.id).toBe(app.id);
    const missing = await call('GET', '/apps/no-such-app');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ id: 'not_found', message: "Couldn't find that app.", resource: 'app' });
    const names = (await call('GET', '/apps')).body.map((a: any) => a.name);
    expect(names).toContain('lookup-me');
    expect((await call('GET', '/users/~/apps')).body.map((a: any) => a.name).sort()).toEqual([...names].sort());
    expect((await call('GET', '/users/emulator@example.com/apps')).status).toBe(200);
    expect((await call('GET', '/users/someone@else.com/apps')).status).toBe(404);
  });

  it('updates name, maintenance and build_stack; a rename moves the herokuapp.com domain', async () => {
    await call('POST', '/apps', { body: { name: 'old-name' } });
    const res = await call('PATCH', '/apps/old-name', { body: { name: 'new-name', maintenance: true, build_stack: 'heroku-22' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'new-name', maintenance: true, build_stack: { name: 'heroku-22' }, stack: { name: 'heroku-24' } });
    expect((await call('GET', '/apps/old-name')).status).toBe(404);
    const domains = (await call('GET', '/apps/new-name/domains')).body;
    expect(domains[0].hostname).toBe('new-name.herokuapp.com');
    // Fields the schema does not let clients change are not in the update link.
    expect((await call('PATCH', '/apps/new-name', { body: { maintenance: 'yes' } })).status).toBe(422);
    expect((await call('PATCH', '/apps/new-name', { body: { name: 'taken-name' } })).status).toBe(422);
  });

  it('an update that changes nothing keeps updated_at and the ETag', async () => {
    await call('POST', '/apps', { body: { name: 'steady' } });
    const before = await call('GET', '/apps/steady');
    await new Promise((r) => setTimeout(r, 1100));
    const same = await call('PATCH', '/apps/steady', { body: { maintenance: false } });
    expect(same.body.updated_at).toBe(before.body.updated_at);
    expect((await call('GET', '/apps/steady')).headers.get('etag')).toBe(before.headers.get('etag'));
  });

  it('deletes with everything that belongs to the app and returns it', async () => {
    await call('POST', '/apps', { body: { name: 'doomed' } });
    await call('POST', '/apps', { body: { name: 'survivor' } });
    const db = (await call('POST', '/apps/doomed/addons', { body: { plan: 'heroku-redis:mini' } })).body;
    await new Promise((r) => setTimeout(r, 20));
    await call('POST', '/addon-attachments', { body: { addon: db.name, app: 'survivor', name: 'SHARED_REDIS' } });
    expect(Object.keys((await call('GET', '/apps/survivor/config-vars')).body)).toEqual(['SHARED_REDIS_URL']);
    await call('POST', '/apps/doomed/domains', { body: { hostname: 'doomed.example.com', sni_endpoint: null } });

    const res = await call('DELETE', '/apps/doomed');
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('doomed');
    expect((await call('GET', '/apps/doomed')).status).toBe(404);
    expect((await call('GET', `/addons/${db.name}`)).status).toBe(404);
    expect((await call('GET', '/apps/survivor/config-vars')).body).toEqual({});
    const last = (await call('GET', '/apps/survivor/releases', { headers: { Range: 'version ..; order=desc, max=1' } })).body[0];
    expect(last.description).toBe(`Detach SHARED_REDIS (@ref:${db.name})`);
    // The hostname is free again.
    expect((await call('POST', '/apps/survivor/domains', { body: { hostname: 'doomed.example.com', sni_endpoint: null } })).status).toBe(201);
  });
});

describe('accounts', () => {
  it('with --api-key, only those keys work and each is its own account', async () => {
    const e = await startEmulator({ apiKeys: ['key-one', 'key-two'] });
    try {
      const one = client(e, 'key-one');
      const two = client(e, 'key-two');
      expect((await client(e, 'other')('GET', '/account')).status).toBe(401);
      const a1 = (await one('GET', '/account')).body;
      const a2 = (await two('GET', '/account')).body;
      expect(a1.id).not.toBe(a2.id);
      expect(JSON.stringify([a1, a2])).not.toContain('key-one');
      await one('POST', '/apps', { body: { name: 'ones-app' } });
      expect((await two('GET', '/apps')).body).toEqual([]);
      const denied = await two('GET', '/apps/ones-app');
      expect(denied.status).toBe(403);
      expect(denied.body).toEqual({ id: 'forbidden', message: 'You do not have access to the app ones-app.' });
      // Names are global: the other account cannot take it either.
      expect((await two('POST', '/apps', { body: { name: 'ones-app' } })).status).toBe(422);
    } finally {
      await e.close();
    }
  });

  it('serves the account, updates it, and finds it as ~, by e-mail and id', async () => {
    const acct = (await call('GET', '/account')).body;
    expect(acct).toMatchObject({ email: 'emulator@example.com', verified: true, two_factor_authentication: false });
    expect((await call('GET', '/users/~')).body.id).toBe(acct.id);
    expect((await call('GET', `/users/${acct.id}`)).body.email).toBe(acct.email);
    const patched = await call('PATCH', '/account', { body: { name: 'Tina Edmonds', beta: true } });
    expect(patched.body).toMatchObject({ name: 'Tina Edmonds', beta: true });
    expect((await call('PATCH', '/account', { body: { beta: 'sure' } })).status).toBe(422);
  });
});

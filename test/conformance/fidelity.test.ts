/**
 * Issue #16: what the real Terraform Heroku provider and the official
 * Heroku CLI need from the emulator, one describe per numbered finding.
 * Bodies are checked against the official schema (test/fixtures), not the
 * emulator's own copy.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { appWithProcesses, client, type Call } from '../unit/emulator/helpers.js';
import { linkFor, targetValidator } from './support.js';

let emu: EmulatorHandle;
let call: Call;
let other: Call;
beforeAll(async () => {
  emu = await startEmulator({ rateLimit: 1_000_000, refillPerHour: 1_000_000, provisionDelayMs: 250, apiKeys: ['me', 'someone-else'] });
  call = client(emu, 'me');
  other = client(emu, 'someone-else');
});
afterAll(() => emu.close());

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

function expectSchemaValid(method: string, pattern: string, body: unknown): void {
  const link = linkFor(method, pattern);
  if (!link) throw new Error(`no link ${method} ${pattern} in the schema`);
  const validate = targetValidator(link);
  const ok = validate(body);
  expect(ok ? [] : validate.errors).toEqual([]);
}

describe('1. buildpack installations', () => {
  it('lists none on a new app, replaces the list in order on PUT, and validates every buildpack', async () => {
    await call('POST', '/apps', { body: { name: 'bp-app' } });
    const empty = await call('GET', '/apps/bp-app/buildpack-installations');
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual([]);

    const updates = [
      { buildpack: 'heroku/nodejs' },
      { buildpack: 'urn:buildpack:heroku/ruby' },
      { buildpack: 'https://github.com/heroku/heroku-buildpack-static.git#v3' },
    ];
    const put = await call('PUT', '/apps/bp-app/buildpack-installations', { body: { updates } });
    expect(put.status).toBe(200);
    expectSchemaValid('PUT', '/apps/{}/buildpack-installations', put.body);
    const got = await call('GET', '/apps/bp-app/buildpack-installations');
    expectSchemaValid('GET', '/apps/{}/buildpack-installations', got.body);
    expect(got.body).toEqual([
      { buildpack: { url: 'heroku/nodejs', name: 'heroku/nodejs' }, ordinal: 0 },
      { buildpack: { url: 'heroku/ruby', name: 'heroku/ruby' }, ordinal: 1 },
      { buildpack: { url: updates[2]!.buildpack, name: updates[2]!.buildpack }, ordinal: 2 },
    ]);
    expect(put.body).toEqual(got.body);

    const bad = await call('PUT', '/apps/bp-app/buildpack-installations', { body: { updates: [{ buildpack: 'not a buildpack' }] } });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toContain('updates[0].buildpack');
    const twice = await call('PUT', '/apps/bp-app/buildpack-installations', { body: { updates: [{ buildpack: 'heroku/go' }, { buildpack: 'heroku/go' }] } });
    expect(twice.status).toBe(422);
    expect((await call('GET', '/apps/bp-app/buildpack-installations')).body).toHaveLength(3);

    const cleared = await call('PUT', '/apps/bp-app/buildpack-installations', { body: { updates: [] } });
    expect(cleared.body).toEqual([]);
    expect((await call('GET', '/apps/bp-app/buildpack-installations')).body).toEqual([]);
  });
});

describe('2. releasing a slug of another app', () => {
  it('releases a slug of another app of the same account, and answers 403 without access to the source app', async () => {
    await appWithProcesses(call, 'copy-from', { web: 'bin/web', clock: 'bin/clock' });
    await call('POST', '/apps', { body: { name: 'copy-to' } });
    const slug = (await call('POST', '/apps/copy-from/slugs', { body: { process_types: { web: 'bin/web', clock: 'bin/clock' }, commit: 'abcdef123456' } })).body;
    const release = await call('POST', '/apps/copy-to/releases', { body: { slug: slug.id } });
    expect(release.status).toBe(201);
    expect(release.body.slug).toEqual({ id: slug.id });
    expect((await call('GET', '/apps/copy-to/formation')).body.map((f: any) => f.type).sort()).toEqual(['clock', 'web']);

    await other('POST', '/apps', { body: { name: 'not-mine' } });
    const foreign = await call('POST', '/apps/copy-from/releases', { body: { slug: (await other('POST', '/apps/not-mine/slugs', { body: { process_types: { web: 'x' } } })).body.id } });
    expect(foreign.status).toBe(403);
    expect(foreign.body.id).toBe('forbidden');
    const unknown = await call('POST', '/apps/copy-to/releases', { body: { slug: '01234567-89ab-4def-8123-456789abcdef' } });
    expect(unknown.status).toBe(404);
  });
});

describe('3. Automated Certificate Management', () => {
  it('POST and DELETE /apps/{app}/acm flip the app acm field and the custom domains acm_status', async () => {
    // A provisioning delay no test run reaches: acm_status stays `pending` for as long as we look.
    const slow = await startEmulator({ provisionDelayMs: 600_000 });
    try {
      const acm = client(slow);
      await acm('POST', '/apps', { body: { name: 'acm-app' } });
      await acm('POST', '/apps/acm-app/domains', { body: { hostname: 'www.acm.example.com', sni_endpoint: null } });
      expect((await acm('GET', '/apps/acm-app')).body.acm).toBe(false);
      expect((await acm('GET', '/apps/acm-app/domains/www.acm.example.com')).body.acm_status).toBeNull();
      const on = await acm('POST', '/apps/acm-app/acm');
      expect(on.status).toBe(200);
      expect(on.body.acm).toBe(true);
      expectSchemaValid('POST', '/apps/{}/acm', on.body);
      expect((await acm('GET', '/apps/acm-app')).body.acm).toBe(true);
      expect((await acm('GET', '/apps/acm-app/domains/www.acm.example.com')).body.acm_status).toBe('pending');
      expect((await acm('PATCH', '/apps/acm-app/acm')).body.acm).toBe(true);
      const off = await acm('DELETE', '/apps/acm-app/acm');
      expect(off.status).toBe(200);
      expect(off.body.acm).toBe(false);
      expectSchemaValid('DELETE', '/apps/{}/acm', off.body);
      expect((await acm('GET', '/apps/acm-app/domains/www.acm.example.com')).body.acm_status).toBeNull();
    } finally {
      await slow.close();
    }
  });

  it('issues the certificate a provisioning delay later', async () => {
    await call('POST', '/apps', { body: { name: 'acm-issued' } });
    await call('POST', '/apps/acm-issued/domains', { body: { hostname: 'www.issued.example.com', sni_endpoint: null } });
    await call('POST', '/apps/acm-issued/acm');
    let status: unknown;
    for (let i = 0; i < 100 && status !== 'cert issued'; i++) {
      await tick(50);
      status = (await call('GET', '/apps/acm-issued/domains/www.issued.example.com')).body.acm_status;
    }
    expect(status).toBe('cert issued');
  });
});

describe('4. attachments created the way the Heroku CLI sends them', () => {
  it('takes {addon: {name}, app: {name}} as well as strings', async () => {
    await call('POST', '/apps', { body: { name: 'att-owner' } });
    await call('POST', '/apps', { body: { name: 'att-guest' } });
    const db = (await call('POST', '/apps/att-owner/addons', { body: { plan: 'heroku-postgresql:essential-0' } })).body;
    const att = await call('POST', '/addon-attachments', { body: { addon: { name: db.name }, app: { name: 'att-guest' }, name: 'SHARED_DB' } });
    expect(att.status).toBe(201);
    expect(att.body.app.name).toBe('att-guest');
    expect(att.body.name).toBe('SHARED_DB');
    const byId = await call('POST', '/addon-attachments', { body: { addon: { id: db.id }, app: { id: (await call('GET', '/apps/att-guest')).body.id } } });
    expect(byId.status).toBe(201);
    expect(byId.body.addon.id).toBe(db.id);
  });
});

describe('5. resolve actions', () => {
  it('accept app: null (a global lookup) and answer 404 with the real resource names', async () => {
    await call('POST', '/apps', { body: { name: 'res-app' } });
    const db = (await call('POST', '/apps/res-app/addons', { body: { plan: 'heroku-postgresql:essential-0' } })).body;
    const addon = await call('POST', '/actions/addons/resolve', { body: { addon: db.name, app: null } });
    expect(addon.status).toBe(200);
    expect(addon.body.map((a: any) => a.id)).toEqual([db.id]);
    const att = await call('POST', '/actions/addon-attachments/resolve', { body: { addon_attachment: db.name, app: null } });
    expect(att.status).toBe(200);
    expect(att.body[0].app.name).toBe('res-app');

    const noAddon = await call('POST', '/actions/addons/resolve', { body: { addon: 'no-such-addon', app: null } });
    expect(noAddon.status).toBe(404);
    expect(noAddon.body).toMatchObject({ id: 'not_found', resource: 'add_on' });
    const noAtt = await call('POST', '/actions/addon-attachments/resolve', { body: { addon_attachment: 'NOPE', app: null } });
    expect(noAtt.body).toMatchObject({ id: 'not_found', resource: 'add_on attachment' });
    expect((await call('GET', '/addons/no-such-addon')).body.resource).toBe('add_on');
    expect((await call('GET', '/addon-attachments/01234567-89ab-4def-8123-456789abcdef')).body.resource).toBe('add_on attachment');
    expect((await call('GET', '/apps/res-app/log-drains/https%3A%2F%2Fnope.example.com')).body.resource).toBe('log_drain');
  });
});

describe('6. paging on a field whose values tie', () => {
  it('walks every item exactly once by Next-Range, ascending and descending, on every sortable field', async () => {
    const paging = client(emu, 'someone-else');
    // Created within a second or two: many share one updated_at.
    for (let i = 0; i < 45; i++) await paging('POST', '/apps', { body: { name: `page-${String(i).padStart(2, '0')}` } });
    const total = (await paging('GET', '/apps', { headers: { Range: 'id ..; max=1000' } })).body.length;
    for (const field of ['updated_at', 'name', 'id']) {
      for (const order of ['asc', 'desc']) {
        const seen: string[] = [];
        let range: string | null = `${field} ..; max=4, order=${order}`;
        let pages = 0;
        while (range !== null && pages < 100) {
          const page = await paging('GET', '/apps', { headers: { Range: range } });
          expect([200, 206]).toContain(page.status);
          seen.push(...page.body.map((a: any) => a.id));
          range = page.status === 206 ? page.headers.get('next-range') : null;
          pages += 1;
        }
        expect({ field, order, count: seen.length, unique: new Set(seen).size }).toEqual({ field, order, count: total, unique: total });
      }
    }
  });
});

describe('7. Accept-Inclusion', () => {
  it('includes the add-on plan and the config var names on attachments when asked, and only then', async () => {
    await call('POST', '/apps', { body: { name: 'inc-app' } });
    await call('POST', '/apps/inc-app/addons', { body: { plan: 'heroku-postgresql:essential-0' } });
    const headers = { 'Accept-Inclusion': 'addon:plan,config_vars' };
    const list = await call('GET', '/apps/inc-app/addon-attachments', { headers });
    expect(list.body[0].addon.plan).toEqual({ id: expect.any(String), name: 'heroku-postgresql:essential-0' });
    expect(list.body[0].config_vars).toEqual(['DATABASE_URL']);
    const resolved = await call('POST', '/actions/addon-attachments/resolve', { body: { addon_attachment: 'DATABASE', app: 'inc-app' }, headers });
    expect(resolved.body[0].addon.plan.name).toBe('heroku-postgresql:essential-0');
    const plain = await call('GET', '/apps/inc-app/addon-attachments');
    expect(plain.body[0].addon.plan).toBeUndefined();
    expect(plain.body[0].config_vars).toBeUndefined();
  });
});

describe('9. smaller findings', () => {
  it('answers POST + X-Http-Method-Override: HEAD with Content-Length: 0 and no body', async () => {
    const url = new URL('/apps/bp-app', emu.url);
    const res = await new Promise<{ status: number; length: string | undefined; body: string }>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { Accept: 'application/vnd.heroku+json; version=3', Authorization: 'Bearer me', 'X-Http-Method-Override': 'HEAD' } }, (r) => {
        let body = '';
        r.on('data', (c) => (body += String(c)));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, length: r.headers['content-length'], body }));
      });
      req.setTimeout(5000, () => req.destroy(new Error('timed out: the client is waiting for a body')));
      req.on('error', reject);
      req.end();
    });
    expect(res).toEqual({ status: 200, length: '0', body: '' });
  });

  it('moves the app to the stack of a released slug (stack:set, then a build on the new stack)', async () => {
    await appWithProcesses(call, 'stack-app');
    expect((await call('GET', '/apps/stack-app')).body.stack.name).toBe('heroku-24');
    const set = await call('PATCH', '/apps/stack-app', { body: { build_stack: 'heroku-22' } });
    expect(set.body.build_stack.name).toBe('heroku-22');
    expect(set.body.stack.name).toBe('heroku-24');
    const slug = (await call('POST', '/apps/stack-app/slugs', { body: { process_types: { web: 'npm start' } } })).body;
    expect(slug.stack.name).toBe('heroku-22');
    await call('POST', '/apps/stack-app/releases', { body: { slug: slug.id } });
    expect((await call('GET', '/apps/stack-app')).body.stack.name).toBe('heroku-22');
    // A rollback to a release built on the old stack moves it back.
    await call('POST', '/apps/stack-app/releases', { body: { release: '2' } });
    expect((await call('GET', '/apps/stack-app')).body.stack.name).toBe('heroku-24');
  });

  it('restarts and stops dynos: one, a process type, or all; 202 {} as the schema says', async () => {
    await appWithProcesses(call, 'dyno-app');
    const scaled = await call('PATCH', '/apps/dyno-app/formation', {
      body: { updates: [{ type: 'web', quantity: 2, size: 'standard-1X' }, { type: 'worker', quantity: 1, size: 'standard-1X' }] },
    });
    expect(scaled.status).toBe(200);
    const ids = async () => Object.fromEntries((await call('GET', '/apps/dyno-app/dynos')).body.map((d: any) => [d.name, d.id]));
    const before = await ids();
    expect(Object.keys(before).sort()).toEqual(['web.1', 'web.2', 'worker.1']);
    await tick(1100); // restarts are stamped in whole seconds, as the API's times are

    const one = await call('DELETE', '/apps/dyno-app/dynos/web.1');
    expect(one.status).toBe(202);
    expect(one.body).toEqual({});
    expectSchemaValid('DELETE', '/apps/{}/dynos/{}', one.body);
    const afterOne = await ids();
    expect(afterOne['web.1']).not.toBe(before['web.1']);
    expect(afterOne['web.2']).toBe(before['web.2']);
    expect(afterOne['worker.1']).toBe(before['worker.1']);
    const info = await call('GET', `/apps/dyno-app/dynos/${afterOne['web.1']}`);
    expectSchemaValid('GET', '/apps/{}/dynos/{}', info.body);

    await tick(1100);
    expect((await call('POST', '/apps/dyno-app/dynos/worker.1/actions/stop')).status).toBe(202);
    expect((await ids())['worker.1']).not.toBe(afterOne['worker.1']);
    await tick(1100);
    const webBefore = await ids();
    expect((await call('DELETE', '/apps/dyno-app/formations/web')).status).toBe(202);
    const afterType = await ids();
    expect(afterType['web.2']).not.toBe(webBefore['web.2']);
    expect(afterType['worker.1']).toBe(webBefore['worker.1']);
    expect((await call('POST', '/apps/dyno-app/formations/worker/actions/stop')).status).toBe(202);
    await tick(1100);
    const allBefore = await ids();
    expect((await call('DELETE', '/apps/dyno-app/dynos')).status).toBe(202);
    const all = await ids();
    for (const name of Object.keys(all)) expect(all[name]).not.toBe(allBefore[name]);

    expect((await call('DELETE', '/apps/dyno-app/dynos/web.9')).body.resource).toBe('dyno');
    expect((await call('DELETE', '/apps/dyno-app/formations/clock')).status).toBe(404);
    // Restarts cut no release.
    expect((await call('GET', '/apps/dyno-app/releases')).body).toHaveLength(2);
  });
});

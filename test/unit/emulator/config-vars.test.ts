import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../../../src/emulator/index.js';
import { tick, withEmulator, type Call } from './helpers.js';

let emu: EmulatorHandle;
let call: Call;
beforeAll(async () => ({ emu, call } = await withEmulator()));
afterAll(() => emu.close());

const releases = async (app: string) => (await call('GET', `/apps/${app}/releases`)).body.map((r: any) => `v${r.version} ${r.description}`);

describe('config-vars', () => {
  it('PATCH merges: strings set, null deletes, other keys stay; one release per change', async () => {
    await call('POST', '/apps', { body: { name: 'cfg' } });
    expect((await call('GET', '/apps/cfg/config-vars')).body).toEqual({});
    const set = await call('PATCH', '/apps/cfg/config-vars', { body: { A: '1', B: '2', C: '3' } });
    expect(set.body).toEqual({ A: '1', B: '2', C: '3' });
    const mixed = await call('PATCH', '/apps/cfg/config-vars', { body: { A: null, B: 'two' } });
    expect(mixed.body).toEqual({ B: 'two', C: '3' });
    expect((await call('GET', '/apps/cfg/config-vars')).body).toEqual({ B: 'two', C: '3' });
    expect(await releases('cfg')).toEqual(['v1 Initial release', 'v2 Set A, B, C config vars', 'v3 Set B and remove A config vars']);
  });

  it('a PATCH that changes nothing cuts no release', async () => {
    await call('POST', '/apps', { body: { name: 'cfg-noop' } });
    await call('PATCH', '/apps/cfg-noop/config-vars', { body: { A: '1' } });
    await call('PATCH', '/apps/cfg-noop/config-vars', { body: { A: '1', GONE: null } });
    await call('PATCH', '/apps/cfg-noop/config-vars', { body: {} });
    expect(await releases('cfg-noop')).toEqual(['v1 Initial release', 'v2 Set A config vars']);
  });

  it('validates keys and values against the schema (422 naming the field)', async () => {
    await call('POST', '/apps', { body: { name: 'cfg-bad' } });
    const number = await call('PATCH', '/apps/cfg-bad/config-vars', { body: { PORT: 5000 } });
    expect(number.status).toBe(422);
    expect(number.body.message).toContain('PORT');
    const key = await call('PATCH', '/apps/cfg-bad/config-vars', { body: { 'BAD-KEY': 'x' } });
    expect(key.status).toBe(422);
    expect(key.body.message).toContain('BAD-KEY');
    expect((await call('PATCH', '/apps/cfg-bad/config-vars', { body: ['A'] })).status).toBe(422);
    expect((await call('PATCH', '/apps/cfg-bad/config-vars', { raw: '{"A":', headers: { 'Content-Type': 'application/json' } })).status).toBe(400);
    expect(await releases('cfg-bad')).toEqual(['v1 Initial release']);
  });

  it('refuses more than 32 kB of config', async () => {
    await call('POST', '/apps', { body: { name: 'cfg-big' } });
    const res = await call('PATCH', '/apps/cfg-big/config-vars', { body: { BIG: 'x'.repeat(33 * 1024) } });
    expect(res.status).toBe(422);
  });

  it('add-on attachments inject their vars and take them away when detached', async () => {
    await call('POST', '/apps', { body: { name: 'cfg-addon' } });
    await call('PATCH', '/apps/cfg-addon/config-vars', { body: { RAILS_ENV: 'production' } });
    const db = (await call('POST', '/apps/cfg-addon/addons', { body: { plan: 'heroku-postgresql:essential-0', attachment: { name: 'DATABASE' } } })).body;
    await tick(20);
    const vars = (await call('GET', '/apps/cfg-addon/config-vars')).body;
    expect(Object.keys(vars).sort()).toEqual(['DATABASE_URL', 'RAILS_ENV']);
    expect(vars.DATABASE_URL).toMatch(/^postgres:\/\/\w+:\w+@[\w.-]+:5432\/\w+$/);

    const clash = await call('PATCH', '/apps/cfg-addon/config-vars', { body: { DATABASE_URL: 'postgres://mine' } });
    expect(clash.status).toBe(422);
    expect(clash.body.message).toBe('Cannot overwrite attachment values DATABASE_URL.');
    expect((await call('PATCH', '/apps/cfg-addon/config-vars', { body: { DATABASE_URL: null } })).status).toBe(422);

    await call('DELETE', `/apps/cfg-addon/addons/${db.id}`);
    expect((await call('GET', '/apps/cfg-addon/config-vars')).body).toEqual({ RAILS_ENV: 'production' });
    expect((await releases('cfg-addon')).slice(2)).toEqual([
      `v3 Attach DATABASE (@ref:${db.name})`,
      'v4 Update DATABASE by heroku-postgresql',
      `v5 Detach DATABASE (@ref:${db.name})`,
    ]);
  });

  it('serves the config of any release by version or id', async () => {
    await call('POST', '/apps', { body: { name: 'cfg-history' } });
    await call('PATCH', '/apps/cfg-history/config-vars', { body: { A: '1' } });
    await call('PATCH', '/apps/cfg-history/config-vars', { body: { A: '2' } });
    expect((await call('GET', '/apps/cfg-history/releases/1/config-vars')).body).toEqual({});
    expect((await call('GET', '/apps/cfg-history/releases/2/config-vars')).body).toEqual({ A: '1' });
    const v3 = (await call('GET', '/apps/cfg-history/releases/3')).body;
    expect((await call('GET', `/apps/cfg-history/releases/${v3.id}/config-vars`)).body).toEqual({ A: '2' });
    expect((await call('GET', '/apps/cfg-history/releases/9/config-vars')).status).toBe(404);
  });
});

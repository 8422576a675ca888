import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../../../src/emulator/index.js';
import { appWithProcesses, client, withEmulator, type Call } from './helpers.js';

let emu: EmulatorHandle;
let call: Call;
beforeAll(async () => ({ emu, call } = await withEmulator()));
afterAll(() => emu.close());

describe('releases', () => {
  it('answers the Range the Heroku CLI sends after config:set', async () => {
    await call('POST', '/apps', { body: { name: 'rel' } });
    await call('PATCH', '/apps/rel/config-vars', { body: { A: '1' } });
    await call('PATCH', '/apps/rel/config-vars', { body: { B: '1' } });
    const res = await call('GET', '/apps/rel/releases', { headers: { Range: 'version ..; order=desc,max=1' } });
    expect(res.status).toBe(206);
    expect(res.body.map((r: any) => r.version)).toEqual([3]);
    expect(res.headers.get('next-range')).toBe(`version ]3..; max=1, order=desc, after_id=${res.body[0].id}`);
    expect(res.headers.get('accept-ranges')).toBe('version, id');
    const all = (await call('GET', '/apps/rel/releases')).body;
    expect(all.map((r: any) => [r.version, r.current])).toEqual([[1, false], [2, false], [3, true]]);
    expect((await call('GET', '/apps/rel/releases/2')).body.description).toBe('Set A config vars');
    expect((await call('GET', '/apps/rel/releases/v2')).body.version).toBe(2);
    expect((await call('GET', `/apps/rel/releases/${all[0].id}`)).body.version).toBe(1);
    expect((await call('GET', '/apps/rel/releases/99')).status).toBe(404);
  });

  it('rolls back to an earlier release: its slug and config, keeping add-on vars', async () => {
    await appWithProcesses(call, 'rollback', { web: 'v1' });
    await call('PATCH', '/apps/rollback/config-vars', { body: { MODE: 'old' } });
    const good = (await call('GET', '/apps/rollback/releases', { headers: { Range: 'version ..; order=desc, max=1' } })).body[0];
    await call('PATCH', '/apps/rollback/config-vars', { body: { MODE: 'new', EXTRA: '1' } });
    const slug = (await call('POST', '/apps/rollback/slugs', { body: { process_types: { web: 'v2', worker: 'w' } } })).body;
    await call('POST', '/apps/rollback/releases', { body: { slug: slug.id } });
    const res = await call('POST', '/apps/rollback/releases', { body: { release: good.id } });
    expect(res.status).toBe(201);
    expect(res.body.description).toBe(`Rollback to v${good.version}`);
    expect((await call('GET', '/apps/rollback/config-vars')).body).toEqual({ MODE: 'old' });
    const formation = (await call('GET', '/apps/rollback/formation')).body.map((f: any) => `${f.type}:${f.command}`);
    expect(formation).toEqual(['web:v1']);
  });
});

describe('catalogue and the small endpoints', () => {
  it('serves regions, stacks and dyno sizes by id or name', async () => {
    const regions = (await call('GET', '/regions')).body;
    expect(regions.map((r: any) => r.name)).toEqual(expect.arrayContaining(['us', 'eu']));
    const us = regions.find((r: any) => r.name === 'us');
    expect(us.id).toBe('59accabd-516d-4f0e-83e6-6e3757701145');
    expect((await call('GET', `/regions/${us.id}`)).body.name).toBe('us');
    expect((await call('GET', '/regions/eu')).body.provider.region).toBe('eu-west-1');
    expect((await call('GET', '/stacks/heroku-24')).body.default).toBe(true);
    const sizes = (await call('GET', '/dyno-sizes')).body.map((s: any) => s.name);
    expect(sizes).toEqual(expect.arrayContaining(['eco', 'basic', 'standard-1X', 'standard-2X', 'performance-M', 'performance-L', 'private-S']));
    expect((await call('GET', '/dyno-sizes/Standard-2x')).body.name).toBe('standard-2X');
    expect((await call('GET', '/dyno-sizes/huge')).status).toBe(404);
  });

  it('serves add-on services and plans, without authentication as the schema says', async () => {
    const anon = client(emu, '');
    const services = (await anon('GET', '/addon-services', { headers: { Authorization: '' } })).body.map((s: any) => s.name);
    expect(services).toEqual(expect.arrayContaining(['heroku-postgresql', 'heroku-redis', 'papertrail']));
    const plans = (await anon('GET', '/addon-services/heroku-postgresql/plans', { headers: { Authorization: '' } })).body.map((p: any) => p.name);
    expect(plans).toEqual(expect.arrayContaining(['heroku-postgresql:essential-0', 'heroku-postgresql:essential-1', 'heroku-postgresql:standard-0']));
    const redis = (await call('GET', '/addon-services/heroku-redis/plans')).body.map((p: any) => p.name);
    expect(redis).toEqual(expect.arrayContaining(['heroku-redis:mini', 'heroku-redis:premium-0']));
    expect((await call('GET', '/plans/heroku-redis:mini')).body.price).toEqual({ cents: 300, contract: false, unit: 'month' });
    expect((await call('GET', '/plans/mini')).status).toBe(404);
    // Apps are not public.
    expect((await anon('GET', '/apps', { headers: { Authorization: '' } })).status).toBe(401);
  });

  it('answers the calls apps:info makes: 404 pipeline coupling, dynos and collaborators lists', async () => {
    await appWithProcesses(call, 'info-calls');
    const coupling = await call('GET', '/apps/info-calls/pipeline-couplings');
    expect(coupling.status).toBe(404);
    expect(coupling.body.id).toBe('not_found');
    expect((await call('GET', '/apps/info-calls/dynos')).body.map((d: any) => d.name)).toEqual(['web.1']);
    const dyno = (await call('GET', '/apps/info-calls/dynos/web.1')).body;
    expect((await call('GET', `/apps/info-calls/dynos/${dyno.id}`)).body.name).toBe('web.1');
    expect((await call('GET', '/apps/info-calls/collaborators')).body).toEqual([]);
    expect((await call('GET', '/apps/info-calls/available-dyno-sizes')).body.length).toBeGreaterThan(5);
    expect((await call('GET', '/apps/info-calls/available-stacks')).body.map((s: any) => s.name)).toContain('heroku-24');
  });

  it('serves the official schema at /schema and the free rate-limit endpoint', async () => {
    const schema = await call('GET', '/schema');
    expect(schema.body.title).toBe('Heroku Platform API');
    // A bucket that refills one token an hour: nothing can come back between the calls,
    // so equal counts mean the endpoint took nothing (the shared emulator refills too fast for that).
    const slow = await withEmulator({ rateLimit: 100, refillPerHour: 1 });
    try {
      await slow.call('GET', '/account');
      const a = await slow.call('GET', '/account/rate-limits');
      const b = await slow.call('GET', '/account/rate-limits');
      expect(a.body.remaining).toBe(99);
      expect(b.body.remaining).toBe(a.body.remaining);
      expect(a.headers.get('ratelimit-remaining')).toBe(String(a.body.remaining));
    } finally {
      await slow.emu.close();
    }
  });

  it('unknown endpoints and wrong verbs answer 404 not_found', async () => {
    const res = await call('GET', '/no/such/thing');
    expect(res.status).toBe(404);
    expect(res.body.id).toBe('not_found');
    expect((await call('PUT', '/apps')).status).toBe(404);
  });
});

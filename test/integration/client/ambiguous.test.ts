import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as addons from '../../../src/providers/heroku/addons.js';
import * as apps from '../../../src/providers/heroku/apps.js';
import { getConfigVars, patchConfigVars } from '../../../src/providers/heroku/config-vars.js';
import * as domains from '../../../src/providers/heroku/domains.js';
import * as drains from '../../../src/providers/heroku/drains.js';
import { NetworkError } from '../../../src/providers/heroku/errors.js';
import { Bench } from './helpers.js';

/**
 * `drop-after`: the emulator applies the write, then destroys the socket
 * instead of answering. The client must find the create by reading back
 * instead of sending it again.
 */
describe('an ambiguous POST failure does not create twice', () => {
  let bench: Bench;

  beforeAll(async () => {
    bench = await Bench.start();
    await apps.createApp(bench.client(), { name: 'amb' });
  });
  afterAll(() => bench.close());

  const applied = (route: string): number => bench.emu.stats().appliedWrites[route] ?? 0;
  const sent = (route: string): number => bench.emu.stats().writes[route] ?? 0;

  it('app: found by name', async () => {
    const c = bench.client();
    bench.emu.resetStats();
    bench.emu.failNext(1, 'drop-after', { method: 'POST', path: /^\/apps$/ });
    const r = await apps.createApp(c, { name: 'amb-app' });
    expect(r.app.name).toBe('amb-app');
    expect(bench.emu.stats().faults['drop-after']).toBe(1);
    expect(sent('POST /apps')).toBe(1);
    expect((await apps.listApps(c)).filter((a) => a.name === 'amb-app')).toHaveLength(1);
  });

  it('domain: found by hostname', async () => {
    const c = bench.client();
    bench.emu.resetStats();
    bench.emu.failNext(1, 'drop-after', { method: 'POST', path: /\/domains$/ });
    const d = await domains.createDomain(c, 'amb', { hostname: 'www.amb.example.com' });
    expect(d.hostname).toBe('www.amb.example.com');
    expect(sent('POST /apps/{app}/domains')).toBe(1);
    expect(applied('POST /apps/{app}/domains')).toBe(1);
    expect((await domains.listDomains(c, 'amb')).filter((x) => x.hostname === 'www.amb.example.com')).toHaveLength(1);
  });

  it('drain: found by URL', async () => {
    const c = bench.client();
    bench.emu.resetStats();
    bench.emu.failNext(1, 'drop-after', { method: 'POST', path: /\/log-drains$/ });
    const url = 'https://u:p4ss@logs.example.com/amb';
    const d = await drains.createDrain(c, 'amb', url);
    expect(d.url).toBe(url);
    expect(sent('POST /apps/{app}/log-drains')).toBe(1);
    expect((await drains.listDrains(c, 'amb')).filter((x) => x.url === url)).toHaveLength(1);
  });

  it('add-on: found by attachment name, by add-on name, and as the new one of its plan', async () => {
    const c = bench.client();
    bench.emu.resetStats();
    bench.emu.failNext(3, 'drop-after', { method: 'POST', path: /\/addons$/ });
    const a = await addons.createAddon(c, 'amb', { plan: 'heroku-postgresql:essential-0', as: 'DATABASE' });
    const b = await addons.createAddon(c, 'amb', { plan: 'heroku-redis:mini', name: 'amb-cache' });
    const p = await addons.createAddon(c, 'amb', { plan: 'heroku-postgresql:essential-1' });
    expect(bench.emu.stats().faults['drop-after']).toBe(3);
    expect(sent('POST /apps/{app}/addons')).toBe(3);
    expect(applied('POST /apps/{app}/addons')).toBe(3);
    const all = await addons.listAddons(c);
    expect(all.map((x) => x.id).sort()).toEqual([a.id, b.id, p.id].sort());
    expect(b.name).toBe('amb-cache');
    expect(p.plan).toBe('heroku-postgresql:essential-1');
  });

  it('a create that never happened (dropped before handling) is sent again once', async () => {
    const c = bench.client();
    bench.emu.resetStats();
    bench.emu.failNext(1, 'drop-before', { method: 'POST', path: /\/domains$/ });
    await domains.createDomain(c, 'amb', { hostname: 'api.amb.example.com' });
    expect(sent('POST /apps/{app}/domains')).toBe(2);
    expect(applied('POST /apps/{app}/domains')).toBe(1);
  });

  it('a POST without a read-back is not repeated: the error says the outcome is unknown', async () => {
    const c = bench.client();
    bench.emu.resetStats();
    bench.emu.failNext(1, 'drop-after', { method: 'POST', path: /\/domains$/ });
    const err = await c.request('POST', '/apps/amb/domains', { body: { hostname: 'raw.amb.example.com', sni_endpoint: null } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).ambiguous).toBe(true);
    expect((err as Error).message).toMatch(/connection lost after the request was sent.*may or may not have happened/);
    expect(sent('POST /apps/{app}/domains')).toBe(1);
  });

  it('a guarded PATCH that landed but lost its answer is confirmed, not failed as 412', async () => {
    const c = bench.client();
    const read = await getConfigVars(c, 'amb');
    bench.emu.resetStats();
    bench.emu.failNext(1, 'drop-after', { method: 'PATCH', path: /\/config-vars$/ });
    const r = await patchConfigVars(c, 'amb', { AMB: '1' }, read.etag, { address: 'app.amb/config' });
    expect(r.vars.AMB).toBe('1');
    expect(r.etag).toBe((await getConfigVars(c, 'amb')).etag);
    // The retry met the 412 our own first attempt caused; the read-back settled it.
    expect(bench.emu.stats().preconditionFailed).toBe(1);
    expect(bench.emu.stats().appliedWrites['PATCH /apps/{app}/config-vars']).toBe(1);
  });
});

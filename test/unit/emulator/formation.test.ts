import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../../../src/emulator/index.js';
import { appWithProcesses, withEmulator, type Call } from './helpers.js';

let emu: EmulatorHandle;
let call: Call;
beforeAll(async () => ({ emu, call } = await withEmulator()));
afterAll(() => emu.close());

const formation = async (app: string) =>
  Object.fromEntries((await call('GET', `/apps/${app}/formation`)).body.map((f: any) => [f.type, `${f.quantity}:${f.size}`]));

describe('formation', () => {
  it('process types exist only through a released slug: web starts at 1, others at 0', async () => {
    await call('POST', '/apps', { body: { name: 'fresh' } });
    expect((await call('GET', '/apps/fresh/formation')).body).toEqual([]);
    const missing = await call('PATCH', '/apps/fresh/formation', { body: { updates: [{ type: 'web', quantity: 1 }] } });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ id: 'not_found', message: "Couldn't find that process type (web)." });

    await appWithProcesses(call, 'deployed');
    expect(await formation('deployed')).toEqual({ web: '1:Basic', worker: '0:Basic' });
    const web = (await call('GET', '/apps/deployed/formation/web')).body;
    expect(web).toMatchObject({ type: 'web', command: 'npm start', quantity: 1, size: 'Basic', dyno_size: { name: 'Basic' } });
    expect((await call('GET', `/apps/deployed/formation/${web.id}`)).body.type).toBe('web');
  });

  it('accepts what the Heroku CLI sends: string quantities, relative ones, size in any case', async () => {
    await appWithProcesses(call, 'cli-shapes');
    const res = await call('PATCH', '/apps/cli-shapes/formation', {
      body: { updates: [{ quantity: '2', size: 'standard-1x', type: 'web' }, { quantity: '1', size: 'STANDARD-2X', type: 'worker' }] },
    });
    expect(res.status).toBe(200);
    expect(res.body.map((f: any) => [f.type, f.quantity, f.size])).toEqual([
      ['web', 2, 'Standard-1X'],
      ['worker', 1, 'Standard-2X'],
    ]);
    await call('PATCH', '/apps/cli-shapes/formation', { body: { updates: [{ quantity: '+2', type: 'web' }, { quantity: '-1', type: 'worker' }] } });
    expect(await formation('cli-shapes')).toEqual({ web: '4:Standard-1X', worker: '0:Standard-2X' });
  });

  it('accepts dyno_size by name or id and quantity as a number', async () => {
    await appWithProcesses(call, 'api-shapes');
    const sizes = (await call('GET', '/dyno-sizes')).body;
    const perfM = sizes.find((s: any) => s.name === 'performance-M');
    await call('PATCH', '/apps/api-shapes/formation', {
      body: { updates: [{ type: 'web', quantity: 3, dyno_size: { id: perfM.id } }, { type: 'worker', dyno_size: { name: 'standard-2X' } }] },
    });
    expect(await formation('api-shapes')).toEqual({ web: '3:Performance-M', worker: '0:Standard-2X' });
    const one = await call('PATCH', '/apps/api-shapes/formation/worker', { body: { quantity: 2 } });
    expect(one.body).toMatchObject({ type: 'worker', quantity: 2, size: 'Standard-2X' });
  });

  it('a batch is all or nothing', async () => {
    await appWithProcesses(call, 'atomic');
    const res = await call('PATCH', '/apps/atomic/formation', {
      body: { updates: [{ type: 'web', quantity: 0 }, { type: 'nope', quantity: 1 }] },
    });
    expect(res.status).toBe(404);
    expect(await formation('atomic')).toEqual({ web: '1:Basic', worker: '0:Basic' });
  });

  it('rejects bad input with 422 naming the field', async () => {
    await appWithProcesses(call, 'bad-input');
    const cases: [unknown, string][] = [
      [{ updates: [{ type: 'web', quantity: 'lots' }] }, 'quantity'],
      [{ updates: [{ type: 'web', quantity: 1.5 }] }, 'quantity'],
      [{ updates: [{ quantity: 1 }] }, 'type'],
      [{ updates: [{ type: 'web', colour: 'red' }] }, 'colour'],
      [{}, 'updates'],
    ];
    for (const [body, field] of cases) {
      const res = await call('PATCH', '/apps/bad-input/formation', { body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.message).toContain(field);
    }
    const size = await call('PATCH', '/apps/bad-input/formation', { body: { updates: [{ type: 'web', size: 'huge' }] } });
    expect(size.status).toBe(422);
    expect(size.body.message).toContain('huge');
    expect((await call('PATCH', '/apps/bad-input/formation', { body: { updates: [{ type: 'web', size: 'private-S' }] } })).status).toBe(422);
    expect((await call('PATCH', '/apps/bad-input/formation', { body: { updates: [{ type: 'web', quantity: '-5' }] } })).status).toBe(422);
  });

  it('enforces per-size limits and tier mixing like the platform', async () => {
    await appWithProcesses(call, 'limits');
    const basic = await call('PATCH', '/apps/limits/formation', { body: { updates: [{ type: 'web', quantity: 2 }] } });
    expect(basic.status).toBe(422);
    expect(basic.body.message).toContain('Basic');
    const mixed = await call('PATCH', '/apps/limits/formation', { body: { updates: [{ type: 'worker', quantity: 1, size: 'standard-1X' }] } });
    expect(mixed.status).toBe(422);
    const together = await call('PATCH', '/apps/limits/formation', {
      body: { updates: [{ type: 'web', size: 'standard-1X' }, { type: 'worker', quantity: 1, size: 'performance-M' }] },
    });
    expect(together.status).toBe(200);
  });

  it('scaling cuts no release, and a no-op keeps updated_at', async () => {
    await appWithProcesses(call, 'no-release');
    const before = (await call('GET', '/apps/no-release/releases')).body.length;
    const first = (await call('PATCH', '/apps/no-release/formation/web', { body: { quantity: 0 } })).body;
    await new Promise((r) => setTimeout(r, 1100));
    const again = (await call('PATCH', '/apps/no-release/formation/web', { body: { quantity: 0 } })).body;
    expect(again.updated_at).toBe(first.updated_at);
    expect((await call('GET', '/apps/no-release/releases')).body.length).toBe(before);
  });

  it('a new release brings new process types and drops removed ones, keeping scale', async () => {
    await appWithProcesses(call, 'redeploy');
    await call('PATCH', '/apps/redeploy/formation', { body: { updates: [{ type: 'web', quantity: 2, size: 'standard-1X' }] } });
    const slug = (await call('POST', '/apps/redeploy/slugs', { body: { process_types: { web: 'npm run serve', clock: 'node clock.js' } } })).body;
    await call('POST', '/apps/redeploy/releases', { body: { slug: slug.id, description: 'second deploy' } });
    expect(await formation('redeploy')).toEqual({ web: '2:Standard-1X', clock: '0:Standard-1X' });
    expect((await call('GET', '/apps/redeploy/formation/web')).body.command).toBe('npm run serve');
    const dynos = (await call('GET', '/apps/redeploy/dynos')).body;
    // Lists are in id order, as on the API; dyno ids are not in name order.
    expect(dynos.map((d: any) => `${d.name}:${d.state}:${d.size}`).sort()).toEqual(['web.1:up:Standard-1X', 'web.2:up:Standard-1X']);
  });

  it('slug process types are validated', async () => {
    await call('POST', '/apps', { body: { name: 'slug-check' } });
    expect((await call('POST', '/apps/slug-check/slugs', { body: {} })).status).toBe(422);
    expect((await call('POST', '/apps/slug-check/slugs', { body: { process_types: { 'bad type': 'x' } } })).status).toBe(422);
    expect((await call('POST', '/apps/slug-check/slugs', { body: { process_types: { web: 5 } } })).status).toBe(422);
    expect((await call('POST', '/apps/slug-check/releases', { body: { slug: '01234567-89ab-cdef-0123-456789abcdef' } })).status).toBe(404);
  });
});

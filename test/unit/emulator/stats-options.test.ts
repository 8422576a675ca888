import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../../src/emulator/index.js';
import { resolveOptions } from '../../../src/emulator/options.js';
import { withEmulator, type Call } from './helpers.js';

let emu: EmulatorHandle;
let call: Call;
beforeAll(async () => ({ emu, call } = await withEmulator({ rateLimit: 100, refillPerHour: 0 })));
afterAll(() => emu.close());

describe('stats', () => {
  it('counts requests, statuses and writes by route; /__emulator is free, unauthenticated and uncounted', async () => {
    emu.resetStats();
    await call('POST', '/apps', { body: { name: 'counted' } });
    await call('POST', '/apps', { body: { name: 'counted' } });
    await call('GET', '/apps/counted/config-vars');
    await call('PATCH', '/apps/counted/config-vars', { body: { A: '1' } });
    const before = (await call('GET', '/account/rate-limits')).body.remaining;

    const res = await fetch(`${emu.url}/__emulator/stats`);
    expect(res.status).toBe(200);
    const s = await res.json();
    expect(s.requests).toBe(5);
    expect(s.byMethod).toEqual({ POST: 2, GET: 2, PATCH: 1 });
    expect(s.byStatus).toEqual({ 200: 3, 201: 1, 422: 1 });
    expect(s.writes).toEqual({ 'POST /apps': 2, 'PATCH /apps/{app}/config-vars': 1 });
    expect(s.appliedWrites).toEqual({ 'POST /apps': 1, 'PATCH /apps/{app}/config-vars': 1 });
    expect(s.writePaths).toEqual({ 'POST /apps': 2, 'PATCH /apps/counted/config-vars': 1 });
    expect(s.byRoute['GET /apps/{app}/config-vars']).toBe(1);
    expect(emu.stats()).toEqual(s);
    expect((await call('GET', '/account/rate-limits')).body.remaining).toBe(before);

    const reset = await fetch(`${emu.url}/__emulator/reset-stats`, { method: 'POST' });
    expect((await reset.json()).requests).toBe(0);
    expect(emu.stats().requests).toBe(0);
    expect((await fetch(`${emu.url}/__emulator/health`)).status).toBe(200);
    expect((await fetch(`${emu.url}/__emulator/nope`)).status).toBe(404);
  });

  it('/__emulator is never subject to faults', async () => {
    const faulty = await startEmulator({ faultRate: 1, seed: 1 });
    try {
      for (let i = 0; i < 10; i++) expect((await fetch(`${faulty.url}/__emulator/stats`)).status).toBe(200);
    } finally {
      await faulty.close();
    }
  });
});

describe('options', () => {
  it('has the documented defaults', () => {
    expect(resolveOptions({})).toMatchObject({
      host: '127.0.0.1',
      port: 0,
      latencyMs: 0,
      jitter: 0,
      rateLimit: 1200,
      refillPerHour: 1200,
      faultRate: 0,
      provisionDelayMs: 0,
    });
    expect(resolveOptions({ latencyMs: 100 }).jitter).toBe(25);
  });

  it('rejects bad values at the boundary without echoing keys', () => {
    const bad: object[] = [
      { port: -1 },
      { port: 70000 },
      { port: 1.5 },
      { latencyMs: -5 },
      { rateLimit: 0 },
      { refillPerHour: Number.NaN },
      { faultRate: 2 },
      { seed: -1 },
      { apiKeys: [] },
      { apiKeys: ['has space'] },
    ];
    for (const o of bad) expect(() => resolveOptions(o), JSON.stringify(o)).toThrow(RangeError);
    try {
      resolveOptions({ apiKeys: ['secret value'] });
    } catch (err) {
      expect((err as Error).message).not.toContain('secret');
    }
  });

  it('binds 127.0.0.1 by default and reports the port', async () => {
    const e = await startEmulator();
    try {
      expect(e.host).toBe('127.0.0.1');
      expect(e.url).toBe(`http://127.0.0.1:${e.port}`);
      expect(e.port).toBeGreaterThan(0);
    } finally {
      await e.close();
    }
    await e.close();
  });

  it('close() lets a request in flight finish, then refuses new ones', async () => {
    const e = await startEmulator({ latencyMs: 200, jitter: 0 });
    const headers = { Accept: 'application/vnd.heroku+json; version=3', Authorization: 'Bearer x' };
    const inflight = fetch(`${e.url}/apps`, { method: 'POST', headers });
    await new Promise((r) => setTimeout(r, 50));
    await e.close();
    expect((await inflight).status).toBe(201);
    await expect(fetch(`${e.url}/apps`, { headers })).rejects.toThrow();
  });
});

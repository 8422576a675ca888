import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listApps } from '../../../src/providers/heroku/apps.js';
import { Bench, seedApps } from './helpers.js';

describe('paging against the emulator', () => {
  let bench: Bench;
  let names: string[];

  beforeAll(async () => {
    bench = await Bench.start();
    names = await seedApps(bench.client({ concurrency: 16 }), 2500, 'page');
  }, 120_000);
  afterAll(() => bench.close());

  it('lists 2,500 apps in pages of 1000, each exactly once', async () => {
    const client = bench.client();
    bench.emu.resetStats();
    const apps = await listApps(client);
    expect(apps).toHaveLength(2500);
    const counts = new Map<string, number>();
    for (const a of apps) counts.set(a.name, (counts.get(a.name) ?? 0) + 1);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    expect([...counts.keys()].sort()).toEqual([...names].sort());
    expect(new Set(apps.map((a) => a.id)).size).toBe(2500);
    // 1000 + 1000 + 500: three pages, and not one request more (plus the free budget probe).
    expect(bench.emu.stats().byRoute['GET /apps']).toBe(3);
    expect(bench.emu.stats().byStatus['206']).toBe(2);
  });

  it('follows Next-Range whatever the page size', async () => {
    const client = bench.client({ pageSize: 333 });
    const r = await client.list<{ id: string }>('/apps');
    expect(r.pages).toBe(Math.ceil(2500 / 333));
    expect(new Set(r.items.map((a) => a.id)).size).toBe(2500);
    expect(r.etag).toBeUndefined();
  });
});

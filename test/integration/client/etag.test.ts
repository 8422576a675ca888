import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getApp, updateApp } from '../../../src/providers/heroku/apps.js';
import { getConfigVars, patchConfigVars } from '../../../src/providers/heroku/config-vars.js';
import { PreconditionFailedError } from '../../../src/providers/heroku/errors.js';
import { batchUpdateFormation, listFormation } from '../../../src/providers/heroku/formation.js';
import { Bench, deploy, seedApps } from './helpers.js';

describe('ETags, If-None-Match and If-Match against the emulator', () => {
  let bench: Bench;

  beforeAll(async () => {
    bench = await Bench.start();
    const c = bench.client();
    await seedApps(c, 1, 'etag');
    await patchConfigVars(c, 'etag-0000', { A: '1' });
    await deploy(c, 'etag-0000', { web: 'npm start', worker: 'node worker.js' });
  });
  afterAll(() => bench.close());

  it('a stale If-Match raises PreconditionFailed with the address, and nothing is written', async () => {
    const mine = bench.client();
    const theirs = bench.client();
    const read = await getConfigVars(mine, 'etag-0000');
    expect(read.etag).toMatch(/^"/);
    await patchConfigVars(theirs, 'etag-0000', { B: 'theirs' });
    const before = bench.emu.stats().preconditionFailed;

    const err = await patchConfigVars(mine, 'etag-0000', { A: 'mine' }, read.etag, { address: 'app.etag/config' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PreconditionFailedError);
    expect((err as PreconditionFailedError).address).toBe('app.etag/config');
    expect((err as PreconditionFailedError).status).toBe(412);
    expect((err as Error).message).toMatch(/^app\.etag\/config changed since it was read \(412 Precondition Failed\)/);
    expect(bench.emu.stats().preconditionFailed).toBe(before + 1);
    expect((await getConfigVars(theirs, 'etag-0000')).vars).toEqual({ A: '1', B: 'theirs' });
    expect(mine.stats().status412).toBe(1);
  });

  it('a current If-Match writes and hands back the next ETag', async () => {
    const c = bench.client();
    const read = await getConfigVars(c, 'etag-0000');
    const written = await patchConfigVars(c, 'etag-0000', { C: '3', B: null }, read.etag);
    expect(written.vars).toMatchObject({ A: '1', C: '3' });
    expect(written.vars.B).toBeUndefined();
    expect(written.etag).toBe((await getConfigVars(c, 'etag-0000')).etag);
    // The new ETag guards the next write.
    await patchConfigVars(c, 'etag-0000', { C: '4' }, written.etag);
  });

  it('If-None-Match answers 304 while nothing changed, then the new body', async () => {
    const c = bench.client();
    const first = await c.get<Record<string, string>>('/apps/etag-0000/config-vars');
    const again = await c.get<Record<string, string>>('/apps/etag-0000/config-vars', { ifNoneMatch: first.etag! });
    expect(again).toMatchObject({ status: 304, notModified: true, body: undefined });
    await patchConfigVars(c, 'etag-0000', { D: 'x' });
    const changed = await c.get<Record<string, string>>('/apps/etag-0000/config-vars', { ifNoneMatch: first.etag! });
    expect(changed.status).toBe(200);
    expect(changed.notModified).toBeUndefined();
    expect(changed.body?.D).toBe('x');
    expect(changed.etag).not.toBe(first.etag);
  });

  it('guards app and formation writes the same way', async () => {
    const c = bench.client();
    const app = await getApp(c, 'etag-0000');
    await updateApp(c, app.app.id, { maintenance: true }, app.etag);
    await expect(updateApp(c, app.app.id, { maintenance: false }, app.etag, { address: 'app.etag' })).rejects.toMatchObject({
      name: 'PreconditionFailedError',
      address: 'app.etag',
    });

    const f = await listFormation(c, 'etag-0000');
    expect(f.items.map((x) => x.type).sort()).toEqual(['web', 'worker']);
    expect(f.etag).toBeDefined();
    const scaled = await batchUpdateFormation(c, 'etag-0000', [{ type: 'web', quantity: 2, size: 'standard-1X' }], f.etag);
    expect(scaled.items.find((x) => x.type === 'web')).toMatchObject({ quantity: 2 });
    await expect(
      batchUpdateFormation(c, 'etag-0000', [{ type: 'worker', quantity: 3 }], f.etag, { address: 'app.etag/formation' }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
  });
});

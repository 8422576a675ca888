import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as addons from '../../../src/providers/heroku/addons.js';
import * as apps from '../../../src/providers/heroku/apps.js';
import * as domains from '../../../src/providers/heroku/domains.js';
import * as drains from '../../../src/providers/heroku/drains.js';
import { HerokuApiError, ProvisioningError } from '../../../src/providers/heroku/errors.js';
import * as formation from '../../../src/providers/heroku/formation.js';
import { Bench, deploy } from './helpers.js';

describe('resource modules against the emulator', () => {
  let bench: Bench;

  beforeAll(async () => {
    // Long enough that a loaded machine still sees an add-on `provisioning` on its first poll.
    bench = await Bench.start({ provisionDelayMs: 1000 });
  });
  afterAll(() => bench.close());

  it('apps: create, get, rename, maintenance, delete', async () => {
    const c = bench.client();
    const created = await apps.createApp(c, { name: 'res-app', region: 'eu', stack: 'heroku-22' });
    expect(created.app).toMatchObject({ name: 'res-app', region: 'eu', stack: 'heroku-22', buildStack: 'heroku-22', maintenance: false });
    const got = await apps.getApp(c, created.app.id);
    expect(got.app).toEqual(created.app);
    const renamed = await apps.updateApp(c, created.app.id, { name: 'res-app-2', maintenance: true, buildStack: 'heroku-24' }, got.etag);
    expect(renamed.app).toMatchObject({ id: created.app.id, name: 'res-app-2', maintenance: true, buildStack: 'heroku-24' });
    expect((await apps.listApps(c)).map((a) => a.name)).toContain('res-app-2');
    await apps.deleteApp(c, created.app.id);
    const err = await apps.getApp(c, created.app.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HerokuApiError);
    expect((err as HerokuApiError).status).toBe(404);
    expect((err as Error).message).toMatch(/404 not_found: .* — it may have been deleted or renamed outside dynoform \(Request-Id /);
  });

  it('add-ons: create (async), wait until provisioned, attachments, plan change, delete', async () => {
    const c = bench.client();
    await apps.createApp(c, { name: 'res-addons' });
    const db = await addons.createAddon(c, 'res-addons', { plan: 'heroku-postgresql:essential-0', as: 'DATABASE' });
    expect(db).toMatchObject({ plan: 'heroku-postgresql:essential-0', service: 'heroku-postgresql', state: 'provisioning', appName: 'res-addons' });
    const waits: number[] = [];
    const ready = await addons.waitProvisioned(c, 'res-addons', db.id, { timeoutMs: 10_000, intervalMs: 50, onWait: (ms) => waits.push(ms) });
    expect(ready.state).toBe('provisioned');
    expect(waits.length).toBeGreaterThan(0);
    expect(ready.etag).toBeDefined();

    const all = addons.joinAttachments(await addons.listAddons(c), await addons.listAttachments(c));
    const mine = all.find((a) => a.id === db.id)!;
    expect(mine.attachments.map((a) => a.name)).toEqual(['DATABASE']);
    expect(mine.configVars).toContain('DATABASE_URL');

    const upgraded = await addons.updateAddonPlan(c, 'res-addons', db.id, 'heroku-postgresql:essential-1', ready.etag);
    expect(upgraded.plan).toBe('heroku-postgresql:essential-1');
    await addons.deleteAddon(c, 'res-addons', db.id);
    expect((await addons.listAddons(c)).some((a) => a.id === db.id)).toBe(false);
  });

  it('add-ons: a provisioning timeout is a ProvisioningError that says it may finish later', async () => {
    const slow = await Bench.start({ provisionDelayMs: 5_000 });
    try {
      const c = slow.client();
      await apps.createApp(c, { name: 'res-slow' });
      const r = await addons.createAddon(c, 'res-slow', { plan: 'heroku-redis:mini' });
      const err = await addons.waitProvisioned(c, 'res-slow', r.id, { timeoutMs: 200, intervalMs: 50 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProvisioningError);
      expect((err as ProvisioningError).timedOut).toBe(true);
      expect((err as Error).message).toMatch(/still provisioning after .* run plan again/);
    } finally {
      await slow.close();
    }
  });

  it('formation: list after a release, batch update with dyno_size', async () => {
    const c = bench.client();
    await apps.createApp(c, { name: 'res-formation' });
    expect((await formation.listFormation(c, 'res-formation')).items).toEqual([]);
    await deploy(c, 'res-formation', { web: 'npm start', worker: 'node w.js' });
    const before = await formation.listFormation(c, 'res-formation');
    expect(before.items.map((f) => f.type).sort()).toEqual(['web', 'worker']);
    const after = await formation.batchUpdateFormation(
      c,
      'res-formation',
      [
        { type: 'web', quantity: 2, size: 'standard-1X' },
        { type: 'worker', quantity: 0 },
      ],
      before.etag,
    );
    const web = after.items.find((f) => f.type === 'web')!;
    expect(web.quantity).toBe(2);
    expect(web.size.toLowerCase()).toBe('standard-1x');
    expect(web.command).toBe('npm start');
    expect(after.items.find((f) => f.type === 'worker')!.quantity).toBe(0);
  });

  it('domains: create, get, update SNI, list, delete', async () => {
    const c = bench.client();
    await apps.createApp(c, { name: 'res-domains' });
    const d = await domains.createDomain(c, 'res-domains', { hostname: 'WWW.Example.com', sniEndpoint: null });
    expect(d).toMatchObject({ hostname: 'www.example.com', kind: 'custom', sniEndpoint: null });
    expect(d.cname).toBeTruthy();
    // The emulator verifies a custom domain a provisioning delay later, which changes its ETag:
    // read the settled domain so the guarded PATCH below races nothing.
    const statusOf = async () => (await c.get<{ status: string }>(`/apps/res-domains/domains/${d.hostname}`, { shape: 'domain' })).body.status;
    for (let i = 0; (await statusOf()) === 'pending' && i < 300; i++) await new Promise((r) => setTimeout(r, 50));
    const got = await domains.getDomain(c, 'res-domains', d.hostname);
    expect(got.id).toBe(d.id);
    const list = await domains.listDomains(c, 'res-domains');
    expect(list.filter((x) => x.kind === 'custom').map((x) => x.hostname)).toEqual(['www.example.com']);
    const same = await domains.updateSni(c, 'res-domains', d.id, null, got.etag);
    expect(same.sniEndpoint).toBeNull();
    await domains.deleteDomain(c, 'res-domains', d.id);
    expect((await domains.listDomains(c, 'res-domains')).some((x) => x.id === d.id)).toBe(false);
  });

  it('drains: create, get, list, delete; add-on drains are marked', async () => {
    const c = bench.client();
    await apps.createApp(c, { name: 'res-drains' });
    const url = 'https://user:s3cret-pass@logs.example.com/ingest';
    const d = await drains.createDrain(c, 'res-drains', url);
    expect(d.url).toBe(url);
    expect(d.token).toMatch(/^d\./);
    expect((await drains.getDrain(c, 'res-drains', d.id)).url).toBe(url);
    await addons.createAddon(c, 'res-drains', { plan: 'papertrail:choklad' });
    const list = await drains.listDrains(c, 'res-drains');
    expect(list).toHaveLength(2);
    expect(list.filter((x) => x.addonId !== undefined)).toHaveLength(1);
    await drains.deleteDrain(c, 'res-drains', d.id);
    expect((await drains.listDrains(c, 'res-drains')).some((x) => x.id === d.id)).toBe(false);
  });

  it('a rejected drain URL never shows its credentials in the error', async () => {
    const c = bench.client();
    await apps.createApp(c, { name: 'res-drain-bad' });
    const url = 'https://user:s3cret-pass@logs.example.com/ingest';
    await drains.createDrain(c, 'res-drain-bad', url);
    const err = await drains.createDrain(c, 'res-drain-bad', url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HerokuApiError);
    expect(`${(err as Error).message}\n${(err as Error).stack}`).not.toContain('s3cret-pass');
  });
});

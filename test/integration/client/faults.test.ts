import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as addons from '../../../src/providers/heroku/addons.js';
import * as apps from '../../../src/providers/heroku/apps.js';
import type { HerokuClient } from '../../../src/providers/heroku/client.js';
import { getConfigVars, patchConfigVars } from '../../../src/providers/heroku/config-vars.js';
import * as domains from '../../../src/providers/heroku/domains.js';
import * as drains from '../../../src/providers/heroku/drains.js';
import { batchUpdateFormation, listFormation } from '../../../src/providers/heroku/formation.js';
import { Bench, deploy, seedApps } from './helpers.js';

/** Deterministic choices, so a failure can be replayed (the emulator's faults are seeded too). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Model {
  config: Record<string, string>;
  maintenance: boolean;
  web: number;
  domains: Map<string, string>; // hostname → id
  drains: Set<string>;
  addons: number;
}

const KINDS = ['read-config', 'set-config', 'unset-config', 'scale', 'maintenance', 'create-domain', 'delete-domain', 'create-drain', 'create-addon', 'read-domains'] as const;
type Kind = (typeof KINDS)[number];

describe('500 mixed reads and guarded writes with the emulator at fault rate 0.2', () => {
  const APPS = 25;
  const OPS = 500;
  let bench: Bench;
  let names: string[];
  const models = new Map<string, Model>();

  beforeAll(async () => {
    bench = await Bench.start({ seed: 20240601 });
    const setup = bench.client({ concurrency: 10 });
    names = await seedApps(setup, APPS, 'flt');
    for (const n of names) {
      await deploy(setup, n, { web: 'npm start' });
      models.set(n, { config: {}, maintenance: false, web: 1, domains: new Map(), drains: new Set(), addons: 0 });
    }
    bench.emu.resetStats();
    bench.emu.setFaultRate(0.2);
  }, 60_000);
  afterAll(() => bench.close());

  async function run(c: HerokuClient, app: string, kind: Kind, n: number): Promise<void> {
    const m = models.get(app)!;
    const ours = (vars: Record<string, string>) => Object.fromEntries(Object.entries(vars).filter(([k]) => k.startsWith('K_')));
    switch (kind) {
      case 'read-config': {
        expect(ours((await getConfigVars(c, app)).vars)).toEqual(m.config);
        return;
      }
      case 'set-config': {
        const { etag } = await getConfigVars(c, app);
        const key = `K_${n % 7}`;
        await patchConfigVars(c, app, { [key]: `v${n}` }, etag, { address: `app.${app}/config` });
        m.config[key] = `v${n}`;
        return;
      }
      case 'unset-config': {
        const key = Object.keys(m.config)[0];
        if (!key) return;
        const { etag } = await getConfigVars(c, app);
        await patchConfigVars(c, app, { [key]: null }, etag);
        delete m.config[key];
        return;
      }
      case 'scale': {
        const f = await listFormation(c, app);
        const q = n % 5;
        await batchUpdateFormation(c, app, [{ type: 'web', quantity: q, size: q % 2 ? 'standard-1X' : 'standard-2X' }], f.etag);
        m.web = q;
        return;
      }
      case 'maintenance': {
        const got = await apps.getApp(c, app);
        await apps.updateApp(c, got.app.id, { maintenance: !m.maintenance }, got.etag);
        m.maintenance = !m.maintenance;
        return;
      }
      case 'create-domain': {
        const hostname = `d${n}.${app}.example.com`;
        const d = await domains.createDomain(c, app, { hostname });
        m.domains.set(hostname, d.id);
        return;
      }
      case 'delete-domain': {
        const first = [...m.domains.entries()][0];
        if (!first) return;
        const d = await domains.getDomain(c, app, first[1]);
        await domains.deleteDomain(c, app, first[1], d.etag);
        m.domains.delete(first[0]);
        return;
      }
      case 'create-drain': {
        const url = `https://logs.example.com/${app}/${n}`;
        await drains.createDrain(c, app, url);
        m.drains.add(url);
        return;
      }
      case 'create-addon': {
        if (m.addons >= 2) return;
        const addon = await addons.createAddon(c, app, { plan: 'heroku-redis:mini', as: `CACHE_${m.addons}` });
        // Provisioning finishes in the background and then sets the add-on's config vars
        // (a new release, a new config ETag), as on Heroku: wait for it, or the app's next
        // guarded config write would rightly meet a 412.
        await addons.waitProvisioned(c, app, addon.id, { timeoutMs: 30_000, intervalMs: 10 });
        m.addons += 1;
        return;
      }
      case 'read-domains': {
        const live = (await domains.listDomains(c, app)).filter((d) => d.kind === 'custom').map((d) => d.hostname);
        expect(live.sort()).toEqual([...m.domains.keys()].sort());
        return;
      }
    }
  }

  it('ends in the right server state with no duplicate creates', async () => {
    const rnd = mulberry32(7);
    const perApp = new Map<string, Array<{ kind: Kind; n: number }>>();
    for (let n = 0; n < OPS; n++) {
      const app = names[Math.floor(rnd() * APPS)]!;
      const kind = KINDS[Math.floor(rnd() * KINDS.length)]!;
      perApp.set(app, [...(perApp.get(app) ?? []), { kind, n }]);
    }
    const created = { domains: 0, drains: 0, addons: 0 };
    const c = bench.client({ concurrency: 10 });
    // Apps in parallel, each app's operations in order: the expected state is then exact.
    await Promise.all(
      [...perApp.entries()].map(async ([app, ops]) => {
        for (const op of ops) {
          const before = models.get(app)!;
          const sizes = { d: before.domains.size, r: before.drains.size, a: before.addons };
          await run(c, app, op.kind, op.n);
          created.domains += op.kind === 'create-domain' ? 1 : 0;
          created.drains += before.drains.size - sizes.r;
          created.addons += before.addons - sizes.a;
        }
      }),
    );

    const stats = bench.emu.stats();
    const faults = Object.values(stats.faults).reduce((a, b) => a + b, 0);
    // The faults really happened, including writes applied whose answer was lost.
    expect(faults).toBeGreaterThan(100);
    expect(stats.faults['drop-after']).toBeGreaterThan(5);
    // Most faults were retried; a create whose answer was lost was found by reading back instead.
    expect(c.stats().retries).toBeGreaterThan(100);
    // Each create was applied exactly once at the server, whatever was retried.
    expect(stats.appliedWrites['POST /apps/{app}/domains'] ?? 0).toBe(created.domains);
    expect(stats.appliedWrites['POST /apps/{app}/log-drains'] ?? 0).toBe(created.drains);
    expect(stats.appliedWrites['POST /apps/{app}/addons'] ?? 0).toBe(created.addons);

    // The final state, through a fresh client and no faults.
    bench.emu.setFaultRate(0);
    const fresh = bench.client();
    const allAddons = await addons.listAddons(fresh);
    for (const app of names) {
      const m = models.get(app)!;
      const cfg = (await getConfigVars(fresh, app)).vars;
      expect(Object.fromEntries(Object.entries(cfg).filter(([k]) => k.startsWith('K_')))).toEqual(m.config);
      const f = await listFormation(fresh, app);
      expect(f.items.find((x) => x.type === 'web')!.quantity).toBe(m.web);
      expect((await apps.getApp(fresh, app)).app.maintenance).toBe(m.maintenance);
      const ds = (await domains.listDomains(fresh, app)).filter((d) => d.kind === 'custom').map((d) => d.hostname);
      expect(ds.sort()).toEqual([...m.domains.keys()].sort());
      const dr = (await drains.listDrains(fresh, app)).map((d) => d.url);
      expect(dr.sort()).toEqual([...m.drains].sort());
      expect(allAddons.filter((a) => a.appName === app)).toHaveLength(m.addons);
    }
  }, 120_000);
});

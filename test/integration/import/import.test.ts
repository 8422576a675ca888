import { mkdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CliWorld } from '../../helpers/cli-world.js';

/**
 * Apps built the way people build them today — with the Heroku CLI's
 * request shapes (CLI-CLIENT.md §3) — then imported: the first plan must
 * be empty, and drift must find nothing.
 */
async function buildApps(w: CliWorld): Promise<void> {
  const h = w.heroku;
  await h.appsCreate('imp-shop', 'eu');
  await h.configSet('imp-shop', { RAILS_ENV: 'production', SECRET_KEY_BASE: 'shop-skb-1', ENABLE_X: 'yes', PRICE: 'p${amount}', EMPTY: '' });
  await h.addonsCreate('imp-shop', 'heroku-postgresql:essential-0');
  const redis = (await h.addonsCreate('imp-shop', 'heroku-redis:mini', 'CACHE')) as { name: string };
  await h.deploy('imp-shop', { web: 'bundle exec puma', worker: 'bundle exec sidekiq', release: 'rake db:migrate' });
  await h.psScale('imp-shop', [
    { type: 'web', quantity: '2', size: 'standard-1X' },
    { type: 'worker', quantity: '1', size: 'Standard-1X' },
  ]);
  await h.maintenance('imp-shop', true);
  await h.domainsAdd('imp-shop', 'www.imp.example.com');
  await h.domainsAdd('imp-shop', 'API.imp.example.com');
  await h.drainsAdd('imp-shop', 'https://logs.example.com/imp');
  await h.drainsAdd('imp-shop', 'https://user:drain-secret@secure.example.com/imp');

  await h.appsCreate('imp-admin');
  await h.configSet('imp-admin', { RAILS_ENV: 'production', SECRET_KEY_BASE: 'admin-skb-2' });
  // `heroku addons:attach REDIS -a imp-admin --as SHARED`: billed to imp-shop, attached here too.
  await h.request('POST', '/addon-attachments', { addon: redis.name, app: 'imp-admin', name: 'SHARED' });
  await h.deploy('imp-admin', { web: 'node server.js' });
}

describe('dynoform import', () => {
  let w: CliWorld;

  beforeAll(async () => {
    w = await CliWorld.start();
    await buildApps(w);
  });

  afterAll(async () => {
    await w?.close();
  });

  it('writes YAML and state without a single write request, and the first plan after it is empty', async () => {
    // A project that has dynoform installed locally: the schema comment points into its node_modules.
    await mkdir(w.path('node_modules/dynoform/schema'), { recursive: true });
    await w.write('node_modules/dynoform/schema/dynoform.schema.json', '{}');
    w.emulator.resetStats();
    const r = await w.run(['import', 'imp-shop', 'imp-admin', '-o', 'apps.yaml']);
    expect(r.code, r.stderr).toBe(0);
    expect(w.writes()).toEqual({});
    expect(r.stdout).toBe('');

    const text = await readFile(w.path('apps.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=node_modules/dynoform/schema/dynoform.schema.json');
    const doc = parse(text) as { version: number; apps: Record<string, Record<string, unknown>> };
    expect(doc.version).toBe(1);
    expect(doc.apps['imp-shop']).toEqual({
      region: 'eu',
      stack: 'heroku-24',
      maintenance: true,
      config: {
        EMPTY: '',
        ENABLE_X: 'yes',
        PRICE: 'p$${amount}',
        RAILS_ENV: 'production',
        SECRET_KEY_BASE: '${env:IMP_SHOP__SECRET_KEY_BASE}',
      },
      addons: {
        cache: { plan: 'heroku-redis:mini', as: 'CACHE' },
        database: { plan: 'heroku-postgresql:essential-0', as: 'DATABASE' },
      },
      formation: {
        release: { quantity: 0, size: expect.any(String) },
        web: { quantity: 2, size: 'standard-1X' },
        worker: { quantity: 1, size: 'standard-1X' },
      },
      domains: ['api.imp.example.com', 'www.imp.example.com'],
      drains: ['${env:IMP_SHOP__LOG_DRAIN_URL}', 'https://logs.example.com/imp'],
    });
    // Add-on config vars (DATABASE_URL, CACHE_URL, SHARED_URL) are the add-ons' own: left out.
    expect(text).not.toMatch(/DATABASE_URL|CACHE_URL|SHARED_URL/);
    expect(doc.apps['imp-admin']).toMatchObject({
      config: { RAILS_ENV: 'production', SECRET_KEY_BASE: '${env:IMP_ADMIN__SECRET_KEY_BASE}' },
      formation: { web: { quantity: 1, size: expect.any(String) } },
    });
    expect(doc.apps['imp-admin']!['addons']).toBeUndefined(); // the shared add-on is billed to imp-shop
    // imp-shop is imported too, so imp-admin declares its attachment by the owner's key and add-on key.
    expect(doc.apps['imp-admin']!['attachments']).toEqual({ SHARED: expect.stringMatching(/^imp-shop\/[a-z_]+$/) });
    expect(r.stderr).not.toContain('left out');
    expect(r.stderr).toMatch(/IMP_SHOP__SECRET_KEY_BASE +imp-shop\/config\.SECRET_KEY_BASE/);
    expect(r.stderr).not.toMatch(/RAILS_ENV +imp-/); // a literal: nothing to set
    for (const secret of ['shop-skb-1', 'admin-skb-2', 'drain-secret']) {
      expect(text + r.stderr).not.toContain(secret);
      expect(await readFile(w.path('.dynoform/state.json'), 'utf8')).not.toContain(secret);
    }

    // The environment the printed list asks for, set to the live values.
    const shop = await w.heroku.configVars('imp-shop');
    const admin = await w.heroku.configVars('imp-admin');
    const env = {
      // #15 §3: a shell that happens to have RAILS_ENV set must not feed the imported apps.
      RAILS_ENV: 'development',
      IMP_SHOP__SECRET_KEY_BASE: shop['SECRET_KEY_BASE']!,
      IMP_ADMIN__SECRET_KEY_BASE: admin['SECRET_KEY_BASE']!,
      IMP_SHOP__LOG_DRAIN_URL: 'https://user:drain-secret@secure.example.com/imp',
    };
    w.emulator.resetStats();
    const plan = await w.run(['plan', '-f', 'apps.yaml', '--detailed-exitcode'], env);
    expect(plan.stderr).not.toMatch(/error/i);
    expect(plan.code, plan.stdout).toBe(0);
    expect(plan.stdout).toContain('No changes.');
    const drift = await w.run(['drift', '-f', 'apps.yaml', '--classes', 'all', '--format', 'json'], env);
    expect(drift.code, drift.stdout).toBe(2); // only the shared add-on, which import left out on purpose
    const items = (JSON.parse(drift.stdout) as { items: Array<{ class: string; address: string }> }).items;
    expect(items.map((i) => `${i.class} ${i.address}`)).toEqual(['unmanaged app.imp-admin/addon.shared']);
    expect((await w.run(['drift', '-f', 'apps.yaml'], env)).code).toBe(0);
    expect(w.writes()).toEqual({});

    // And an apply of that empty plan changes nothing.
    const apply = await w.run(['apply', '-f', 'apps.yaml', '--auto-approve'], env);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(w.writes()).toEqual({});
  });

  it('refuses to import an app the state already manages, an unknown app, and an existing --out file', async () => {
    const again = await w.run(['import', 'imp-shop', '-o', 'again.yaml']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already managed');
    expect(again.stderr).toContain('dynoform state forget app.imp-shop');

    const unknown = await w.run(['import', 'no-such-app', '-o', 'x.yaml', '--state', 'other-state.json']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no such app visible to this account: no-such-app');

    const exists = await w.run(['import', 'imp-admin', '-o', 'apps.yaml', '--state', 'other-state.json']);
    expect(exists.code).toBe(1);
    expect(exists.stderr).toContain('apps.yaml exists');

    const badPattern = await w.run(['import', 'imp-admin', '--secret-keys', 'A-B', '--state', 'other-state.json']);
    expect(badPattern.code).toBe(1);
    expect(badPattern.stderr).toContain('--secret-keys: "A-B" is not a key pattern');

    const bad = await w.run(['import', 'Not_An_App']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('not a Heroku app name');
  });

  it('--secret-keys turns more keys into references, with the reason in the list of variables', async () => {
    const r = await w.run(['import', 'imp-shop', '--secret-keys', 'RAILS_*,PRICE', '--state', 'keys-state.json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = parse(r.stdout) as { apps: Record<string, { config: Record<string, string> }> };
    expect(doc.apps['imp-shop']!.config).toMatchObject({ RAILS_ENV: '${env:IMP_SHOP__RAILS_ENV}', PRICE: '${env:IMP_SHOP__PRICE}', ENABLE_X: 'yes' });
    expect(r.stderr).toMatch(/IMP_SHOP__RAILS_ENV +imp-shop\/config\.RAILS_ENV \(key matches RAILS_\*\)/);
    expect(r.stderr).toMatch(/IMP_SHOP__LOG_DRAIN_URL +imp-shop\/drain\.https:\/\/\*\*\*@secure\.example\.com\/imp \(a URL with credentials\)/);
    expect(r.stdout + r.stderr).not.toContain('shop-skb-1');
  });

  it('--include-values writes literals (with a warning) and the plan is empty without any environment', async () => {
    // A state of its own folder: beside keys-state.json, which owns imp-shop already, the import would be refused (issue 15).
    const r = await w.run(['import', 'imp-shop', '--include-values', '--state', 'values/state.json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Warning: --include-values wrote config values in plain text');
    const doc = parse(r.stdout) as { apps: Record<string, { config: Record<string, string>; drains: string[] }> };
    expect(doc.apps['imp-shop']!.config).toEqual({ EMPTY: '', ENABLE_X: 'yes', PRICE: 'p$${amount}', RAILS_ENV: 'production', SECRET_KEY_BASE: 'shop-skb-1' });
    expect(r.stdout).toContain('ENABLE_X: "yes"');
    await w.write('values.yaml', r.stdout);
    const plan = await w.run(['plan', '-f', 'values.yaml', '--state', 'values/state.json', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes.');
  });
});

import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkStateEnvironment,
  createFileBackend,
  defaultStatePath,
  foreignApps,
  migrateState,
  parseInventory,
  parsePostgresUrl,
  serializeInventory,
} from '../../../src/state/index.js';
import { sampleApp, sampleInventory } from './fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dynoform-env-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const who = { who: 'alice@laptop' };

describe('state: environments', () => {
  it('puts each environment in its own file beside the first YAML file; no environment keeps state.json', () => {
    expect(defaultStatePath(['defaults.yaml', 'production.yaml'], '/repo', 'production')).toBe('/repo/.dynoform/production.json');
    expect(defaultStatePath(['defaults.yaml'], '/repo')).toBe('/repo/.dynoform/state.json');
    expect(defaultStatePath(['defaults.yaml'], '/repo', 'default')).toBe('/repo/.dynoform/state.json');
  });

  it('names the postgres state after the environment unless ?state= says otherwise', () => {
    expect(parsePostgresUrl('postgres://u@h/db', 'staging').stateName).toBe('staging');
    expect(parsePostgresUrl('postgres://u@h/db?state=x', 'staging').stateName).toBe('x');
    expect(parsePostgresUrl('postgres://u@h/db').stateName).toBe('default');
  });

  it('records the environment right after the serial and reads it back', () => {
    const inv = { ...sampleInventory(), environment: 'staging' };
    const text = serializeInventory(inv);
    expect(Object.keys(JSON.parse(text))).toEqual(['version', 'lineage', 'serial', 'environment', 'apps']);
    const back = parseInventory(text);
    expect(back.ok && back.inventory.environment).toBe('staging');
    const bad = parseInventory(serializeInventory({ ...inv, environment: 'Prod uction' }));
    expect(bad).toMatchObject({ ok: false, problem: expect.stringContaining('environment:') });
  });

  it('refuses a state of another environment, and a legacy state for a named one', () => {
    const staging = { ...sampleInventory(), environment: 'staging' };
    expect(() => checkStateEnvironment(staging, 'staging', 's.json')).not.toThrow();
    expect(() => checkStateEnvironment(staging, 'production', 's.json')).toThrow(/belongs to environment staging, not production/);
    const legacy = sampleInventory();
    expect(() => checkStateEnvironment(legacy, 'default', 'state.json')).not.toThrow();
    expect(() => checkStateEnvironment(legacy, 'production', 'state.json')).toThrow(/dynoform state migrate --from state.json/);
    // An empty legacy state holds nothing to take over.
    expect(() => checkStateEnvironment({ ...legacy, apps: {} }, 'production', 'state.json')).not.toThrow();
    expect(() => checkStateEnvironment(undefined, 'production', 'x')).not.toThrow();
  });

  it('reads the sibling states of a folder (and only states) as the owners of other apps', async () => {
    await mkdir(join(dir, '.dynoform'));
    const base = join(dir, '.dynoform');
    await writeFile(join(base, 'production.json'), serializeInventory({ ...sampleInventory(), environment: 'production' }));
    await writeFile(join(base, 'state.json'), serializeInventory({ ...sampleInventory(), apps: { old: sampleApp('old') } }));
    await writeFile(join(base, 'package.json'), '{"name":"x"}');
    await writeFile(join(base, 'broken.json'), '{"lineage": 3}');
    const me = createFileBackend(join(base, 'staging.json'));
    const { states, unreadable } = await me.siblings();
    expect(states.map((s) => [s.location, s.environment, s.apps.map((a) => a.key).sort()])).toEqual([
      [join(base, 'production.json'), 'production', ['blog', 'shop']],
      [join(base, 'state.json'), 'default', ['old']],
    ]);
    expect(unreadable).toEqual([join(base, 'broken.json')]);
    expect(foreignApps(states)[0]).toMatchObject({ id: 'id-blog', environment: 'production', state: join(base, 'production.json') });
    await me.close();
  });

  it('migrates a shared legacy state one environment at a time, keeping the lineage', async () => {
    const old = join(dir, 'state.json');
    const legacy = { ...sampleInventory('11111111-0000-4000-8000-000000000001', 9), apps: { 'shop-staging': sampleApp('shop-staging'), 'shop-production': sampleApp('shop-production') } };
    await writeFile(old, serializeInventory(legacy));
    const from = createFileBackend(old);
    const to = createFileBackend(join(dir, 'staging.json'));
    const r = await migrateState(from, to, { environment: 'staging', keys: ['shop-staging', 'shop-new'], ...who });
    expect(r).toEqual({ moved: ['shop-staging'], left: ['shop-production'], absent: ['shop-new'], inPlace: false });
    const staging = JSON.parse(await readFile(join(dir, 'staging.json'), 'utf8'));
    expect(staging).toMatchObject({ environment: 'staging', lineage: legacy.lineage, serial: 10 });
    expect(Object.keys(staging.apps)).toEqual(['shop-staging']);
    const rest = JSON.parse(await readFile(old, 'utf8'));
    expect(Object.keys(rest.apps)).toEqual(['shop-production']);
    expect(rest.environment).toBeUndefined();

    // In place: only when the state holds nothing but the declared apps.
    await expect(migrateState(from, from, { environment: 'production', keys: ['x'], ...who })).rejects.toThrow(/also holds apps the files do not declare \(shop-production\)/);
    const r2 = await migrateState(from, from, { environment: 'production', keys: ['shop-production'], ...who });
    expect(r2.inPlace).toBe(true);
    expect(JSON.parse(await readFile(old, 'utf8')).environment).toBe('production');
    // An environment's state is not migrated again into another.
    await expect(migrateState(from, to, { environment: 'staging', keys: [], ...who })).rejects.toThrow(/already belongs to environment production/);
    await from.close();
    await to.close();
  });
});

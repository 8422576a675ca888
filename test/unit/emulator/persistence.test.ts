import { appendFile, copyFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../src/emulator/index.js';
import { client, tick } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emu-data-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('--data FILE', () => {
  it('saves on close and reloads everything, with no secret in the file', async () => {
    const file = join(dir, 'state', 'emulator.json');
    const first = await startEmulator({ dataFile: file, seed: 5, apiKeys: ['super-secret-key'] });
    const call = client(first, 'super-secret-key');
    await call('POST', '/apps', { body: { name: 'kept' } });
    await call('PATCH', '/apps/kept/config-vars', { body: { A: '1' } });
    const db = (await call('POST', '/apps/kept/addons', { body: { plan: 'heroku-postgresql:essential-0' } })).body;
    await call('POST', '/apps/kept/domains', { body: { hostname: 'kept.example.com', sni_endpoint: null } });
    await call('POST', '/apps/kept/log-drains', { body: { url: 'https://logs.example.com/kept' } });
    await tick(20);
    const before = {
      app: (await call('GET', '/apps/kept')).text,
      config: (await call('GET', '/apps/kept/config-vars')).text,
      releases: (await call('GET', '/apps/kept/releases')).text,
      addons: (await call('GET', '/apps/kept/addons')).text,
      domains: (await call('GET', '/apps/kept/domains')).text,
      drains: (await call('GET', '/apps/kept/log-drains')).text,
    };
    await first.close();
    const saved = await readFile(file, 'utf8');
    expect(saved).not.toContain('super-secret-key');
    expect(JSON.parse(saved)).toMatchObject({ format: 'dynoform-emulator', version: 1 });

    // Same seed again: reloaded ids must not collide with newly generated ones.
    const second = await startEmulator({ dataFile: file, seed: 5, apiKeys: ['super-secret-key'] });
    try {
      const again = client(second, 'super-secret-key');
      expect((await again('GET', '/apps/kept')).text).toBe(before.app);
      expect((await again('GET', '/apps/kept/config-vars')).text).toBe(before.config);
      expect((await again('GET', '/apps/kept/releases')).text).toBe(before.releases);
      expect((await again('GET', '/apps/kept/addons')).text).toBe(before.addons);
      expect((await again('GET', '/apps/kept/domains')).text).toBe(before.domains);
      expect((await again('GET', '/apps/kept/log-drains')).text).toBe(before.drains);
      expect((await again('GET', `/addons/${db.name}`)).body.state).toBe('provisioned');
      const other = (await again('POST', '/apps', { body: { name: 'added-later' } })).body;
      const ids = JSON.parse(before.releases).map((r: any) => r.id);
      expect(ids).not.toContain(other.id);
      expect(JSON.parse(before.app).id).not.toBe(other.id);
    } finally {
      await second.close();
    }
  });

  it('journals changes shortly after they happen, not only at close, and only what changed', async () => {
    const file = join(dir, 'live.json');
    const emu = await startEmulator({ dataFile: file });
    try {
      await client(emu)('POST', '/apps', { body: { name: 'saved-early' } });
      const journals = async () => (await readdir(dir)).filter((n) => n.startsWith('live.json.journal.'));
      let text = '';
      for (let i = 0; i < 50 && !text.includes('saved-early'); i++) {
        await tick(50);
        text = (await Promise.all((await journals()).map((n) => readFile(join(dir, n), 'utf8')))).join('');
      }
      expect(text).toContain('saved-early');
      const before = text.length;
      await client(emu)('PATCH', '/apps/saved-early/config-vars', { body: { ONE: '1' } });
      await emu.save();
      const after = (await Promise.all((await journals()).map((n) => readFile(join(dir, n), 'utf8')))).join('');
      // The app and one release: two lines, not the whole store again.
      expect(after.slice(before).trim().split('\n').map((l) => JSON.parse(l).c).sort()).toEqual(['apps', 'releases']);
    } finally {
      await emu.close();
    }
    // A clean close leaves one self-contained file.
    expect((await readdir(dir)).filter((n) => n.startsWith('live.json.'))).toEqual([]);
    expect(await readFile(file, 'utf8')).toContain('saved-early');
  });

  it('comes back from a crash: snapshot plus journal, a torn last line ignored, a stale temporary file removed', async () => {
    const file = join(dir, 'crash.json');
    const first = await startEmulator({ dataFile: file, seed: 11 });
    const call = client(first);
    await call('POST', '/apps', { body: { name: 'before-crash' } });
    await first.save();
    await call('PATCH', '/apps/before-crash/config-vars', { body: { KEPT: 'yes' } });
    await first.save();
    const expected = (await call('GET', '/apps/before-crash/config-vars')).text;
    const releases = (await call('GET', '/apps/before-crash/releases')).text;
    // What a kill -9 leaves, copied aside before the clean close: journals only
    // (no snapshot yet), plus a torn append and a half-written snapshot of a dead process.
    const crashed = join(dir, 'crashed.json');
    const journals = (await readdir(dir)).filter((n) => n.startsWith('crash.json.'));
    expect(journals.length).toBeGreaterThan(0);
    for (const n of journals) await copyFile(join(dir, n), join(dir, n.replace('crash.json', 'crashed.json')));
    await appendFile(join(dir, journals[journals.length - 1]!.replace('crash.json', 'crashed.json')), '{"c":"apps","id":"torn');
    await writeFile(join(dir, 'crashed.json.99999999.tmp'), '{"format":"dynoform-emu');
    await first.close();

    const second = await startEmulator({ dataFile: crashed, seed: 11 });
    try {
      const again = client(second);
      expect((await again('GET', '/apps/before-crash/config-vars')).text).toBe(expected);
      expect((await again('GET', '/apps/before-crash/releases')).text).toBe(releases);
      expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('finishes provisioning that was in flight when saved', async () => {
    const file = join(dir, 'inflight.json');
    const first = await startEmulator({ dataFile: file, provisionDelayMs: 60_000 });
    const call = client(first);
    await call('POST', '/apps', { body: { name: 'slow-db' } });
    const db = (await call('POST', '/apps/slow-db/addons', { body: { plan: 'heroku-postgresql:essential-0' } })).body;
    expect(db.state).toBe('provisioning');
    await first.close();
    const second = await startEmulator({ dataFile: file, provisionDelayMs: 10 });
    try {
      await tick(80);
      expect((await client(second)('GET', `/addons/${db.id}`)).body.state).toBe('provisioned');
    } finally {
      await second.close();
    }
  });

  it('refuses a file that is not emulator data', async () => {
    const file = join(dir, 'garbage.json');
    await writeFile(file, '{"hello": "world"}');
    await expect(startEmulator({ dataFile: file })).rejects.toThrow(/not an emulator data file/);
    await writeFile(file, 'not json');
    await expect(startEmulator({ dataFile: file })).rejects.toThrow(/not valid JSON/);
  });
});

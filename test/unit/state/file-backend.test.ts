import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileBackend } from '../../../src/state/file.js';
import {
  StateConflictError,
  StateCorruptError,
  StateError,
  StateLockedError,
  StateVersionError,
} from '../../../src/state/errors.js';
import { newInventory, serializeInventory } from '../../../src/state/inventory.js';
import type { StateBackend } from '../../../src/state/backend.js';
import { sampleApp, sampleInventory } from './fixtures.js';

let dir: string;
let path: string;
const backends: StateBackend[] = [];

function backend(opts: Parameters<typeof createFileBackend>[1] = {}): StateBackend {
  const b = createFileBackend(path, { pollIntervalMs: 20, ...opts });
  backends.push(b);
  return b;
}

const who = { who: 'alice@laptop', operation: 'apply' };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dynoform-state-'));
  path = join(dir, '.dynoform', 'state.json');
});

afterEach(async () => {
  for (const b of backends.splice(0)) await b.close();
  await rm(dir, { recursive: true, force: true });
});

/** A pid that surely belongs to no running process: one that just exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

async function writeState(text: string): Promise<void> {
  await mkdir(join(dir, '.dynoform'), { recursive: true });
  await writeFile(path, text);
}

describe('file backend: reading and writing', () => {
  it('reads nothing before the first write, then what was written, with the serial incremented', async () => {
    const b = backend();
    expect(await b.read()).toBeUndefined();
    const lock = await b.lock(who);
    expect(lock.current).toBeUndefined();
    const inv = newInventory();
    inv.apps.shop = sampleApp('shop');
    await lock.write(inv);
    expect(lock.current?.serial).toBe(1);
    await lock.write(inv);
    expect(lock.current?.serial).toBe(2);
    await lock.release();
    const back = await b.read();
    expect(back).toEqual({ ...inv, serial: 2 });
    const text = await readFile(path, 'utf8');
    expect(text).toBe(serializeInventory({ ...inv, serial: 2 }));
    expect(text).toContain('\n  "apps": {');
    // The lock file is gone after release, and no temp file is left.
    expect((await readdir(join(dir, '.dynoform'))).sort()).toEqual(['state.json']);
  });

  it('serialises concurrent writes in call order', async () => {
    const lock = await backend().lock(who);
    const base = newInventory();
    await Promise.all(Array.from({ length: 10 }, () => lock.write(base)));
    expect(lock.current?.serial).toBe(10);
    await lock.release();
  });

  it('refuses a write of another lineage or of a serial older than the one read under the lock', async () => {
    await writeState(serializeInventory(sampleInventory('lineage-a', 5)));
    const lock = await backend().lock(who);
    expect(lock.current?.serial).toBe(5);
    await expect(lock.write(sampleInventory('lineage-b', 5))).rejects.toThrow(StateConflictError);
    await expect(lock.write(sampleInventory('lineage-b', 5))).rejects.toThrow(/lineage lineage-a.*lineage lineage-b/);
    await expect(lock.write(sampleInventory('lineage-a', 4))).rejects.toThrow(/serial 4, but the state was at serial 5/);
    await expect(lock.write(sampleInventory('lineage-a', 9))).rejects.toThrow(StateConflictError);
    await lock.write(sampleInventory('lineage-a', 5));
    // The inventory read under the lock stays writable after this run's own writes.
    await lock.write(sampleInventory('lineage-a', 5));
    expect(lock.current?.serial).toBe(7);
    await lock.release();
    expect((await backend().read())?.serial).toBe(7);
  });

  it('refuses to write a malformed inventory or one holding a raw value instead of a fingerprint', async () => {
    const lock = await backend().lock(who);
    const inv = newInventory();
    inv.apps.shop = sampleApp('shop');
    inv.apps.shop.config.PASSWORD = { fingerprint: 'hunter2', secret: true };
    await expect(lock.write(inv)).rejects.toThrow(/malformed inventory \(apps\.shop\.config\.PASSWORD\.fingerprint/);
    await lock.release();
    expect(await backend().read()).toBeUndefined();
  });
});

describe('file backend: atomic writes', () => {
  it('a crash between the temp write and the rename leaves the old file intact', async () => {
    const before = serializeInventory(sampleInventory('lin', 3));
    await writeState(before);
    let temp = '';
    const b = backend({
      beforeRename: (t) => {
        temp = t;
        throw new Error('simulated crash');
      },
    });
    const lock = await b.lock(who);
    const next = sampleInventory('lin', 3);
    delete next.apps.shop;
    await expect(lock.write(next)).rejects.toThrow(/cannot write state .*simulated crash.*previous state is intact/);
    expect(temp).toMatch(/\.state\.json\.\d+\.[0-9a-f]+\.tmp$/);
    expect(await readFile(path, 'utf8')).toBe(before);
    await lock.release();
    expect(await backend().read()).toEqual(sampleInventory('lin', 3));
  });

  it('a temp file left by a process killed before its rename is cleaned up by the next lock, and the state is the old one', async () => {
    const before = serializeInventory(sampleInventory('lin', 3));
    await writeState(before);
    const leftover = join(dir, '.dynoform', '.state.json.99999.deadbeef.tmp');
    await writeFile(leftover, '{"half": ');
    const lock = await backend().lock(who);
    expect(lock.current?.serial).toBe(3);
    expect(await readdir(join(dir, '.dynoform'))).not.toContain('.state.json.99999.deadbeef.tmp');
    await lock.release();
  });
});

describe('file backend: refusing bad state files', () => {
  it('refuses a corrupt file with its path and the problem, and never overwrites it', async () => {
    const garbage = '{"version": 1, "lineage": "x", "serial": 2, "apps": {"shop": ';
    await writeState(garbage);
    const b = backend();
    await expect(b.read()).rejects.toThrow(StateCorruptError);
    await expect(b.read()).rejects.toThrow(new RegExp(`state ${path.replace(/[.]/g, '\\.')} is corrupt: not valid JSON`));
    await expect(b.lock(who)).rejects.toThrow(StateCorruptError);
    expect(await readFile(path, 'utf8')).toBe(garbage);
    // The failed lock() did not leave its lock behind.
    expect(await readdir(join(dir, '.dynoform'))).toEqual(['state.json']);
  });

  it('refuses a well-formed JSON file that is not an inventory, naming the field', async () => {
    const text = JSON.stringify({ version: 1, lineage: 'x', serial: 1, apps: { shop: { key: 'shop' } } });
    await writeState(text);
    await expect(backend().read()).rejects.toThrow(/is corrupt: apps\.shop\.id: must be a string/);
    expect(await readFile(path, 'utf8')).toBe(text);
  });

  it('refuses a state written by a newer dynoform, and never overwrites it', async () => {
    const text = JSON.stringify({ version: 7, lineage: 'x', serial: 1, apps: {}, shinyNewThing: true });
    await writeState(text);
    const b = backend();
    const err = await b.read().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateVersionError);
    expect((err as Error).message).toContain(path);
    expect((err as Error).message).toMatch(/format version 7.*reads up to version 1.*upgrade dynoform/);
    await expect(b.lock(who)).rejects.toThrow(StateVersionError);
    expect(await readFile(path, 'utf8')).toBe(text);
  });

  it('explains a state path that is a directory', async () => {
    await mkdir(path, { recursive: true });
    await expect(backend().read()).rejects.toThrow(/it is a directory/);
  });
});

describe('file backend: locking', () => {
  it('a second locker fails at once, naming who holds the lock, what for, and since when', async () => {
    const a = await backend().lock({ who: 'alice@laptop', operation: 'apply' });
    const err = (await backend()
      .lock({ who: 'bob@ci', operation: 'plan -o' })
      .catch((e: unknown) => e)) as StateLockedError;
    expect(err).toBeInstanceOf(StateLockedError);
    expect(err.message).toContain(`state ${path} is locked by alice@laptop (apply, pid ${process.pid} on ${hostname()}) since ${a.info.since}`);
    expect(err.message).toMatch(/--lock-timeout/);
    expect(err.stale).toBe(false);
    expect(err.holder?.id).toBe(a.info.id);
    await a.release();
  });

  it('a run that writes no state removes the folder it made for its lock, and only that (issue 15 §5)', async () => {
    const nested = join(dir, 'a', 'b', 'state.json');
    const lock = await backend({}).lock(who);
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
    const deep = createFileBackend(nested);
    backends.push(deep);
    await (await deep.lock(who)).release();
    expect(await readdir(dir)).toEqual([]);
    // A folder that was there before, or that holds anything else, stays.
    await mkdir(join(dir, '.dynoform'));
    await (await backend().lock(who)).release();
    expect(existsSync(join(dir, '.dynoform'))).toBe(true);
    await rm(join(dir, '.dynoform'), { recursive: true });
    const written = await backend().lock(who);
    await written.write(newInventory());
    await written.release();
    expect(await readdir(join(dir, '.dynoform'))).toEqual(['state.json']);
  });

  it('a second locker with --lock-timeout waits until the first releases', async () => {
    const a = await backend().lock(who);
    const waiting = backend().lock({ who: 'bob@ci', operation: 'apply', timeoutMs: 10_000 });
    let got = false;
    void waiting.then(() => (got = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toBe(false);
    await a.release();
    const b = await waiting;
    expect(b.info.who).toBe('bob@ci');
    await b.release();
  });

  it('a waiting locker gives up when the timeout passes, and says it waited', async () => {
    const a = await backend().lock(who);
    await expect(backend().lock({ ...who, timeoutMs: 150 })).rejects.toThrow(/locked by alice@laptop.*Waited 150ms/);
    await a.release();
  });

  it('waiting for a lock can be aborted', async () => {
    const a = await backend().lock(who);
    const ac = new AbortController();
    const waiting = backend().lock({ ...who, timeoutMs: 60_000, signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await expect(waiting).rejects.toThrow(/interrupted while waiting for the lock/);
    await a.release();
  });

  it('only one of many racing lockers wins', async () => {
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => backend().lock({ who: `w${i}`, operation: 'apply' })));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(StateLockedError);
    await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<StateBackend['lock']>>>).value.release();
  });

  it('takes over a lock whose process is dead on this host, and says whose it was', async () => {
    const pid = deadPid();
    await mkdir(join(dir, '.dynoform'), { recursive: true });
    const lockText = JSON.stringify({ id: 'x', who: 'carol@here', operation: 'apply', since: '2026-01-01T00:00:00.000Z', host: hostname(), pid });
    await writeFile(`${path}.lock`, lockText);
    const lock = await backend().lock(who);
    expect(lock.tookOver).toMatchObject({ id: 'x', who: 'carol@here', pid });
    const now = JSON.parse(await readFile(`${path}.lock`, 'utf8')) as { id: string };
    expect(now.id).toBe(lock.info.id);
    await lock.release();
    expect(existsSync(`${path}.lock`)).toBe(false);
    expect((await readdir(join(dir, '.dynoform'))).filter((n) => n.includes('stale'))).toEqual([]);
  });

  it('never takes over the lock of a process that is still running, nor one held on another host', async () => {
    await mkdir(join(dir, '.dynoform'), { recursive: true });
    const alive = JSON.stringify({ id: 'a', who: 'dave@here', operation: 'apply', since: '2026-01-01T00:00:00.000Z', host: hostname(), pid: process.pid });
    await writeFile(`${path}.lock`, alive);
    const err = (await backend().lock(who).catch((e: unknown) => e)) as StateLockedError;
    expect(err).toBeInstanceOf(StateLockedError);
    expect(err.stale).toBe(false);
    expect(await readFile(`${path}.lock`, 'utf8')).toBe(alive);

    const elsewhere = JSON.stringify({ id: 'b', who: 'erin@there', operation: 'apply', since: '2026-01-01T00:00:00.000Z', host: 'another-host', pid: deadPid() });
    await writeFile(`${path}.lock`, elsewhere);
    await expect(backend().lock(who)).rejects.toBeInstanceOf(StateLockedError);
    expect(await readFile(`${path}.lock`, 'utf8')).toBe(elsewhere);
  });

  it('reports an empty lock file (crash while locking) as unreadable and points at unlock --force', async () => {
    await mkdir(join(dir, '.dynoform'), { recursive: true });
    await writeFile(`${path}.lock`, '');
    await expect(backend().lock(who)).rejects.toThrow(/lock file .*state\.json\.lock is empty or unreadable.*state unlock --force/);
  });

  it('a forced unlock while a run holds the lock makes that run\'s next write fail instead of writing unguarded', async () => {
    const lock = await backend().lock(who);
    const inv = newInventory();
    await lock.write(inv);
    const broken = await backend().breakLock({ force: true });
    expect(broken.broken).toBe(true);
    const other = await backend().lock({ who: 'bob@ci', operation: 'apply' });
    await expect(lock.write(inv)).rejects.toThrow(/lock on state .* was removed by someone else.*now held by bob@ci/);
    await lock.release();
    // Releasing the broken lock does not remove the new holder's lock file.
    expect((await backend().lockHolder())?.info?.who).toBe('bob@ci');
    await other.release();
  });
});

describe('file backend: unlock (breakLock)', () => {
  it('says when there is no lock', async () => {
    expect(await backend().breakLock({ force: false })).toEqual({ holder: undefined, broken: false });
  });

  it('removes a stale lock without --force', async () => {
    await mkdir(join(dir, '.dynoform'), { recursive: true });
    await writeFile(`${path}.lock`, JSON.stringify({ id: 'x', who: 'carol', operation: 'apply', since: 'then', host: hostname(), pid: deadPid() }));
    const r = await backend().breakLock({ force: false });
    expect(r).toMatchObject({ broken: true, holder: { stale: true, info: { who: 'carol' } } });
    expect(await backend().lockHolder()).toBeUndefined();
    const lock = await backend().lock(who);
    await lock.release();
  });

  it('refuses to remove a live holder\'s lock without --force, and removes it with --force', async () => {
    const held = await backend().lock(who);
    const r = await backend().breakLock({ force: false });
    expect(r.broken).toBe(false);
    expect(r.refused).toMatch(/still running on this host; pass --force/);
    expect((await backend().lockHolder())?.info?.id).toBe(held.info.id);
    const f = await backend().breakLock({ force: true });
    expect(f).toMatchObject({ broken: true, holder: { stale: false } });
    expect(await backend().lockHolder()).toBeUndefined();
    await held.release();
  });

  it('refuses without --force when the holder is on another host', async () => {
    await mkdir(join(dir, '.dynoform'), { recursive: true });
    await writeFile(`${path}.lock`, JSON.stringify({ id: 'x', who: 'dave', operation: 'apply', since: 'then', host: 'elsewhere.invalid', pid: 1 }));
    const r = await backend().breakLock({ force: false });
    expect(r.broken).toBe(false);
    expect(r.refused).toMatch(/another host \(elsewhere\.invalid\)/);
  });
});

describe('file backend: errors are StateErrors with stable codes', () => {
  it('cannot create the state directory', async () => {
    await writeFile(join(dir, 'blocker'), 'x');
    const b = createFileBackend(join(dir, 'blocker', 'state.json'));
    const err = await b.lock(who).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateError);
    expect((err as StateError).code).toBe('state-unwritable');
  });
});

import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import {
  StateConflictError,
  StateConnectionError,
  StateLockedError,
  StateVersionError,
  createFileBackend,
  newInventory,
  openState,
  pushState,
  serializeInventory,
  type StateBackend,
} from '../../../src/state/index.js';
import { sampleApp, sampleInventory } from '../../unit/state/fixtures.js';
import { PASSWORD, admin, describePg, dropState, spawnLockHolder, stateUrl, waitExit } from './pg-env.js';

describePg('postgres state backend (real PostgreSQL)', () => {
  const names: string[] = [];
  const backends: StateBackend[] = [];
  let dir: string;

  function url(): string {
    const u = stateUrl();
    names.push(new URL(u).searchParams.get('state')!);
    return u;
  }
  function open(spec: string): StateBackend {
    const b = openState(spec, { cwd: dir, postgres: { pollIntervalMs: 50 } });
    backends.push(b);
    return b;
  }
  const noPassword = (text: string): void => {
    expect(text).not.toContain(PASSWORD);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dynoform-pg-'));
  });
  afterEach(async () => {
    for (const b of backends.splice(0)) await b.close();
    for (const n of names.splice(0)) await dropState(n);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates its tables, writes versioned rows, reads the latest, keeps the last 20, and never shows the password', async () => {
    const spec = url();
    const b = open(spec);
    expect(b.describe()).toMatch(/^postgres:\/\/\*\*\*@127\.0\.0\.1:\d+\/[^?/]+\?state=t-/);
    noPassword(b.describe());
    expect(await b.read()).toBeUndefined();
    const lock = await b.lock({ who: 'alice@ci', operation: 'apply' });
    const inv = newInventory();
    inv.apps.shop = sampleApp('shop');
    for (let i = 0; i < 25; i++) await lock.write(inv);
    expect(lock.current?.serial).toBe(25);
    await lock.release();
    const back = await open(spec).read();
    expect(back).toEqual({ ...inv, serial: 25 });
    const name = new URL(spec).searchParams.get('state');
    const rows = await admin((c) => c.query('SELECT serial::int AS serial, written_by FROM dynoform_state WHERE name = $1 ORDER BY serial', [name]));
    expect(rows.rows.map((r) => r.serial)).toEqual(Array.from({ length: 20 }, (_, i) => i + 6));
    expect(rows.rows[0].written_by).toBe('alice@ci (apply)');
    // No lock is left behind.
    expect(await open(spec).lockHolder()).toBeUndefined();
  });

  it('two lockers: the second fails at once with "locked by <who> since <when>", or waits within --lock-timeout', async () => {
    const spec = url();
    const a = await open(spec).lock({ who: 'alice@ci', operation: 'apply' });
    const err = (await open(spec)
      .lock({ who: 'bob@laptop', operation: 'plan -o' })
      .catch((e: unknown) => e)) as StateLockedError;
    expect(err).toBeInstanceOf(StateLockedError);
    expect(err.message).toContain(`is locked by alice@ci (apply, pid ${process.pid} on ${hostname()}) since ${a.info.since}`);
    expect(err.message).toMatch(/--lock-timeout/);
    noPassword(err.message);

    const waiting = open(spec).lock({ who: 'bob@laptop', operation: 'apply', timeoutMs: 20_000 });
    let got = false;
    void waiting.then(() => (got = true), () => undefined);
    await new Promise((r) => setTimeout(r, 300));
    expect(got).toBe(false);
    await a.release();
    const b = await waiting;
    expect(b.info.who).toBe('bob@laptop');
    await b.release();

    const c = await open(spec).lock({ who: 'carol', operation: 'apply' });
    await expect(open(spec).lock({ who: 'dave', operation: 'apply', timeoutMs: 200 })).rejects.toThrow(/locked by carol .*Waited 200ms/);
    await c.release();
  });

  it('exactly one of many racing lockers wins', async () => {
    const spec = url();
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => open(spec).lock({ who: `w${i}`, operation: 'apply' })));
    const won = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<StateBackend['lock']>>> => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(StateLockedError);
    await won[0]!.value.release();
  });

  it('killing the lock holder process (SIGKILL) releases the lock', async () => {
    const spec = url();
    const child = await spawnLockHolder(spec, 'killme@box');
    try {
      const err = await open(spec).lock({ who: 'bob', operation: 'apply' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StateLockedError);
      expect((err as Error).message).toContain(`locked by killme@box (apply, pid ${child.pid} on ${hostname()})`);
      child.kill('SIGKILL');
      await waitExit(child);
      const lock = await open(spec).lock({ who: 'bob', operation: 'apply', timeoutMs: 15_000 });
      expect(lock.info.who).toBe('bob');
      await lock.release();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('losing the connection mid-apply gives StateConnectionError without the password, and acknowledged writes stay recorded', async () => {
    const spec = url();
    const name = new URL(spec).searchParams.get('state');
    const lock = await open(spec).lock({ who: 'alice', operation: 'apply' });
    const inv = newInventory();
    inv.apps.shop = sampleApp('shop');
    await lock.write(inv);
    await lock.write(inv);
    const killed = await admin((c) =>
      c.query('SELECT pg_terminate_backend(backend_pid) AS ok FROM dynoform_locks WHERE name = $1', [name]),
    );
    expect(killed.rows[0].ok).toBe(true);
    const err = (await lock.write(inv).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(StateConnectionError);
    expect(err.message).toMatch(/lost the connection to the state database postgres:\/\/\*\*\*@.*the state lock went with it.*up to serial 2/);
    noPassword(err.message);
    noPassword(err.stack ?? '');
    // Later writes fail the same way, never silently.
    await expect(lock.write(inv)).rejects.toThrow(StateConnectionError);
    await lock.release();
    expect((await open(spec).read())?.serial).toBe(2);
    // The lock went with the session.
    const next = await open(spec).lock({ who: 'bob', operation: 'apply', timeoutMs: 5_000 });
    expect(next.current?.serial).toBe(2);
    await next.release();
  });

  it('refuses a newer state version and a corrupt row, and leaves them untouched', async () => {
    const spec = url();
    const name = new URL(spec).searchParams.get('state');
    const seed = await open(spec).lock({ who: 'a', operation: 'apply' });
    await seed.write(newInventory());
    await seed.release();
    await admin((c) =>
      c.query(`INSERT INTO dynoform_state (name, serial, lineage, version, inventory, written_by) VALUES ($1, 2, 'l', 9, '{"version": 9}', 'future')`, [name]),
    );
    await expect(open(spec).read()).rejects.toThrow(StateVersionError);
    await expect(open(spec).lock({ who: 'b', operation: 'apply' })).rejects.toThrow(/format version 9.*upgrade dynoform/);
    await admin((c) => c.query(`UPDATE dynoform_state SET version = 1, inventory = '{"version": 1, "apps": []}' WHERE name = $1 AND serial = 2`, [name]));
    await expect(open(spec).read()).rejects.toThrow(/serial 2\) is corrupt: lineage: (is missing|must be a non-empty string)/);
    const rows = await admin((c) => c.query('SELECT count(*)::int AS n FROM dynoform_state WHERE name = $1', [name]));
    expect(rows.rows[0].n).toBe(2);
    // The failed lock() released its lock.
    expect(await open(spec).lockHolder()).toBeUndefined();
  });

  it('refuses a write of another lineage or an older serial', async () => {
    const spec = url();
    const lock = await open(spec).lock({ who: 'a', operation: 'apply' });
    const inv = sampleInventory('lin-x', 0);
    await lock.write(inv);
    await expect(lock.write(sampleInventory('lin-y', 1))).rejects.toThrow(StateConflictError);
    await lock.release();
    const again = await open(spec).lock({ who: 'a', operation: 'apply' });
    await expect(again.write(inv)).rejects.toThrow(/serial 0, but the state was at serial 1/);
    await again.release();
  });

  it('unlock: reports no lock; needs --force for a live holder; terminates a stale holder\'s session', async () => {
    const spec = url();
    const name = new URL(spec).searchParams.get('state');
    expect(await open(spec).breakLock({ force: false })).toEqual({ holder: undefined, broken: false });

    const live = await open(spec).lock({ who: 'alice', operation: 'apply' });
    const refused = await open(spec).breakLock({ force: false });
    expect(refused.broken).toBe(false);
    expect(refused.refused).toMatch(/database session \(pid \d+\) is alive.*--force/);
    expect(refused.holder?.info?.who).toBe('alice');
    expect(refused.holder?.detail).toMatch(/database session pid \d+, application_name dynoform/);
    const forced = await open(spec).breakLock({ force: true });
    expect(forced.broken).toBe(true);
    await expect(live.write(newInventory())).rejects.toThrow(StateConnectionError);
    await live.release();

    // A holder whose process is gone from this host but whose session lingers (e.g. a hung connection) is stale.
    const lingering = await open(spec).lock({ who: 'ghost', operation: 'apply' });
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
    await admin((c) => c.query('UPDATE dynoform_locks SET client_pid = $2 WHERE name = $1', [name, dead]));
    const lockedErr = (await open(spec).lock({ who: 'bob', operation: 'apply' }).catch((e: unknown) => e)) as StateLockedError;
    expect(lockedErr.stale).toBe(true);
    expect(lockedErr.message).toMatch(/lock is stale.*dynoform state unlock/);
    const stale = await open(spec).breakLock({ force: false });
    expect(stale).toMatchObject({ broken: true, holder: { stale: true, info: { who: 'ghost', pid: dead } } });
    await lingering.release();
    const after = await open(spec).lock({ who: 'bob', operation: 'apply', timeoutMs: 5_000 });
    await after.release();
  });

  it('migrating file → postgres → file keeps the inventory byte-identical (modulo serial)', async () => {
    const spec = url();
    const fileA = join(dir, 'a', 'state.json');
    const fileB = join(dir, 'b', 'state.json');
    const original = serializeInventory(sampleInventory('lin-migrate', 7));
    await mkdir(join(dir, 'a'), { recursive: true });
    await writeFile(fileA, original);
    const r1 = await pushState(open(fileA), open(spec), { who: 't', force: false });
    expect(r1).toMatchObject({ outcome: 'pushed', lineage: 'lin-migrate' });
    // The postgres copy moves on (an apply through it).
    const lock = await open(spec).lock({ who: 't', operation: 'apply' });
    await lock.write(lock.current!);
    await lock.release();
    const r2 = await pushState(open(spec), open(fileB), { who: 't', force: false });
    expect(r2).toMatchObject({ outcome: 'pushed', serial: 8 });
    const copied = await readFile(fileB, 'utf8');
    const normalise = (t: string): string => t.replace(/"serial": \d+/, '"serial": 0');
    expect(normalise(copied)).toBe(normalise(original));
    expect(copied).toContain('"serial": 8');
    // Back into the original file: same lineage, newer serial.
    const r3 = await pushState(open(fileB), open(fileA), { who: 't', force: false });
    expect(r3).toMatchObject({ outcome: 'pushed', serial: 8 });
    expect(await readFile(fileA, 'utf8')).toBe(copied);
  });

  it('push refuses to overwrite a different lineage without --force, and refuses a newer destination', async () => {
    const spec = url();
    const file = join(dir, `x-${Date.now()}.json`);
    await writeFile(file, serializeInventory(sampleInventory('lin-1', 3)));
    const seed = await open(spec).lock({ who: 't', operation: 'apply' });
    const other = sampleInventory('lin-2', 0);
    await seed.write(other);
    await seed.release();
    await expect(pushState(open(file), open(spec), { who: 't', force: false })).rejects.toThrow(/already holds a different state \(lineage lin-2, serial 1/);
    const forced = await pushState(open(file), open(spec), { who: 't', force: true });
    expect(forced).toMatchObject({ outcome: 'pushed', serial: 3, replacedLineage: 'lin-2' });
    expect((await open(spec).read())?.lineage).toBe('lin-1');
    // The file is now older than postgres after another write there.
    const l = await open(spec).lock({ who: 't', operation: 'apply' });
    await l.write(l.current!);
    await l.release();
    await expect(pushState(open(file), open(spec), { who: 't', force: false })).rejects.toThrow(/is newer than .*serial 4 > 3/);
  });

  it('the CLI never prints the password: list, show, forget, unlock, push both ways, lock and connection errors', async () => {
    const spec = url();
    const file = join(dir, `cli-${Date.now()}.json`);
    await writeFile(file, serializeInventory(sampleInventory('lin-cli', 2)));
    const outputs: string[] = [];
    const run = async (args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> => {
      const chunks = { out: '', err: '' };
      const sink = (k: 'out' | 'err'): Writable =>
        new Writable({
          write(c, _e, cb) {
            chunks[k] += String(c);
            cb();
          },
        });
      const code = await main(['node', 'dynoform', ...args], {
        env: { USER: 'tester', ...env },
        cwd: dir,
        stdout: sink('out'),
        stderr: sink('err'),
        stdin: Readable.from([]),
        signal: new AbortController().signal,
      });
      outputs.push(chunks.out, chunks.err);
      return { code, ...chunks };
    };

    const push = await run(['state', 'push', '--state', file, '--to', spec]);
    expect(push.code).toBe(0);
    expect(push.out).toMatch(/Pushed state \(lineage lin-cli, serial 2\) from .* to postgres:\/\/\*\*\*@/);
    const list = await run(['state', 'list'], { DYNOFORM_STATE: spec });
    expect(list.out.split('\n')).toContain('app.shop/addon.db');
    expect((await run(['state', 'show', 'app.shop/formation.web', '--state', spec])).out).toBe('{\n  "quantity": 2,\n  "size": "standard-1X"\n}\n');
    const forget = await run(['state', 'forget', 'app.blog', '--state', spec]);
    expect(forget.out).toMatch(/Forgot 8 entries \(state serial 3\)/);
    const holder = await createFileBackend(join(dir, 'unused.json')).lockHolder();
    expect(holder).toBeUndefined();
    const held = await open(spec).lock({ who: 'alice@ci', operation: 'apply' });
    const locked = await run(['state', 'forget', 'app.shop', '--state', spec]);
    expect(locked.code).toBe(1);
    expect(locked.err).toMatch(/Error: state "t-[0-9a-f]+" in postgres:\/\/\*\*\*@.* is locked by alice@ci \(apply, pid \d+ on .*\) since /);
    const unlock = await run(['state', 'unlock', '--state', spec]);
    expect(unlock.code).toBe(1);
    expect(unlock.out).toMatch(/was locked by alice@ci/);
    await held.release();
    const back = join(dir, `back-${Date.now()}.json`);
    expect((await run(['state', 'push', '--state', spec, '--to', back])).code).toBe(0);
    expect(JSON.parse(await readFile(back, 'utf8'))).toMatchObject({ lineage: 'lin-cli', serial: 3 });

    // Connection failures echo no password either.
    const badPort = stateUrl('x').replace(/:(\d+)\//, ':1/');
    const refused = await run(['state', 'list', '--state', badPort]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/cannot connect to the state database postgres:\/\/\*\*\*@127\.0\.0\.1:1\/[^?/]+\?state=x: .*ECONNREFUSED/);
    const badPassword = stateUrl('x', 'p@ss:w/rd%20"odd').replace(/postgres:\/\/([^:]+):/, 'postgres://nosuchuser:');
    const odd = await run(['state', 'list', '--state', badPassword]);
    outputs.push(badPassword);
    for (const text of outputs) {
      noPassword(text);
      expect(text).not.toContain('p@ss:w/rd');
    }
    expect(odd.code).toBe(1);
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileBackend, serializeInventory, StateLockedError } from '../../../src/state/index.js';
import { sampleInventory } from '../../unit/state/fixtures.js';

const root = resolve(import.meta.dirname, '../../..');
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dynoform-crash-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('file state: a process killed in the middle of a write', () => {
  it('leaves the old state intact, and the next run takes over the lock of the dead process and recovers', async () => {
    expect(existsSync(join(root, 'dist', 'state', 'index.js')), 'run `npm run build` first (npm test does)').toBe(true);
    const path = join(dir, '.dynoform', 'state.json');
    const before = serializeInventory(sampleInventory('lin', 4));
    await mkdir(join(dir, '.dynoform'));
    await writeFile(path, before);

    const r = spawnSync(process.execPath, [join(import.meta.dirname, 'fixtures', 'crash-mid-write.mjs'), path], { encoding: 'utf8' });
    expect(r.signal).toBe('SIGKILL');
    expect(r.stdout).not.toContain('not reached');

    // The old file is intact; the temp file and the lock of the dead process remain.
    expect(await readFile(path, 'utf8')).toBe(before);
    const names = await readdir(join(dir, '.dynoform'));
    expect(names.some((n) => /^\.state\.json\.\d+\.[0-9a-f]+\.tmp$/.test(n))).toBe(true);
    expect(names).toContain('state.json.lock');

    const b = createFileBackend(path);
    expect(await b.read()).toEqual(sampleInventory('lin', 4));
    // The dead process's lock protects nothing: the next run takes it over and says so.
    const lock = await b.lock({ who: 'next', operation: 'apply' });
    expect(lock.tookOver).toMatchObject({ who: 'crasher', operation: 'apply' });
    expect(lock.current?.serial).toBe(4);
    await lock.write(lock.current!);
    await lock.release();
    expect(await readdir(join(dir, '.dynoform'))).toEqual(['state.json']);
    expect((await b.read())?.serial).toBe(5);
  });

  it('a process that exits while holding the lock (second Ctrl-C) removes its lock file on the way out', async () => {
    const path = join(dir, '.dynoform', 'state.json');
    const r = spawnSync(process.execPath, [join(import.meta.dirname, 'fixtures', 'exit-holding-lock.mjs'), path], { encoding: 'utf8' });
    expect(r.status).toBe(130);
    expect(await readdir(join(dir, '.dynoform'))).not.toContain('state.json.lock');
    const lock = await createFileBackend(path).lock({ who: 'next', operation: 'apply' });
    await lock.release();
  });
});

import { spawn, execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { lstat, mkdtemp, readFile, readlink, rm, symlink, writeFile, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/util/atomic-write.js';
import { CliWorld } from '../helpers/cli-world.js';

// #14 §6: local files — devices, FIFOs, symlinks, a closed pipe, a planted state file.

const root = resolve(import.meta.dirname, '../..');

describe('the atomic writer and what it writes over', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dynoform-files-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes a FIFO in place (a reader gets the text; the FIFO stays a FIFO)', async () => {
    const fifo = join(dir, 'plan.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = (async () => {
      const fh = await open(fifo, 'r');
      try {
        return await fh.readFile('utf8');
      } finally {
        await fh.close();
      }
    })();
    await writeFileAtomic(fifo, 'through the pipe\n');
    expect(await reader).toBe('through the pipe\n');
    expect((await lstat(fifo)).isFIFO()).toBe(true);
  });

  it('follows a symlink: the target is replaced, the link stays a link (also when the target does not exist yet)', async () => {
    const target = join(dir, 'real-state.json');
    await writeFile(target, 'old');
    const link = join(dir, 'state.json');
    await symlink(target, link);
    await writeFileAtomic(link, 'new');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(target);
    expect(await readFile(target, 'utf8')).toBe('new');
    const dangling = join(dir, 'dangling.json');
    await symlink('not-yet.json', dangling);
    await writeFileAtomic(dangling, 'created');
    expect((await lstat(dangling)).isSymbolicLink()).toBe(true);
    expect(await readFile(join(dir, 'not-yet.json'), 'utf8')).toBe('created');
  });

  it('keeps a replaced file private', async () => {
    const p = join(dir, 'private.json');
    await writeFile(p, 'x', { mode: 0o600 });
    await writeFileAtomic(p, 'y');
    expect(statSync(p).mode & 0o777).toBe(0o600);
  });
});

describe('through the CLI', () => {
  let w: CliWorld;
  beforeAll(async () => {
    w = await CliWorld.start();
    await w.write('dynoform.yaml', 'version: 1\napps:\n  files-shop:\n    config: { RAILS_ENV: production }\n');
  });
  afterAll(() => w.close());

  it('plan -o /dev/null leaves /dev/null a character device', async () => {
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    const r = await w.run(['plan', '-o', '/dev/null']);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('a state file with an app keyed __proto__ is refused with one line, nothing planned', async () => {
    const state = w.path('planted-state.json');
    const app = { key: 'x', id: 'i', name: 'n', protect: true, created: true, config: {}, addons: {}, domains: {}, drains: {}, formation: {} };
    await writeFile(state, `{"version":1,"lineage":"l-1","serial":1,"apps":{"__proto__":${JSON.stringify(app)}}}`);
    const r = await w.run(['plan', '--state', state]);
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/apps: key "__proto__" is not allowed/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('dynoform state list | head: no EPIPE crash when the reader goes away', async () => {
    if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('run `npm run build` first (npm test does)');
    // Enough entries that the output outgrows the pipe's buffer after the reader has left.
    const apps: Record<string, unknown> = {};
    for (let i = 0; i < 3000; i++) {
      const key = `app-${String(i).padStart(5, '0')}`;
      apps[key] = { key, id: `id-${i}`, name: key, protect: true, created: true, config: Object.fromEntries(Array.from({ length: 5 }, (_, j) => [`VAR_${j}`, { secret: false, fingerprint: 'sha256:00' }])), addons: {}, domains: {}, drains: {}, formation: {} };
    }
    const state = w.path('big-state.json');
    await writeFile(state, JSON.stringify({ version: 1, lineage: 'big', serial: 1, apps }));
    const child = spawn('node', [join(root, 'bin', 'dynoform.js'), 'state', 'list', '--state', state], { cwd: w.dir, env: { PATH: process.env.PATH ?? '', HOME: w.dir } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // `head -1`: read the first chunk, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    expect(stderr).not.toMatch(/EPIPE|Unhandled|at .*:\d+:\d+/);
    expect(code).toBe(0);
  });
});

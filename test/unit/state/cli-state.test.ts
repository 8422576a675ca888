import { mkdtemp, readFile, rm, writeFile, mkdir, readdir } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable, Readable } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { createFileBackend } from '../../../src/state/file.js';
import { serializeInventory } from '../../../src/state/inventory.js';
import { sampleInventory } from './fixtures.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dynoform-cli-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  }) as Writable & { text: () => string };
  w.text = () => chunks.join('');
  return w;
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}, cwd = dir): Promise<{ code: number; out: string; err: string }> {
  const stdout = sink();
  const stderr = sink();
  const code = await main(['node', 'dynoform', ...args], {
    env: { USER: 'tester', ...env },
    cwd,
    stdout,
    stderr,
    stdin: Readable.from([]),
    signal: new AbortController().signal,
  });
  return { code, out: stdout.text(), err: stderr.text() };
}

async function seed(path: string, text = serializeInventory(sampleInventory('lin-1', 3))): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
}

describe('dynoform state list', () => {
  it('prints one address per line from the default state in the working directory', async () => {
    await seed(join(dir, '.dynoform', 'state.json'));
    const r = await run(['state', 'list']);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(16);
    expect(lines).toContain('app.shop/drain.https://***@logs.example.com/ingest');
    expect(lines[0]).toBe('app.blog');
  });

  it('finds the state beside the first -f file, and honours --state and DYNOFORM_STATE', async () => {
    await mkdir(join(dir, 'env'), { recursive: true });
    await writeFile(join(dir, 'env', 'staging.yaml'), 'version: 1\n');
    await seed(join(dir, 'env', '.dynoform', 'state.json'));
    expect((await run(['state', 'list', '-f', 'env/staging.yaml'])).out).toContain('app.shop\n');
    // A folder: the state lives inside it.
    expect((await run(['state', 'list', '-f', 'env'])).out).toContain('app.shop\n');
    await seed(join(dir, 'other.json'), serializeInventory({ ...sampleInventory(), apps: {} }));
    expect((await run(['state', 'list', '--state', 'other.json', '-f', 'env/staging.yaml'])).out).toBe('');
    expect((await run(['state', 'list', '-f', 'env/staging.yaml'], { DYNOFORM_STATE: join(dir, 'other.json') })).out).toBe('');
  });

  it('says so on stderr when there is no state yet', async () => {
    const r = await run(['state', 'list']);
    expect(r).toMatchObject({ code: 0, out: '' });
    expect(r.err).toMatch(/No state in .*\.dynoform\/state\.json yet/);
  });

  it('refuses a corrupt state with exit 1 and a clear message, leaving it untouched', async () => {
    const path = join(dir, '.dynoform', 'state.json');
    await seed(path, 'not json');
    const r = await run(['state', 'list']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^Error: state ${path.replace(/[.]/g, '\\.')} is corrupt: not valid JSON`));
    expect(await readFile(path, 'utf8')).toBe('not json');
  });
});

describe('dynoform state show', () => {
  it('prints an entry as JSON', async () => {
    await seed(join(dir, '.dynoform', 'state.json'));
    const r = await run(['state', 'show', 'app.shop/addon.db']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ attachment: 'DATABASE', id: 'addon-shop', name: 'postgresql-shop', plan: 'heroku-postgresql:essential-0' });
    const app = JSON.parse((await run(['state', 'show', 'app.shop'])).out);
    expect(app.config.SECRET_KEY_BASE).toEqual({ fingerprint: expect.stringMatching(/^scrypt:/), secret: true });
  });

  it('fails with exit 1 for an unknown address', async () => {
    await seed(join(dir, '.dynoform', 'state.json'));
    const r = await run(['state', 'show', 'app.shop/config.NOPE']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no entry at app\.shop\/config\.NOPE in state .*state list/);
  });
});

describe('dynoform state forget', () => {
  it('removes an app and its children under the lock and bumps the serial', async () => {
    const path = join(dir, '.dynoform', 'state.json');
    await seed(path);
    const r = await run(['state', 'forget', 'app.shop']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Forgot 8 entries \(state serial 4\):\n  - app\.shop\n/);
    expect(r.out).toMatch(/nothing was changed on Heroku/);
    const inv = JSON.parse(await readFile(path, 'utf8'));
    expect(Object.keys(inv.apps)).toEqual(['blog']);
    expect(inv.serial).toBe(4);
    expect(inv.lineage).toBe('lin-1');
    expect(await readdir(join(dir, '.dynoform'))).toEqual(['state.json']);
  });

  it('refuses while another run holds the lock, naming it; waits with --lock-timeout', async () => {
    const path = join(dir, '.dynoform', 'state.json');
    await seed(path);
    const holder = await createFileBackend(path).lock({ who: 'alice@ci', operation: 'apply' });
    const r = await run(['state', 'forget', 'app.shop/config.RAILS_ENV']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Error: state .* is locked by alice@ci \(apply, pid \d+ on .*\) since \d{4}-/);
    setTimeout(() => void holder.release(), 200);
    const waited = await run(['state', 'forget', 'app.shop/config.RAILS_ENV', '--lock-timeout', '20s']);
    expect(waited.code).toBe(0);
    expect(waited.out).toContain('  - app.shop/config.RAILS_ENV\n');
  });

  it('rejects a malformed --lock-timeout', async () => {
    await seed(join(dir, '.dynoform', 'state.json'));
    const r = await run(['state', 'forget', 'app.shop', '--lock-timeout', 'soon']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--lock-timeout must be a duration/);
  });

  it('fails for an unknown address without writing', async () => {
    const path = join(dir, '.dynoform', 'state.json');
    await seed(path);
    const before = await readFile(path, 'utf8');
    const r = await run(['state', 'forget', 'app.nope']);
    expect(r.code).toBe(1);
    expect(await readFile(path, 'utf8')).toBe(before);
  });
});

describe('dynoform state unlock', () => {
  it('reports no lock, removes a stale one, and needs --force for a live one', async () => {
    const path = join(dir, '.dynoform', 'state.json');
    await seed(path);
    expect((await run(['state', 'unlock'])).out).toMatch(/is not locked/);

    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
    await writeFile(`${path}.lock`, JSON.stringify({ id: 'x', who: 'carol@box', operation: 'apply', since: '2026-01-01T00:00:00.000Z', host: hostname(), pid: dead }));
    const stale = await run(['state', 'unlock']);
    expect(stale.code).toBe(0);
    expect(stale.out).toContain(`was locked by carol@box (apply, pid ${dead} on ${hostname()}) since 2026-01-01T00:00:00.000Z`);
    expect(stale.out).toMatch(/removed the stale lock/);

    const live = await createFileBackend(path).lock({ who: 'alice@ci', operation: 'apply' });
    const refused = await run(['state', 'unlock']);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('was locked by alice@ci');
    expect(refused.err).toMatch(/not unlocking: its holder .* still running on this host; pass --force/);
    const forced = await run(['state', 'unlock', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.out).toMatch(/Removed the lock \(--force\)/);
    await live.release();
  });
});

describe('dynoform state push (file to file)', () => {
  it('copies the state, refuses a different lineage without --force, and reports up to date', async () => {
    const src = join(dir, '.dynoform', 'state.json');
    await seed(src);
    const r = await run(['state', 'push', '--to', 'copy/state.json']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Pushed state \(lineage lin-1, serial 3\)/);
    expect(await readFile(join(dir, 'copy', 'state.json'), 'utf8')).toBe(await readFile(src, 'utf8'));
    expect((await run(['state', 'push', '--to', 'copy/state.json'])).out).toMatch(/already holds this state/);

    await seed(join(dir, 'other.json'), serializeInventory(sampleInventory('lin-2', 9)));
    const refused = await run(['state', 'push', '--to', 'other.json']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/already holds a different state \(lineage lin-2, serial 9.*--force/);
    const forced = await run(['state', 'push', '--to', 'other.json', '--force']);
    expect(forced.code).toBe(0);
    const pushed = JSON.parse(await readFile(join(dir, 'other.json'), 'utf8'));
    expect(pushed).toMatchObject({ lineage: 'lin-1', serial: 10 });
  });

  it('needs --to', async () => {
    await seed(join(dir, '.dynoform', 'state.json'));
    const r = await run(['state', 'push']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/needs --to/);
  });

  it('refuses an unsupported URL scheme without echoing credentials', async () => {
    const r = await run(['state', 'list', '--state', 's3://key:secretpw@bucket/state.json']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unsupported state location s3:\/\/\*\*\*@bucket/);
    expect(r.err).not.toContain('secretpw');
  });
});

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { describe, it } from 'vitest';

/** The PostgreSQL the tests use (`source .ci/postgres.sh && start_postgres` exports it). */
export const PG_URL = process.env.DYNOFORM_TEST_PG;

/**
 * `describe` for tests that need PostgreSQL: in CI a missing server is a
 * failure (the suite must not pass by skipping); locally they are skipped.
 */
export function describePg(name: string, body: () => void): void {
  if (PG_URL) {
    describe(name, body);
  } else if (process.env.CI) {
    describe(name, () => {
      it('needs PostgreSQL', () => {
        throw new Error('DYNOFORM_TEST_PG is not set: CI must start PostgreSQL first (source .ci/postgres.sh && start_postgres), see .ci/run');
      });
    });
  } else {
    describe.skip(`${name} (DYNOFORM_TEST_PG not set; run: source .ci/postgres.sh && start_postgres)`, body);
  }
}

export const PASSWORD = 'Pw-s3cr3t-9f8e7d';

/**
 * The test server's URL with a password in it (the throwaway server trusts
 * loopback, so any password is accepted) and a fresh state name: lets every
 * test check that the password never reaches any output.
 */
export function stateUrl(name = `t-${randomBytes(4).toString('hex')}`, password = PASSWORD): string {
  const u = new URL(PG_URL!);
  if (!u.password) u.password = password;
  u.searchParams.set('state', name);
  return u.toString();
}

export function passwordOf(url: string): string {
  return decodeURIComponent(new URL(url).password);
}

export async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function dropState(name: string): Promise<void> {
  await admin(async (c) => {
    const present = await c.query(`SELECT to_regclass('dynoform_state') IS NOT NULL AS p`);
    if (!present.rows[0].p) return;
    await c.query('DELETE FROM dynoform_state WHERE name = $1', [name]);
    await c.query('DELETE FROM dynoform_locks WHERE name = $1', [name]);
  });
}

const root = resolve(import.meta.dirname, '../../..');

/** Starts a separate node process that takes the lock and holds it; resolves once it holds it. */
export async function spawnLockHolder(spec: string, who: string): Promise<ChildProcess> {
  const dist = join(root, 'dist', 'state', 'index.js');
  if (!existsSync(dist)) throw new Error(`${dist} is missing: run \`npm run build\` before these tests (npm test does)`);
  const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures', 'hold-lock.mjs'), spec, who], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const line = await new Promise<string>((resolveLine, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolveLine);
    child.once('exit', (code) => reject(new Error(`lock holder exited (${code}) before locking: ${stderr}`)));
  });
  if (!JSON.parse(line).locked) throw new Error(`unexpected output from lock holder: ${line}`);
  return child;
}

export function waitExit(child: ChildProcess): Promise<void> {
  return new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
}

/**
 * `dynoform emulator` as a separate process, the way other test suites and
 * users run it: the URL on the first stdout line, the stats endpoint for
 * tests that cannot call the library, a clean exit on SIGTERM/SIGINT, and
 * --data saved at exit. Runs the built CLI (npm test builds first).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'dynoform.js');
const V3 = 'application/vnd.heroku+json; version=3';

function launch(args: string[]): { child: ChildProcessWithoutNullStreams; url: Promise<string>; exited: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [bin, 'emulator', ...args], { cwd: root, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += String(c)));
  child.stderr.on('data', (c) => (stderr += String(c)));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /^dynoform emulator listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', () => reject(new Error(`emulator exited early: ${stderr}`)));
  });
  url.catch(() => undefined);
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, url, exited };
}

let dir: string;
beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  dir = await mkdtemp(join(tmpdir(), 'emu-process-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('dynoform emulator (process)', () => {
  it('prints the URL first, serves the API and the stats, and exits 0 on SIGTERM with --data saved', async () => {
    const data = join(dir, 'data.json');
    const run = launch(['--port', '0', '--data', data, '--seed', '7', '--rate-limit', '50']);
    const url = await run.url;
    const headers = { Accept: V3, Authorization: 'Bearer process-test', 'Content-Type': 'application/json' };
    const created = await fetch(`${url}/apps`, { method: 'POST', headers, body: JSON.stringify({ name: 'from-process' }) });
    expect(created.status).toBe(201);
    expect(created.headers.get('ratelimit-remaining')).toBe('49');

    const stats = await (await fetch(`${url}/__emulator/stats`)).json();
    expect(stats.requests).toBe(1);
    expect(stats.writes).toEqual({ 'POST /apps': 1 });
    expect((await fetch(`${url}/__emulator/reset-stats`, { method: 'POST' })).status).toBe(200);
    expect((await (await fetch(`${url}/__emulator/stats`)).json()).requests).toBe(0);

    run.child.kill('SIGTERM');
    const { code, stdout, stderr } = await run.exited;
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe(`dynoform emulator listening on ${url}`);
    expect(stderr).not.toContain('process-test');
    expect(await readFile(data, 'utf8')).toContain('from-process');

    // The data comes back in the next run.
    const again = launch(['--port', '0', '--data', data]);
    const url2 = await again.url;
    expect((await fetch(`${url2}/apps/from-process`, { headers })).status).toBe(200);
    again.child.kill('SIGINT');
    expect((await again.exited).code).toBe(0);
  });

  it('keeps --data through kill -9: journaled writes come back, no temporary file is left', async () => {
    const data = join(dir, 'killed.json');
    const run = launch(['--port', '0', '--data', data]);
    const url = await run.url;
    const headers = { Accept: V3, Authorization: 'Bearer process-test', 'Content-Type': 'application/json' };
    expect((await fetch(`${url}/apps`, { method: 'POST', headers, body: JSON.stringify({ name: 'survives-kill' }) })).status).toBe(201);
    const patched = await fetch(`${url}/apps/survives-kill/config-vars`, { method: 'PATCH', headers, body: JSON.stringify({ KEPT: 'after kill -9' }) });
    expect(patched.status).toBe(200);
    // Journaled within the save delay (200 ms); wait until it is on disk.
    const journaled = async () =>
      (await Promise.all((await readdir(dir)).filter((n) => n.startsWith('killed.json.journal.')).map((n) => readFile(join(dir, n), 'utf8')))).join('');
    for (let i = 0; i < 100 && !(await journaled()).includes('after kill -9'); i++) await new Promise((r) => setTimeout(r, 50));
    run.child.kill('SIGKILL');
    expect((await run.exited).code).toBeNull();

    const again = launch(['--port', '0', '--data', data]);
    const url2 = await again.url;
    const config = await fetch(`${url2}/apps/survives-kill/config-vars`, { headers });
    expect(await config.json()).toEqual({ KEPT: 'after kill -9' });
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);
    expect((await readdir(dir)).filter((n) => n.startsWith('killed.json.'))).toEqual([]);
  });

  it('fails with exit 1 and a message on a bad flag', async () => {
    const run = launch(['--fault-rate', 'lots']);
    const { code, stderr, stdout } = await run.exited;
    expect(code).toBe(1);
    expect(stderr).toContain('--fault-rate');
    expect(stdout).toBe('');
  });
});

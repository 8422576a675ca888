import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';

// The two failures users meet most (a wrong token, the API down) and the
// confirmation prompt's Ctrl-C / Ctrl-D, at the user's level: the built CLI
// on a real pseudo-terminal (util-linux `script`), as typed at a shell.

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin', 'dynoform.js');
const strip = (s: string): string => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

function onTerminal(args: string[], env: Record<string, string>, cwd: string, keys?: string): Promise<{ code: number | null; out: string }> {
  const command = ['node', bin, ...args].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qefc', command, '/dev/null'], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, TERM: 'xterm-256color', ...env } });
  let out = '';
  let sent = false;
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString('utf8');
    if (keys !== undefined && !sent && out.includes("Only 'yes' will be accepted")) {
      sent = true;
      child.stdin.write(keys);
    }
  });
  child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
  return new Promise((done) => child.on('close', (code) => done({ code, out: strip(out) })));
}

describe('on a terminal', () => {
  let emu: EmulatorHandle;
  let dir: string;
  beforeAll(async () => {
    if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('run `npm run build` first (npm test does)');
    emu = await startEmulator({ apiKeys: ['right-token-0123'], rateLimit: 100_000, refillPerHour: 100_000 });
    dir = await mkdtemp(join(tmpdir(), 'dynoform-hostile-tty-'));
    await writeFile(join(dir, 'dynoform.yaml'), 'version: 1\napps:\n  tty-hz:\n    config: { RAILS_ENV: production }\n');
  });
  afterAll(async () => {
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a wrong token: one line saying what to check, exit 1, no stack', async () => {
    const r = await onTerminal(['plan'], { HEROKU_API_URL: emu.url, HEROKU_API_KEY: 'wrong-token-0123' }, dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^Error: 401 unauthorized: check HEROKU_API_KEY \(or the netrc entry for 127\.0\.0\.1:\d+\)/m);
    expect(r.out).not.toMatch(/\n\s+at .*:\d+:\d+|wrong-token-0123/);
  });

  it('the API down: progress while retrying ("connection refused, retrying n/5"), then one line, exit 1', async () => {
    const r = await onTerminal(['plan'], { HEROKU_API_URL: 'http://127.0.0.1:1', HEROKU_API_KEY: 'right-token-0123' }, dir);
    expect(r.code).toBe(1);
    for (const n of [1, 2, 3, 4, 5]) expect(r.out).toContain(`connection refused, retrying ${n}/5`);
    expect(r.out).toMatch(/^Error: GET \/\S+: connection refused by 127\.0\.0\.1:1 \(ECONNREFUSED\) after 6 attempts/m);
    expect(r.out).not.toMatch(/\n\s+at .*:\d+:\d+/);
  });

  for (const [name, keys] of [
    ['Ctrl-C', '\u0003'],
    ['Ctrl-D', '\u0004'],
  ] as const) {
    it(`${name} at "Only 'yes' will be accepted:" cancels: "Apply cancelled.", exit 1, nothing written`, async () => {
      const before = emu.stats().writes;
      const r = await onTerminal(['apply'], { HEROKU_API_URL: emu.url, HEROKU_API_KEY: 'right-token-0123' }, dir, keys);
      expect(r.out).toContain('Apply cancelled');
      expect(r.code).toBe(1);
      expect(emu.stats().writes).toEqual(before);
    });
  }
});

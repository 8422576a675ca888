import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../../src/emulator/index.js';

// Progress and confirmation on a real terminal: dynoform runs under a
// pseudo-terminal made by util-linux `script`, as a user at a shell would.

const root = resolve(import.meta.dirname, '../../..');
const bin = join(root, 'bin', 'dynoform.js');

interface Run {
  code: number | null;
  out: string;
}

/** Runs `dynoform ARGS` on a pseudo-terminal; answers the prompt with `answer` once it shows. */
function onTerminal(args: string[], env: Record<string, string>, cwd: string, answer?: string): Promise<Run> {
  const command = ['node', bin, ...args].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qefc', command, '/dev/null'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, TERM: 'xterm-256color', ...env },
  });
  let out = '';
  let answered = false;
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString('utf8');
    if (answer !== undefined && !answered && out.includes("Only 'yes' will be accepted")) {
      answered = true;
      child.stdin.write(answer + '\n');
    }
  });
  child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
  return new Promise((done) => child.on('close', (code) => done({ code, out })));
}

describe('on a terminal', () => {
  let emu: EmulatorHandle;
  let dir: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('run `npm run build` first (npm test does)');
    emu = await startEmulator({ latencyMs: 40, rateLimit: 100_000, refillPerHour: 100_000 });
    dir = await mkdtemp(join(tmpdir(), 'dynoform-tty-'));
    env = { HEROKU_API_URL: emu.url, HEROKU_API_KEY: 'tty-token' };
    await writeFile(
      join(dir, 'dynoform.yaml'),
      'version: 1\napps:\n  tty-shop:\n    config: { RAILS_ENV: production }\n    domains: [a.tty.example.com, b.tty.example.com, c.tty.example.com]\n',
    );
  });
  afterEach(async () => {
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('asks for "yes", then shows a live progress line that it redraws in place, and a colored summary', async () => {
    const r = await onTerminal(['apply'], env, dir, 'yes');
    expect(r.code).toBe(0);
    expect(r.out).toContain("Do you want to apply these changes? Only 'yes' will be accepted:");
    // The live line: carriage return + erase line, then the counters.
    expect(r.out).toMatch(/\r\u001b\[2KApplying: \d\/5 done/);
    expect(r.out).toMatch(/Applying: \d\/5 done, \d in progress — app\.tty-shop/);
    expect(r.out).toContain('\u001b[32mApply complete!\u001b[39m 5 succeeded');
    expect(emu.stats().appliedWrites['POST /apps']).toBe(1);
  });

  it('changes nothing when the answer is not "yes"', async () => {
    const r = await onTerminal(['apply'], env, dir, 'no');
    expect(r.code).toBe(1);
    expect(r.out).toContain('Apply cancelled; nothing was changed.');
    expect(emu.stats().writes).toEqual({});
  });

  it('NO_COLOR gives plain output even on a terminal', async () => {
    const r = await onTerminal(['plan'], { ...env, NO_COLOR: '1' }, dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('app.tty-shop will be created');
    expect(r.out).not.toContain('\u001b[');
  });

  it('without a terminal, prints one line per finished change and no control sequences', async () => {
    const child = spawn(process.execPath, [bin, 'apply', '--auto-approve'], { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir, ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const code = await new Promise((done) => child.on('close', done));
    expect(code).toBe(0);
    expect(out).not.toContain('\r');
    expect(out).not.toContain('\u001b[');
    const lines = out.split('\n').filter((l) => /^✓ app\.tty-shop/.test(l));
    expect(lines).toHaveLength(5);
  });
});

describe('Ctrl-C during an apply', () => {
  it('lets requests in flight finish, saves state, exits non-zero; the next plan shows only what is left and apply converges', async () => {
    if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('run `npm run build` first (npm test does)');
    const emu = await startEmulator({ latencyMs: 150, rateLimit: 100_000, refillPerHour: 100_000 });
    const dir = await mkdtemp(join(tmpdir(), 'dynoform-sigint-'));
    try {
      const apps = Array.from({ length: 8 }, (_, i) => `int-app-${i}`);
      await writeFile(join(dir, 'dynoform.yaml'), `version: 1\napps:\n${apps.map((a) => `  ${a}:\n    config: { A: "1" }\n`).join('')}`);
      const env = { PATH: process.env.PATH ?? '', HOME: dir, HEROKU_API_URL: emu.url, HEROKU_API_KEY: 'int-token' };
      const run = (args: string[]) => {
        const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
        child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
        return { child, output: () => out, done: new Promise<number | null>((r) => child.on('close', (code) => r(code))) };
      };

      const first = run(['apply', '--auto-approve', '--concurrency', '2']);
      // Interrupt once the first change is done, while others are in flight.
      while (!first.output().includes('✓ ')) await new Promise((r) => setTimeout(r, 20));
      first.child.kill('SIGINT');
      expect(await first.done).toBe(1);
      expect(first.output()).toContain('Interrupted: finishing requests in flight and saving state');
      expect(first.output()).toContain('Apply interrupted.');
      const createdBefore = emu.stats().appliedWrites['POST /apps'] ?? 0;
      expect(createdBefore).toBeGreaterThan(0);
      expect(createdBefore).toBeLessThan(apps.length);

      const plan = run(['plan', '--detailed-exitcode']);
      expect(await plan.done).toBe(2);
      const planned = (plan.output().match(/^ {2}\+ +app\.int-app-\d will be created$/gm) ?? []).length;
      expect(planned).toBe(apps.length - createdBefore);

      const second = run(['apply', '--auto-approve']);
      expect(await second.done).toBe(0);
      const last = run(['plan', '--detailed-exitcode']);
      expect(await last.done).toBe(0);
      expect(emu.stats().appliedWrites['POST /apps']).toBe(apps.length);
    } finally {
      await emu.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// Runs dynoform as a real child process (`node bin/dynoform.js …`), the way
// a user or CI does, so that `kill -9` hits a real process and every byte it
// writes can be kept for the secret scan.
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(REPO_ROOT, 'bin', 'dynoform.js');

export class DynoformRunner {
  /**
   * @param {{cwd: string, logDir: string, env: Record<string,string>, timeoutMs?: number}} opts
   *   `env` is the whole environment of the child: nothing leaks in from the
   *   harness's own environment (no DYNOFORM_STATE, no ~/.netrc).
   */
  constructor({ cwd, logDir, env, timeoutMs = 10 * 60_000 }) {
    this.cwd = cwd;
    this.logDir = logDir;
    this.env = env;
    this.timeoutMs = timeoutMs;
    this.seq = 0;
    /** Every run, for the report. */
    this.runs = [];
  }

  /**
   * @param {string[]} args
   * @param {{label?: string, env?: Record<string,string>, onSpawn?: (child: import('node:child_process').ChildProcess, run: object) => void, timeoutMs?: number}} [opts]
   * @returns {Promise<{seq: number, label: string, args: string[], code: number|null, signal: string|null, stdout: string, stderr: string, ms: number, timedOut: boolean, pid: number}>}
   */
  async run(args, opts = {}) {
    const seq = ++this.seq;
    const label = opts.label ?? args[0];
    await mkdir(this.logDir, { recursive: true });
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: this.cwd,
      env: { ...this.env, ...(opts.env ?? {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    const run = { seq, label, args, pid: child.pid, killed: false };
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? this.timeoutMs);
    const exited = new Promise((resolveExit, rejectExit) => {
      child.once('error', rejectExit);
      child.once('close', (code, signal) => resolveExit({ code, signal }));
    });
    opts.onSpawn?.(child, run);
    let code;
    let signal;
    try {
      ({ code, signal } = await exited);
    } finally {
      clearTimeout(timer);
    }
    const stdout = Buffer.concat(out);
    const stderr = Buffer.concat(err);
    const name = `${String(seq).padStart(4, '0')}-${label.replace(/[^a-z0-9-]+/gi, '_')}`;
    await writeFile(join(this.logDir, `${name}.stdout`), stdout);
    await writeFile(join(this.logDir, `${name}.stderr`), stderr);
    const result = {
      seq,
      label,
      args,
      code,
      signal,
      stdout: stdout.toString('utf8'),
      stderr: stderr.toString('utf8'),
      ms: performance.now() - started,
      timedOut,
      pid: child.pid,
    };
    this.runs.push({ seq, label, args, code, signal, ms: Math.round(result.ms), timedOut });
    return result;
  }
}

/** The last lines of a run's output, for a failure message. */
export function tail(run, lines = 12) {
  const text = `${run.stdout}\n${run.stderr}`.trim().split('\n');
  return text.slice(-lines).join('\n');
}

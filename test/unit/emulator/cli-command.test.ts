import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerEmulator } from '../../../src/cli/commands/emulator.js';
import { CliError, type CliContext } from '../../../src/cli/context.js';
import { V3 } from './helpers.js';

function run(args: string[], cwd = process.cwd()) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += String(c)));
  stderr.on('data', (c) => (err += String(c)));
  const abort = new AbortController();
  const ctx: CliContext = { argv: args, env: {}, cwd, stdout, stderr, stdin: new PassThrough(), exitCode: 0, signal: abort.signal };
  const program = new Command().exitOverride().configureOutput({ writeErr: (s) => (err += s), writeOut: (s) => (out += s) });
  registerEmulator(program, ctx);
  const done = program.parseAsync(['node', 'dynoform', 'emulator', ...args]);
  const url = new Promise<string>((resolve, reject) => {
    stdout.on('data', () => {
      const m = /^dynoform emulator listening on (http:\/\/\S+)\n/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    done.catch(reject);
  });
  // Failing runs never print a URL; their rejection is asserted through `done`.
  url.catch(() => undefined);
  return { done, url, stop: () => abort.abort(), ctx, output: () => ({ out, err }) };
}

describe('dynoform emulator', () => {
  it('prints its URL first, serves, and stops cleanly on the abort signal', async () => {
    const r = run(['--port', '0', '--api-key', 'k1', '--rate-limit', '4500', '--refill-per-hour', '4500']);
    const url = await r.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const ok = await fetch(`${url}/account/rate-limits`, { headers: { Accept: V3, Authorization: 'Bearer k1' } });
    expect(await ok.json()).toEqual({ remaining: 4500 });
    expect((await fetch(`${url}/account`, { headers: { Accept: V3, Authorization: 'Bearer other' } })).status).toBe(401);
    r.stop();
    await r.done;
    expect(r.ctx.exitCode).toBe(0);
    expect(r.output().out.split('\n')[0]).toBe(`dynoform emulator listening on ${url}`);
    await expect(fetch(`${url}/account`)).rejects.toThrow();
    expect(JSON.stringify(r.output())).not.toContain('k1');
  });

  it('saves --data (relative to the working directory) at shutdown', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emu-cli-'));
    try {
      const r = run(['--port', '0', '--data', 'state.json'], dir);
      const url = await r.url;
      await fetch(`${url}/apps`, { method: 'POST', headers: { Accept: V3, Authorization: 'Bearer x', 'Content-Type': 'application/json' }, body: '{"name":"from-cli"}' });
      r.stop();
      await r.done;
      expect(await readFile(join(dir, 'state.json'), 'utf8')).toContain('from-cli');
      expect(r.output().err).toContain('state.json');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad flags with a message and a busy port with a hint', async () => {
    for (const args of [['--port', 'abc'], ['--fault-rate', '1.5'], ['--latency', '-1'], ['--seed', 'x']]) {
      const r = run(args);
      await expect(r.done, args.join(' ')).rejects.toThrow();
      expect(r.output().err, args.join(' ')).toMatch(/must be/);
    }
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = run(['--port', String(port)]);
      const err = await r.done.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(CliError);
      expect((err as Error).message).toContain('--port 0');
    } finally {
      blocker.close();
    }
  });
});

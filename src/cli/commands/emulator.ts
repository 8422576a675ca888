/**
 * `dynoform emulator`: runs the local Platform API until SIGINT/SIGTERM.
 * The first stdout line is the URL, printed once the port is bound, so
 * scripts and tests can wait for it (`--port 0` picks a free port).
 */
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { CliError, ExitCode, type CliContext } from '../context.js';
import { DEFAULT_CLI_PORT, startEmulator, type EmulatorHandle } from '../../emulator/index.js';
import { collectOption } from '../options.js';

interface EmulatorFlags {
  host: string;
  port: number;
  latency?: number;
  jitter?: number;
  rateLimit?: number;
  refillPerHour?: number;
  faultRate?: number;
  seed?: number;
  provisionDelay?: number;
  apiKey?: string[];
  data?: string;
}

const integer = (flag: string, min: number, max = Number.MAX_SAFE_INTEGER) => (text: string): number => {
  if (!/^\d+$/.test(text.trim()) || Number(text) < min || Number(text) > max) {
    throw new InvalidArgumentError(`${flag} must be an integer from ${min} to ${max}.`);
  }
  return Number(text);
};

const probability = (text: string): number => {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('--fault-rate must be a number from 0 to 1, e.g. 0.05.');
  return n;
};

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((done) => signal.addEventListener('abort', () => done(), { once: true }));
}

export function registerEmulator(program: Command, ctx: CliContext): void {
  program
    .command('emulator')
    .description('Run a local Heroku Platform API emulator (offline; data in memory unless --data)')
    .option('--host <host>', 'interface to bind (the Heroku CLI only talks to 127.0.0.1 or localhost)', '127.0.0.1')
    .option('--port <port>', 'port to listen on; 0 picks a free one', integer('--port', 0, 65535), DEFAULT_CLI_PORT)
    .option('--latency <ms>', 'delay every answer by this many milliseconds', integer('--latency', 0))
    .option('--jitter <ms>', 'uniform ± jitter around --latency (default: a quarter of it)', integer('--jitter', 0))
    .option('--rate-limit <n>', 'rate-limit bucket size per account (default 1200; today’s API: 4500)', integer('--rate-limit', 1))
    .option('--refill-per-hour <n>', 'tokens returned per hour (default 1200; today’s API: 4500)', integer('--refill-per-hour', 0))
    .option('--fault-rate <p>', 'share of requests answered 500/503 or dropped (0–1)', probability)
    .option('--seed <n>', 'repeat faults, jitter, names and ids exactly', integer('--seed', 0, 0xffffffff))
    .option('--provision-delay <ms>', 'how long async add-ons stay provisioning and domains pending', integer('--provision-delay', 0))
    .option('--api-key <key>', 'accept only this API key (repeatable; each key is its own account)', collectOption)
    .option('--data <file>', 'load state from this JSON file and save it back (after changes and on exit)')
    .addHelpText(
      'after',
      '\nPoint clients at it, e.g.:\n' +
        `  HEROKU_API_URL=http://127.0.0.1:${DEFAULT_CLI_PORT} HEROKU_API_KEY=x dynoform plan\n` +
        `  HEROKU_HOST=http://127.0.0.1:${DEFAULT_CLI_PORT} HEROKU_API_KEY=x heroku apps\n` +
        'Test hooks (no auth, not rate-limited): GET /__emulator/stats, POST /__emulator/reset-stats.',
    )
    .action(async (flags: EmulatorFlags) => {
      let emulator: EmulatorHandle;
      try {
        emulator = await startEmulator({
          host: flags.host,
          port: flags.port,
          latencyMs: flags.latency,
          jitter: flags.jitter,
          rateLimit: flags.rateLimit,
          refillPerHour: flags.refillPerHour,
          faultRate: flags.faultRate,
          seed: flags.seed,
          provisionDelayMs: flags.provisionDelay,
          apiKeys: flags.apiKey,
          dataFile: flags.data === undefined ? undefined : resolve(ctx.cwd, flags.data),
          log: (line) => ctx.stderr.write(`${line}\n`),
        });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new CliError(`${flags.host}:${flags.port} is already in use (try --port 0 for a free port).`);
        if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new CliError(`cannot listen on ${flags.host}: no such local address.`);
        if (err instanceof RangeError || err instanceof SyntaxError) throw new CliError(err.message);
        if (err instanceof Error && flags.data !== undefined) throw new CliError(`cannot load --data ${flags.data}: ${err.message}`);
        throw err;
      }
      ctx.stdout.write(`dynoform emulator listening on ${emulator.url}\n`);
      await waitForAbort(ctx.signal);
      try {
        await emulator.close();
      } catch (err) {
        throw new CliError(`emulator stopped, but ${(err as Error).message}`);
      }
      if (flags.data !== undefined) ctx.stderr.write(`Emulator data saved to ${flags.data}\n`);
      ctx.exitCode = ExitCode.ok;
    });
}

import { setMaxListeners } from 'node:events';
import { Command, CommanderError } from 'commander';
import { ExitCode, redacting, type CliContext } from './context.js';
import { createRedactor } from '../operations/index.js';
import { commands } from './commands/index.js';
import { asCliError } from './errors.js';
import { stopReadProgress } from './options.js';
import { VERSION } from '../operations/index.js';

export interface MainOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  stdout?: CliContext['stdout'];
  stderr?: CliContext['stderr'];
  stdin?: CliContext['stdin'];
  signal?: AbortSignal;
}

/** Runs the CLI and resolves to the exit code; it never calls process.exit. */
export async function main(argv: string[], opts: MainOptions = {}): Promise<number> {
  const abort = new AbortController();
  // Every request in flight listens on the one Ctrl-C signal: many listeners are expected, not a leak.
  setMaxListeners(0, abort.signal);
  const redactor = createRedactor();
  const ctx: CliContext = {
    argv,
    env: opts.env ?? process.env,
    cwd: opts.cwd ?? process.cwd(),
    stdout: redacting(opts.stdout ?? process.stdout, redactor),
    stderr: redacting(opts.stderr ?? process.stderr, redactor),
    redactor,
    stdin: opts.stdin ?? process.stdin,
    exitCode: ExitCode.ok,
    signal: opts.signal ?? abort.signal,
  };
  const ownSignals = !opts.signal;
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    if (interrupts === 1) {
      ctx.stderr.write('\nInterrupted: finishing requests in flight and saving state (Ctrl-C again to force)...\n');
      abort.abort();
    } else {
      process.exit(130);
    }
  };
  if (ownSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  // `dynoform state list | head`: the reader went away. Output stops; the run does not (an apply
  // in progress still finishes its requests and saves state) and nothing crashes.
  const onPipeError = (err: NodeJS.ErrnoException): void => {
    if (err.code !== 'EPIPE') throw err;
  };
  // On the process's own streams, under the redacting wrappers: that is where EPIPE is emitted.
  const streams = [opts.stdout ?? process.stdout, opts.stderr ?? process.stderr].filter((s) => s === process.stdout || s === process.stderr);
  for (const s of streams) s.on('error', onPipeError);

  const program = new Command();
  program
    .name('dynoform')
    .description('Keep Heroku apps in Git: plan, apply and detect drift from YAML.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    })
    .showHelpAfterError('(run with --help for usage)');
  for (const register of commands) register(program, ctx);

  try {
    await program.parseAsync(argv);
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with code 0.
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.error;
    }
    stopReadProgress(ctx);
    const mapped = asCliError(err);
    if (mapped) {
      ctx.stderr.write(`Error: ${mapped.message}\n`);
      return mapped.exitCode;
    }
    throw err;
  } finally {
    if (ownSignals) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    // Left on: a write still buffered may fail with EPIPE after main returns.
    void streams;
  }
}

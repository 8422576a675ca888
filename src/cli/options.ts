import { Option, type Command } from 'commander';
import { CliError, type CliContext } from './context.js';
import type { CommonOptions as OperationOptions, OperationEvent } from '../operations/index.js';
import { formatDiagnostic } from '../operations/index.js';
import { createReadProgressView, type ReadProgressView } from './views/read-progress.js';
import { renderWaitLine } from '../render/apply-text.js';

/** When each kind of wait was last printed, per stream (logs get one line per kind every 5 s). */
const lastWait = new WeakMap<object, Map<string, number>>();

/** Options shared by every command that talks to the API and the state. */
export interface CommonOptions {
  file?: string[];
  apiUrl?: string;
  state?: string;
  lockTimeout?: string;
  env?: string;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function addFileOption(cmd: Command): Command {
  return cmd.option('-f, --file <path>', 'YAML file or folder (repeatable; default dynoform.yaml)', collect);
}

export function addApiOptions(cmd: Command): Command {
  return cmd.addOption(new Option('--api-url <url>', 'Platform API URL (default $HEROKU_API_URL or https://api.heroku.com)'));
}

export function addStateOptions(cmd: Command): Command {
  return cmd
    .option('-e, --env <environment>', "the environment (stack): must match the files' environment:; picks the state (default $DYNOFORM_ENV, else the files')")
    .option('--state <path-or-url>', 'state file path or postgres:// URL (default $DYNOFORM_STATE or .dynoform/<environment>.json beside the first YAML file)')
    .option('--lock-timeout <duration>', 'how long to wait for the state lock, e.g. 30s, 2m (default 0: fail at once)');
}

/** `--refresh=full` reads every config; `auto` lets an app whose release did not move be planned from the state's record. */
export function addRefreshOption(cmd: Command): Command {
  return cmd.addOption(
    new Option('--refresh <mode>', "full: read every app's config vars; auto: skip the read for apps whose release did not move since apply recorded their config")
      .choices(['auto', 'full'])
      .default('auto'),
  );
}

export function collectOption(value: string, previous: string[] | undefined): string[] {
  return collect(value, previous);
}

/** `500ms`, `30s`, `2m`, `1h`, or a bare number of seconds. */
export function parseDuration(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new CliError(`${flag} must be a duration such as 30s, 2m or 500ms (got "${text}")`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  return Math.round(n * factor);
}

export function parsePositiveInt(text: string | undefined, flag: string, fallback: number, max = 1000): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new CliError(`${flag} must be a whole number from 1 to ${max} (got "${text}")`);
  return n;
}

/**
 * The flags every command shares, as the options of an operation: paths,
 * environment and signal from the context; the operation's diagnostics,
 * notices and debug lines printed on stderr as they happen.
 */
export function operationOptions(ctx: CliContext, opts: CommonOptions, print: { phases?: boolean; format?: string } = {}): OperationOptions {
  const lockTimeoutMs = parseDuration(opts.lockTimeout, '--lock-timeout');
  return {
    cwd: ctx.cwd,
    env: ctx.env,
    signal: ctx.signal,
    // The operation adds the YAML's secrets to it; everything the CLI prints goes through it.
    redactor: ctx.redactor,
    ...(opts.file && opts.file.length > 0 ? { files: opts.file } : {}),
    ...(opts.apiUrl !== undefined ? { apiUrl: opts.apiUrl } : {}),
    ...(opts.state !== undefined ? { state: opts.state } : {}),
    ...(opts.env !== undefined ? { environment: opts.env } : {}),
    ...(lockTimeoutMs !== undefined ? { lockTimeoutMs } : {}),
    onEvent: (e) => printOperationEvent(ctx, e, print),
  };
}

/** Diagnostics, notices and debug lines go to stderr; stdout is the command's output. */
export function printOperationEvent(ctx: CliContext, e: OperationEvent, print: { phases?: boolean; format?: string } = {}): void {
  switch (e.type) {
    case 'read-estimate':
    case 'read-progress':
      return readProgressView(ctx, print.format === 'json' ? 'json' : 'text').onEvent(e);
    case 'diagnostic':
      ctx.stderr.write(formatDiagnostic(e.diagnostic) + '\n');
      break;
    case 'notice':
      ctx.stderr.write(`Warning: ${e.message}\n`);
      break;
    case 'debug':
      ctx.stderr.write(`debug: ${e.message}\n`);
      break;
    case 'wait': {
      // On a terminal every pause shows; in a log, one line per kind of pause every 5 s at most.
      const now = Date.now();
      if (ctx.stderr.isTTY !== true) {
        const last = lastWait.get(ctx.stderr)?.get(e.reason) ?? -Infinity;
        if (now - last < 5000) break;
        const seen = lastWait.get(ctx.stderr) ?? new Map<string, number>();
        seen.set(e.reason, now);
        lastWait.set(ctx.stderr, seen);
      }
      ctx.stderr.write(renderWaitLine({ type: 'wait', reason: e.reason, ms: e.ms, detail: e.detail }) + '\n');
      break;
    }
    case 'phase':
      if (print.phases && ctx.stderr.isTTY) ctx.stderr.write(`Reading the live state of ${e.apps} ${e.apps === 1 ? 'app' : 'apps'}…\n`);
      break;
  }
}

const readViews = new WeakMap<CliContext, ReadProgressView>();

/** The command's one view of its live reads (plan, apply and drift read at most once). */
function readProgressView(ctx: CliContext, format: 'text' | 'json'): ReadProgressView {
  let view = readViews.get(ctx);
  if (!view) readViews.set(ctx, (view = createReadProgressView(ctx, format)));
  return view;
}

/** Ends a live read-progress line, if one is shown: before the command prints its output or an error. */
export function stopReadProgress(ctx: CliContext): void {
  readViews.get(ctx)?.stop();
}

export function useColor(ctx: CliContext, stream: CliContext['stdout']): boolean {
  if (ctx.env.NO_COLOR !== undefined && ctx.env.NO_COLOR !== '') return false;
  if (ctx.env.FORCE_COLOR && ctx.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && ctx.env.TERM !== 'dumb';
}

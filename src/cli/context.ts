import type { Writable } from 'node:stream';
import type { Redactor } from '../operations/index.js';

/** Exit codes (DESIGN.md §3). */
export const ExitCode = {
  ok: 0,
  error: 1,
  /** Changes (plan --detailed-exitcode) or drift (drift, always). */
  changes: 2,
  /** The plan is stale or a guard failed (412). */
  stale: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Everything a command may touch of the outside world. Commands never read
 * process.* directly, so tests can run them in-process with their own
 * streams and environment.
 */
export interface CliContext {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Set by a command to the code the process should exit with. */
  exitCode: ExitCode;
  /** Aborted on SIGINT/SIGTERM: long commands finish in-flight work and stop. */
  signal: AbortSignal;
  /**
   * Every write to stdout and stderr goes through it; loading the YAML adds
   * its secrets (the resolved `${env:…}` values), so no output path — an API
   * error, a warning, a debug line, an event — can print one.
   */
  redactor: Redactor;
}

/** The stream, with every string or buffer written to it redacted first (isTTY, columns and the rest pass through). */
export function redacting<T extends Writable>(stream: T, redactor: Redactor): T {
  return new Proxy(stream, {
    get(target, prop) {
      if (prop === 'write') {
        return (chunk: unknown, ...rest: unknown[]) =>
          (target.write as (...a: unknown[]) => boolean)(
            typeof chunk === 'string' || Buffer.isBuffer(chunk) ? redactor.redact(chunk.toString()) : chunk,
            ...rest.filter((r) => typeof r !== 'string'),
          );
      }
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** A user-facing failure: printed as `Error: message` without a stack, exit code as given. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.error,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The terminal's width; a pseudo-terminal may report 0 columns, which means "unknown". */
export function terminalWidth(stream: { columns?: number }, fallback: number): number {
  return stream.columns !== undefined && stream.columns >= 20 ? stream.columns : fallback;
}

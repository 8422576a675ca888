import type { Writable } from 'node:stream';

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

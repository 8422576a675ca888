import { CliError, ExitCode } from './context.js';
import { classifyError, isDynoformError, type ErrorCode } from '../operations/index.js';

/** The one mapping from a failure to an exit code (DESIGN.md §3): a stale or untrusted plan or a failed guard is 3, any other failure 1. */
export function exitCodeFor(code: ErrorCode): ExitCode {
  return code === 'stale' || code === 'untrusted-plan' ? ExitCode.stale : ExitCode.error;
}

/**
 * A failure the user is to read (`Error: message`, no stack) as a CliError
 * with its exit code; undefined for anything else, which is a bug and
 * keeps its stack.
 */
export function asCliError(err: unknown): CliError | undefined {
  if (err instanceof CliError) return err;
  const classified = classifyError(err);
  if (isDynoformError(classified)) return new CliError(classified.message, exitCodeFor(classified.code));
  return undefined;
}

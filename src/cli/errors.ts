import { CliError, ExitCode } from './context.js';
import {
  AbortedError,
  ConfigurationError,
  HerokuApiError,
  NetworkError,
  PreconditionFailedError,
  ProvisioningError,
} from '../providers/heroku/errors.js';
import { StateError } from '../state/errors.js';
import { StateSaveError } from '../apply/index.js';

/**
 * Errors that are the outside world's answer, not our bug: the API refused,
 * the network or the state database failed, the state is locked or corrupt.
 * Their messages are written for users (and hold no secret), so they are
 * printed as `Error: …` without a stack. Anything else stays a bug.
 */
export function asCliError(err: unknown): unknown {
  if (err instanceof CliError) return err;
  if (err instanceof PreconditionFailedError) return new CliError(`${err.message}: changed since plan — run plan again`, ExitCode.stale);
  if (
    err instanceof HerokuApiError ||
    err instanceof NetworkError ||
    err instanceof ConfigurationError ||
    err instanceof ProvisioningError ||
    err instanceof AbortedError ||
    err instanceof StateError ||
    err instanceof StateSaveError
  ) {
    return new CliError(err.message, ExitCode.error);
  }
  return err;
}

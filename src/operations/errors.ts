/**
 * The library's one error type and its one classifier. Every failure an
 * operation cannot continue after is a DynoformError with a stable `code`;
 * errors of the lower layers (API, network, state, credentials) are mapped
 * here, with credentials in URLs and the given secrets masked out of the
 * message. Anything else is a bug and is rethrown as it is.
 */
import type { Diagnostic } from '../model/diagnostic.js';
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
import { redact } from '../util/mask.js';

export type ErrorCode =
  /** The YAML has errors (see `diagnostics`); nothing was read or written. */
  | 'invalid-config'
  /** An option or argument is not usable (an unknown --target, a bad app name, a plan file that is not one). */
  | 'invalid-option'
  /** API URL or credentials missing or unusable. */
  | 'credentials'
  /** The plan no longer matches the state, the secrets or the API it was made against; a guard failed (412). */
  | 'stale'
  /**
   * A saved plan that cannot be trusted as reviewed: its checksum or signature
   * does not hold, it was made for another account, or its changes differ from
   * those the YAML and the live state give now. Nothing was written.
   */
  | 'untrusted-plan'
  /** Apply refused before any write (preflight: see `diagnostics`). */
  | 'refused'
  /** The Platform API answered with an error. */
  | 'api'
  /** No answer from the Platform API (connection refused, reset, timed out). */
  | 'network'
  /** Cancelled through the signal. */
  | 'aborted'
  /** An add-on did not finish provisioning. */
  | 'provisioning'
  /** The state could not be opened, locked, read or written (`reason` has the state layer's code). */
  | 'state'
  /** A local file could not be read or written. */
  | 'file'
  /** Import from Terraform: the file is not a Terraform state dynoform reads (format version, shape), or holds no app. */
  | 'terraform-state'
  /** Import: an app is already managed in this state, or not visible to the account. */
  | 'conflict'
  | 'not-found';

export class DynoformError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { diagnostics?: Diagnostic[]; reason?: string; cause?: unknown } = {},
  ) {
    super(message);
    this.name = 'DynoformError';
  }

  get diagnostics(): Diagnostic[] {
    return this.details.diagnostics ?? [];
  }
}

export function isDynoformError(err: unknown): err is DynoformError {
  return err instanceof DynoformError;
}

/**
 * Maps an error of a lower layer to a DynoformError (messages masked of URL
 * credentials and of `secrets`); returns anything else unchanged, as a bug.
 */
export function classifyError(err: unknown, secrets: readonly string[] = []): unknown {
  if (err instanceof DynoformError) return err;
  const wrap = (code: ErrorCode, message: string, reason?: string): DynoformError =>
    new DynoformError(code, redact(message, secrets), { cause: err, ...(reason !== undefined ? { reason } : {}) });
  if (err instanceof PreconditionFailedError) return wrap('stale', `${err.message}: changed since plan — run plan again`, 'precondition-failed');
  if (err instanceof HerokuApiError) return wrap('api', err.message, err.id);
  if (err instanceof NetworkError) return wrap('network', err.message, err.code);
  if (err instanceof AbortedError) return wrap('aborted', err.message);
  if (err instanceof ConfigurationError) return wrap('credentials', err.message);
  if (err instanceof ProvisioningError) return wrap('provisioning', err.message);
  if (err instanceof StateError) return wrap('state', err.message, err.code);
  if (err instanceof StateSaveError) return wrap('state', err.message, 'state-save');
  return err;
}

import type { LockInfo } from './backend.js';

/**
 * Failures of the state layer. Each has a stable `code`; the CLI prints the
 * message (which never holds a password or a secret) and exits 1. They are
 * exceptions rather than diagnostics because none of them lets the command
 * continue.
 */
export class StateError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StateError';
  }
}

/** The state is locked by someone else (or by a process that died: `stale`). */
export class StateLockedError extends StateError {
  constructor(
    message: string,
    /** Undefined when the holder left no readable information. */
    readonly holder: LockInfo | undefined,
    /** True when the holder is known to be gone (dead pid on this host). */
    readonly stale: boolean,
  ) {
    super('state-locked', message);
    this.name = 'StateLockedError';
  }
}

/** The stored state cannot be read: not JSON, or not an inventory. It is never overwritten. */
export class StateCorruptError extends StateError {
  constructor(message: string) {
    super('state-corrupt', message);
    this.name = 'StateCorruptError';
  }
}

/** The stored state was written by a newer dynoform. It is never overwritten. */
export class StateVersionError extends StateError {
  constructor(
    message: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super('state-version-unsupported', message);
    this.name = 'StateVersionError';
  }
}

/**
 * A write that does not follow the state read under the lock (other lineage,
 * older serial), or a lock that was broken while held.
 */
export class StateConflictError extends StateError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = 'StateConflictError';
  }
}

/**
 * The connection to the state database failed or was lost. Writes that were
 * acknowledged before stay recorded; the lock is gone with the session.
 */
export class StateConnectionError extends StateError {
  constructor(message: string) {
    super('state-connection', message);
    this.name = 'StateConnectionError';
  }
}

export function isStateError(err: unknown): err is StateError {
  return err instanceof StateError;
}

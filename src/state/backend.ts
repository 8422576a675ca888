import type { Inventory } from '../model/inventory.js';

/** Who holds a lock, as recorded by the holder when it took it. */
export interface LockInfo {
  /** Random id of this lock acquisition. */
  id: string;
  /** Who asked, as given by the caller (usually `user@host`). */
  who: string;
  /** What the holder is doing, e.g. `apply`, `plan -o`, `state forget`. */
  operation: string;
  /** ISO time the lock was taken. */
  since: string;
  /** Host and pid of the holding process. */
  host?: string;
  pid?: number;
  /** OS user of the holding process. */
  user?: string;
}

export interface LockOptions {
  who: string;
  operation: string;
  /** How long to wait for a lock someone else holds; default 0 = fail at once. */
  timeoutMs?: number;
  /** Aborts waiting for the lock. */
  signal?: AbortSignal;
}

/** A held lock; the only way to write the state. */
export interface StateLock {
  /**
   * Writes `inv` atomically as the next version: the stored serial is one
   * more than the last one written. Refused (StateConflictError) when `inv`
   * has another lineage than the state read under the lock, or a serial
   * older than it. Writes must not overlap: await each one.
   */
  write(inv: Inventory): Promise<void>;
  /**
   * Writes `inv` as is, with its own lineage and serial (which must be above
   * the current serial). For `state push` only: it may replace a state of
   * another lineage.
   */
  replace(inv: Inventory): Promise<void>;
  /** Releases the lock; safe to call twice. */
  release(): Promise<void>;
  readonly info: LockInfo;
  /** The lock of a process that died on this host, which this one took over (its run was interrupted). */
  readonly tookOver?: LockInfo;
  /** The state as read when the lock was taken, then as last written (a copy); undefined when there is none yet. */
  readonly current: Inventory | undefined;
}

/** Who holds the lock now, for `state unlock` and error messages. */
export interface LockHolder {
  /** Undefined when the lock exists but its holder left no readable record. */
  info: LockInfo | undefined;
  /** True when the holder is known to be gone (its pid is dead on this host). */
  stale: boolean;
  /** Extra detail for display, e.g. the lock file path or the database session. */
  detail: string;
}

export interface BreakLockResult {
  /** Undefined when the state was not locked. */
  holder: LockHolder | undefined;
  broken: boolean;
  /** Why the lock was left in place (holder alive and no `force`). */
  refused?: string;
}

/** Another state kept beside this one (same folder, same database), as read for the ownership check. */
export interface SiblingState {
  /** Where it is, safe to print. */
  location: string;
  /** Its environment; `default` for a state written before environments existed. */
  environment: string;
  apps: { key: string; id: string; name: string }[];
}

export interface StateBackend {
  /** Where the state lives, safe to print (no password). */
  describe(): string;
  /** The latest state, or undefined when none was written yet. Refuses corrupt or newer states. */
  read(): Promise<Inventory | undefined>;
  lock(opts: LockOptions): Promise<StateLock>;
  /** The current lock holder, if any. */
  lockHolder(): Promise<LockHolder | undefined>;
  /**
   * Breaks the lock: at once when its holder is stale, otherwise only with
   * `force`. Never needed in normal operation: a crashed process is the case.
   */
  breakLock(opts: { force: boolean }): Promise<BreakLockResult>;
  /**
   * The other states kept where this one is: the other state files of its
   * folder, or the other state names of its database. Each environment's
   * state is one of them, so this is how a run learns which apps belong to
   * another environment without a registry that could go stale. States
   * that cannot be read are returned in `unreadable` (never an error: a
   * broken sibling must not stop this environment's run, but it is said).
   */
  siblings(): Promise<{ states: SiblingState[]; unreadable: string[] }>;
  /** Releases the locks still held through this backend and closes connections. */
  close(): Promise<void>;
}

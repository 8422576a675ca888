/**
 * The ownership inventory and where it is kept. `openState(spec)` picks the
 * backend: a `postgres://` or `postgresql://` URL, else a file path.
 */
import { isAbsolute, resolve } from 'node:path';
import type { StateBackend } from './backend.js';
import { StateError } from './errors.js';
import { createFileBackend, type FileBackendOptions } from './file.js';
import { createPostgresBackend, isPostgresUrl, type PostgresBackendOptions } from './postgres.js';
import { maskUrlUserinfo } from '../util/mask.js';

export type { BreakLockResult, LockHolder, LockInfo, LockOptions, SiblingState, StateBackend, StateLock } from './backend.js';
import { DEFAULT_ENVIRONMENT } from './environment.js';
export * from './errors.js';
export {
  checkInventory,
  cloneInventory,
  findAddress,
  forgetAddress,
  listAddresses,
  newInventory,
  parseInventory,
  serializeInventory,
  stableStringify,
  type ForgetResult,
  type InventoryMatch,
} from './inventory.js';
export { createFileBackend, type FileBackendOptions } from './file.js';
export { createPostgresBackend, isPostgresUrl, parsePostgresUrl, type PostgresBackendOptions } from './postgres.js';
export { lockOwner, describeHolder } from './holder.js';
export { defaultStatePath, resolveStateSpec, stateFileFor, DEFAULT_STATE_FILE } from './locate.js';
export {
  checkStateEnvironment,
  DEFAULT_ENVIRONMENT,
  ENVIRONMENT_PATTERN,
  environmentOf,
  foreignApps,
} from './environment.js';
export { pushState, type PushOptions, type PushResult } from './push.js';
export { migrateState, type MigrateOptions, type MigrateResult } from './migrate.js';

export interface OpenStateOptions {
  /** Relative state paths are resolved against it. */
  cwd: string;
  /** The environment: names the PostgreSQL state when the URL has no `?state=`. */
  environment?: string;
  file?: FileBackendOptions;
  postgres?: PostgresBackendOptions;
}

/** Opens (lazily: nothing is read or connected yet) the state a `--state` value names. */
export function openState(spec: string, opts: OpenStateOptions): StateBackend {
  const s = spec.trim();
  if (s === '') throw new StateError('state-spec-invalid', 'the state location is empty: give a file path or a postgres:// URL');
  if (isPostgresUrl(s)) {
    const env = opts.environment && opts.environment !== DEFAULT_ENVIRONMENT ? { defaultName: opts.environment } : {};
    return createPostgresBackend(s, { ...env, ...opts.postgres });
  }
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(s)) {
    throw new StateError(
      'state-spec-invalid',
      `unsupported state location ${maskUrlUserinfo(s)}: use a file path or a postgres:// (postgresql://) URL`,
    );
  }
  return createFileBackend(isAbsolute(s) ? s : resolve(opts.cwd, s), opts.file);
}

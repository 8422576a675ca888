/**
 * `dynoform state migrate`: a state written before environments existed
 * (the one `.dynoform/state.json` that staging and production shared)
 * becomes per-environment states. Run once per environment with that
 * environment's files: the apps those files declare move into the
 * environment's own state, stamped with its name; the rest stay behind.
 */
import type { Inventory } from '../model/inventory.js';
import type { StateBackend } from './backend.js';
import { environmentOf } from './environment.js';
import { StateError } from './errors.js';

export interface MigrateOptions {
  environment: string;
  /** The app keys the environment's files declare: these move. */
  keys: readonly string[];
  who: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface MigrateResult {
  /** App keys moved into (or, in place, stamped in) the environment's state. */
  moved: string[];
  /** App keys left in the old state (declared by other environments' files, or by none). */
  left: string[];
  /** Declared keys that the old state did not hold (nothing to move). */
  absent: string[];
  /** True when the old state itself was stamped (same location). */
  inPlace: boolean;
}

/**
 * Both states are locked for the duration. The destination keeps the old
 * state's lineage, because the fingerprints of secrets are salted with it.
 * The destination is written before the source: a crash in between leaves
 * an app in both, which the ownership check treats as "never delete", and
 * running migrate again finishes the move.
 */
export async function migrateState(from: StateBackend, to: StateBackend, opts: MigrateOptions): Promise<MigrateResult> {
  const lockOpts = { who: opts.who, operation: 'state migrate', timeoutMs: opts.timeoutMs, signal: opts.signal };
  const source = await from.lock(lockOpts);
  try {
    const old = source.current;
    if (!old) throw new StateError('state-migrate-empty', `there is no state in ${from.describe()} to migrate from`);
    if (old.environment !== undefined && from.describe() !== to.describe()) {
      throw new StateError(
        'state-migrate-not-legacy',
        `${from.describe()} already belongs to environment ${old.environment}: only a state written before environments existed is migrated`,
      );
    }
    const declared = new Set(opts.keys);
    const moved = Object.keys(old.apps).filter((k) => declared.has(k)).sort();
    const left = Object.keys(old.apps).filter((k) => !declared.has(k)).sort();
    const absent = [...declared].filter((k) => !old.apps[k]).sort();

    if (from.describe() === to.describe()) {
      if (old.environment !== undefined && old.environment !== opts.environment) {
        throw new StateError('state-migrate-not-legacy', `${from.describe()} already belongs to environment ${old.environment}`);
      }
      if (left.length > 0) {
        throw new StateError(
          'state-migrate-foreign-apps',
          `${from.describe()} also holds apps the files do not declare (${left.join(', ')}): stamping it with environment ${opts.environment} ` +
            'would make them this environment\'s to delete. Give --state a new location for this environment instead, so that only the declared apps move',
        );
      }
      await source.write({ ...old, environment: opts.environment });
      return { moved, left, absent, inPlace: true };
    }

    const dest = await to.lock(lockOpts);
    try {
      const existing = dest.current;
      if (existing && Object.keys(existing.apps).length > 0) {
        const continuing = existing.lineage === old.lineage && environmentOf(existing) === opts.environment;
        if (!continuing) {
          throw new StateError(
            'state-migrate-destination',
            `${to.describe()} already holds a state (environment ${environmentOf(existing)}, ${Object.keys(existing.apps).length === 1 ? '1 app' : `${Object.keys(existing.apps).length} apps`}): migrate only into a new or empty state`,
          );
        }
      }
      const next: Inventory = {
        version: old.version,
        lineage: old.lineage,
        serial: Math.max(old.serial, existing?.serial ?? 0) + 1,
        environment: opts.environment,
        apps: { ...(existing?.apps ?? {}), ...Object.fromEntries(moved.map((k) => [k, old.apps[k]!])) },
      };
      await dest.replace(next);
      if (moved.length > 0) await source.write({ ...old, apps: Object.fromEntries(left.map((k) => [k, old.apps[k]!])) });
      return { moved, left, absent, inPlace: false };
    } finally {
      await dest.release();
    }
  } finally {
    await source.release();
  }
}

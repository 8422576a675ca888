/**
 * The state commands as functions: inspect and repair the ownership
 * inventory without touching Heroku. Each opens the state that `state`,
 * $DYNOFORM_STATE or the default beside the first YAML file names.
 */
import type { Address } from '../model/address.js';
import {
  findAddress,
  forgetAddress,
  listAddresses,
  lockOwner,
  openState,
  pushState,
  migrateState,
  defaultStatePath,
  DEFAULT_ENVIRONMENT,
  type MigrateResult,
  type BreakLockResult,
  type PushResult,
  type StateBackend,
} from '../state/index.js';
import { DynoformError, classifyError } from './errors.js';
import { resolveCommon, type CommonOptions, type Resolved } from './options.js';
import { loadDesired, lockState, openStateBackend } from './pipeline.js';
import { chooseEnvironment } from './environment.js';

export type StateOptions = Pick<CommonOptions, 'files' | 'cwd' | 'env' | 'state' | 'environment' | 'signal' | 'lockTimeoutMs' | 'onEvent'>;

export interface StateListOutcome {
  /** Where the state is (credentials masked). */
  state: string;
  /** False when there is no state there yet (dynoform manages nothing). */
  exists: boolean;
  addresses: Address[];
}

export interface StateShowOutcome {
  state: string;
  address: Address;
  /** The stored entry: ids and fingerprints, never a secret value. */
  entry: unknown;
}

export interface StateForgetOutcome {
  state: string;
  removed: Address[];
  /** The state's serial after the write. */
  serial: number;
}

export interface StateUnlockOutcome extends BreakLockResult {
  state: string;
}

export type StatePushOutcome = PushResult & { from: string; to: string };

async function withBackend<T>(options: StateOptions, run: (backend: StateBackend, r: Resolved) => Promise<T>): Promise<T> {
  const r = resolveCommon(options);
  // Without files the default is beside ./dynoform.yaml, which resolveCommon already assumes.
  const backend = openStateBackend(r, options.state, r.paths, chooseEnvironment(r, options.environment));
  try {
    return await run(backend, r);
  } catch (err) {
    throw classifyError(err);
  } finally {
    await backend.close();
  }
}

async function readExisting(backend: StateBackend) {
  const inv = await backend.read();
  if (!inv) throw new DynoformError('not-found', `no state in ${backend.describe()} yet`);
  return inv;
}

function single(backend: StateBackend, inv: Parameters<typeof findAddress>[0], address: string) {
  const matches = findAddress(inv, address);
  if (matches.length === 0) throw new DynoformError('not-found', `no entry at ${address} in state ${backend.describe()} (see \`dynoform state list\`)`);
  if (matches.length > 1) {
    const ids = matches.map((m) => m.key ?? m.address);
    throw new DynoformError('invalid-option', `${address} matches ${ids.length} drains with the same masked URL; name one by its id instead: ${ids.join(', ')}`);
  }
  return matches[0]!;
}

/** Every address the state owns, one per entry. */
export function stateList(options: StateOptions = {}): Promise<StateListOutcome> {
  return withBackend(options, async (backend) => {
    const inv = await backend.read();
    return { state: backend.describe(), exists: inv !== undefined, addresses: inv ? listAddresses(inv) : [] };
  });
}

/** One entry of the state. */
export function stateShow(options: StateOptions & { address: string }): Promise<StateShowOutcome> {
  return withBackend(options, async (backend) => {
    const inv = await readExisting(backend);
    const m = single(backend, inv, options.address);
    return { state: backend.describe(), address: m.address, entry: m.entry };
  });
}

/** Stops managing an entry (an app with everything under it) without touching Heroku; under the state lock. */
export function stateForget(options: StateOptions & { address: string }): Promise<StateForgetOutcome> {
  return withBackend(options, async (backend, r) => {
    const lock = await lockState(r, backend, 'state forget', options.signal);
    try {
      const inv = lock.current;
      if (!inv) throw new DynoformError('not-found', `no state in ${backend.describe()} yet`);
      single(backend, inv, options.address);
      const { inventory, removed } = forgetAddress(inv, options.address);
      if (removed.length === 0) throw new DynoformError('not-found', `nothing to forget at ${options.address}: it has no entries`);
      await lock.write(inventory);
      return { state: backend.describe(), removed, serial: lock.current?.serial ?? inventory.serial + 1 };
    } finally {
      await lock.release();
    }
  });
}

/** Removes a lock left by a crashed run; `force` also when its holder may be alive. */
export function stateUnlock(options: StateOptions & { force?: boolean }): Promise<StateUnlockOutcome> {
  return withBackend(options, async (backend) => ({ state: backend.describe(), ...(await backend.breakLock({ force: options.force === true })) }));
}

/** Copies the state to another backend (file ↔ postgres), keeping its lineage. */
export function statePush(options: StateOptions & { to: string; force?: boolean }): Promise<StatePushOutcome> {
  return withBackend(options, async (backend, r) => {
    const dest = openState(options.to, { cwd: r.cwd });
    try {
      const result = await pushState(backend, dest, {
        who: lockOwner(r.env),
        force: options.force === true,
        timeoutMs: r.lockTimeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return { ...result, from: backend.describe(), to: dest.describe() };
    } finally {
      await dest.close();
    }
  });
}

export interface StateMigrateOutcome extends MigrateResult {
  environment: string;
  from: string;
  to: string;
}

/**
 * Moves the apps an environment's files declare out of a state written
 * before environments existed (`from`, default `.dynoform/state.json`
 * beside the first file) into that environment's own state (`state`, else
 * the environment's default location). With `from` equal to the
 * environment's state, the state is stamped in place. Never touches Heroku.
 */
export async function stateMigrate(options: StateOptions & { from?: string }): Promise<StateMigrateOutcome> {
  const r = resolveCommon(options);
  const desired = await loadDesired(r);
  const environment = chooseEnvironment(r, options.environment, desired);
  if (environment === DEFAULT_ENVIRONMENT) {
    throw new DynoformError('invalid-option', 'state migrate moves apps into an environment\'s state: name it with environment: in the files or --env');
  }
  const from = openState(options.from ?? defaultStatePath(r.paths, r.cwd), { cwd: r.cwd });
  const to = openStateBackend(r, options.state, r.paths, environment);
  try {
    const result = await migrateState(from, from.describe() === to.describe() ? from : to, {
      environment,
      keys: Object.keys(desired.apps),
      who: lockOwner(r.env),
      timeoutMs: r.lockTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { ...result, environment, from: from.describe(), to: to.describe() };
  } catch (err) {
    throw classifyError(err);
  } finally {
    await from.close();
    await to.close();
  }
}

/** The state operations under one name: `state.list()`, `state.forget({ address })`, … */
export const state = { list: stateList, show: stateShow, forget: stateForget, unlock: stateUnlock, push: statePush, migrate: stateMigrate };

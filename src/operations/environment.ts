/**
 * Environments (stacks) in the pipeline: which environment a run is for,
 * which state that selects, that the state is that environment's, and
 * which apps the other environments' states own.
 */
import { isAbsolute, relative } from 'node:path';
import type { DesiredState } from '../model/desired.js';
import type { ForeignApp, Inventory } from '../model/inventory.js';
import type { Plan } from '../model/plan.js';
import type { StateBackend } from '../state/backend.js';
import {
  checkStateEnvironment,
  DEFAULT_ENVIRONMENT,
  ENVIRONMENT_PATTERN,
  foreignApps,
  isPostgresUrl,
  newInventory,
} from '../state/index.js';
import { DynoformError, classifyError } from './errors.js';
import type { Resolved } from './options.js';

const at = (d: DesiredState): string => (d.environmentLoc ? ` (${d.environmentLoc.file}:${d.environmentLoc.line}:${d.environmentLoc.col})` : '');

/**
 * The environment of the run: `environment` (the `--env` flag, else
 * $DYNOFORM_ENV), which must agree with what the files name; else the
 * files' `environment:`; else the saved plan's; else `default`.
 */
export function chooseEnvironment(r: Resolved, given: string | undefined, desired?: DesiredState, saved?: Plan): string {
  const fromFlag = given ?? (r.env.DYNOFORM_ENV !== undefined && r.env.DYNOFORM_ENV !== '' ? r.env.DYNOFORM_ENV : undefined);
  const flagName = given !== undefined ? '--env' : 'DYNOFORM_ENV';
  if (fromFlag !== undefined && !ENVIRONMENT_PATTERN.test(fromFlag)) {
    throw new DynoformError('invalid-option', `${flagName} must be an environment name: lower-case letters, digits and "-", starting with a letter, at most 40 (got "${fromFlag}")`);
  }
  if (fromFlag !== undefined && desired?.environment !== undefined && fromFlag !== desired.environment) {
    throw new DynoformError('invalid-option', `${flagName} says environment ${fromFlag}, but the files are for environment ${desired.environment}${at(desired)}`);
  }
  const env = fromFlag ?? desired?.environment ?? saved?.environment ?? DEFAULT_ENVIRONMENT;
  if (saved && (saved.environment ?? DEFAULT_ENVIRONMENT) !== env) {
    throw new DynoformError('stale', `the plan was made for environment ${saved.environment ?? DEFAULT_ENVIRONMENT}, not ${env}: apply it with the files and state it was made with`);
  }
  return env;
}

/** The state as a plan records it: a file relative to the working directory, a URL with its password masked. */
export function stateLabel(r: Resolved, backend: StateBackend): string {
  const where = backend.describe();
  if (isPostgresUrl(where)) return where;
  const rel = relative(r.cwd, where);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : where;
}

/** The state to apply a saved plan against when neither `state` nor $DYNOFORM_STATE is given: the one it was made against. */
export function savedPlanState(r: Resolved, given: string | undefined, saved: Plan | undefined): string | undefined {
  if (given !== undefined || (r.env.DYNOFORM_STATE ?? '').trim() !== '' || saved?.state === undefined) return given;
  if (saved.state.includes('***')) {
    throw new DynoformError(
      'invalid-option',
      `the plan was made against the state ${saved.state}, whose password a plan file never holds: give it with --state or DYNOFORM_STATE`,
    );
  }
  return saved.state;
}

/**
 * The state as this environment may use it: a new one is stamped with the
 * environment; one of another environment (or, for a named environment, a
 * non-empty state from before environments) is refused.
 */
export function ownInventory(inv: Inventory | undefined, environment: string, backend: StateBackend): Inventory {
  try {
    checkStateEnvironment(inv, environment, backend.describe());
  } catch (err) {
    throw classifyError(err);
  }
  const base = inv ?? newInventory();
  if (environment === DEFAULT_ENVIRONMENT || base.environment === environment) return base;
  return { ...base, environment };
}

/**
 * The apps the other states beside this one own (other environments'
 * states in the same folder or database): the planner never adopts or
 * deletes them. A sibling that cannot be read is said, not fatal.
 */
export async function foreignOwners(r: Resolved, backend: StateBackend): Promise<ForeignApp[]> {
  let found: Awaited<ReturnType<StateBackend['siblings']>>;
  try {
    found = await backend.siblings();
  } catch (err) {
    throw classifyError(err);
  }
  for (const u of found.unreadable) {
    r.emit({ type: 'notice', message: `cannot read the state ${u} beside this one: apps it owns are not protected from this run; fix or move it` });
  }
  return foreignApps(found.states);
}

/**
 * `--target` values as app keys: a YAML key, or a Heroku app name of a
 * declared or managed app. Unknown ones are an error naming them.
 */
export function resolveTargets(targets: readonly string[] | undefined, desired: DesiredState, inventory: Inventory): string[] | undefined {
  if (!targets || targets.length === 0) return undefined;
  const byName = new Map<string, string>();
  for (const a of Object.values(inventory.apps)) byName.set(a.name, a.key);
  for (const a of Object.values(desired.apps)) byName.set(a.name, a.key);
  const keys: string[] = [];
  const unknown: string[] = [];
  for (const t of targets) {
    const key = desired.apps[t] || inventory.apps[t] ? t : byName.get(t);
    if (key === undefined) unknown.push(t);
    else if (!keys.includes(key)) keys.push(key);
  }
  if (unknown.length > 0) {
    throw new DynoformError('invalid-option', `--target names no declared or managed app (by YAML key or Heroku name): ${unknown.join(', ')}`);
  }
  return keys;
}

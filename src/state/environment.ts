/**
 * Environments (stacks): one state per environment, and a state records
 * the environment it belongs to so that another one cannot use it.
 */
import type { Inventory } from '../model/inventory.js';
import type { ForeignApp } from '../model/inventory.js';
import type { SiblingState } from './backend.js';
import { StateError } from './errors.js';

/** The environment of files that name none, and of states written before environments existed. */
export const DEFAULT_ENVIRONMENT = 'default';

/** As the YAML schema's `environment` pattern: it names state files and database rows. */
export const ENVIRONMENT_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;

/** The environment a stored state belongs to. */
export function environmentOf(inv: Pick<Inventory, 'environment'>): string {
  return inv.environment ?? DEFAULT_ENVIRONMENT;
}

export function siblingOf(location: string, inv: Inventory): SiblingState {
  return {
    location,
    environment: environmentOf(inv),
    apps: Object.values(inv.apps).map((a) => ({ key: a.key, id: a.id, name: a.name })),
  };
}

/** The apps of the sibling states, for the planner: never adopted, never deleted by this state. */
export function foreignApps(siblings: readonly SiblingState[]): ForeignApp[] {
  return siblings.flatMap((s) => s.apps.map((a) => ({ ...a, environment: s.environment, state: s.location })));
}

/**
 * Refuses a state that belongs to another environment. A state written
 * before environments existed (no `environment`) is the default
 * environment's: a named environment refuses it too, with the command that
 * moves it (`dynoform state migrate`), so that the old shared state of
 * staging and production is never silently taken over by one of them.
 */
export function checkStateEnvironment(inv: Inventory | undefined, environment: string, where: string): void {
  if (!inv) return;
  const has = environmentOf(inv);
  if (has === environment) return;
  // An empty state of no environment holds nothing to take over: the first write stamps it.
  if (inv.environment === undefined && Object.keys(inv.apps).length === 0) return;
  if (inv.environment === undefined) {
    throw new StateError(
      'state-environment-mismatch',
      `state ${where} was written before environments existed (it belongs to no environment), so environment ${environment} does not use it. ` +
        `Move this environment's apps into their own state with \`dynoform state migrate --from ${where} -f FILES…\` (docs/environments.md), ` +
        'or run without an environment to keep using it as it is',
    );
  }
  throw new StateError(
    'state-environment-mismatch',
    `state ${where} belongs to environment ${has}, not ${environment}: each environment has its own state. ` +
      `Check --state / DYNOFORM_STATE and the environment of the files (environment: ${environment})`,
  );
}

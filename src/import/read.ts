import type { DesiredApp, DesiredState } from '../model/desired.js';
import type { Inventory } from '../model/inventory.js';
import type { LiveApp } from '../model/live.js';
import type { HerokuClient } from '../providers/heroku/client.js';
import { readLiveState } from '../providers/heroku/live.js';

/** The optional kinds import writes. */
const IMPORTED_KINDS = ['buildpacks', 'features', 'collaborators', 'locked', 'webhooks', 'certificates'] as const;

export interface ReadAppsResult {
  /** In the order asked for. */
  apps: LiveApp[];
  /** Names the account cannot see. */
  notFound: string[];
  requests: number;
}

/**
 * Reads existing apps in full through the live reader — the same reads a
 * plan makes, so the import sees exactly what the first plan will see. The
 * reader reads declared apps, so each name is declared bare for the read.
 */
export async function readAppsToImport(client: HerokuClient, names: readonly string[], opts: { signal?: AbortSignal } = {}): Promise<ReadAppsResult> {
  const desired: DesiredState = { apps: Object.fromEntries(names.map((n) => [n, bareApp(n)])), files: [] };
  const none: Inventory = { version: 1, lineage: 'import', serial: 0, apps: {} };
  const live = await readLiveState(client, desired, none, { everyApp: IMPORTED_KINDS, ...(opts.signal ? { signal: opts.signal } : {}) });
  const apps: LiveApp[] = [];
  const notFound: string[] = [];
  for (const n of names) {
    const app = live.apps[n];
    if (app) apps.push(app);
    else notFound.push(n);
  }
  return { apps, notFound, requests: live.requests };
}

function bareApp(name: string): DesiredApp {
  return { key: name, name, protect: true, config: {}, configMode: 'merge', addons: {}, formation: {}, domains: [], drains: [] };
}

import type { DesiredApp, DesiredState } from '../../../src/model/desired.js';
import type { Inventory, InventoryApp } from '../../../src/model/inventory.js';
import type { Action, Change, Operation, Plan } from '../../../src/model/plan.js';
import type { ResourceKind } from '../../../src/model/address.js';
import { formatAddress } from '../../../src/util/address.js';

/** A change with sensible defaults; `key` makes the address `app.<app>/<kind>.<key>`. */
export function change(
  app: string,
  kind: ResourceKind,
  action: Action,
  op: Operation,
  extra: Partial<Change> & { key?: string } = {},
): Change {
  const { key, ...rest } = extra;
  const address = formatAddress(app, kind, key);
  return {
    id: address,
    address,
    app,
    kind,
    action,
    before: null,
    after: null,
    patch: [],
    guard: {},
    dependsOn: [],
    sideEffects: { releases: 0 },
    requests: 1,
    op,
    ...rest,
  };
}

export function plan(changes: Change[], over: Partial<Plan> = {}): Plan {
  return {
    formatVersion: 1,
    dynoformVersion: 'test',
    createdAt: '2026-01-01T00:00:00.000Z',
    apiUrl: 'http://127.0.0.1:1',
    lineage: 'L1',
    serial: 3,
    files: [],
    changes,
    diagnostics: [],
    summary: { create: 0, update: 0, delete: 0, adopt: 0, blocked: 0, replaceRefused: 0, waiting: 0, releases: 0, requests: 0 },
    ...over,
  };
}

export function invApp(key: string, over: Partial<InventoryApp> = {}): InventoryApp {
  return { key, id: `id-${key}`, name: key, protect: true, created: true, config: {}, addons: {}, domains: {}, drains: {}, formation: {}, ...over };
}

export function inventory(apps: InventoryApp[] = [], over: Partial<Inventory> = {}): Inventory {
  return { version: 1, lineage: 'L1', serial: 3, apps: Object.fromEntries(apps.map((a) => [a.key, a])), ...over };
}

export function desiredApp(key: string, over: Partial<DesiredApp> = {}): DesiredApp {
  return { key, name: key, protect: true, config: {}, configMode: 'merge', addons: {}, formation: {}, domains: [], drains: [], ...over };
}

export function desired(apps: DesiredApp[]): DesiredState {
  return { apps: Object.fromEntries(apps.map((a) => [a.key, a])), files: [] };
}

import type { DesiredApp } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { InventoryApp } from '../model/inventory.js';
import type { LiveApp, LiveState } from '../model/live.js';
import type { ChangeItem, Operation } from '../model/plan.js';
import { formatAddress } from '../util/address.js';
import { appGuard } from '../util/guard.js';
import { guardReads, listGuard, locOf, makeChange, sortObject, type StagedChange } from './context.js';

/** How a declared app maps onto the live world. */
export interface AppResolution {
  /** The live app the declaration is about (undefined: it will be created). */
  live?: LiveApp;
  /** The state entry, when it describes that live app. */
  inv?: InventoryApp;
  /** The app-level change, if any. */
  change?: StagedChange;
  /** False when the app is neither managed nor adoptable: its children are not planned. */
  planChildren: boolean;
}

type AppSnapshot = Record<string, string | boolean>;

function liveSnapshot(live: LiveApp, inv: InventoryApp | undefined): AppSnapshot {
  const s: AppSnapshot = { name: live.name, region: live.region, stack: live.buildStack, maintenance: live.maintenance };
  if (inv) s.protect = inv.protect;
  return s;
}

export function resolveDeclaredApp(
  desired: DesiredApp,
  liveState: LiveState,
  invApp: InventoryApp | undefined,
  diagnostics: Diagnostic[],
): AppResolution {
  const key = desired.key;
  const address = formatAddress(key);
  const found = liveState.apps[key];

  if (!found) {
    const after: AppSnapshot = { name: desired.name, protect: desired.protect };
    if (desired.region !== undefined) after.region = desired.region;
    if (desired.stack !== undefined) after.stack = desired.stack;
    if (desired.maintenance !== undefined) after.maintenance = desired.maintenance;
    const op: Operation = { type: 'app.create', name: desired.name, protect: desired.protect };
    if (desired.region !== undefined) op.region = desired.region;
    if (desired.stack !== undefined) op.stack = desired.stack;
    if (desired.maintenance !== undefined) op.maintenance = desired.maintenance;
    // A team app is created in its team (POST /teams/apps), locked or not, in the same request.
    if (desired.team !== undefined) {
      op.team = desired.team;
      after.team = desired.team;
      if (desired.locked !== undefined) {
        op.locked = desired.locked;
        after.locked = desired.locked;
      }
    }
    const change = makeChange({
      address,
      app: key,
      kind: 'app',
      action: 'create',
      before: null,
      after: sortObject(after),
      // POST /apps takes no maintenance flag: turning it on is a second request.
      requests: desired.maintenance === true ? 2 : 1,
      op,
      ...(invApp
        ? { reason: `was in state (id ${invApp.id}) but no longer exists: deleted outside dynoform, so it will be created again` }
        : {}),
      ...(desired.loc ? { loc: desired.loc } : {}),
    });
    return { change: { stage: 'app', change }, planChildren: true };
  }

  const inv = invApp && invApp.id === found.id ? invApp : undefined;
  const adopting = inv === undefined;
  const items: ChangeItem[] = [];
  const op: { name?: string; maintenance?: boolean; buildStack?: string } = {};
  let apiFields = 0;

  if (desired.name !== found.name) {
    items.push({ key: 'name', action: 'update', before: found.name, after: desired.name, note: 'rename: its herokuapp.com URL and git remote change' });
    op.name = desired.name;
    apiFields += 1;
    diagnostics.push(renameWarning(found, desired.name, address, desired.loc));
    const holder = liveState.appIds[desired.name];
    if (holder !== undefined && holder !== found.id) {
      // The API would refuse the PATCH with a 422 after the changes before it: refuse the plan instead.
      diagnostics.push({
        severity: 'error',
        code: 'app-name-taken',
        message: `cannot rename ${found.name} to ${desired.name}: another app of this account already has that name; choose another name`,
        address,
        ...locOf(desired.fieldLocs?.name ?? desired.loc),
      });
    }
  }
  const regionDiffers = desired.region !== undefined && desired.region !== found.region;
  if (regionDiffers) {
    items.push({ key: 'region', action: 'replace-refused', before: found.region, after: desired.region ?? null });
  }
  if (desired.stack !== undefined && desired.stack !== found.buildStack) {
    items.push({ key: 'stack', action: 'update', before: found.buildStack, after: desired.stack, note: 'takes effect at next build' });
    op.buildStack = desired.stack;
    apiFields += 1;
  }
  if (desired.maintenance !== undefined && desired.maintenance !== found.maintenance) {
    items.push({ key: 'maintenance', action: 'update', before: found.maintenance, after: desired.maintenance });
    op.maintenance = desired.maintenance;
    apiFields += 1;
  }
  if (inv && inv.protect !== desired.protect) {
    items.push({ key: 'protect', action: 'update', before: inv.protect, after: desired.protect, note: 'state only, no request' });
  }

  const before = liveSnapshot(found, inv);
  const after: AppSnapshot = { ...before, protect: desired.protect };
  if (op.name !== undefined) after.name = op.name;
  if (desired.region !== undefined) after.region = desired.region;
  if (op.buildStack !== undefined) after.stack = op.buildStack;
  if (op.maintenance !== undefined) after.maintenance = op.maintenance;

  const staleState =
    invApp && !inv
      ? `the app in state (id ${invApp.id}) no longer exists; the live app named ${found.name} is adopted instead`
      : undefined;

  if (regionDiffers) {
    const change = makeChange({
      address,
      app: key,
      kind: 'app',
      action: 'replace-refused',
      reason: `region cannot change (${found.region} → ${desired.region}); it needs a new app`,
      before: sortObject(before),
      after: sortObject(after),
      items,
      op: { type: 'none' },
      ...(desired.loc ? { loc: desired.loc } : {}),
    });
    // An app we do not own yet is left alone entirely: adopting its parts would own pieces of an unmanaged app.
    return { live: found, ...(inv ? { inv } : {}), change: { stage: 'app', change }, planChildren: !adopting };
  }

  if (!adopting && items.length === 0) return { live: found, inv, planChildren: true };

  const guard = apiFields > 0 ? listGuard(found.etag, () => appGuard(found)) : {};
  const change = makeChange({
    address,
    app: key,
    kind: 'app',
    action: adopting ? 'adopt' : 'update',
    before: sortObject(before),
    after: sortObject(after),
    items,
    guard,
    requests: apiFields > 0 ? 1 + guardReads(guard) : 0,
    op: { type: adopting ? 'app.adopt' : 'app.update', appId: found.id, ...op, protect: desired.protect },
    ...(staleState
      ? { reason: staleState }
      : adopting
        ? { reason: `exists but is not in state: dynoform takes ownership${items.length > 0 ? ' and updates what differs' : ''}` }
        : {}),
    ...(desired.loc ? { loc: desired.loc } : {}),
  });
  return { live: found, ...(inv ? { inv } : {}), change: { stage: 'app', change }, planChildren: true };
}

/** An app in state that the YAML no longer declares: delete with consent, else blocked; forget when already gone. */
export function planUndeclaredApp(inv: InventoryApp, liveState: LiveState, liveIds: ReadonlySet<string>): StagedChange {
  const key = inv.key;
  const address = formatAddress(key);
  const live = liveState.apps[key];
  const exists = live ? live.id === inv.id : liveIds.has(inv.id);
  const before: AppSnapshot = live && live.id === inv.id ? liveSnapshot(live, inv) : { name: inv.name, protect: inv.protect };
  if (inv.region !== undefined && before.region === undefined) before.region = inv.region;

  if (!exists) {
    return {
      stage: 'forget',
      change: makeChange({
        address,
        app: key,
        kind: 'app',
        action: 'delete',
        reason: `no longer declared and already deleted outside dynoform: only removed from state (no request)`,
        before: sortObject(before),
        after: null,
        op: { type: 'state.forget' },
      }),
    };
  }
  if (inv.protect) {
    return {
      stage: 'app-delete',
      change: makeChange({
        address,
        app: key,
        kind: 'app',
        action: 'blocked',
        reason: `removed from the YAML but protected: deleting ${inv.name} destroys its data${goesWith(inv)}. To delete it, set protect: false and apply first, then remove it, and apply with --allow-destroy`,
        before: sortObject(before),
        after: null,
        op: { type: 'none' },
      }),
    };
  }
  // Apps no longer declared are not read in full: the app list's view guards the delete.
  const seen = live && live.id === inv.id ? live : liveState.undeclared?.[key]?.id === inv.id ? liveState.undeclared[key] : undefined;
  const guard = seen ? listGuard(live && live.id === inv.id ? live.etag : undefined, () => appGuard(seen)) : {};
  return {
    stage: 'app-delete',
    change: makeChange({
      address,
      app: key,
      kind: 'app',
      action: 'delete',
      reason: `deletes ${inv.name} with all its add-ons and data${goesWith(inv)}; apply needs --allow-destroy`,
      before: sortObject(before),
      after: null,
      guard,
      requests: 1 + guardReads(guard),
      op: { type: 'app.delete', appId: inv.id },
    }),
  };
}

/** The add-ons (and their plans) that an app's deletion takes with it, as this state knows them. */
function goesWith(inv: InventoryApp): string {
  const addons = Object.entries(inv.addons)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, a]) => `${key} (${a.plan}, ${a.name})`);
  return addons.length > 0 ? ` (add-ons that go with it: ${addons.join(', ')})` : '';
}

/**
 * Heroku moves an app's default domain and git URL with its name at once:
 * links, webhooks and every clone's `heroku` remote that use the old ones
 * break. A reviewer should see that before approving the rename.
 */
function renameWarning(found: LiveApp, to: string, address: string, loc: DesiredApp['loc']): Diagnostic {
  const herokuDomain = found.domains.find((d) => d.kind === 'heroku')?.hostname ?? `${found.name}.herokuapp.com`;
  return {
    severity: 'warning',
    code: 'app-rename',
    message:
      `renaming ${found.name} to ${to} changes its URL (https://${herokuDomain} stops answering; Heroku gives the app a new herokuapp.com domain) ` +
      `and its git remote (https://git.heroku.com/${found.name}.git becomes https://git.heroku.com/${to}.git): ` +
      `update links to the old URL, and in each clone run \`heroku git:remote -a ${to}\``,
    address,
    ...locOf(loc),
  };
}

import type { DesiredAddon } from '../model/desired.js';
import type { LiveAddon, LiveApp } from '../model/live.js';
import { appLoc, type AppScope } from './context.js';

/**
 * Add-ons: owned ones are found by id (a rename outside keeps the id), and
 * compared with the plan and attachment name last applied. Add-ons billed to
 * or attached to the app that are neither owned nor declared are unmanaged.
 */
export function classifyAddons(scope: AppScope): void {
  const { desired: d, owned: inv, live: l } = scope;
  if (!d || !l) return;
  const owned = inv?.addons ?? {};
  const ownedIds = new Set(Object.values(owned).map((a) => a.id));
  const fieldLoc = d.fieldLocs?.['addons'] ?? appLoc(scope);
  const accounted = new Set<string>(ownedIds);

  for (const [key, ia] of Object.entries(owned)) {
    const da = d.addons[key];
    const loc = da?.loc ?? fieldLoc;
    const la = l.addons.find((a) => a.id === ia.id);
    if (!la || la.state === 'deprovisioned') {
      scope.add({ class: 'missing', kind: 'addon', key, message: `add-on ${ia.name} (${ia.plan}) was deleted outside dynoform`, loc, before: ia.plan, after: null });
    } else {
      if (la.plan !== ia.plan) {
        scope.add({
          class: 'changed-outside',
          kind: 'addon',
          key,
          field: 'plan',
          message: `add-on ${la.name} was moved to another plan outside dynoform: ${ia.plan} → ${la.plan}`,
          loc,
          before: ia.plan,
          after: la.plan,
        });
      }
      const names = attachmentNames(la, l);
      if (ia.attachment !== undefined && !names.includes(ia.attachment)) {
        scope.add({
          class: 'changed-outside',
          kind: 'addon',
          key,
          field: 'as',
          message: `add-on ${la.name} is no longer attached as ${ia.attachment} (attachments on this app: ${names.join(', ') || 'none'})`,
          loc,
          before: ia.attachment,
          after: names.join(', ') || null,
        });
      }
    }
    if (!da) {
      scope.add({
        class: 'pending',
        kind: 'addon',
        key,
        message: `add-on ${ia.name} was removed from the YAML and not applied: apply would delete it and its data (refused unless protect: false was applied and --allow-destroy is given)`,
        loc: fieldLoc,
        before: ia.plan,
        after: null,
      });
    } else if (da.plan !== ia.plan) {
      scope.add({
        class: 'pending',
        kind: 'addon',
        key,
        field: 'plan',
        message: `add-on ${key} changed plan in the YAML and was not applied: ${ia.plan} → ${da.plan}`,
        loc,
        before: ia.plan,
        after: da.plan,
      });
    }
  }

  for (const [key, da] of Object.entries(d.addons)) {
    if (owned[key]) continue;
    const loc = da.loc ?? fieldLoc;
    const la = matchDeclaredAddon(da, l, accounted);
    if (!la) {
      scope.add({ class: 'pending', kind: 'addon', key, message: `add-on ${key} (${da.plan}) is declared but not created yet`, loc, before: null, after: da.plan });
      continue;
    }
    accounted.add(la.id);
    if (la.plan !== da.plan) {
      scope.add({
        class: 'pending',
        kind: 'addon',
        key,
        field: 'plan',
        message: `add-on ${la.name} is not managed yet and is on another plan than declared: apply will adopt it and change ${la.plan} → ${da.plan}`,
        loc,
        before: la.plan,
        after: da.plan,
      });
    }
  }

  for (const la of l.addons) {
    if (accounted.has(la.id) || la.state === 'deprovisioned') continue;
    const key = (attachmentNames(la, l)[0] ?? la.name).toLowerCase();
    scope.add({
      class: 'unmanaged',
      kind: 'addon',
      key,
      message: `add-on ${la.name} (${la.plan}) is attached to the app but not declared`,
      loc: appLoc(scope),
      before: null,
      after: la.plan,
    });
  }
}

/** Names under which the add-on is attached to this app (config-var prefixes). */
export function attachmentNames(addon: LiveAddon, app: LiveApp): string[] {
  return addon.attachments.filter((a) => a.appId === app.id || a.appName === app.name).map((a) => a.name);
}

function service(plan: string): string {
  const i = plan.indexOf(':');
  return i < 0 ? plan : plan.slice(0, i);
}

/**
 * The live add-on a declaration that was never applied refers to, if any:
 * by its global name when declared, else by service and attachment name
 * (the same rule adoption follows), and never one already accounted for.
 */
export function matchDeclaredAddon(da: DesiredAddon, app: LiveApp, taken: ReadonlySet<string>): LiveAddon | undefined {
  const free = app.addons.filter((a) => !taken.has(a.id) && a.state !== 'deprovisioned');
  if (da.name !== undefined) return free.find((a) => a.name === da.name);
  const sameService = free.filter((a) => a.service === service(da.plan));
  if (da.as !== undefined) return sameService.find((a) => attachmentNames(a, app).includes(da.as!));
  return sameService.length === 1 ? sameService[0] : undefined;
}

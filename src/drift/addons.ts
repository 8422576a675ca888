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
          message: `add-on ${la.name} was moved to another plan outside dynoform`,
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
    } else {
      if (da.plan !== ia.plan) {
        scope.add({
          class: 'pending',
          kind: 'addon',
          key,
          field: 'plan',
          message: `add-on ${key} changed plan in the YAML and was not applied`,
          loc,
          before: ia.plan,
          after: da.plan,
        });
      }
      if (da.as !== undefined && ia.attachment !== undefined && da.as !== ia.attachment) {
        scope.add({
          class: 'pending',
          kind: 'addon',
          key,
          field: 'as',
          message: `add-on ${key} has attachment name ${da.as} in the YAML but ${ia.attachment} was applied (dynoform does not rename attachments: it would change the app's config var names)`,
          loc,
          before: ia.attachment,
          after: da.as,
        });
      }
    }
  }

  const matched = matchDeclaredAddons(d.addons, owned, l, accounted);
  for (const [key, da] of Object.entries(d.addons)) {
    if (owned[key]) continue;
    const loc = da.loc ?? fieldLoc;
    const la = matched.get(key);
    if (!la) {
      scope.add({ class: 'pending', kind: 'addon', key, message: `add-on ${key} (${da.plan}) is declared but not created yet`, loc, before: null, after: da.plan });
      continue;
    }
    if (la.plan !== da.plan) {
      scope.add({
        class: 'pending',
        kind: 'addon',
        key,
        field: 'plan',
        message: `add-on ${la.name} is not managed yet and is on another plan than declared: apply will adopt it and change its plan`,
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
 * The live add-ons that declarations never applied refer to, by the rule
 * adoption follows (src/planner/addons.ts): the attachment name on this app
 * (`as`) first, then the one live add-on of the same service that nothing
 * else claims. `taken` (owned add-ons) is extended with every match.
 */
export function matchDeclaredAddons(
  declared: Record<string, DesiredAddon>,
  owned: Record<string, unknown>,
  app: LiveApp,
  taken: Set<string>,
): Map<string, LiveAddon> {
  const out = new Map<string, LiveAddon>();
  const free = () => app.addons.filter((a) => !taken.has(a.id) && a.state !== 'deprovisioned');
  const keys = Object.keys(declared)
    .filter((k) => owned[k] === undefined)
    .sort();
  for (const k of keys) {
    const as = declared[k]!.as;
    if (as === undefined) continue;
    const a = free().find((x) => attachmentNames(x, app).includes(as));
    if (a) {
      taken.add(a.id);
      out.set(k, a);
    }
  }
  for (const k of keys) {
    if (out.has(k)) continue;
    const candidates = free().filter((x) => x.service === service(declared[k]!.plan));
    if (candidates.length === 1) {
      taken.add(candidates[0]!.id);
      out.set(k, candidates[0]!);
    }
  }
  return out;
}

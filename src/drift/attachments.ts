import { sharedAttachmentsOn } from '../util/attachments.js';
import { appLoc, type AppScope } from './context.js';

/**
 * Attachments of other apps' add-ons: owned ones detached (or now
 * attaching something else) outside dynoform, declared ones not made yet,
 * owned ones removed from the YAML, and the unmanaged rest when the app
 * declares the kind.
 */
export function classifyAttachments(scope: AppScope): void {
  const { desired: d, owned: inv, live: l } = scope;
  if (!d || !l) return;
  const fieldLoc = d.fieldLocs?.['attachments'] ?? appLoc(scope);
  const owned = inv?.attachments ?? {};
  const live = sharedAttachmentsOn(l);
  const declared = d.attachments ?? {};
  for (const [name, o] of Object.entries(owned)) {
    const loc = declared[name]?.loc ?? fieldLoc;
    const la = live.find((a) => a.id === o.id);
    const ref = `${o.app}/${o.addon}`;
    if (!la) {
      const other = live.find((a) => a.name === name);
      if (other) scope.add({ class: 'changed-outside', kind: 'attachment', key: name, field: 'addon', message: `attachment ${name} now attaches ${other.addonName} (of ${other.ownerName}), not ${ref}: changed outside dynoform`, loc, before: ref, after: other.addonName });
      else scope.add({ class: 'missing', kind: 'attachment', key: name, message: `attachment ${name} (${ref}) was detached outside dynoform`, loc, before: ref, after: null });
    }
    const da = declared[name];
    if (!da) scope.add({ class: 'pending', kind: 'attachment', key: name, message: `attachment ${name} was removed from the YAML and not applied: apply will detach it (the add-on stays)`, loc: fieldLoc, before: ref, after: null });
    else if (da.app !== o.app || da.addon !== o.addon) scope.add({ class: 'pending', kind: 'attachment', key: name, field: 'addon', message: `attachment ${name} now names ${da.app}/${da.addon}: not applied yet`, loc, before: ref, after: `${da.app}/${da.addon}` });
  }
  for (const [name, da] of Object.entries(declared)) {
    if (owned[name] || live.some((a) => a.name === name)) continue;
    scope.add({ class: 'pending', kind: 'attachment', key: name, message: `attachment ${name} (${da.app}/${da.addon}) is declared but not attached yet`, loc: da.loc ?? fieldLoc, before: null, after: `${da.app}/${da.addon}` });
  }
  if (d.attachments === undefined) return;
  const ownedIds = new Set(Object.values(owned).map((o) => o.id));
  for (const a of live) {
    if (ownedIds.has(a.id) || declared[a.name]) continue;
    scope.add({ class: 'unmanaged', kind: 'attachment', key: a.name, message: `attachment ${a.name} (${a.addonName} of ${a.ownerName}) is not declared`, loc: appLoc(scope), before: null, after: a.addonName });
  }
}

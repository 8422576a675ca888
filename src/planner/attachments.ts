import type { DesiredState } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Inventory } from '../model/inventory.js';
import type { LiveState } from '../model/live.js';
import type { Change } from '../model/plan.js';
import { formatAddress } from '../util/address.js';
import { attachmentGuard } from '../util/guard.js';
import { sharedAttachmentsOn } from '../util/attachments.js';
import { EXECUTABLE, guardReads, listGuard, makeChange, unmanagedNote } from './context.js';

export interface AttachmentsInput {
  desired: DesiredState;
  live: LiveState;
  inventory: Inventory;
  /** The app keys being planned (after --target). */
  keys: readonly string[];
  /** Every change planned so far, by id: the owners' add-on changes an attachment waits for. */
  changes: ReadonlyMap<string, Change>;
  diagnostics: Diagnostic[];
}

/**
 * Attachments of another app's add-on, across apps (the owner may be any
 * app of the set): made after the add-on they attach (a cross-app
 * dependency), adopted when a live attachment of that name already
 * attaches it, detached when state owns them and they leave the YAML —
 * detaching never deletes the add-on. A live attachment of the name that
 * attaches something else is refused, not replaced: its config vars are
 * what the app reads.
 */
export function planAttachments(input: AttachmentsInput): Change[] {
  const { desired, live, inventory } = input;
  const out: Change[] = [];
  for (const key of input.keys) {
    const d = desired.apps[key];
    if (!d) continue;
    const liveApp = live.apps[key];
    const invApp = inventory.apps[key] && (!liveApp || inventory.apps[key]!.id === liveApp.id) ? inventory.apps[key] : undefined;
    const owned = invApp?.attachments ?? {};
    const liveAtts = liveApp ? sharedAttachmentsOn(liveApp) : [];
    const byName = new Map(liveAtts.map((a) => [a.name, a]));
    const appChange = input.changes.get(formatAddress(key));
    const appDeps = appChange && EXECUTABLE.has(appChange.action) && appChange.op.type === 'app.create' ? [appChange.id] : [];

    for (const name of Object.keys(d.attachments ?? {}).sort()) {
      const att = d.attachments![name]!;
      const address = formatAddress(key, 'attachment', name);
      const loc = att.loc ? { loc: att.loc } : {};
      const ref = `${att.app}/${att.addon}`;
      const shown = { addon: ref };
      const ownerAddon = resolveOwnerAddon(input, att.app, att.addon);
      const l = byName.get(name);
      if (l && ownerAddon.id !== undefined && l.addonId === ownerAddon.id) {
        if (owned[name]?.id === l.id) continue;
        out.push(
          makeChange({
            address,
            app: key,
            kind: 'attachment',
            action: 'adopt',
            reason: `${name} already attaches ${l.addonName} (${ref}) but is not in state: dynoform takes ownership (no request)`,
            before: { addon: l.addonName },
            after: shown,
            op: { type: 'attachment.adopt', name, attachmentId: l.id, owner: { app: att.app, addon: att.addon }, addonId: l.addonId },
            ...loc,
          }),
        );
        continue;
      }
      if (l) {
        out.push(
          makeChange({
            address,
            app: key,
            kind: 'attachment',
            action: 'replace-refused',
            reason: `${name} on ${d.name} attaches ${l.addonName} (billed to ${l.ownerName}), not ${ref}: its config vars are what the app reads, so dynoform does not swap them; detach it (heroku addons:detach ${name} -a ${d.name}) or attach ${ref} under another name`,
            before: { addon: l.addonName },
            after: shown,
            op: { type: 'none' },
            ...loc,
          }),
        );
        continue;
      }
      if (ownerAddon.id === undefined && ownerAddon.waitFor === undefined) {
        out.push(
          makeChange({
            address,
            app: key,
            kind: 'attachment',
            action: 'blocked',
            reason: `${ref} is not there to attach and this plan does not create it${ownerAddon.why ? ` (${ownerAddon.why})` : ''}`,
            before: null,
            after: shown,
            op: { type: 'none' },
            ...loc,
          }),
        );
        continue;
      }
      const change = makeChange({
        address,
        app: key,
        kind: 'attachment',
        action: 'create',
        before: null,
        after: shown,
        requests: 1,
        releases: 1,
        op: { type: 'attachment.create', name, owner: { app: att.app, addon: att.addon }, ...(ownerAddon.id !== undefined ? { addonId: ownerAddon.id } : {}) },
        ...(owned[name] ? { reason: 'was in state but no longer exists: detached outside dynoform, so it will be attached again' } : {}),
        ...loc,
      });
      change.dependsOn = [...appDeps, ...(ownerAddon.waitFor ? [ownerAddon.waitFor] : [])];
      out.push(change);
    }

    for (const name of Object.keys(owned).sort()) {
      if (d.attachments?.[name]) continue;
      const o = owned[name]!;
      const address = formatAddress(key, 'attachment', name);
      const l = liveAtts.find((a) => a.id === o.id);
      const before = { addon: `${o.app}/${o.addon}` };
      if (!l) {
        out.push(
          makeChange({
            address,
            app: key,
            kind: 'attachment',
            action: 'delete',
            reason: 'no longer declared and already detached outside dynoform: only removed from state (no request)',
            before,
            after: null,
            op: { type: 'state.forget' },
          }),
        );
        continue;
      }
      const guard = listGuard(undefined, () => attachmentGuard(l));
      out.push(
        makeChange({
          address,
          app: key,
          kind: 'attachment',
          action: 'delete',
          reason: `removed from the YAML: detaches ${l.addonName} from ${d.name} (the add-on itself stays with ${l.ownerName})`,
          before,
          after: null,
          guard,
          requests: 1 + guardReads(guard),
          releases: 1,
          op: { type: 'attachment.delete', name, attachmentId: l.id },
        }),
      );
    }

    if (liveApp && d.attachments !== undefined) {
      const ownedIds = new Set(Object.values(owned).map((o) => o.id));
      const unmanaged = liveAtts.filter((a) => !d.attachments![a.name] && !ownedIds.has(a.id)).map((a) => `${a.name} (${a.addonName} of ${a.ownerName})`);
      unmanagedNote({ desired: d, diagnostics: input.diagnostics }, { code: 'attachment-unmanaged', noun: 'attachment', names: unmanaged, field: 'attachments', address: formatAddress(key) });
    }
  }
  return out;
}

/**
 * The live id of the owner's add-on (`app/addon` keys), or the change of
 * this plan that makes it: its id is known to state only once that change
 * has run.
 */
function resolveOwnerAddon(input: AttachmentsInput, app: string, addon: string): { id?: string; waitFor?: string; why?: string } {
  const change = input.changes.get(formatAddress(app, 'addon', addon));
  const ownerLive = input.live.apps[app];
  const inv = input.inventory.apps[app];
  if (change && EXECUTABLE.has(change.action)) {
    if (change.op.type === 'addon.create') return { waitFor: change.id };
    if (change.op.type === 'addon.adopt') return { id: change.op.addonId, ...(change.op.livePlan !== undefined ? { waitFor: change.id } : {}) };
    if (change.op.type === 'addon.update') return { id: change.op.addonId };
  }
  if (change && !EXECUTABLE.has(change.action)) return { why: `its own change is ${change.action}` };
  const id = inv?.addons[addon]?.id;
  if (id !== undefined && ownerLive?.addons.some((a) => a.id === id && a.state !== 'deprovisioned')) return { id };
  return { why: input.desired.apps[app] && !ownerLive ? `${app} does not exist yet` : undefined };
}

/**
 * An owner's add-on may not be deleted while apps other than its owner
 * attach it — the API would detach them without a word, and their config
 * vars with them. Such a deletion becomes blocked, listing the attachers;
 * attachments this plan detaches first do not count, and the deletion
 * waits for them.
 */
export function blockSharedAddonDeletes(changes: Change[], live: LiveState): void {
  const detaching = new Map<string, Change>();
  for (const c of changes) if (c.op.type === 'attachment.delete' && EXECUTABLE.has(c.action)) detaching.set(c.op.attachmentId, c);
  const everyAddon = new Map(Object.values(live.apps).flatMap((a) => a.addons.map((x) => [x.id, x] as const)));
  for (const c of changes) {
    if (c.op.type !== 'addon.delete' || !EXECUTABLE.has(c.action)) continue;
    const addon = everyAddon.get(c.op.addonId);
    if (!addon) continue;
    const others = addon.attachments.filter((at) => at.appId !== addon.appId);
    const staying = others.filter((at) => !detaching.has(at.id));
    if (staying.length === 0) {
      c.dependsOn = [...new Set([...c.dependsOn, ...others.map((at) => detaching.get(at.id)!.id)])];
      continue;
    }
    c.action = 'blocked';
    c.reason = `${addon.name} is still attached to ${staying.map((at) => `${at.appName} (as ${at.name})`).sort().join(', ')}: deleting it would detach it from ${staying.length === 1 ? 'that app' : 'those apps'} too; remove those attachments first (attachments: in their YAML, or heroku addons:detach)`;
    c.op = { type: 'none' };
    c.guard = {};
    c.requests = 0;
    c.sideEffects = { releases: 0 };
  }
}

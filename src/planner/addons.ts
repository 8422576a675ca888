import type { DesiredAddon } from '../model/desired.js';
import type { LiveAddon } from '../model/live.js';
import type { Change, ChangeItem, Operation } from '../model/plan.js';
import { formatAddress } from '../util/address.js';
import { addonGuard } from '../util/guard.js';
import { guardReads, listGuard, makeChange, sortObject, unmanagedNote, type AppScope, type StagedChange } from './context.js';

type Via = 'state' | 'attachment' | 'service';

interface Match {
  addon: LiveAddon;
  via: Via;
}

function serviceOf(plan: string): string {
  const i = plan.indexOf(':');
  return i < 0 ? plan : plan.slice(0, i);
}

/** Attachment names the add-on has on this app. */
function attachmentNames(addon: LiveAddon, appId: string): string[] {
  return addon.attachments.filter((a) => a.appId === appId).map((a) => a.name);
}

/**
 * Add-ons, one change per declared or owned add-on key. Identity: the id in
 * state, else the attachment name on this app (`as`), else the one live
 * add-on of the same service that no other key claims.
 */
export function planAddons(scope: AppScope): StagedChange[] {
  const { key: app, desired, live, inv } = scope;
  const out: StagedChange[] = [];
  // Another app's add-on attached here under a name `attachments:` declares or state owns is that kind's, not this one's.
  const shared = new Set([...Object.keys(desired.attachments ?? {}), ...Object.keys(inv?.attachments ?? {})]);
  const liveAddons = (live?.addons ?? []).filter(
    (a) => a.state !== 'deprovisioned' && !(live && a.appId !== live.id && a.attachments.some((at) => at.appId === live.id && shared.has(at.name))),
  );
  const byId = new Map(liveAddons.map((a) => [a.id, a]));
  const owned = inv?.addons ?? {};
  const claimed = new Set<string>();
  const matches = new Map<string, Match>();
  const ambiguous = new Map<string, LiveAddon[]>();
  const declaredKeys = Object.keys(desired.addons).sort();

  // Every add-on in state claims its live counterpart first, declared or not,
  // so that nothing about to be deleted is adopted under another key.
  for (const k of Object.keys(owned).sort()) {
    const a = byId.get(owned[k]!.id);
    if (!a) continue;
    claimed.add(a.id);
    if (desired.addons[k]) matches.set(k, { addon: a, via: 'state' });
  }
  if (live) {
    for (const k of declaredKeys) {
      const as = desired.addons[k]!.as;
      if (matches.has(k) || as === undefined) continue;
      const a = liveAddons.find((x) => !claimed.has(x.id) && attachmentNames(x, live.id).includes(as));
      if (a) {
        claimed.add(a.id);
        matches.set(k, { addon: a, via: 'attachment' });
      }
    }
    for (const k of declaredKeys) {
      if (matches.has(k)) continue;
      const service = serviceOf(desired.addons[k]!.plan);
      const candidates = liveAddons.filter((x) => !claimed.has(x.id) && x.service === service);
      if (candidates.length === 1) {
        claimed.add(candidates[0]!.id);
        matches.set(k, { addon: candidates[0]!, via: 'service' });
      } else if (candidates.length > 1) {
        ambiguous.set(k, candidates);
      }
    }
  }

  for (const k of declaredKeys) {
    const d = desired.addons[k]!;
    const address = formatAddress(app, 'addon', k);
    const m = matches.get(k);
    const candidates = ambiguous.get(k);
    if (candidates) {
      out.push({
        stage: 'addons',
        change: makeChange({
          address,
          app,
          kind: 'addon',
          action: 'blocked',
          reason: `${candidates.length} live ${serviceOf(d.plan)} add-ons could be this one (${candidates.map((c) => c.name).sort().join(', ')}); set \`as:\` to the attachment name of the one to adopt`,
          before: null,
          after: desiredSnapshot(d),
          op: { type: 'none' },
          ...(d.loc ? { loc: d.loc } : {}),
        }),
      });
      continue;
    }
    if (!m || !live) {
      out.push({ stage: 'addons', change: createChange(scope, d, address, owned[k]?.name) });
      continue;
    }
    const change = matchedChange(scope, d, address, m, live.id);
    if (change) out.push({ stage: 'addons', change });
  }

  for (const k of Object.keys(owned).sort()) {
    if (desired.addons[k]) continue;
    const o = owned[k]!;
    const address = formatAddress(app, 'addon', k);
    const a = byId.get(o.id);
    const before = sortObject<string>({ name: o.name, plan: a?.plan ?? o.plan, ...(o.attachment ? { as: o.attachment } : {}) });
    if (!a) {
      out.push({
        stage: 'forget',
        change: makeChange({
          address,
          app,
          kind: 'addon',
          action: 'delete',
          reason: 'no longer declared and already deleted outside dynoform: only removed from state (no request)',
          before,
          after: null,
          op: { type: 'state.forget' },
        }),
      });
    } else if (inv?.protect !== false) {
      out.push({
        stage: 'addon-deletes',
        change: makeChange({
          address,
          app,
          kind: 'addon',
          action: 'blocked',
          reason: `removed from the YAML but ${desired.name} is protected: deleting ${a.name} destroys its data. To delete it, set protect: false and apply first, then remove it, and apply with --allow-destroy`,
          before,
          after: null,
          op: { type: 'none' },
        }),
      });
    } else {
      const guard = listGuard(a.etag, () => addonGuard(a));
      out.push({
        stage: 'addon-deletes',
        change: makeChange({
          address,
          app,
          kind: 'addon',
          action: 'delete',
          reason: `deletes add-on ${a.name} and its data; apply needs --allow-destroy`,
          before,
          after: null,
          guard,
          requests: 1 + guardReads(guard),
          releases: 1,
          op: { type: 'addon.delete', addonId: a.id },
        }),
      });
    }
  }

  if (live) {
    const unmanaged = liveAddons.filter((a) => !claimed.has(a.id)).map((a) => `${a.name} (${a.plan})`);
    unmanagedNote(scope, { code: 'addon-unmanaged', noun: 'add-on', names: unmanaged, field: 'addons', address: formatAddress(app) });
  }
  return out;
}

function desiredSnapshot(d: DesiredAddon): Record<string, string> {
  return sortObject<string>({ plan: d.plan, ...(d.as !== undefined ? { as: d.as } : {}), ...(d.name !== undefined ? { name: d.name } : {}) });
}

function createChange(scope: AppScope, d: DesiredAddon, address: string, vanished: string | undefined): Change {
  const op: Operation = { type: 'addon.create', plan: d.plan };
  if (d.as !== undefined) op.as = d.as;
  if (d.name !== undefined) op.name = d.name;
  if (d.config !== undefined) op.config = { ...d.config };
  return makeChange({
    address,
    app: scope.key,
    kind: 'addon',
    action: 'create',
    before: null,
    after: desiredSnapshot(d),
    // Without a name or an attachment name, the client first lists the app's
    // add-ons, so that a read-back after a lost connection can tell which one is new.
    requests: d.as === undefined && d.name === undefined ? 2 : 1,
    // Attaching makes a release (the add-on's config vars arrive), as any config change does.
    releases: 1,
    op,
    ...(vanished !== undefined ? { reason: `${vanished} was in state but no longer exists: deleted outside dynoform, so it will be created again` } : {}),
    ...(d.loc ? { loc: d.loc } : {}),
  });
}

function matchedChange(scope: AppScope, d: DesiredAddon, address: string, m: Match, appId: string): Change | undefined {
  const a = m.addon;
  const names = attachmentNames(a, appId);
  const liveAs = d.as !== undefined && names.includes(d.as) ? d.as : names.sort()[0];
  const before = sortObject<string>({ name: a.name, plan: a.plan, ...(liveAs !== undefined ? { as: liveAs } : {}) });
  const after = sortObject<string>({ ...before, plan: d.plan, ...(d.as !== undefined ? { as: d.as } : {}) });
  const planDiffers = a.plan !== d.plan;
  const items: ChangeItem[] = [];
  if (planDiffers) items.push({ key: 'plan', action: 'update', before: a.plan, after: d.plan });
  const base = { address, app: scope.key, kind: 'addon' as const, before, after, ...(d.loc ? { loc: d.loc } : {}) };

  if (d.as !== undefined && !names.includes(d.as)) {
    items.push({ key: 'as', action: 'replace-refused', before: liveAs ?? null, after: d.as });
    return makeChange({
      ...base,
      action: 'replace-refused',
      reason: `attachment name differs (live ${names.length > 0 ? names.join(', ') : 'none'}, declared ${d.as}): renaming it changes the config var names the app reads; attach it under the new name by hand, or change \`as:\` back`,
      items,
      op: { type: 'none' },
    });
  }
  const guard = planDiffers ? listGuard(a.etag, () => addonGuard(a)) : {};
  if (m.via === 'state') {
    if (!planDiffers) return undefined;
    return makeChange({
      ...base,
      action: 'update',
      items,
      guard,
      requests: 1 + guardReads(guard),
      op: { type: 'addon.update', addonId: a.id, plan: d.plan },
    });
  }
  const billedElsewhere = a.appId !== appId ? `; it is billed to ${a.appName} and only attached here` : '';
  const op: Operation = { type: 'addon.adopt', addonId: a.id, addonName: a.name, plan: d.plan };
  if (liveAs !== undefined) op.as = liveAs;
  if (planDiffers) op.livePlan = a.plan;
  return makeChange({
    ...base,
    action: 'adopt',
    reason: `${a.name} exists (matched by ${m.via === 'attachment' ? `attachment name ${d.as}` : `its service, ${a.service}`}) but is not in state: dynoform takes ownership${planDiffers ? ' and changes its plan' : ''}${billedElsewhere}`,
    items,
    guard,
    requests: planDiffers ? 1 + guardReads(guard) : 0,
    op,
  });
}

import type { LiveApp } from '../model/live.js';
import type { Action, ChangeItem, PlanValue } from '../model/plan.js';
import { formatAddress } from '../util/address.js';
import { HIDDEN, SENSITIVE, locOf, makeChange, sortObject, unmanagedNote, type AppScope, type StagedChange } from './context.js';

/**
 * Config vars: one change per app, one item per key.
 *
 * Every live key is one of: owned (in state), add-on-managed (injected by
 * an attachment; never planned) or unmanaged. Declared keys are set when
 * they differ; owned keys removed from the YAML are unset; unmanaged keys
 * are unset only in exclusive mode. A secret value never leaves this
 * function: it becomes `(sensitive)` for display and a fingerprint for apply.
 */
export function planConfig(scope: AppScope): StagedChange | undefined {
  const { key: app, desired, live, inv, diagnostics } = scope;
  const address = formatAddress(app, 'config');
  const liveVars: Record<string, string> = live?.config.vars ?? {};
  const addonVars = new Set(live?.addonConfigVars ?? []);
  const owned = inv?.config ?? {};

  const set: Record<string, PlanValue> = {};
  const own: Record<string, PlanValue> = {};
  const unset: string[] = [];
  const forget: string[] = [];
  const items: ChangeItem[] = [];
  const before: Record<string, string> = {};
  const after: Record<string, string> = {};

  // Keys are visited in declaration order and the few that change are sorted at the end: sorting
  // every app's full key list is most of the cost of a large no-op plan.
  for (const k of Object.keys(desired.config)) {
    const d = desired.config[k]!;
    if (addonVars.has(k)) {
      diagnostics.push({
        severity: 'warning',
        code: 'config-key-addon-managed',
        message: `${k} is set by ${addonLabel(live, k)}; remove it from the YAML (dynoform never changes add-on config vars)`,
        address,
        ...locOf(d.loc),
      });
      continue;
    }
    const shown = d.secret ? SENSITIVE : d.value;
    const current = liveVars[k];
    if (current === d.value) {
      const last = owned[k];
      if (last === undefined) {
        own[k] = planValue(d.value, d.secret, d.envRefs, scope);
        items.push(withLoc({ key: k, action: 'adopt', before: shown, after: shown, note: 'already set: recorded as owned' }, d.loc));
      } else if (last.secret !== d.secret || scope.fingerprint(d.value, d.secret) !== last.fingerprint) {
        // The YAML now says what someone set by hand: nothing to send, but state must learn the value.
        own[k] = planValue(d.value, d.secret, d.envRefs, scope);
        items.push(withLoc({ key: k, action: 'adopt', before: shown, after: shown, note: 'already set: state updated' }, d.loc));
      }
      continue;
    }
    set[k] = planValue(d.value, d.secret, d.envRefs, scope);
    after[k] = shown;
    const action: Action = current === undefined ? 'create' : 'update';
    const item: ChangeItem = { key: k, action, after: shown };
    if (current !== undefined) {
      before[k] = d.secret ? HIDDEN : current;
      item.before = before[k];
      const note = changedOutside(scope, k, d.value, d.secret);
      if (note) item.note = note;
    } else if (owned[k] !== undefined) {
      item.note = 'deleted outside dynoform since the last apply';
    }
    items.push(withLoc(item, d.loc));
  }

  const unmanaged: string[] = [];
  for (const k of Object.keys(owned)) {
    if (desired.config[k] !== undefined) continue;
    if (liveVars[k] === undefined) {
      forget.push(k);
      items.push({ key: k, action: 'delete', before: null, after: null, note: 'already gone: only removed from state' });
    } else if (addonVars.has(k)) {
      // An add-on took the key over: it is no longer ours to delete.
      forget.push(k);
      items.push({ key: k, action: 'delete', before: HIDDEN, after: HIDDEN, note: 'now set by an add-on: only removed from state' });
    } else {
      unset.push(k);
      before[k] = HIDDEN;
      items.push({ key: k, action: 'delete', before: HIDDEN, after: null, note: 'removed from the YAML' });
    }
  }
  for (const k of Object.keys(liveVars)) {
    if (desired.config[k] !== undefined || owned[k] !== undefined || addonVars.has(k)) continue;
    if (desired.configMode === 'exclusive') {
      unset.push(k);
      before[k] = HIDDEN;
      items.push({ key: k, action: 'delete', before: HIDDEN, after: null, note: 'not declared (config_mode: exclusive)' });
    } else {
      unmanaged.push(k);
    }
  }
  unmanagedNote(scope, { code: 'config-unmanaged-keys', noun: 'config var', names: unmanaged, field: 'config', address, leftAlone: '; merge mode leaves them alone' });

  const writes = Object.keys(set).length + unset.length;
  if (writes === 0 && Object.keys(own).length === 0 && forget.length === 0) return undefined;

  // Ownership of values already in place is bookkeeping: shown as adoption, no request.
  const action: Action = writes > 0 ? (live ? 'update' : 'create') : Object.keys(own).length > 0 ? 'adopt' : 'update';
  const change = makeChange({
    address,
    app,
    kind: 'config',
    action,
    before: live ? sortObject(before) : null,
    after: sortObject(after),
    items: items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    guard: writes > 0 && live?.config.etag ? { etag: live.config.etag } : {},
    requests: writes > 0 ? 1 : 0,
    releases: writes > 0 ? 1 : 0,
    op: { type: 'config.patch', set: sortObject(set), unset: unset.sort(), own: sortObject(own), ...(forget.length > 0 ? { forget: forget.sort() } : {}) },
    ...(desired.fieldLocs?.config ? { loc: desired.fieldLocs.config } : {}),
  });
  return { stage: 'config', change };
}

function planValue(value: string, secret: boolean, envRefs: string[] | undefined, scope: AppScope): PlanValue {
  return secret ? { kind: 'secret', fingerprint: scope.fingerprint(value, true), envRefs: [...(envRefs ?? [])] } : { kind: 'literal', value };
}

/**
 * When the YAML still says what was last applied but the live value
 * differs, someone changed it by hand: worth telling the reviewer.
 */
function changedOutside(scope: AppScope, k: string, value: string, secret: boolean): string | undefined {
  const last = scope.inv?.config[k];
  if (!last) return undefined;
  return scope.fingerprint(value, secret) === last.fingerprint ? 'changed outside dynoform since the last apply' : undefined;
}

function addonLabel(live: LiveApp | undefined, k: string): string {
  const addon = live?.addons.find((a) => a.configVars.includes(k));
  return addon ? `add-on ${addon.name} (${addon.service})` : 'an add-on';
}

function withLoc(item: ChangeItem, loc: ChangeItem['loc']): ChangeItem {
  if (loc) item.loc = loc;
  return item;
}

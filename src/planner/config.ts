import type { ConfigMode, DesiredConfigValue } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { InventoryConfigKey } from '../model/inventory.js';
import type { LiveApp, LiveConfig } from '../model/live.js';
import type { Action, ChangeItem, ConfigPatch, Guard, PlanValue } from '../model/plan.js';
import { LITERAL_PREFIX } from '../util/fingerprint.js';
import { formatAddress } from '../util/address.js';
import { HIDDEN, SENSITIVE, guardReads, locOf, makeChange, sortObject, unmanagedNote, type AppScope, type FingerprintFn, type StagedChange } from './context.js';

/** Config vars: one change per app, one item per key (see planConfigVars). */
export function planConfig(scope: AppScope): StagedChange | undefined {
  const { key: app, desired, live, inv } = scope;
  const address = formatAddress(app, 'config');
  const addonVars = new Set(live?.addonConfigVars ?? []);
  const planned = planConfigVars({
    address,
    declared: desired.config,
    mode: desired.configMode,
    ...(live ? { live: live.config } : {}),
    owned: inv?.config ?? {},
    reserved: (k) => (addonVars.has(k) ? addonLabel(live, k) : undefined),
    fingerprint: scope.fingerprint,
    diagnostics: scope.diagnostics,
    unmanaged: (names) =>
      unmanagedNote(scope, { code: 'config-unmanaged-keys', noun: 'config var', names, field: 'config', address, leftAlone: '; merge mode leaves them alone' }),
  });
  if (!planned) return undefined;
  const { patch, writes, ...spec } = planned;
  const change = makeChange({
    ...spec,
    address,
    app,
    kind: 'config',
    releases: writes > 0 ? 1 : 0,
    op: { type: 'config.patch', ...patch },
    ...(desired.fieldLocs?.config ? { loc: desired.fieldLocs.config } : {}),
  });
  return { stage: 'config', change };
}

/**
 * One set of config vars, whoever holds them (an app, a pipeline stage):
 * what the caller needs to know about the keys it may not touch, and how
 * to report the unmanaged ones.
 */
export interface ConfigTarget {
  address: string;
  declared: Record<string, DesiredConfigValue>;
  mode: ConfigMode;
  /** Undefined when the holder does not exist yet (it is created by this apply). */
  live?: LiveConfig;
  owned: Record<string, InventoryConfigKey>;
  /** Who else sets this key (an add-on), when it is never ours to change. */
  reserved(key: string): string | undefined;
  fingerprint: FingerprintFn;
  diagnostics: Diagnostic[];
  unmanaged(names: string[]): void;
}

export interface PlannedConfig {
  action: Action;
  before: Record<string, string> | null;
  after: Record<string, string>;
  items: ChangeItem[];
  guard: Guard;
  requests: number;
  /** Keys sent (set or deleted). */
  writes: number;
  patch: ConfigPatch;
}

/**
 * Every live key is one of: owned (in state), reserved (injected by an
 * add-on attachment; never planned) or unmanaged. Declared keys are set
 * when they differ; owned keys removed from the YAML are unset; unmanaged
 * keys are unset only in exclusive mode. A secret value never leaves this
 * function: it becomes `(sensitive)` for display and a fingerprint for apply.
 */
export function planConfigVars(t: ConfigTarget): PlannedConfig | undefined {
  const { address, live, diagnostics } = t;
  const liveVars: Record<string, string> = live?.vars ?? {};
  const owned = t.owned;
  const declared = t.declared;

  const set: Record<string, PlanValue> = {};
  const own: Record<string, PlanValue> = {};
  const unset: string[] = [];
  const forget: string[] = [];
  const items: ChangeItem[] = [];
  const before: Record<string, string> = {};
  const after: Record<string, string> = {};

  // Keys are visited in declaration order and the few that change are sorted at the end: sorting
  // every app's full key list is most of the cost of a large no-op plan.
  for (const k of Object.keys(declared)) {
    const d = declared[k]!;
    const setter = t.reserved(k);
    if (setter !== undefined) {
      diagnostics.push({
        severity: 'warning',
        code: 'config-key-addon-managed',
        message: `${k} is set by ${setter}; remove it from the YAML (dynoform never changes add-on config vars)`,
        address,
        ...locOf(d.loc),
      });
      continue;
    }
    const shown = d.secret ? SENSITIVE : d.value;
    const current = liveVars[k];
    const last = owned[k];
    if (current === d.value) {
      if (last === undefined) {
        own[k] = planValue(d.value, d.secret, d.envRefs, t.fingerprint);
        items.push(withLoc({ key: k, action: 'adopt', before: shown, after: shown, note: 'already set: recorded as owned' }, d.loc));
      } else {
        const note = restate(t.fingerprint, last, d.value, d.secret);
        if (note) {
          own[k] = planValue(d.value, d.secret, d.envRefs, t.fingerprint);
          items.push(withLoc({ key: k, action: 'adopt', before: shown, after: shown, note }, d.loc));
        }
      }
      continue;
    }
    set[k] = planValue(d.value, d.secret, d.envRefs, t.fingerprint);
    after[k] = shown;
    const action: Action = current === undefined ? 'create' : 'update';
    const item: ChangeItem = { key: k, action, after: shown };
    if (current !== undefined) {
      before[k] = shownLive(t, k, current);
      item.before = before[k];
      if (last && t.fingerprint.compare(d.value, d.secret, last.fingerprint) === 'same') item.note = 'changed outside dynoform since the last apply';
    } else if (last !== undefined) {
      item.note = 'deleted outside dynoform since the last apply';
    }
    items.push(withLoc(item, d.loc));
  }

  const unmanaged: string[] = [];
  for (const k of Object.keys(owned)) {
    if (declared[k] !== undefined) continue;
    if (liveVars[k] === undefined) {
      forget.push(k);
      items.push({ key: k, action: 'delete', before: null, after: null, note: 'already gone: only removed from state' });
    } else if (t.reserved(k) !== undefined) {
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
    if (declared[k] !== undefined || owned[k] !== undefined || t.reserved(k) !== undefined) continue;
    if (t.mode === 'exclusive') {
      unset.push(k);
      before[k] = HIDDEN;
      items.push({ key: k, action: 'delete', before: HIDDEN, after: null, note: 'not declared; config_mode: exclusive deletes it' });
    } else {
      unmanaged.push(k);
    }
  }
  t.unmanaged(unmanaged);

  const writes = Object.keys(set).length + unset.length;
  if (writes === 0 && Object.keys(own).length === 0 && forget.length === 0) return undefined;

  // Ownership of values already in place is bookkeeping: shown as adoption, no request.
  const action: Action = writes > 0 ? (live ? 'update' : 'create') : Object.keys(own).length > 0 ? 'adopt' : 'update';
  const guard = writes > 0 ? configGuard(t, [...Object.keys(set), ...Object.keys(own), ...unset]) : {};
  return {
    action,
    before: live ? sortObject(before) : null,
    after: sortObject(after),
    items: items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    guard,
    requests: writes > 0 ? 1 + guardReads(guard) : 0,
    writes,
    patch: { set: sortObject(set), unset: unset.sort(), own: sortObject(own), ...(forget.length > 0 ? { forget: forget.sort() } : {}) },
  };
}

function planValue(value: string, secret: boolean, envRefs: string[] | undefined, fp: FingerprintFn): PlanValue {
  return secret ? { kind: 'secret', fingerprint: fp.sync(value, true), envRefs: [...(envRefs ?? [])] } : { kind: 'literal', value };
}

/**
 * A live value may be shown only when it is a literal of ours: state records
 * that dynoform wrote it as a literal (a value from the YAML, public anyway)
 * and its fingerprint still matches. Anything else — set by hand, once a
 * secret, changed outside — may be a secret nobody declared: hidden.
 */
function shownLive(t: ConfigTarget, k: string, value: string): string {
  const last = t.owned[k];
  const ours = last !== undefined && !last.secret && last.fingerprint.startsWith(LITERAL_PREFIX) && t.fingerprint.matches(value, false, last.fingerprint);
  return ours ? value : HIDDEN;
}

/**
 * The live value already is the declared one; state may still need to learn
 * it: it holds another value (the YAML caught up with a hand edit), another
 * kind (literal ↔ secret), or a fingerprint in an old form or under a key
 * being rotated out. Without a key an unkeyed secret stays as it is: there
 * is nothing better to record.
 */
function restate(fp: FingerprintFn, last: { fingerprint: string; secret: boolean }, value: string, secret: boolean): string | undefined {
  if (last.secret !== secret) return 'already set: state updated';
  const cmp = fp.compare(value, secret, last.fingerprint);
  if (cmp === 'different') return 'already set: state updated';
  if (fp.isCurrent(last.fingerprint) || !fp.keyed) return undefined;
  return 'already set: fingerprint re-recorded under the fingerprint key';
}

/**
 * Every config write is guarded. With the ETag the plan read, by If-Match;
 * without one (a proxy stripped it), by a keyed fingerprint of the live
 * values of the keys it touches, which apply re-reads and compares right
 * before writing. An app this apply creates has no config to guard yet.
 */
function configGuard(t: ConfigTarget, keys: string[]): Guard {
  const { live } = t;
  if (!live) return {};
  if (live.etag) return { etag: live.etag };
  const fields: Record<string, string | undefined> = {};
  for (const k of keys) fields[k] = live.vars[k];
  return { fingerprint: t.fingerprint.guard(fields) };
}

function addonLabel(live: LiveApp | undefined, k: string): string {
  const addon = live?.addons.find((a) => a.configVars.includes(k));
  return addon ? `add-on ${addon.name} (${addon.service})` : 'an add-on';
}

function withLoc(item: ChangeItem, loc: ChangeItem['loc']): ChangeItem {
  if (loc) item.loc = loc;
  return item;
}

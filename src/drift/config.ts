import type { DesiredConfigValue } from '../model/desired.js';
import type { SourceLocation } from '../model/diagnostic.js';
import type { DriftValue } from '../model/drift.js';
import type { InventoryConfigKey } from '../model/inventory.js';
import { LITERAL_PREFIX, UNKEYED } from '../util/fingerprint.js';
import { appLoc, HIDDEN, PREVIOUS, SENSITIVE, type AppScope, type NewItem } from './context.js';

/**
 * Config vars. Owned keys are compared by fingerprint (state never holds a
 * value); keys that add-ons inject are never reported; undeclared keys are
 * unmanaged — except in `exclusive` mode, where the app's whole config is
 * managed and a key added by hand is a change made outside dynoform.
 */
export function classifyConfig(scope: AppScope): void {
  const { desired: d, owned: inv, live: l } = scope;
  if (!d || !l) return;
  const addonVars = new Set(l.addonConfigVars);
  const holderLoc = appLoc(scope);
  classifyConfigVars({
    noun: 'config var',
    declared: d.config,
    exclusive: d.configMode === 'exclusive' && inv !== undefined,
    live: l.config.vars,
    owned: inv?.config ?? {},
    reserved: (k) => addonVars.has(k),
    fingerprint: scope.fingerprint,
    fieldLoc: d.fieldLocs?.['config'] ?? holderLoc,
    holderLoc,
    add: (item) => scope.add({ ...item, kind: 'config' }),
  });
}

/** One set of config vars to classify (an app's, a pipeline stage's). */
export interface ConfigVarsScope {
  /** How messages name a key's kind, e.g. `config var`, `review-app config var`. */
  noun: string;
  declared: Record<string, DesiredConfigValue>;
  /** True when every key is managed (config_mode: exclusive, and the holder is owned). */
  exclusive: boolean;
  live: Record<string, string>;
  owned: Record<string, InventoryConfigKey>;
  /** Keys set by someone else by design (add-on attachments): never reported. */
  reserved(key: string): boolean;
  fingerprint: AppScope['fingerprint'];
  fieldLoc?: SourceLocation;
  holderLoc?: SourceLocation;
  add(item: Omit<NewItem, 'kind'>): void;
}

export function classifyConfigVars(t: ConfigVarsScope): void {
  const { declared, live: liveVars, owned, fingerprint: fp, fieldLoc, noun } = t;
  const loc = (l: SourceLocation | undefined): { loc?: SourceLocation } => (l ? { loc: l } : {});

  for (const [key, meta] of Object.entries(owned)) {
    const dv = declared[key];
    const lv = liveVars[key];
    const secret = meta.secret || dv?.secret === true;
    const at = loc(dv?.loc ?? fieldLoc);
    const last = lastApplied(meta.fingerprint, meta.secret, dv, lv, fp);

    // A state entry without a usable fingerprint (no key, another key) cannot say what was applied.
    const comparable = fp.canCompare(meta.fingerprint);
    if (lv === undefined) {
      t.add({ class: 'missing', key, message: `${noun} ${key} was deleted outside dynoform`, ...at, before: last, after: null });
    } else if (comparable && !fp.matches(lv, meta.secret, meta.fingerprint)) {
      t.add({
        class: 'changed-outside',
        key,
        message: `${noun} ${key} was changed outside dynoform`,
        ...at,
        before: last,
        // Changed outside: not a value of ours, so shown only when it is the declared literal (public anyway).
        after: secret ? SENSITIVE : dv && lv === dv.value ? lv : HIDDEN,
      });
    }

    if (!dv) {
      t.add({ class: 'pending', key, message: `${noun} ${key} was removed from the YAML and not applied: apply will delete it`, ...at, before: last, after: null });
    } else if (comparable ? !fp.matches(dv.value, dv.secret, meta.fingerprint) : lv !== dv.value) {
      t.add({
        class: 'pending',
        key,
        message: comparable
          ? `${noun} ${key} changed in the YAML and was not applied`
          : `${noun} ${key} differs from the declaration (the state cannot tell which side changed: ${uncomparableReason(meta.fingerprint)})`,
        ...at,
        before: last,
        after: dv.secret ? SENSITIVE : dv.value,
      });
    }
  }

  for (const [key, dv] of Object.entries(declared)) {
    if (owned[key] || t.reserved(key)) continue;
    const lv = liveVars[key];
    if (lv === dv.value) continue; // apply only records ownership: nothing to change
    t.add({
      class: 'pending',
      key,
      message: lv === undefined ? `${noun} ${key} is declared but not set yet` : `${noun} ${key} is declared but not applied yet: the live value differs`,
      ...loc(dv.loc ?? fieldLoc),
      // Not ours: a value set by hand may be a secret nobody declared.
      before: lv === undefined ? null : dv.secret ? SENSITIVE : HIDDEN,
      after: dv.secret ? SENSITIVE : dv.value,
    });
  }

  for (const key of Object.keys(liveVars)) {
    if (owned[key] || declared[key] || t.reserved(key)) continue;
    // The value of a key nobody declared may well be a secret: name it, never show it.
    t.add(
      t.exclusive
        ? { class: 'changed-outside', key, message: `${noun} ${key} was added outside dynoform (config_mode: exclusive — apply will delete it)`, ...loc(fieldLoc), before: null, after: HIDDEN }
        : { class: 'unmanaged', key, message: `${noun} ${key} is set but not declared`, ...loc(t.holderLoc) },
    );
  }
}

/** The last-applied value for display: only literals can be shown, and only when a value at hand has its fingerprint. */
function lastApplied(
  fingerprint: string,
  secret: boolean,
  declared: { value: string; secret: boolean } | undefined,
  live: string | undefined,
  fp: AppScope['fingerprint'],
): DriftValue {
  if (secret || declared?.secret) return SENSITIVE;
  // Only a literal fingerprint says the value was a literal of ours.
  if (!fingerprint.startsWith(LITERAL_PREFIX)) return PREVIOUS;
  if (declared && fp.matches(declared.value, false, fingerprint)) return declared.value;
  if (live !== undefined && fp.matches(live, false, fingerprint)) return live;
  return PREVIOUS;
}

export function uncomparableReason(fingerprint: string): string {
  return fingerprint.startsWith(UNKEYED)
    ? 'it was applied without DYNOFORM_FINGERPRINT_KEY'
    : 'its fingerprint was made with a key that is not set (DYNOFORM_FINGERPRINT_KEY / DYNOFORM_FINGERPRINT_KEY_PREVIOUS)';
}

import type { DriftValue } from '../model/drift.js';
import { LITERAL_PREFIX, UNKEYED } from '../util/fingerprint.js';
import { appLoc, HIDDEN, PREVIOUS, SENSITIVE, type AppScope } from './context.js';

/**
 * Config vars. Owned keys are compared by fingerprint (state never holds a
 * value); keys that add-ons inject are never reported; undeclared keys are
 * unmanaged — except in `exclusive` mode, where the app's whole config is
 * managed and a key added by hand is a change made outside dynoform.
 */
export function classifyConfig(scope: AppScope): void {
  const { desired: d, owned: inv, live: l, fingerprint: fp } = scope;
  if (!d || !l) return;
  const liveVars = l.config.vars;
  const owned = inv?.config ?? {};
  const addonVars = new Set(l.addonConfigVars);
  const fieldLoc = d.fieldLocs?.['config'] ?? appLoc(scope);

  for (const [key, meta] of Object.entries(owned)) {
    const dv = d.config[key];
    const lv = liveVars[key];
    const secret = meta.secret || dv?.secret === true;
    const loc = dv?.loc ?? fieldLoc;
    const last = lastApplied(meta.fingerprint, meta.secret, dv, lv, fp);

    // A state entry without a usable fingerprint (no key, another key) cannot say what was applied.
    const comparable = fp.canCompare(meta.fingerprint);
    if (lv === undefined) {
      scope.add({ class: 'missing', kind: 'config', key, message: `config var ${key} was deleted outside dynoform`, loc, before: last, after: null });
    } else if (comparable && !fp.matches(lv, meta.secret, meta.fingerprint)) {
      scope.add({
        class: 'changed-outside',
        kind: 'config',
        key,
        message: `config var ${key} was changed outside dynoform`,
        loc,
        before: last,
        // Changed outside: not a value of ours, so shown only when it is the declared literal (public anyway).
        after: secret ? SENSITIVE : dv && lv === dv.value ? lv : HIDDEN,
      });
    }

    if (!dv) {
      scope.add({
        class: 'pending',
        kind: 'config',
        key,
        message: `config var ${key} was removed from the YAML and not applied: apply will delete it`,
        loc,
        before: last,
        after: null,
      });
    } else if (comparable ? !fp.matches(dv.value, dv.secret, meta.fingerprint) : lv !== dv.value) {
      scope.add({
        class: 'pending',
        kind: 'config',
        key,
        message: comparable
          ? `config var ${key} changed in the YAML and was not applied`
          : `config var ${key} differs from the declaration (the state cannot tell which side changed: ${uncomparableReason(meta.fingerprint)})`,
        loc,
        before: last,
        after: dv.secret ? SENSITIVE : dv.value,
      });
    }
  }

  for (const [key, dv] of Object.entries(d.config)) {
    if (owned[key] || addonVars.has(key)) continue;
    const lv = liveVars[key];
    if (lv === dv.value) continue; // apply only records ownership: nothing to change
    scope.add({
      class: 'pending',
      kind: 'config',
      key,
      message: lv === undefined ? `config var ${key} is declared but not set yet` : `config var ${key} is declared but not applied yet: the live value differs`,
      loc: dv.loc ?? fieldLoc,
      // Not ours: a value set by hand may be a secret nobody declared.
      before: lv === undefined ? null : dv.secret ? SENSITIVE : HIDDEN,
      after: dv.secret ? SENSITIVE : dv.value,
    });
  }

  const exclusive = d.configMode === 'exclusive' && inv !== undefined;
  for (const key of Object.keys(liveVars)) {
    if (owned[key] || d.config[key] || addonVars.has(key)) continue;
    // The value of a key nobody declared may well be a secret: name it, never show it.
    scope.add(
      exclusive
        ? {
            class: 'changed-outside',
            kind: 'config',
            key,
            message: `config var ${key} was added outside dynoform (config_mode: exclusive — apply will delete it)`,
            loc: fieldLoc,
            before: null,
            after: HIDDEN,
          }
        : { class: 'unmanaged', kind: 'config', key, message: `config var ${key} is set but not declared`, loc: appLoc(scope) },
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

import type { DriftValue } from '../model/drift.js';
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

    if (lv === undefined) {
      scope.add({ class: 'missing', kind: 'config', key, message: `config var ${key} was deleted outside dynoform`, loc, before: last, after: null });
    } else if (!fp.matches(lv, meta.secret, meta.fingerprint)) {
      scope.add({
        class: 'changed-outside',
        kind: 'config',
        key,
        message: `config var ${key} was changed outside dynoform`,
        loc,
        before: last,
        after: secret ? SENSITIVE : dv ? lv : HIDDEN,
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
    } else if (!fp.matches(dv.value, dv.secret, meta.fingerprint)) {
      scope.add({
        class: 'pending',
        kind: 'config',
        key,
        message: `config var ${key} changed in the YAML and was not applied`,
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
      before: lv === undefined ? null : dv.secret ? SENSITIVE : lv,
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
  if (declared && fp.matches(declared.value, false, fingerprint)) return declared.value;
  if (live !== undefined && fp.matches(live, false, fingerprint)) return live;
  return PREVIOUS;
}

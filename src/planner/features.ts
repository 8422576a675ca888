import { closest } from '../config/suggest.js';
import type { LiveFeature } from '../model/live.js';
import { formatAddress } from '../util/address.js';
import { featureGuard } from '../util/guard.js';
import { guardReads, listGuard, locOf, makeChange, type AppScope, type StagedChange } from './context.js';

const word = (enabled: boolean): string => (enabled ? 'enabled' : 'disabled');

/**
 * App features (Heroku Labs): only the names declared are managed, one
 * PATCH each, guarded by a re-read (a feature read from the list has no
 * ETag of its own). A name the API does not list for the app is refused at plan
 * time with its line. A feature that leaves the YAML is let go of in state
 * and left as it is.
 */
export function planFeatures(scope: AppScope): StagedChange[] {
  const { key: app, desired, live, inv } = scope;
  const out: StagedChange[] = [];
  const declared = desired.features ?? {};
  const liveByName = new Map<string, LiveFeature>((live?.features ?? []).map((f) => [f.name, f]));
  const owned = inv?.features ?? {};

  for (const name of Object.keys(declared).sort()) {
    const d = declared[name]!;
    const address = formatAddress(app, 'feature', name);
    const loc = d.loc ? { loc: d.loc } : {};
    const l = liveByName.get(name);
    if (live && !l) {
      const guess = closest(name, liveByName.keys());
      const reason = `feature ${name} does not exist on Heroku for ${desired.name}${guess ? ` (did you mean ${guess}?)` : ''}: \`heroku labs -a ${desired.name}\` lists them`;
      scope.diagnostics.push({ severity: 'error', code: 'unknown-feature', message: reason, address, ...locOf(d.loc) });
      out.push({
        stage: 'leaves',
        change: makeChange({ address, app, kind: 'feature', action: 'replace-refused', reason, before: null, after: { enabled: d.enabled }, op: { type: 'none' }, ...loc }),
      });
      continue;
    }
    // A new app's features are not known before it exists: each declared one is set.
    const send = !l || l.enabled !== d.enabled;
    if (!send && owned[name]?.enabled === d.enabled) continue;
    const guard = send && l ? listGuard(undefined, () => featureGuard(l)) : {};
    const action = !live ? 'create' : owned[name] === undefined ? 'adopt' : 'update';
    out.push({
      stage: 'leaves',
      change: makeChange({
        address,
        app,
        kind: 'feature',
        action,
        ...(action === 'adopt' ? { reason: send ? `not in state: dynoform takes ownership and ${d.enabled ? 'enables' : 'disables'} it` : `already ${word(d.enabled)}: dynoform takes ownership (no request)` } : {}),
        before: l ? { enabled: l.enabled } : null,
        after: { enabled: d.enabled },
        items: send ? [{ key: 'enabled', action: 'update', before: l ? l.enabled : null, after: d.enabled }] : [],
        guard,
        requests: send ? 1 + guardReads(guard) : 0,
        op: { type: 'feature.set', name, enabled: d.enabled, send: send },
        ...loc,
      }),
    });
  }

  for (const name of Object.keys(owned).sort()) {
    if (declared[name] !== undefined) continue;
    out.push({
      stage: 'forget',
      change: makeChange({
        address: formatAddress(app, 'feature', name),
        app,
        kind: 'feature',
        action: 'delete',
        reason: 'no longer declared: dynoform stops managing this feature and leaves it as it is (state only, no request)',
        before: { enabled: owned[name]!.enabled },
        after: null,
        op: { type: 'state.forget' },
      }),
    });
  }
  return out;
}

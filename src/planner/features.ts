import { closest } from '../config/suggest.js';
import type { Address } from '../model/address.js';
import type { Diagnostic, SourceLocation } from '../model/diagnostic.js';
import type { LiveFeature } from '../model/live.js';
import type { Operation } from '../model/plan.js';
import { formatAddress } from '../util/address.js';
import { featureGuard } from '../util/guard.js';
import { guardReads, listGuard, locOf, makeChange, type AppScope, type StagedChange } from './context.js';

const word = (enabled: boolean): string => (enabled ? 'enabled' : 'disabled');

/** What differs between an app's features and the account's: where they live and how they are named. */
export interface FeatureSetSpec {
  /** `Change.app`: the app key, or `account`. */
  scope: string;
  kind: 'feature' | 'account-feature';
  declared: Record<string, { enabled: boolean; loc?: SourceLocation }>;
  /** Undefined when the features cannot be known yet (an app not created yet). */
  live: LiveFeature[] | undefined;
  owned: Record<string, { enabled: boolean }>;
  address: (name: string) => Address;
  /** Why a name the API does not list is refused (`guess` is the closest listed name). */
  unknown: (name: string, guess: string | undefined) => string;
  op: (name: string, enabled: boolean, send: boolean) => Operation;
  diagnostics: Diagnostic[];
}

/**
 * Features (Heroku Labs) of an app or of the account: only the names
 * declared are managed, one PATCH each, guarded by a re-read (a feature read
 * from the list has no ETag of its own). A name the API does not list is
 * refused at plan time with its line. A feature that leaves the YAML is let
 * go of in state and left as it is.
 */
export function planFeatureSet(s: FeatureSetSpec): StagedChange[] {
  const out: StagedChange[] = [];
  const liveByName = new Map<string, LiveFeature>((s.live ?? []).map((f) => [f.name, f]));
  const app = s.scope;
  const kind = s.kind;
  for (const name of Object.keys(s.declared).sort()) {
    const d = s.declared[name]!;
    const address = s.address(name);
    const loc = d.loc ? { loc: d.loc } : {};
    const l = liveByName.get(name);
    if (s.live && !l) {
      const reason = s.unknown(name, closest(name, liveByName.keys()));
      s.diagnostics.push({ severity: 'error', code: 'unknown-feature', message: reason, address, ...locOf(d.loc) });
      out.push({
        stage: 'leaves',
        change: makeChange({ address, app, kind, action: 'replace-refused', reason, before: null, after: { enabled: d.enabled }, op: { type: 'none' }, ...loc }),
      });
      continue;
    }
    // A new app's features are not known before it exists: each declared one is set.
    const send = !l || l.enabled !== d.enabled;
    if (!send && s.owned[name]?.enabled === d.enabled) continue;
    const guard = send && l ? listGuard(undefined, () => featureGuard(l)) : {};
    const action = !s.live ? 'create' : s.owned[name] === undefined ? 'adopt' : 'update';
    out.push({
      stage: 'leaves',
      change: makeChange({
        address,
        app,
        kind,
        action,
        ...(action === 'adopt' ? { reason: send ? `not in state: dynoform takes ownership and ${d.enabled ? 'enables' : 'disables'} it` : `already ${word(d.enabled)}: dynoform takes ownership (no request)` } : {}),
        before: l ? { enabled: l.enabled } : null,
        after: { enabled: d.enabled },
        items: send ? [{ key: 'enabled', action: 'update', before: l ? l.enabled : null, after: d.enabled }] : [],
        guard,
        requests: send ? 1 + guardReads(guard) : 0,
        op: s.op(name, d.enabled, send),
        ...loc,
      }),
    });
  }

  for (const name of Object.keys(s.owned).sort()) {
    if (s.declared[name] !== undefined) continue;
    out.push({
      stage: 'forget',
      change: makeChange({
        address: s.address(name),
        app,
        kind,
        action: 'delete',
        reason: 'no longer declared: dynoform stops managing this feature and leaves it as it is (state only, no request)',
        before: { enabled: s.owned[name]!.enabled },
        after: null,
        op: { type: 'state.forget' },
      }),
    });
  }
  return out;
}

export function planFeatures(scope: AppScope): StagedChange[] {
  const { key: app, desired, live, inv } = scope;
  return planFeatureSet({
    scope: app,
    kind: 'feature',
    declared: desired.features ?? {},
    live: live?.features,
    owned: inv?.features ?? {},
    address: (name) => formatAddress(app, 'feature', name),
    unknown: (name, guess) => `feature ${name} does not exist on Heroku for ${desired.name}${guess ? ` (did you mean ${guess}?)` : ''}: \`heroku labs -a ${desired.name}\` lists them`,
    op: (name, enabled, send) => ({ type: 'feature.set', name, enabled, send }),
    diagnostics: scope.diagnostics,
  });
}

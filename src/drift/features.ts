import type { SourceLocation } from '../model/diagnostic.js';
import type { DriftItem } from '../model/drift.js';
import type { LiveFeature } from '../model/live.js';
import { appLoc, type AppScope } from './context.js';

type FeatureItem = Pick<DriftItem, 'class' | 'message' | 'before' | 'after'> & { key: string; field?: string; loc?: SourceLocation };

/**
 * Declared features (of an app or of the account) against the `enabled`
 * dynoform last applied; undeclared features are not managed and not
 * reported. `live` undefined: not read, nothing to say.
 */
export function classifyFeatureSet(s: {
  declared: Record<string, { enabled: boolean; loc?: SourceLocation }>;
  owned: Record<string, { enabled: boolean }>;
  live: LiveFeature[] | undefined;
  fieldLoc: SourceLocation | undefined;
  /** `feature preboot`, `account feature x`. */
  noun: (name: string) => string;
  /** Where it is offered, for "no longer offered …". */
  where: string;
  add: (item: FeatureItem) => void;
}): void {
  const live = new Map((s.live ?? []).map((f) => [f.name, f]));
  for (const name of [...new Set([...Object.keys(s.declared), ...Object.keys(s.owned)])].sort()) {
    const df = s.declared[name];
    const last = s.owned[name];
    const lf = live.get(name);
    const loc = df?.loc ?? s.fieldLoc;
    const at = loc ? { loc } : {};
    if (!lf) {
      if (s.live !== undefined) s.add({ class: 'missing', key: name, message: `${s.noun(name)} is no longer offered ${s.where}`, ...at, before: last?.enabled ?? null, after: null });
      continue;
    }
    if (last && lf.enabled !== last.enabled) {
      s.add({ class: 'changed-outside', key: name, field: 'enabled', message: `${s.noun(name)} was ${lf.enabled ? 'enabled' : 'disabled'} outside dynoform`, ...at, before: last.enabled, after: lf.enabled });
    }
    if (!df) {
      s.add({ class: 'pending', key: name, message: `${s.noun(name)} was removed from the YAML and not applied: apply will stop managing it (and leave it as it is)`, ...at, before: last!.enabled, after: null });
      continue;
    }
    const base = last?.enabled ?? lf.enabled;
    if (df.enabled !== base) {
      s.add({ class: 'pending', key: name, field: 'enabled', message: `${s.noun(name)} is declared ${df.enabled ? 'enabled' : 'disabled'} and not applied yet`, ...at, before: base, after: df.enabled });
    }
  }
}

export function classifyFeatures(scope: AppScope): void {
  const { desired: d, owned: inv, live: l } = scope;
  if (!d || !l) return;
  classifyFeatureSet({
    declared: d.features ?? {},
    owned: inv?.features ?? {},
    live: l.features,
    fieldLoc: d.fieldLocs?.['features'] ?? appLoc(scope),
    noun: (name) => `feature ${name}`,
    where: 'for this app',
    add: (item) => scope.add({ ...item, kind: 'feature' }),
  });
}

import { appLoc, type AppScope } from './context.js';

/** Declared features against the `enabled` dynoform last applied; undeclared features are not managed and not reported. */
export function classifyFeatures(scope: AppScope): void {
  const { desired: d, owned: inv, live: l } = scope;
  if (!d || !l) return;
  const fieldLoc = d.fieldLocs?.['features'] ?? appLoc(scope);
  const declared = d.features ?? {};
  const owned = inv?.features ?? {};
  const live = new Map((l.features ?? []).map((f) => [f.name, f]));
  for (const name of [...new Set([...Object.keys(declared), ...Object.keys(owned)])].sort()) {
    const df = declared[name];
    const last = owned[name];
    const lf = live.get(name);
    const loc = df?.loc ?? fieldLoc;
    if (!lf) {
      if (l.features !== undefined) {
        scope.add({ class: 'missing', kind: 'feature', key: name, message: `feature ${name} is no longer offered for this app`, loc, before: last?.enabled ?? null, after: null });
      }
      continue;
    }
    if (last && lf.enabled !== last.enabled) {
      scope.add({
        class: 'changed-outside',
        kind: 'feature',
        key: name,
        field: 'enabled',
        message: `feature ${name} was ${lf.enabled ? 'enabled' : 'disabled'} outside dynoform`,
        loc,
        before: last.enabled,
        after: lf.enabled,
      });
    }
    if (!df) {
      scope.add({
        class: 'pending',
        kind: 'feature',
        key: name,
        message: `feature ${name} was removed from the YAML and not applied: apply will stop managing it (and leave it as it is)`,
        loc,
        before: last!.enabled,
        after: null,
      });
      continue;
    }
    const base = last?.enabled ?? lf.enabled;
    if (df.enabled !== base) {
      scope.add({
        class: 'pending',
        kind: 'feature',
        key: name,
        field: 'enabled',
        message: `feature ${name} is declared ${df.enabled ? 'enabled' : 'disabled'} and not applied yet`,
        loc,
        before: base,
        after: df.enabled,
      });
    }
  }
}

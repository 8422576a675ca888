import { SENSITIVE, appLoc, type AppScope } from './context.js';

const list = (l: readonly string[]): string => [...l].sort().join(', ');

/**
 * Webhooks: owned ones removed or edited outside (url, include, level —
 * and a write that changed neither, which can only have been to the secret
 * or authorization: its updated_at moved), declared ones not applied yet,
 * and the unmanaged rest when the app declares the kind.
 */
export function classifyWebhooks(scope: AppScope): void {
  const { desired: d, owned: inv, live: l } = scope;
  if (!d || !l || l.webhooks === undefined) return;
  const fieldLoc = d.fieldLocs?.['webhooks'] ?? appLoc(scope);
  const owned = inv?.webhooks ?? {};
  const byId = new Map(l.webhooks.map((w) => [w.id, w]));
  const declared = new Map((d.webhooks ?? []).map((w) => [w.url, w]));
  for (const [url, o] of Object.entries(owned)) {
    const dw = declared.get(url);
    const loc = dw?.loc ?? fieldLoc;
    const lw = byId.get(o.id);
    if (!lw) {
      scope.add({ class: 'missing', kind: 'webhook', key: url, message: `webhook ${url} was removed outside dynoform`, loc, before: url, after: null });
    } else {
      let seen = false;
      const outside = (field: string, before: string, after: string) => {
        seen = true;
        scope.add({ class: 'changed-outside', kind: 'webhook', key: url, field, message: `the ${field} of webhook ${url} was changed outside dynoform`, loc, before, after });
      };
      if (lw.url !== url) outside('url', url, lw.url);
      if (list(lw.include) !== list(o.include)) outside('include', list(o.include), list(lw.include));
      if (lw.level !== o.level) outside('level', o.level, lw.level);
      if (!seen && lw.updatedAt !== o.updatedAt) {
        scope.add({
          class: 'changed-outside',
          kind: 'webhook',
          key: url,
          message: `webhook ${url} was written outside dynoform since the last apply (its updated_at moved) with no visible change: its secret or authorization may have been replaced (the API never shows them)`,
          loc,
        });
      }
    }
    if (!dw) {
      scope.add({ class: 'pending', kind: 'webhook', key: url, message: `webhook ${url} was removed from the YAML and not applied: apply will delete it`, loc: fieldLoc, before: url, after: null });
      continue;
    }
    if (list(dw.include) !== list(o.include)) scope.add({ class: 'pending', kind: 'webhook', key: url, field: 'include', message: `the new include of webhook ${url} is not applied yet`, loc, before: list(o.include), after: list(dw.include) });
    if (dw.level !== o.level) scope.add({ class: 'pending', kind: 'webhook', key: url, field: 'level', message: `the new level of webhook ${url} is not applied yet`, loc, before: o.level, after: dw.level });
    for (const f of ['secret', 'authorization'] as const) {
      const v = dw[f];
      const fp = o[f];
      const differs = v === undefined ? fp !== undefined : fp === undefined || (scope.fingerprint.canCompare(fp) && !scope.fingerprint.matches(v.value, true, fp));
      if (differs) scope.add({ class: 'pending', kind: 'webhook', key: url, field: f, message: `the declared ${f} of webhook ${url} is not applied yet`, loc: v?.loc ?? loc, before: fp === undefined ? null : SENSITIVE, after: v === undefined ? null : SENSITIVE });
    }
  }
  const ownedIds = new Set(Object.values(owned).map((o) => o.id));
  for (const [url, dw] of declared) {
    if (owned[url] || l.webhooks.some((w) => w.url === url)) continue;
    scope.add({ class: 'pending', kind: 'webhook', key: url, message: `webhook ${url} is declared but not created yet`, loc: dw.loc ?? fieldLoc, before: null, after: url });
  }
  if (d.webhooks === undefined) return;
  for (const w of l.webhooks) {
    if (ownedIds.has(w.id) || declared.has(w.url)) continue;
    scope.add({ class: 'unmanaged', kind: 'webhook', key: w.url, message: `webhook ${w.url} is not declared`, loc: appLoc(scope), before: null, after: w.url });
  }
}

import type { DesiredDrain } from '../model/desired.js';
import type { PlanValue } from '../model/plan.js';
import { formatAddress } from '../util/address.js';
import { drainGuard } from '../util/guard.js';
import { displayDrainUrl, maskUrlUserinfo } from '../util/mask.js';
export { displayDrainUrl } from '../util/mask.js';
import { guardReads, listGuard, makeChange, unmanagedNote, type AppScope, type StagedChange } from './context.js';

/**
 * A URL from `${env:…}` is a secret. A literal URL with credentials in it is
 * kept out of the plan file as well (plan files travel as CI artifacts):
 * apply finds it among the declared drains by its fingerprint.
 */
function urlValue(d: DesiredDrain, scope: AppScope): PlanValue {
  // Keyed like a secret either way: a plain hash of a URL would let a reader of the plan test guesses of its password.
  if (d.secret || maskUrlUserinfo(d.url) !== d.url) return { kind: 'secret', fingerprint: scope.fingerprint.sync(d.url, true), envRefs: [] };
  return { kind: 'literal', value: d.url };
}

/**
 * Log drains by exact URL. Drains cannot be updated, only added and
 * removed; drains an add-on created belong to the add-on and are never
 * touched.
 */
export function planDrains(scope: AppScope): StagedChange[] {
  const { key: app, desired, live, inv } = scope;
  const out: StagedChange[] = [];
  const liveDrains = (live?.drains ?? []).filter((d) => d.addonId === undefined);
  const owned = inv?.drains ?? {};
  const matched = new Set<string>();
  const seen = new Set<string>();

  const declared = [...desired.drains].sort((a, b) => {
    const x = displayDrainUrl(a.url, a.secret);
    const y = displayDrainUrl(b.url, b.secret);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  for (const d of declared) {
    if (seen.has(d.url)) continue;
    seen.add(d.url);
    const shown = displayDrainUrl(d.url, d.secret);
    const address = formatAddress(app, 'drain', shown);
    const l = liveDrains.find((x) => x.url === d.url && !matched.has(x.id));
    const loc = d.loc ? { loc: d.loc } : {};
    if (!l) {
      out.push({
        stage: 'leaves',
        change: makeChange({
          address,
          app,
          kind: 'drain',
          action: 'create',
          before: null,
          after: { url: shown },
          requests: 1,
          op: { type: 'drain.create', url: urlValue(d, scope), maskedUrl: shown },
          ...loc,
        }),
      });
      continue;
    }
    matched.add(l.id);
    if (owned[l.id]) continue;
    out.push({
      stage: 'leaves',
      change: makeChange({
        address,
        app,
        kind: 'drain',
        action: 'adopt',
        reason: 'exists but is not in state: dynoform takes ownership',
        before: { url: shown },
        after: { url: shown },
        op: { type: 'drain.adopt', drainId: l.id, url: urlValue(d, scope), maskedUrl: shown },
        ...loc,
      }),
    });
  }

  const byId = new Map(liveDrains.map((l) => [l.id, l]));
  for (const id of Object.keys(owned).sort((a, b) => cmp(owned[a]!.maskedUrl + a, owned[b]!.maskedUrl + b))) {
    if (matched.has(id)) continue;
    const o = owned[id]!;
    const address = formatAddress(app, 'drain', o.maskedUrl);
    const l = byId.get(id);
    if (!l) {
      out.push({
        stage: 'forget',
        change: makeChange({
          address,
          app,
          kind: 'drain',
          action: 'delete',
          reason: 'no longer declared and already deleted outside dynoform: only removed from state (no request)',
          before: { url: o.maskedUrl },
          after: null,
          op: { type: 'state.forget' },
        }),
      });
      continue;
    }
    const guard = listGuard(undefined, () => drainGuard(l));
    out.push({
      stage: 'leaves',
      change: makeChange({
        address,
        app,
        kind: 'drain',
        action: 'delete',
        reason: 'removed from the YAML',
        before: { url: o.maskedUrl },
        after: null,
        guard,
        requests: 1 + guardReads(guard),
        op: { type: 'drain.delete', drainId: id, maskedUrl: o.maskedUrl },
      }),
    });
  }

  const unmanaged = liveDrains.filter((l) => !matched.has(l.id) && !owned[l.id]).map((l) => maskUrlUserinfo(l.url)).sort();
  if (live) unmanagedNote(scope, { code: 'drain-unmanaged', noun: 'log drain', names: unmanaged, field: 'drains', address: formatAddress(app) });
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

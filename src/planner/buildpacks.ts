import type { ChangeItem } from '../model/plan.js';
import { formatAddress } from '../util/address.js';
import { buildpackKey, sameBuildpackList, sameBuildpacks } from '../util/buildpacks.js';
import { buildpacksGuard } from '../util/guard.js';
import { guardReads, listGuard, makeChange, type AppScope, type StagedChange } from './context.js';

/**
 * The buildpack list: one object per app, written whole (PUT replaces it).
 * Declared, dynoform owns the list (`[]` clears it); not declared, the list
 * is left as it is, and an owned list that leaves the YAML is only let go
 * of in state. Guarded by the ETag of the list it was computed from.
 */
export function planBuildpacks(scope: AppScope): StagedChange[] {
  const { key: app, desired, live, inv } = scope;
  const address = formatAddress(app, 'buildpacks');
  const declared = desired.buildpacks?.map((b) => b.buildpack);
  const loc = desired.fieldLocs?.['buildpacks'];

  if (declared === undefined) {
    if (inv?.buildpacks === undefined) return [];
    return [
      {
        stage: 'forget',
        change: makeChange({
          address,
          app,
          kind: 'buildpacks',
          action: 'delete',
          reason: 'no longer declared: dynoform stops managing the buildpack list and leaves it as it is (state only, no request)',
          before: { buildpacks: inv.buildpacks },
          after: null,
          op: { type: 'state.forget' },
        }),
      },
    ];
  }

  const current = live?.buildpacks;
  const equal = current ? sameBuildpacks(current, declared) : declared.length === 0;
  if (equal && inv?.buildpacks !== undefined && sameBuildpackList(inv.buildpacks, declared)) return [];
  const before = current?.list ?? [];
  const send = !equal;
  const guard = send && current ? listGuard(current.etag, () => buildpacksGuard(current)) : {};
  const action = !live ? 'create' : inv?.buildpacks === undefined ? 'adopt' : 'update';
  return [
    {
      stage: 'leaves',
      change: makeChange({
        address,
        app,
        kind: 'buildpacks',
        action,
        ...(action === 'adopt'
          ? { reason: send ? 'not in state: dynoform takes ownership of the list and sets it' : 'already this list: dynoform takes ownership (no request)' }
          : {}),
        before: live ? { buildpacks: before } : null,
        after: { buildpacks: declared },
        items: send ? items(before, declared) : [],
        guard,
        requests: send ? 1 + guardReads(guard) : 0,
        op: { type: 'buildpacks.set', buildpacks: declared, send },
        ...(loc ? { loc } : {}),
      }),
    },
  ];
}

/** One item per position that differs: the list is ordered, so a move is a change. */
function items(before: readonly string[], after: readonly string[]): ChangeItem[] {
  const out: ChangeItem[] = [];
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    const b = before[i];
    const a = after[i];
    if (b !== undefined && a !== undefined && buildpackKey(a) === buildpackKey(b)) continue;
    out.push({ key: String(i + 1), action: b === undefined ? 'create' : a === undefined ? 'delete' : 'update', before: b ?? null, after: a ?? null });
  }
  return out;
}


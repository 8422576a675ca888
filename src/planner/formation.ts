import type { DesiredFormation } from '../model/desired.js';
import type { LiveFormation } from '../model/live.js';
import type { ChangeItem, FormationUpdate } from '../model/plan.js';
import { formatAddress } from '../util/address.js';
import { formationGuard } from '../util/guard.js';
import { guardReads, listGuard, locOf, makeChange, type AppScope, type StagedChange } from './context.js';

function describe(quantity: number | undefined, size: string | undefined): string {
  if (quantity === undefined) return size ?? '';
  return size === undefined ? String(quantity) : `${quantity} × ${size}`;
}

/**
 * Formation: one batch update per app, one item per process type. A type
 * exists only once a release defines it, so a declared type the current
 * release lacks waits (apply skips it) instead of failing with a 404.
 * Types removed from the YAML stay as they are.
 */
export function planFormation(scope: AppScope): StagedChange | undefined {
  const { key: app, desired, live, diagnostics, inv } = scope;
  const address = formatAddress(app, 'formation');
  const byType = new Map<string, LiveFormation>((live?.formation ?? []).map((f) => [f.type, f]));
  const updates: FormationUpdate[] = [];
  const items: ChangeItem[] = [];
  const before: Record<string, Record<string, number | string>> = {};
  const after: Record<string, Record<string, number | string>> = {};
  const record: Record<string, { quantity?: number; size?: string }> = {};
  let recordChanged = false;
  let waiting = 0;

  for (const type of Object.keys(desired.formation).sort()) {
    const d: DesiredFormation = desired.formation[type]!;
    const l = byType.get(type);
    if (!l) {
      waiting += 1;
      items.push({
        key: type,
        action: 'waiting',
        before: null,
        after: describe(d.quantity, d.size),
        note: 'waiting for a release that defines it',
        ...(d.loc ? { loc: d.loc } : {}),
      });
      diagnostics.push({
        severity: 'warning',
        code: 'formation-waiting',
        message: `process type ${type} is not defined by the current release of ${desired.name}${live ? '' : ' (a new app)'}: it is skipped now and scaled by the first apply after a deploy that defines it`,
        address: formatAddress(app, 'formation', type),
        ...locOf(d.loc),
      });
      continue;
    }
    const declared = { ...(d.quantity !== undefined ? { quantity: d.quantity } : {}), ...(d.size !== undefined ? { size: d.size } : {}) };
    record[type] = declared;
    const u: FormationUpdate = { type };
    if (d.quantity !== undefined && d.quantity !== l.quantity) u.quantity = d.quantity;
    if (d.size !== undefined && d.size.toLowerCase() !== l.size.toLowerCase()) u.size = d.size;
    if (u.quantity === undefined && u.size === undefined) {
      // Already at the declared scale: only the state may need to learn it.
      if (!sameScale(inv?.formation[type], declared)) {
        recordChanged = true;
        items.push({
          key: type,
          action: 'adopt',
          before: describe(l.quantity, l.size),
          after: describe(l.quantity, l.size),
          note: 'already at this scale: state updated',
          ...(d.loc ? { loc: d.loc } : {}),
        });
      }
      continue;
    }
    recordChanged = true;
    updates.push(u);
    before[type] = { quantity: l.quantity, size: l.size };
    after[type] = { quantity: u.quantity ?? l.quantity, size: u.size ?? l.size };
    items.push({
      key: type,
      action: 'update',
      before: describe(l.quantity, l.size),
      after: describe(u.quantity ?? l.quantity, u.size ?? l.size),
      ...(u.size !== undefined ? { note: 'a new size restarts these dynos' } : {}),
      ...(d.loc ? { loc: d.loc } : {}),
    });
  }
  if (items.length === 0) return undefined;

  const guard = updates.length > 0 && live ? listGuard(live.formationEtag, () => formationGuard(live.formation)) : {};
  const change = makeChange({
    address,
    app,
    kind: 'formation',
    action: updates.length > 0 ? 'update' : recordChanged ? 'adopt' : 'waiting',
    before: updates.length > 0 ? before : null,
    after: updates.length > 0 ? after : null,
    items,
    guard,
    requests: updates.length > 0 ? 1 + guardReads(guard) : 0,
    op: { type: 'formation.batch', updates, ...(recordChanged ? { record } : {}) },
    ...(updates.length === 0 && !recordChanged ? { reason: `waiting for a release that defines ${waiting === 1 ? 'this process type' : 'these process types'}` } : {}),
    ...(desired.fieldLocs?.formation ? { loc: desired.fieldLocs.formation } : {}),
  });
  return { stage: 'formation', change };
}

function sameScale(a: { quantity?: number; size?: string } | undefined, b: { quantity?: number; size?: string }): boolean {
  return a !== undefined && a.quantity === b.quantity && (a.size ?? '').toLowerCase() === (b.size ?? '').toLowerCase();
}

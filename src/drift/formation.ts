import type { LiveFormation } from '../model/live.js';
import { appLoc, type AppScope } from './context.js';

/**
 * Without a last-applied value in state (apply records only the fields it
 * changed), a difference cannot be told apart from a hand edit: say so.
 */
const NOT_RECORDED = 'differs from the YAML (no last-applied value in state: an unapplied declaration or a change by hand)';

/** Dyno sizes are case-insensitive (`standard-1X` = `Standard-1X`). */
export function sameSize(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export function describeScale(f: Pick<LiveFormation, 'quantity' | 'size'>): string {
  return `${f.quantity} × ${f.size}`;
}

/**
 * Formation: declared process types against their last-applied scale.
 * A process type removed from the YAML is left running and unmanaged
 * (DESIGN.md §2), so it shows as unmanaged, not as pending.
 */
export function classifyFormation(scope: AppScope): void {
  const { desired: d, owned: inv, live: l } = scope;
  if (!d || !l) return;
  const fieldLoc = d.fieldLocs?.['formation'] ?? appLoc(scope);

  for (const [type, df] of Object.entries(d.formation)) {
    const loc = df.loc ?? fieldLoc;
    const last = inv?.formation[type];
    const lf = l.formation.find((f) => f.type === type);
    if (!lf) {
      scope.add(
        last
          ? { class: 'missing', kind: 'formation', key: type, message: `process type ${type} is no longer in the app's current release`, loc, before: scaleText(last), after: null }
          : {
              class: 'pending',
              kind: 'formation',
              key: type,
              message: `process type ${type} is declared but waiting for a release that defines it`,
              loc,
              before: null,
              after: scaleText(df),
            },
      );
      continue;
    }
    if (last?.quantity !== undefined && lf.quantity !== last.quantity) {
      scope.add({
        class: 'changed-outside',
        kind: 'formation',
        key: type,
        field: 'quantity',
        message: `${type} was scaled outside dynoform`,
        loc,
        before: last.quantity,
        after: lf.quantity,
      });
    }
    if (last?.size !== undefined && !sameSize(lf.size, last.size)) {
      scope.add({
        class: 'changed-outside',
        kind: 'formation',
        key: type,
        field: 'size',
        message: `${type} was resized outside dynoform`,
        loc,
        before: last.size,
        after: lf.size,
      });
    }
    const baseQuantity = last?.quantity ?? lf.quantity;
    if (df.quantity !== undefined && df.quantity !== baseQuantity) {
      scope.add({
        class: 'pending',
        kind: 'formation',
        key: type,
        field: 'quantity',
        message: `${type} quantity ${last?.quantity !== undefined ? 'changed in the YAML and was not applied' : NOT_RECORDED}`,
        loc,
        before: baseQuantity,
        after: df.quantity,
      });
    }
    const baseSize = last?.size ?? lf.size;
    if (df.size !== undefined && !sameSize(df.size, baseSize)) {
      scope.add({
        class: 'pending',
        kind: 'formation',
        key: type,
        field: 'size',
        message: `${type} size ${last?.size !== undefined ? 'changed in the YAML and was not applied' : NOT_RECORDED}`,
        loc,
        before: baseSize,
        after: df.size,
      });
    }
  }

  for (const lf of l.formation) {
    if (d.formation[lf.type]) continue;
    scope.add({
      class: 'unmanaged',
      kind: 'formation',
      key: lf.type,
      message: `process type ${lf.type} (${describeScale(lf)}) is not declared`,
      loc: appLoc(scope),
      before: null,
      after: describeScale(lf),
    });
  }
}

function scaleText(f: { quantity?: number; size?: string }): string {
  if (f.quantity !== undefined && f.size !== undefined) return `${f.quantity} × ${f.size}`;
  if (f.quantity !== undefined) return String(f.quantity);
  return f.size ?? '';
}

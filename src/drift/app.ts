import type { SourceLocation } from '../model/diagnostic.js';
import type { LiveState } from '../model/live.js';
import { appLoc, type AppScope } from './context.js';

export type AppVerdict =
  /** Compare the app's items in detail. */
  | 'compare'
  /** Nothing more to say about this app's items (missing, not created, removed from YAML). */
  | 'done';

/**
 * The app itself: missing, re-created, not yet created/adopted, removed from
 * the YAML, and its own fields (name, region, stack, maintenance).
 */
export function classifyApp(scope: AppScope, live: LiveState): AppVerdict {
  const { desired: d, owned: inv, live: l } = scope;

  if (!l) {
    if (inv) {
      // The reader only reads declared apps in full; an owned app it skipped may still exist.
      const stillThere = Object.values(live.appIds).includes(inv.id);
      if (stillThere && !d) {
        scope.add({
          class: 'pending',
          kind: 'app',
          message: `app ${inv.name} was removed from the YAML and not applied: apply would delete it (refused unless protect: false was applied and --allow-destroy is given)`,
          before: inv.name,
          after: null,
        });
      } else if (!stillThere) {
        scope.add({
          class: 'missing',
          kind: 'app',
          message: `app ${inv.name} was deleted outside dynoform`,
          loc: appLoc(scope),
          before: inv.name,
          after: null,
        });
      }
      return 'done';
    }
    if (d) {
      scope.add({
        class: 'pending',
        kind: 'app',
        message: `app ${d.name} is declared but does not exist yet: apply will create it`,
        loc: appLoc(scope),
        before: null,
        after: d.name,
      });
    }
    return 'done';
  }

  if (inv && !d) {
    scope.add({
      class: 'pending',
      kind: 'app',
      message: `app ${l.name} was removed from the YAML and not applied: apply would delete it (refused unless protect: false was applied and --allow-destroy is given)`,
      before: l.name,
      after: null,
    });
    return 'done';
  }
  if (!d) return 'done';

  if (!inv) {
    scope.add({
      class: 'pending',
      kind: 'app',
      message: `app ${l.name} exists but is not managed yet: apply will adopt it (run \`dynoform import ${l.name}\` to write its YAML)`,
      loc: appLoc(scope),
      before: null,
      after: l.name,
    });
  } else if (inv.id !== l.id) {
    scope.add({
      class: 'changed-outside',
      kind: 'app',
      field: 'id',
      message: `app ${l.name} was deleted and re-created outside dynoform (its id changed)`,
      loc: appLoc(scope),
      before: inv.id,
      after: l.id,
    });
  }

  const loc = (field: string) => d.fieldLocs?.[field] ?? d.loc;

  if (inv && inv.name !== l.name) {
    scope.add({
      class: 'changed-outside',
      kind: 'app',
      field: 'name',
      message: `app was renamed outside dynoform`,
      loc: loc('name'),
      before: inv.name,
      after: l.name,
    });
  }
  if (d.name !== (inv?.name ?? l.name)) {
    scope.add({
      class: 'pending',
      kind: 'app',
      field: 'name',
      message: `name changed in the YAML: apply will rename the app`,
      loc: loc('name'),
      before: inv?.name ?? l.name,
      after: d.name,
    });
  }

  if (d.region !== undefined && d.region !== l.region) {
    scope.add({
      class: 'pending',
      kind: 'app',
      field: 'region',
      message: `region differs from the YAML: the API cannot move an app, it needs a new app`,
      loc: loc('region'),
      before: l.region,
      after: d.region,
    });
  }

  scalarField(scope, 'stack', d.stack, inv?.stack, l.buildStack, loc('stack'));
  scalarField(scope, 'maintenance', d.maintenance, inv?.maintenance, l.maintenance, loc('maintenance'));
  return 'compare';
}

function scalarField<T extends string | boolean>(
  scope: AppScope,
  field: string,
  declared: T | undefined,
  lastApplied: T | undefined,
  live: T,
  loc: SourceLocation | undefined,
): void {
  if (lastApplied !== undefined && live !== lastApplied) {
    scope.add({
      class: 'changed-outside',
      kind: 'app',
      field,
      message: `${field} was changed outside dynoform`,
      loc,
      before: lastApplied,
      after: live,
    });
  }
  const base = lastApplied ?? live;
  if (declared !== undefined && declared !== base) {
    scope.add({
      class: 'pending',
      kind: 'app',
      field,
      message:
        lastApplied !== undefined
          ? `${field} changed in the YAML and was not applied`
          : `${field} is declared but not applied yet`,
      loc,
      before: base,
      after: declared,
    });
  }
}

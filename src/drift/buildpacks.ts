import { sameBuildpackList, sameBuildpacks } from '../util/buildpacks.js';
import { appLoc, type AppScope } from './context.js';

const show = (list: readonly string[]): string => (list.length === 0 ? '(none)' : list.join(', '));

/**
 * The buildpack list is one value: an outside edit anywhere in it (a
 * buildpack added, removed or moved) is one changed-outside item at the
 * `buildpacks:` line.
 */
export function classifyBuildpacks(scope: AppScope): void {
  const { desired: d, owned: inv, live: l } = scope;
  if (!d || !l) return;
  const loc = d.fieldLocs?.['buildpacks'] ?? appLoc(scope);
  const declared = d.buildpacks?.map((b) => b.buildpack);
  const last = inv?.buildpacks;
  const current = l.buildpacks;
  if (last !== undefined && current && !sameBuildpacks(current, last)) {
    scope.add({
      class: 'changed-outside',
      kind: 'buildpacks',
      message: `the buildpack list was changed outside dynoform`,
      loc,
      before: show(last),
      after: show(current.list),
    });
  }
  if (declared === undefined) {
    if (last !== undefined) {
      scope.add({
        class: 'pending',
        kind: 'buildpacks',
        message: 'buildpacks were removed from the YAML and not applied: apply will stop managing the list (and leave it as it is)',
        loc,
        before: show(last),
        after: null,
      });
    }
    return;
  }
  const base = last ?? current?.list;
  const differs = last !== undefined ? !sameBuildpackList(last, declared) : current !== undefined && !sameBuildpacks(current, declared);
  if (differs) {
    scope.add({
      class: 'pending',
      kind: 'buildpacks',
      message: 'the declared buildpack list is not applied yet',
      loc,
      before: show(base ?? []),
      after: show(declared),
    });
  }
}

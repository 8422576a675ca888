import { appLoc, type AppScope } from './context.js';

const perms = (p: readonly string[] | undefined): string => [...(p ?? [])].sort().join(', ');

/** Collaborators: owned ones removed or re-permissioned outside, declared ones not added yet, and the unmanaged rest (when the app declares the kind). */
export function classifyCollaborators(scope: AppScope): void {
  const { desired: d, owned: inv, live: l } = scope;
  if (!d || !l || l.collaborators === undefined) return;
  const fieldLoc = d.fieldLocs?.['collaborators'] ?? appLoc(scope);
  const owned = inv?.collaborators ?? {};
  const live = new Map(l.collaborators.filter((c) => c.role !== 'owner' && c.role !== 'admin').map((c) => [c.email, c]));
  const declared = new Map((d.collaborators ?? []).map((c) => [c.email, c]));
  for (const [email, o] of Object.entries(owned)) {
    const dc = declared.get(email);
    const loc = dc?.loc ?? fieldLoc;
    const lc = live.get(email);
    if (!lc) scope.add({ class: 'missing', kind: 'collaborator', key: email, message: `collaborator ${email} was removed outside dynoform`, loc, before: email, after: null });
    else if (o.permissions !== undefined && perms(lc.permissions) !== perms(o.permissions)) {
      scope.add({ class: 'changed-outside', kind: 'collaborator', key: email, field: 'permissions', message: `the permissions of ${email} were changed outside dynoform`, loc, before: perms(o.permissions), after: perms(lc.permissions) });
    }
    if (!dc) scope.add({ class: 'pending', kind: 'collaborator', key: email, message: `collaborator ${email} was removed from the YAML and not applied: apply will remove it`, loc: fieldLoc, before: email, after: null });
    else if (dc.permissions !== undefined && o.permissions !== undefined && perms(dc.permissions) !== perms(o.permissions)) {
      scope.add({ class: 'pending', kind: 'collaborator', key: email, field: 'permissions', message: `new permissions for ${email} are not applied yet`, loc, before: perms(o.permissions), after: perms(dc.permissions) });
    }
  }
  for (const [email, dc] of declared) {
    if (owned[email] || live.has(email)) continue;
    scope.add({ class: 'pending', kind: 'collaborator', key: email, message: `collaborator ${email} is declared but not added yet`, loc: dc.loc ?? fieldLoc, before: null, after: email });
  }
  if (d.collaborators === undefined) return;
  for (const email of live.keys()) {
    if (owned[email] || declared.has(email)) continue;
    scope.add({ class: 'unmanaged', kind: 'collaborator', key: email, message: `collaborator ${email} is not declared`, loc: appLoc(scope), before: null, after: email });
  }
}

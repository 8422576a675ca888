import type { LiveCollaborator } from '../model/live.js';
import { formatAddress } from '../util/address.js';
import { collaboratorGuard } from '../util/guard.js';
import { guardReads, listGuard, locOf, makeChange, unmanagedNote, type AppScope, type StagedChange } from './context.js';

const same = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean => [...(a ?? [])].sort().join() === [...(b ?? [])].sort().join();

/** What a change shows for one collaborator. */
const show = (permissions: readonly string[] | undefined): Record<string, unknown> => (permissions ? { permissions: [...permissions] } : {});

/**
 * Collaborators by e-mail. Declared ones are added (on a team app through
 * the team API, with permissions) or adopted; owned ones that leave the
 * list are removed; others are reported and left alone. The owner and team
 * admins are never collaborators to remove. Writes to an existing
 * collaborator are guarded by a re-read (the list gives no per-entry ETag).
 */
export function planCollaborators(scope: AppScope): StagedChange[] {
  const { key: app, desired, live, inv } = scope;
  const declared = desired.collaborators;
  const owned = inv?.collaborators ?? {};
  const out: StagedChange[] = [];
  const liveList = (live?.collaborators ?? []).filter((c) => c.role !== 'owner' && c.role !== 'admin');
  const byEmail = new Map<string, LiveCollaborator>(liveList.map((c) => [c.email, c]));
  const teamApp = desired.team !== undefined || live?.team !== undefined;

  for (const d of [...(declared ?? [])].sort((a, b) => (a.email < b.email ? -1 : 1))) {
    const address = formatAddress(app, 'collaborator', d.email);
    const loc = d.loc ? { loc: d.loc } : {};
    if (d.permissions && !teamApp) {
      const reason = `${desired.name} is a personal app: its collaborators have no permissions (move it to a team with team:, or list the e-mail alone)`;
      scope.diagnostics.push({ severity: 'error', code: 'collaborator-permissions-personal', message: reason, address, ...locOf(d.loc) });
      out.push({ stage: 'app', change: makeChange({ address, app, kind: 'collaborator', action: 'replace-refused', reason, before: null, after: { email: d.email }, op: { type: 'none' }, ...loc }) });
      continue;
    }
    // Team apps get at least view; the API adds view to any set anyway.
    const permissions = teamApp ? (d.permissions ?? ['view']) : undefined;
    const l = byEmail.get(d.email);
    if (!l) {
      out.push({
        stage: 'app',
        change: makeChange({
          address,
          app,
          kind: 'collaborator',
          action: 'create',
          before: null,
          after: { email: d.email, ...show(permissions) },
          requests: 1,
          op: { type: 'collaborator.create', email: d.email, ...(permissions ? { permissions } : {}) },
          ...loc,
        }),
      });
      continue;
    }
    const differs = permissions !== undefined && !same(l.permissions, permissions);
    const mine = owned[d.email];
    if (mine && mine.id === l.id && !differs && same(mine.permissions, permissions)) continue;
    const guard = differs ? listGuard(undefined, () => collaboratorGuard(l)) : {};
    const before = { email: l.email, ...show(teamApp ? l.permissions : undefined) };
    const after = { email: d.email, ...show(permissions) };
    const items = differs ? [{ key: 'permissions', action: 'update' as const, before: l.permissions.join(', '), after: permissions!.join(', ') }] : [];
    if (mine && mine.id === l.id) {
      out.push({
        stage: 'app',
        change: makeChange({
          address,
          app,
          kind: 'collaborator',
          action: 'update',
          before,
          after,
          items,
          guard,
          requests: differs ? 1 + guardReads(guard) : 0,
          op: { type: 'collaborator.update', collaboratorId: l.id, email: d.email, ...(permissions ? { permissions } : {}), ...(differs ? { livePermissions: l.permissions } : {}) },
          ...loc,
        }),
      });
      continue;
    }
    out.push({
      stage: 'app',
      change: makeChange({
        address,
        app,
        kind: 'collaborator',
        action: 'adopt',
        reason: differs ? 'exists but is not in state: dynoform takes ownership and sets its permissions' : 'exists but is not in state: dynoform takes ownership (no request)',
        before,
        after,
        items,
        guard,
        requests: differs ? 1 + guardReads(guard) : 0,
        op: { type: 'collaborator.adopt', collaboratorId: l.id, email: d.email, ...(permissions ? { permissions } : {}), ...(differs ? { livePermissions: l.permissions } : {}) },
        ...loc,
      }),
    });
  }

  const declaredEmails = new Set((declared ?? []).map((d) => d.email));
  for (const email of Object.keys(owned).sort()) {
    if (declaredEmails.has(email)) continue;
    const o = owned[email]!;
    const address = formatAddress(app, 'collaborator', email);
    const l = liveList.find((c) => c.id === o.id) ?? byEmail.get(email);
    if (!l || !live) {
      out.push({
        stage: 'forget',
        change: makeChange({
          address,
          app,
          kind: 'collaborator',
          action: 'delete',
          reason: 'no longer declared and already removed outside dynoform: only removed from state (no request)',
          before: { email, ...show(o.permissions) },
          after: null,
          op: { type: 'state.forget' },
        }),
      });
      continue;
    }
    const guard = listGuard(undefined, () => collaboratorGuard(l));
    out.push({
      stage: 'leaves',
      change: makeChange({
        address,
        app,
        kind: 'collaborator',
        action: 'delete',
        reason: 'removed from the YAML: the collaborator loses access to the app',
        before: { email, ...show(teamApp ? l.permissions : undefined) },
        after: null,
        guard,
        requests: 1 + guardReads(guard),
        op: { type: 'collaborator.delete', collaboratorId: l.id, email },
      }),
    });
  }

  if (live && declared !== undefined) {
    const unmanaged = liveList.filter((c) => !declaredEmails.has(c.email) && !owned[c.email]).map((c) => c.email);
    unmanagedNote(scope, { code: 'collaborator-unmanaged', noun: 'collaborator', names: unmanaged, field: 'collaborators', address: formatAddress(app) });
  }
  return out;
}

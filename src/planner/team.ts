import { formatAddress } from '../util/address.js';
import { teamGuard } from '../util/guard.js';
import { guardReads, listGuard, makeChange, type AppScope, type StagedChange } from './context.js';

/**
 * Who owns the app, and its lock. A declared team the live app is not in is
 * a transfer (PATCH /teams/apps/{app} {owner}): the app keeps its id, name,
 * config, add-ons and data — never a re-create. A new app is created in its
 * team directly (see app.ts), so only the state needs to learn it then.
 * Guarded by a re-read of the app (the app list gives no per-app ETag); the
 * lock by the ETag of the team-app read it came from.
 */
export function planTeam(scope: AppScope): StagedChange[] {
  const { key: app, desired, live, inv } = scope;
  const address = formatAddress(app, 'team');
  const loc = desired.fieldLocs?.['team'] ?? desired.fieldLocs?.['locked'];
  const team = desired.team;
  if (team === undefined) {
    if (inv?.team === undefined && inv?.locked === undefined) return [];
    return [
      {
        stage: 'forget',
        change: makeChange({
          address,
          app,
          kind: 'team',
          action: 'delete',
          reason: 'no longer declared: dynoform stops managing who owns the app (state only, no request)',
          before: { ...(inv.team !== undefined ? { team: inv.team } : {}), ...(inv.locked !== undefined ? { locked: inv.locked } : {}) },
          after: null,
          op: { type: 'state.forget' },
        }),
      },
    ];
  }
  if (!live) {
    // Created in the team by app.create; recorded by the app's effect.
    return [];
  }
  const transfer = live.team !== team;
  // Right after a transfer the lock is not known yet (it was not read): it is set anyway, which is harmless.
  const liveLocked = transfer ? undefined : live.locked;
  const setLock = desired.locked !== undefined && liveLocked !== desired.locked;
  const owned = inv?.team === team && (desired.locked === undefined || inv.locked === desired.locked);
  if (!transfer && !setLock && owned) return [];
  const guard = transfer ? listGuard(undefined, () => teamGuard(live)) : setLock && live.lockedEtag ? { etag: live.lockedEtag } : {};
  const requests = (transfer ? 1 : 0) + (setLock ? 1 : 0) + guardReads(guard);
  const before = { team: live.team ?? null, ...(desired.locked !== undefined && live.locked !== undefined && !transfer ? { locked: live.locked } : {}) };
  const after = { team, ...(desired.locked !== undefined ? { locked: desired.locked } : {}) };
  const action = transfer || setLock ? (inv?.team === undefined ? 'adopt' : 'update') : 'adopt';
  return [
    {
      stage: 'app',
      change: makeChange({
        address,
        app,
        kind: 'team',
        action,
        reason: transfer
          ? `transfer from ${live.team ? `team ${live.team}` : 'a personal account'} to team ${team}: the app, its config, add-ons and data stay (not a re-create)`
          : setLock
            ? `${desired.locked ? 'lock' : 'unlock'} the team app`
            : `already in team ${team}: dynoform takes ownership (no request)`,
        before,
        after,
        items: [
          ...(transfer ? [{ key: 'team', action: 'update' as const, before: live.team ?? '(personal)', after: team, note: 'transfer, not a re-create' }] : []),
          ...(setLock ? [{ key: 'locked', action: 'update' as const, before: liveLocked ?? null, after: desired.locked! }] : []),
        ],
        guard,
        requests,
        op: { type: 'team.set', team, ...(transfer ? { transferTo: team } : {}), ...(desired.locked !== undefined ? { locked: desired.locked } : {}), ...(setLock ? { sendLocked: true } : {}) },
        ...(loc ? { loc } : {}),
      }),
    },
  ];
}

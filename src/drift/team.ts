import { appLoc, type AppScope } from './context.js';

/** Who owns the app and its lock, against what dynoform last applied. */
export function classifyTeam(scope: AppScope): void {
  const { desired: d, owned: inv, live: l } = scope;
  if (!d || !l) return;
  const loc = d.fieldLocs?.['team'] ?? appLoc(scope);
  const liveTeam = l.team ?? null;
  if (inv?.team !== undefined && liveTeam !== inv.team) {
    scope.add({ class: 'changed-outside', kind: 'team', field: 'team', message: `the app was transferred outside dynoform`, loc, before: inv.team, after: liveTeam ?? '(personal)' });
  }
  if (d.team !== undefined && d.team !== (inv?.team ?? liveTeam)) {
    scope.add({ class: 'pending', kind: 'team', field: 'team', message: `the app is declared in team ${d.team}: apply will transfer it`, loc, before: inv?.team ?? liveTeam, after: d.team });
  }
  const lockLoc = d.fieldLocs?.['locked'] ?? loc;
  if (inv?.locked !== undefined && l.locked !== undefined && l.locked !== inv.locked) {
    scope.add({ class: 'changed-outside', kind: 'team', field: 'locked', message: `the app was ${l.locked ? 'locked' : 'unlocked'} outside dynoform`, loc: lockLoc, before: inv.locked, after: l.locked });
  }
  const base = inv?.locked ?? l.locked;
  if (d.locked !== undefined && base !== undefined && d.locked !== base) {
    scope.add({ class: 'pending', kind: 'team', field: 'locked', message: `the app is declared ${d.locked ? 'locked' : 'unlocked'} and not applied yet`, loc: lockLoc, before: base, after: d.locked });
  }
}

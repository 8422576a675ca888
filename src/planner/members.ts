import type { DesiredState } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Inventory, InventoryMember } from '../model/inventory.js';
import type { LiveTeams } from '../model/live.js';
import type { Change } from '../model/plan.js';
import { formatMemberAddress } from '../util/address.js';
import { memberGuard } from '../util/guard.js';
import { EXECUTABLE, guardReads, listGuard, locOf, makeChange, plural } from './context.js';

/** The scope every change of a team carries as `Change.app`: it cannot collide with an app key (those have no dot). */
export function teamScope(team: string): string {
  return `team.${team}`;
}

interface MembersWorld {
  desired: DesiredState;
  live: LiveTeams;
  inventory: Inventory;
  diagnostics: Diagnostic[];
}

/**
 * Team members: desired × live × inventory → changes. Pure. Only members
 * declared or owned (added or adopted by dynoform) are touched; a member
 * leaves the team only when state owns them and the YAML no longer lists
 * them. Two changes are never planned, whoever asks: removing or demoting
 * the account itself (its token would lose the rights this tool runs with),
 * and removing or demoting the team's last admin (Heroku refuses it). Both
 * are blocked at plan time, which makes the plan fail. A team's changes run
 * one after another, promotions first, so each re-reads the list it guards
 * against and a new admin exists before an old one steps down.
 */
export function planMembers(w: MembersWorld): Change[] {
  const declared = w.desired.teams ?? {};
  const owned = w.inventory.teams ?? {};
  const names = [...new Set([...Object.keys(declared), ...Object.keys(owned).filter((t) => Object.keys(owned[t]!.members).length > 0)])].sort();
  const out: Change[] = [];
  for (const team of names) out.push(...planTeam(w, team));
  return out;
}

function planTeam(w: MembersWorld, team: string): Change[] {
  const d = w.desired.teams?.[team];
  const ownedMembers = w.inventory.teams?.[team]?.members ?? {};
  const live = w.live.members[team];
  const app = teamScope(team);
  if (live === null || live === undefined) {
    if (d) {
      const reason = `team ${team} does not exist, or the account is not a member of it: dynoform manages the members of existing teams (create the team in the Dashboard first)`;
      w.diagnostics.push({ severity: 'error', code: 'unknown-team', message: reason, address: formatMemberAddress(team), ...locOf(d.loc) });
      return [makeChange({ address: formatMemberAddress(team), app, kind: 'member', action: 'replace-refused', reason, before: null, after: null, op: { type: 'none' }, ...(d.loc ? { loc: d.loc } : {}) })];
    }
    // The team is gone (or we were removed from it): its members are no longer ours to manage.
    return Object.keys(ownedMembers)
      .sort()
      .map((email) => forget(team, email, ownedMembers[email]!, `team ${team} no longer exists or the account left it: only removed from state (no request)`));
  }

  const byEmail = new Map(live.map((m) => [m.email, m]));
  const byId = new Map(live.map((m) => [m.id, m]));
  const me = w.live.accountEmail;
  // Admins once every promotion of this plan is made: what a demotion or removal is weighed against.
  let admins =
    live.filter((m) => m.role === 'admin').length +
    Object.values(d?.members ?? {}).filter((dm) => dm.role === 'admin' && byEmail.get(dm.email)?.role !== 'admin').length;
  const raises: Change[] = [];
  const others: Change[] = [];

  for (const email of Object.keys(d?.members ?? {}).sort()) {
    const dm = d!.members[email]!;
    const address = formatMemberAddress(team, email);
    const loc = dm.loc ? { loc: dm.loc } : {};
    const inv = ownedMembers[email];
    const l = byEmail.get(email);
    if (!l) {
      raises.push(
        makeChange({
          address,
          app,
          kind: 'member',
          action: 'create',
          before: null,
          after: { role: dm.role },
          requests: 1,
          op: { type: 'member.create', team, email, role: dm.role },
          ...(inv ? { reason: 'was in state but is no longer a member: removed outside dynoform, so they are added again' } : {}),
          ...loc,
        }),
      );
      continue;
    }
    const ours = inv !== undefined && inv.id === l.id;
    const send = l.role !== dm.role;
    if (!send && ours && inv.role === dm.role) continue;
    const guard = send ? listGuard(undefined, () => memberGuard(l)) : {};
    const demotes = send && l.role === 'admin';
    const blocked = demotes ? refusal(email, me, admins, team, 'demote') : undefined;
    const change = makeChange({
      address,
      app,
      kind: 'member',
      action: blocked ? 'blocked' : ours ? 'update' : 'adopt',
      ...(blocked ? { reason: blocked } : !ours ? { reason: send ? `already a member (${l.role ?? 'no role'}): dynoform takes ownership and makes them ${dm.role}` : 'already a member with this role: dynoform takes ownership (no request)' } : {}),
      before: { role: l.role },
      after: { role: dm.role },
      items: send ? [{ key: 'role', action: 'update', before: l.role, after: dm.role }] : [],
      guard,
      requests: send ? 1 + guardReads(guard) : 0,
      op: { type: 'member.update', team, memberId: l.id, email, role: dm.role, send },
      ...loc,
    });
    if (!blocked && demotes) admins -= 1;
    if (dm.role === 'admin' && send) raises.push(change);
    else others.push(change);
  }

  for (const email of Object.keys(ownedMembers).sort()) {
    if (d?.members[email]) continue;
    const inv = ownedMembers[email]!;
    const l = byId.get(inv.id) ?? byEmail.get(email);
    if (!l) {
      others.push(forget(team, email, inv, 'no longer declared and already gone from the team: only removed from state (no request)'));
      continue;
    }
    const address = formatMemberAddress(team, email);
    const blocked = refusal(email, me, l.role === 'admin' ? admins : Infinity, team, 'remove');
    const guard = listGuard(undefined, () => memberGuard(l));
    if (!blocked && l.role === 'admin') admins -= 1;
    others.push(
      makeChange({
        address,
        app,
        kind: 'member',
        action: blocked ? 'blocked' : 'delete',
        reason: blocked ?? `no longer declared: ${email} leaves team ${team} (and loses access to its apps)`,
        before: { role: l.role },
        after: null,
        guard,
        requests: 1 + guardReads(guard),
        op: { type: 'member.delete', team, memberId: l.id, email },
        ...(d?.membersLoc ? { loc: d.membersLoc } : d?.loc ? { loc: d.loc } : {}),
      }),
    );
  }

  const unmanaged = live.filter((m) => !d?.members[m.email] && !Object.values(ownedMembers).some((o) => o.id === m.id)).map((m) => m.email);
  if (d && unmanaged.length > 0) {
    w.diagnostics.push({
      severity: 'info',
      code: 'unmanaged-members',
      message: `${plural(unmanaged.length, 'member')} of team ${team} ${unmanaged.length === 1 ? 'is' : 'are'} neither declared nor owned and left alone: ${unmanaged.sort().join(', ')}`,
      address: formatMemberAddress(team),
      ...locOf(d.membersLoc ?? d.loc),
    });
  }

  // One after another within the team, promotions first.
  const ordered = [...raises, ...others];
  let previous: Change | undefined;
  for (const c of ordered) {
    if (!EXECUTABLE.has(c.action) || c.op.type === 'state.forget') continue;
    if (previous) c.dependsOn = [previous.id];
    previous = c;
  }
  return ordered;
}

/** Why removing or demoting this member is never planned, or undefined when it may be. */
function refusal(email: string, me: string | undefined, adminsNow: number, team: string, what: 'remove' | 'demote'): string | undefined {
  const verb = what === 'remove' ? 'removing' : 'demoting';
  if (me !== undefined && email === me) {
    return `${verb} ${email} is refused: it is the account this token belongs to, and it would lose the rights dynoform needs in team ${team}. Do it in the Dashboard or with heroku members, or declare the member again`;
  }
  if (adminsNow <= 1) {
    return `${verb} ${email} is refused: they are the last admin of team ${team}, and a team keeps at least one (Heroku refuses it too). Make another member admin first`;
  }
  return undefined;
}

function forget(team: string, email: string, inv: InventoryMember, reason: string): Change {
  return makeChange({
    address: formatMemberAddress(team, email),
    app: teamScope(team),
    kind: 'member',
    action: 'delete',
    reason,
    before: { role: inv.role },
    after: null,
    op: { type: 'state.forget' },
  });
}

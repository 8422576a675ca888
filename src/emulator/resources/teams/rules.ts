import { forbidden, invalidParams, notFound } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import type { AccountRecord, TeamMemberRecord, TeamRecord, TeamRole } from '../../store/records.js';
import { isUuid } from '../catalogue/data.js';
import { accountForEmail } from '../collaborators/rules.js';

/**
 * Teams and their members: the records every team-owned thing (team apps,
 * their collaborators, team members' writes) is decided from. A team is
 * visible to its members only; only admins change it.
 */

/** The e-mail the API shows as a team app's owner: the Heroku CLI reads the team from it. */
export const teamOwnerEmail = (team: TeamRecord): string => `${team.name}@herokumanager.com`;

const TEAM_NAME = /^[a-z][a-z0-9-]{1,29}$/;

export function membersOf(p: Platform, team: TeamRecord): TeamMemberRecord[] {
  return [...p.store.teamMembers.values()].filter((m) => m.teamId === team.id);
}

export function membershipOf(p: Platform, team: TeamRecord, account: AccountRecord): TeamMemberRecord | undefined {
  return [...p.store.teamMembers.values()].find((m) => m.teamId === team.id && m.accountId === account.id);
}

export function teamsOf(p: Platform, account: AccountRecord): TeamRecord[] {
  return [...p.store.teams.values()].filter((t) => membershipOf(p, t, account) !== undefined);
}

/** By id or name; a team the account is not a member of is as good as absent (the API answers 404 too). */
export function findTeam(p: Platform, account: AccountRecord, key: string): TeamRecord {
  const all = [...p.store.teams.values()];
  const team = isUuid(key) ? all.find((t) => t.id === key.toLowerCase()) : all.find((t) => t.name === key);
  if (!team || !membershipOf(p, team, account)) throw notFound("Couldn't find that team.", 'team');
  return team;
}

export function requireAdmin(p: Platform, team: TeamRecord, account: AccountRecord): void {
  if (membershipOf(p, team, account)?.role !== 'admin') throw forbidden(`You must be an admin of the team ${team.name} to do that.`);
}

/** `POST /teams`: the creator is its first admin. Names are global on Heroku. */
export function createTeam(p: Platform, account: AccountRecord, body: { name: string }): TeamRecord {
  const name = body.name;
  if (!TEAM_NAME.test(name)) throw invalidParams('Name must be 2 to 30 lower-case letters, digits and dashes, starting with a letter.');
  if ([...p.store.teams.values()].some((t) => t.name === name)) throw invalidParams(`Name ${name} is already taken`);
  const now = p.now();
  // Teams on Heroku today come with fine-grained app permissions (the Heroku CLI then sends them on access:add).
  const team: TeamRecord = { id: p.uuid(), name, default: false, features: ['org-access-controls'], createdAt: now, updatedAt: now };
  p.store.teams.set(team.id, team);
  addMember(p, team, account, 'admin');
  p.changed();
  return team;
}

export function addMember(p: Platform, team: TeamRecord, account: AccountRecord, role: TeamRole): TeamMemberRecord {
  const now = p.now();
  const m: TeamMemberRecord = { id: p.uuid(), teamId: team.id, accountId: account.id, role, createdAt: now, updatedAt: now };
  p.store.teamMembers.set(m.id, m);
  p.changed();
  return m;
}

/** By e-mail (any case) or id, as the API takes both. */
export function findMember(p: Platform, team: TeamRecord, key: string): TeamMemberRecord {
  const k = key.toLowerCase();
  const m = membersOf(p, team).find((x) => x.id === k || p.store.accounts.get(x.accountId)?.email.toLowerCase() === k);
  if (!m) throw notFound("Couldn't find that team member.", 'team_member');
  return m;
}

const admins = (p: Platform, team: TeamRecord): TeamMemberRecord[] => membersOf(p, team).filter((m) => m.role === 'admin');

/** Heroku keeps at least one admin in every team: the last one can be neither removed nor demoted. */
function requireAnotherAdmin(p: Platform, team: TeamRecord, m: TeamMemberRecord, doing: string): void {
  if (m.role === 'admin' && admins(p, team).length <= 1) {
    throw invalidParams(`Cannot ${doing} the last admin of the team ${team.name}: a team must have at least one admin.`);
  }
}

/**
 * `PUT` (create or update), `POST` (create only) and `PATCH` (update only)
 * of `/teams/{team}/members`. Only admins write; an unknown e-mail becomes
 * a user, as Heroku then sends an invitation to sign up.
 */
export function upsertMember(p: Platform, team: TeamRecord, caller: AccountRecord, body: { email: string; role: TeamRole }, mode: 'put' | 'create' | 'update'): { member: TeamMemberRecord; created: boolean } {
  requireAdmin(p, team, caller);
  const user = accountForEmail(p, body.email);
  const existing = membershipOf(p, team, user);
  if (!existing) {
    if (mode === 'update') throw notFound("Couldn't find that team member.", 'team_member');
    return { member: addMember(p, team, user, body.role), created: true };
  }
  if (mode === 'create') throw invalidParams(`${user.email} is already a member of the team ${team.name}.`);
  if (existing.role === body.role) return { member: existing, created: false };
  if (body.role !== 'admin') requireAnotherAdmin(p, team, existing, 'demote');
  const next: TeamMemberRecord = { ...existing, role: body.role, updatedAt: p.now() };
  p.store.teamMembers.set(next.id, next);
  p.changed();
  return { member: next, created: false };
}

/** An admin removes anyone but the last admin; anyone may leave (again, unless the last admin). */
export function removeMember(p: Platform, team: TeamRecord, caller: AccountRecord, key: string): TeamMemberRecord {
  const m = findMember(p, team, key);
  if (m.accountId !== caller.id) requireAdmin(p, team, caller);
  requireAnotherAdmin(p, team, m, 'remove');
  p.store.teamMembers.delete(m.id);
  // Members lose their access to the team's apps with their membership.
  for (const c of [...p.store.collaborators.values()]) {
    const app = p.store.apps.get(c.appId);
    if (c.accountId === m.accountId && app?.teamId === team.id) p.store.collaborators.delete(c.id);
  }
  p.changed();
  return m;
}

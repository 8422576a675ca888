import { forbidden, invalidParams, notFound } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import type { AccountRecord, TeamMemberRecord, TeamRecord, TeamRole } from '../../store/records.js';
import { isUuid } from '../catalogue/data.js';

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

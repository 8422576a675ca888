import type { Diagnostic, SourceLocation } from '../model/diagnostic.js';
import { TEAM_ROLES, type DesiredAccount, type DesiredTeam, type TeamRole } from '../model/desired.js';
import { formatAccountAddress, formatMemberAddress } from '../util/address.js';
import { Code } from './codes.js';
import { entryLoc, nodeLoc, type PEntry } from './tree.js';

const q = (s: unknown): string => JSON.stringify(s);
const where = (loc: SourceLocation): string => `${loc.file}:${loc.line}:${loc.col}`;

/**
 * Builds `teams:` entries (their schema already passed), with what the
 * schema cannot say: e-mails are compared without case, so two spellings
 * of one address are one member declared twice; and `collaborator` is
 * refused with where to declare it instead (Heroku gives that role to app
 * collaborators; the members API does not grant it).
 */
export function buildTeams(entries: Array<{ key: string; entry: PEntry }>, diagnostics: Diagnostic[]): Record<string, DesiredTeam> {
  const out: Record<string, DesiredTeam> = {};
  for (const { key, entry } of entries) {
    const team: DesiredTeam = { name: key, members: {}, loc: entryLoc(entry) };
    out[key] = team;
    if (entry.node.kind !== 'map') continue;
    const membersEntry = entry.node.entries.get('members');
    if (!membersEntry || membersEntry.node.kind !== 'map') continue;
    team.membersLoc = entryLoc(membersEntry);
    for (const [rawEmail, m] of membersEntry.node.entries) {
      const email = rawEmail.trim().toLowerCase();
      const loc = entryLoc(m);
      const address = formatMemberAddress(key, email);
      const role = m.node.kind === 'scalar' ? m.node.value : undefined;
      const first = team.members[email];
      if (first) {
        diagnostics.push({
          severity: 'error',
          code: Code.duplicateMember,
          message: `${q(rawEmail)} is declared twice in team ${key} (first at ${first.loc ? where(first.loc) : 'an earlier line'}): e-mail addresses are compared without case`,
          ...loc,
          address,
          ...(first.loc ? { related: [first.loc] } : {}),
        });
        continue;
      }
      if (role === 'collaborator') {
        diagnostics.push({
          severity: 'error',
          code: Code.collaboratorRole,
          message: `${email} in team ${key}: collaborator is not a role the members API grants (Heroku shows it for people who are only app collaborators); give a role of ${TEAM_ROLES.join(', ')}, or declare them under apps.<app>.collaborators of the team's apps`,
          ...nodeLoc(m.node),
          address,
        });
        continue;
      }
      if (typeof role !== 'string' || !(TEAM_ROLES as readonly string[]).includes(role)) continue;
      team.members[email] = { email, role: role as TeamRole, loc };
    }
  }
  return out;
}

/** Builds `account:` (its schema already passed). */
export function buildAccount(entry: PEntry): DesiredAccount {
  const account: DesiredAccount = { features: {}, loc: entryLoc(entry) };
  if (entry.node.kind !== 'map') return account;
  const features = entry.node.entries.get('features');
  if (!features || features.node.kind !== 'map') return account;
  for (const [name, f] of features.node.entries) {
    if (f.node.kind === 'scalar' && typeof f.node.value === 'boolean') account.features[name] = { enabled: f.node.value, loc: entryLoc(f) };
  }
  return account;
}

/** A second `account:` across the files: one account has one set of settings. */
export function duplicateAccount(second: PEntry, first: PEntry): Diagnostic {
  return {
    severity: 'error',
    code: Code.duplicateAccount,
    message: `account: is declared again (first at ${where(entryLoc(first))}): declare the account's settings in one file`,
    ...entryLoc(second),
    address: formatAccountAddress(),
    related: [entryLoc(first)],
  };
}

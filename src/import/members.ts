import type { Diagnostic } from '../model/diagnostic.js';
import type { Inventory } from '../model/inventory.js';
import type { LiveFeature, LiveMember } from '../model/live.js';
import { TEAM_ROLES } from '../model/desired.js';
import type { HerokuClient } from '../providers/heroku/client.js';
import { listAccountFeatures, listMembers } from '../providers/heroku/members.js';

/** What `import --team` and `import --account-features` bring: members with a role the YAML can declare, enabled features. */
export interface DirectoryImport {
  teams: Array<{ name: string; members: LiveMember[] }>;
  /** Undefined without --account-features. */
  accountFeatures?: LiveFeature[];
}

/**
 * Reads the teams' members and the account's features to import. A member
 * whose role the members API cannot grant (collaborator, owner) is left
 * out with a note: declaring it would be refused at plan time. Only enabled
 * account features are written: a disabled one is the default, and naming
 * it would only make dynoform own it.
 */
export async function readDirectoryToImport(
  client: HerokuClient,
  teams: readonly string[],
  accountFeatures: boolean,
  diagnostics: Diagnostic[],
  opts: { signal?: AbortSignal } = {},
): Promise<{ read: DirectoryImport; notFound: string[] }> {
  const lists = await Promise.all(teams.map((t) => listMembers(client, t, opts)));
  const notFound = teams.filter((_, i) => lists[i] === undefined);
  const read: DirectoryImport = { teams: [] };
  teams.forEach((name, i) => {
    const all = lists[i]?.members ?? [];
    const left = all.filter((m) => !(TEAM_ROLES as readonly string[]).includes(m.role ?? ''));
    if (left.length > 0) {
      diagnostics.push({
        severity: 'info',
        code: 'import-member-role',
        message: `team ${name}: left out ${left.map((m) => `${m.email} (${m.role ?? 'no role'})`).join(', ')}: the members API grants only ${TEAM_ROLES.join(', ')}`,
      });
    }
    read.teams.push({ name, members: all.filter((m) => !left.includes(m)).sort((a, b) => (a.email < b.email ? -1 : 1)) });
  });
  if (accountFeatures) read.accountFeatures = (await listAccountFeatures(client, opts)).filter((f) => f.enabled).sort((a, b) => (a.name < b.name ? -1 : 1));
  return { read, notFound };
}

/** The `teams:` and `account:` sections of the imported YAML. */
export function directorySections(d: DirectoryImport): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (d.teams.length > 0) out['teams'] = Object.fromEntries(d.teams.map((t) => [t.name, { members: Object.fromEntries(t.members.map((m) => [m.email, m.role])) }]));
  if (d.accountFeatures && d.accountFeatures.length > 0) out['account'] = { features: Object.fromEntries(d.accountFeatures.map((f) => [f.name, true])) };
  return out;
}

/** Ownership of what was imported: every member written, every feature written. */
export function recordDirectory(inventory: Inventory, d: DirectoryImport): void {
  for (const t of d.teams) {
    inventory.teams = { ...(inventory.teams ?? {}), [t.name]: { members: Object.fromEntries(t.members.map((m) => [m.email, { id: m.id, role: m.role! }])) } };
  }
  if (d.accountFeatures && d.accountFeatures.length > 0) {
    inventory.account = { features: { ...(inventory.account?.features ?? {}), ...Object.fromEntries(d.accountFeatures.map((f) => [f.name, { enabled: true }])) } };
  }
}

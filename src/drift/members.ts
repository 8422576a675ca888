import type { DesiredState } from '../model/desired.js';
import type { SourceLocation } from '../model/diagnostic.js';
import type { DriftItem } from '../model/drift.js';
import type { Inventory } from '../model/inventory.js';
import type { LiveState } from '../model/live.js';
import { ACCOUNT_SCOPE } from '../planner/account.js';
import { teamScope } from '../planner/members.js';
import { formatAccountAddress, formatMemberAddress } from '../util/address.js';
import { classifyFeatureSet } from './features.js';

type Item = Omit<DriftItem, 'address' | 'app' | 'kind'>;

/**
 * Pure: drift of the declared and owned team members (against the role
 * dynoform last applied) and of the account's features. Nothing for a
 * section the live reader did not read (nothing declared or owned).
 */
export function classifyMembers(desired: DesiredState, live: LiveState, inventory: Inventory): DriftItem[] {
  const lt = live.teams;
  if (!lt) return [];
  const out: DriftItem[] = [];
  for (const team of Object.keys(lt.members).sort()) {
    const d = desired.teams?.[team];
    const owned = inventory.teams?.[team]?.members ?? {};
    const members = lt.members[team];
    const add = (email: string, n: Item): void => {
      out.push({ ...n, address: formatMemberAddress(team, email), app: teamScope(team), kind: 'member', key: email });
    };
    const at = (l: SourceLocation | undefined): { loc?: SourceLocation } => {
      const x = l ?? d?.membersLoc ?? d?.loc;
      return x ? { loc: x } : {};
    };
    if (!members) {
      if (d) out.push({ class: 'missing', message: `team ${team} does not exist or the account is not a member of it`, ...at(d.loc), address: formatMemberAddress(team), app: teamScope(team), kind: 'member', before: team, after: null });
      continue;
    }
    const declared = d?.members ?? {};
    for (const email of [...new Set([...Object.keys(declared), ...Object.keys(owned)])].sort()) {
      const dm = declared[email];
      const inv = owned[email];
      const lm = members.find((m) => (inv ? m.id === inv.id : m.email === email));
      const loc = at(dm?.loc);
      if (inv && !lm) {
        add(email, { class: 'missing', message: `${email} was removed from team ${team} outside dynoform`, ...loc, before: inv.role, after: null });
        continue;
      }
      if (inv && lm) {
        if (lm.role !== inv.role) add(email, { class: 'changed-outside', field: 'role', message: `the role of ${email} was changed outside dynoform`, ...loc, before: inv.role, after: lm.role });
        if (!dm) add(email, { class: 'pending', message: `${email} was removed from the YAML and not applied: apply would remove them from team ${team}`, ...loc, before: inv.role, after: null });
        else if (dm.role !== inv.role) add(email, { class: 'pending', field: 'role', message: `the role of ${email} changed in the YAML and not applied`, ...loc, before: inv.role, after: dm.role });
        continue;
      }
      if (dm) {
        add(email, {
          class: 'pending',
          message: lm ? `${email} is a member of team ${team} but not managed yet: apply will adopt them` : `${email} is declared and not a member of team ${team} yet`,
          ...loc,
          before: lm ? lm.role : null,
          after: dm.role,
        });
      }
    }
    if (!d) continue;
    const known = new Set(Object.values(owned).map((m) => m.id));
    for (const m of members.filter((x) => !known.has(x.id) && declared[x.email] === undefined)) {
      add(m.email, { class: 'unmanaged', message: `${m.email} is a member of team ${team} (${m.role ?? 'no role'}) but neither declared nor owned`, ...at(undefined), before: null, after: m.role });
    }
  }
  return out;
}

export function classifyAccount(desired: DesiredState, live: LiveState, inventory: Inventory): DriftItem[] {
  if (!live.account) return [];
  const out: DriftItem[] = [];
  classifyFeatureSet({
    declared: desired.account?.features ?? {},
    owned: inventory.account?.features ?? {},
    live: live.account.features,
    fieldLoc: desired.account?.loc,
    noun: (name) => `account feature ${name}`,
    where: 'to the account',
    add: ({ key, ...item }) => out.push({ ...item, key, address: formatAccountAddress(key), app: ACCOUNT_SCOPE, kind: 'account-feature' }),
  });
  return out;
}

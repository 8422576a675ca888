import { invalidParams, notFound } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import type { AccountRecord, AppPermission, AppRecord, CollaboratorRecord } from '../../store/records.js';
import { isUuid } from '../catalogue/data.js';

const PERMISSIONS: readonly AppPermission[] = ['view', 'deploy', 'operate', 'manage'];

export function collaboratorsOf(p: Platform, app: AppRecord): CollaboratorRecord[] {
  return [...p.store.collaborators.values()].filter((c) => c.appId === app.id);
}

/** By id or e-mail (the Heroku CLI removes by e-mail). */
export function findCollaborator(p: Platform, app: AppRecord, key: string): CollaboratorRecord {
  const all = collaboratorsOf(p, app);
  const found = isUuid(key)
    ? all.find((c) => c.id === key.toLowerCase())
    : all.find((c) => p.store.accounts.get(c.accountId)?.email.toLowerCase() === key.toLowerCase());
  if (!found) throw notFound("Couldn't find that collaborator.", 'collaborator');
  return found;
}

/**
 * The account behind an e-mail: an unknown address becomes an account of
 * its own (Heroku invites it), so that later reads show the same user.
 */
export function accountForEmail(p: Platform, email: string): AccountRecord {
  const e = email.trim();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)) throw invalidParams(`${email} is not a valid email address.`);
  const existing = [...p.store.accounts.values()].find((a) => a.email.toLowerCase() === e.toLowerCase());
  if (existing) return existing;
  const now = p.now();
  const account: AccountRecord = { id: p.uuid(), email: e.toLowerCase(), name: null, allowTracking: true, beta: false, createdAt: now, updatedAt: now };
  p.store.accounts.set(account.id, account);
  p.changed();
  return account;
}

function checkPermissions(permissions: string[]): AppPermission[] {
  for (const x of permissions) {
    if (!PERMISSIONS.includes(x as AppPermission)) throw invalidParams(`Invalid permission: ${x}. Permissions are view, deploy, operate and manage.`);
  }
  // View comes with every other permission, as on Heroku.
  return PERMISSIONS.filter((x) => x === 'view' || permissions.includes(x));
}

export function addCollaborator(p: Platform, app: AppRecord, email: string, permissions: string[] | undefined, teamApi: boolean): CollaboratorRecord {
  const user = accountForEmail(p, email);
  if (!app.teamId && user.id === app.ownerId) throw invalidParams(`${user.email} is the owner of ${app.name}, so it cannot be added as a collaborator.`);
  if (app.teamId && [...p.store.teamMembers.values()].some((m) => m.teamId === app.teamId && m.accountId === user.id && m.role === 'admin')) {
    throw invalidParams(`${user.email} is an admin of the team that owns ${app.name} and already has every permission.`);
  }
  if (collaboratorsOf(p, app).some((c) => c.accountId === user.id)) throw invalidParams(`${user.email} is already a collaborator on ${app.name}.`);
  if (permissions !== undefined && !teamApi) throw invalidParams('Permissions can only be given on team apps (POST /teams/apps/{app}/collaborators).');
  if (permissions !== undefined && !app.teamId) throw invalidParams(`${app.name} is not a team app: its collaborators have no permissions to set.`);
  const now = p.now();
  const c: CollaboratorRecord = {
    id: p.uuid(),
    appId: app.id,
    accountId: user.id,
    permissions: app.teamId ? checkPermissions(permissions ?? ['view', 'deploy', 'operate']) : ['view', 'deploy', 'operate'],
    createdAt: now,
    updatedAt: now,
  };
  p.store.collaborators.set(c.id, c);
  p.changed();
  return c;
}

export function updateCollaborator(p: Platform, app: AppRecord, c: CollaboratorRecord, permissions: string[]): CollaboratorRecord {
  if (!app.teamId) throw invalidParams(`${app.name} is not a team app: its collaborators have no permissions to set.`);
  const next = checkPermissions(permissions);
  if (next.join() === c.permissions.join()) return c;
  const updated: CollaboratorRecord = { ...c, permissions: next, updatedAt: p.now() };
  p.store.collaborators.set(c.id, updated);
  p.changed();
  return updated;
}

export function removeCollaborator(p: Platform, c: CollaboratorRecord): CollaboratorRecord {
  p.store.collaborators.delete(c.id);
  p.changed();
  return c;
}

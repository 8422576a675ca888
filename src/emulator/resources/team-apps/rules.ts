import { forbidden, invalidParams } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import type { AccountRecord, AppRecord } from '../../store/records.js';
import { createApp } from '../apps/rules.js';
import { accountForEmail } from '../collaborators/rules.js';
import { findTeam, membershipOf } from '../teams/rules.js';

type CreateBody = { name?: string; team?: string; region?: string; stack?: string; locked?: boolean; personal?: boolean };

/** `POST /teams/apps`: a member (not a viewer) creates apps in the team; `personal: true` or no team makes a personal app. */
export function createTeamApp(p: Platform, account: AccountRecord, body: CreateBody): AppRecord {
  const base = { ...(body.name !== undefined ? { name: body.name } : {}), ...(body.region !== undefined ? { region: body.region } : {}), ...(body.stack !== undefined ? { stack: body.stack } : {}) };
  if (body.personal === true || body.team === undefined) {
    if (body.locked === true) throw invalidParams('Only team apps can be locked.');
    return createApp(p, account, base);
  }
  const team = findTeam(p, account, body.team);
  const role = membershipOf(p, team, account)?.role;
  if (role !== 'admin' && role !== 'member') throw forbidden(`You must be a member of the team ${team.name} to create apps in it.`);
  return createApp(p, account, base, { id: team.id, locked: body.locked === true });
}

export function setLocked(p: Platform, app: AppRecord, locked: boolean): AppRecord {
  if (!app.teamId) throw invalidParams('Only team apps can be locked.');
  if ((app.locked ?? false) === locked) return app;
  const next: AppRecord = { ...app, locked, updatedAt: p.now() };
  p.store.putApp(next);
  p.changed();
  return next;
}

/**
 * Transfer to a team (the caller must belong to it) or to an account (by
 * e-mail or id). The app keeps its id, name, config and add-ons: only the
 * owner moves. Its collaborators stay; a team's admins gain access.
 */
export function transferApp(p: Platform, account: AccountRecord, app: AppRecord, owner: string): AppRecord {
  const teams = [...p.store.teams.values()];
  const team = teams.find((t) => t.name === owner || t.id === owner.toLowerCase());
  let next: AppRecord;
  if (team) {
    const role = membershipOf(p, team, account)?.role;
    if (role !== 'admin' && role !== 'member') throw forbidden(`You must be a member of the team ${team.name} to transfer apps to it.`);
    if (app.teamId === team.id) return app;
    next = { ...app, teamId: team.id, locked: false, updatedAt: p.now() };
  } else {
    if (!owner.includes('@') && !/^[0-9a-f-]{36}$/i.test(owner)) throw invalidParams(`Couldn't find a team or user named ${owner}.`);
    const user = owner.includes('@') ? accountForEmail(p, owner) : p.store.accounts.get(owner.toLowerCase());
    if (!user) throw invalidParams(`Couldn't find that user: ${owner}.`);
    if (!app.teamId && app.ownerId === user.id) return app;
    next = { ...app, teamId: null, locked: false, ownerId: user.id, updatedAt: p.now() };
    // The new owner is no longer a collaborator of its own app.
    for (const [id, c] of p.store.collaborators) if (c.appId === app.id && c.accountId === user.id) p.store.collaborators.delete(id);
  }
  p.store.putApp(next);
  p.changed();
  return next;
}

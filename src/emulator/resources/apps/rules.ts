import { forbidden, invalidParams, notFound } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import type { AccountRecord, AppPermission, AppRecord, CollaboratorRecord } from '../../store/records.js';
import { attachmentsOf } from '../addon-attachments/rules.js';
import { deleteAddon } from '../addons/rules.js';
import { defaultStack, findRegion, findStack, isUuid } from '../catalogue/data.js';
import { addDomainRecord, domainsOf } from '../domains/rules.js';
import { dropCouplingsOfApp } from '../pipelines/rules.js';
import { cutRelease } from '../releases/rules.js';

const ALL: readonly AppPermission[] = ['view', 'deploy', 'operate', 'manage'];

/**
 * What the account may do with the app: everything as its owner or an
 * admin of its team; a collaborator what its record says (on a personal
 * app all but manage); a team member without a record views unlocked
 * team apps; anyone else nothing.
 */
export function permissionsOn(p: Platform, account: AccountRecord, app: AppRecord): readonly AppPermission[] {
  if (app.teamId) {
    const member = [...p.store.teamMembers.values()].find((m) => m.teamId === app.teamId && m.accountId === account.id);
    if (member?.role === 'admin') return ALL;
    const collab = collaboratorOf(p, app, account);
    if (collab) return collab.permissions;
    return member && !app.locked ? ['view'] : [];
  }
  if (app.ownerId === account.id) return ALL;
  return collaboratorOf(p, app, account) ? ['view', 'deploy', 'operate'] : [];
}

function collaboratorOf(p: Platform, app: AppRecord, account: AccountRecord): CollaboratorRecord | undefined {
  return [...p.store.collaborators.values()].find((c) => c.appId === app.id && c.accountId === account.id);
}

export function appsOf(p: Platform, account: AccountRecord): AppRecord[] {
  return [...p.store.apps.values()].filter((a) => permissionsOn(p, account, a).length > 0);
}

/** `need`: the permission the request takes (reads need view). */
export function findApp(p: Platform, account: AccountRecord, key: string, need: AppPermission = 'view'): AppRecord {
  const app = isUuid(key) ? p.store.apps.get(key.toLowerCase()) : p.store.appByName(key);
  if (!app) throw notFound("Couldn't find that app.", 'app');
  const has = permissionsOn(p, account, app);
  if (has.length === 0) throw forbidden(`You do not have access to the app ${app.name}.`);
  if (!has.includes(need)) throw forbidden(`You do not have the ${need} permission on the app ${app.name}.`);
  return app;
}

export function createApp(
  p: Platform,
  account: AccountRecord,
  body: { name?: string; region?: string; stack?: string },
  team?: { id: string; locked: boolean },
): AppRecord {
  const name = body.name ?? p.names.app((n) => p.store.appIdsByName.has(n));
  if (p.store.appIdsByName.has(name)) throw invalidParams(`Name ${name} is already taken`);
  const region = findRegion(body.region ?? 'us');
  if (!region) throw invalidParams(`Couldn't find that region: ${body.region ?? ''}.`);
  if (region.privateCapable) throw invalidParams(`Region ${region.name} is only available to apps in a Private Space.`);
  const stack = body.stack === undefined ? defaultStack() : findStack(body.stack);
  if (!stack) throw invalidParams(`Couldn't find that stack: ${body.stack ?? ''}.`);
  const now = p.now();
  const app: AppRecord = {
    id: p.uuid(),
    name,
    ownerId: account.id,
    regionId: region.id,
    stackId: stack.id,
    buildStackId: stack.id,
    maintenance: false,
    acm: false,
    createdAt: now,
    updatedAt: now,
    releasedAt: null,
    config: {},
    processTypes: {},
    slugId: null,
    version: 0,
    ...(team ? { teamId: team.id, locked: team.locked } : {}),
  };
  p.store.putApp(app);
  addDomainRecord(p, app, `${name}.herokuapp.com`, 'heroku');
  cutRelease(p, account, app, 'Initial release');
  p.changed();
  return app;
}

export function updateApp(p: Platform, app: AppRecord, body: { name?: string; maintenance?: boolean; build_stack?: string }): AppRecord {
  const next: AppRecord = { ...app };
  if (body.name !== undefined && body.name !== app.name) {
    if (p.store.appIdsByName.has(body.name)) throw invalidParams(`Name ${body.name} is already taken`);
    next.name = body.name;
  }
  if (body.maintenance !== undefined) next.maintenance = body.maintenance;
  if (body.build_stack !== undefined) {
    const stack = findStack(body.build_stack);
    if (!stack) throw invalidParams(`Couldn't find that stack: ${body.build_stack}.`);
    next.buildStackId = stack.id;
  }
  if (next.name === app.name && next.maintenance === app.maintenance && next.buildStackId === app.buildStackId) return app;
  next.updatedAt = p.now();
  p.store.putApp(next, app.name);
  if (next.name !== app.name) {
    for (const d of domainsOf(p, next)) {
      if (d.kind === 'heroku') p.store.domains.set(d.id, { ...d, hostname: `${next.name}.herokuapp.com`, updatedAt: next.updatedAt });
    }
  }
  p.changed();
  return next;
}

/** Deletes the app with everything that lives only through it; returns the record as it was. */
export function deleteApp(p: Platform, account: AccountRecord, app: AppRecord): AppRecord {
  for (const addon of [...p.store.addons.values()]) {
    if (addon.appId === app.id) deleteAddon(p, account, addon);
  }
  for (const att of attachmentsOf(p, app)) p.store.attachments.delete(att.id);
  const drop = <T extends { appId: string }>(map: Map<string, T>): void => {
    for (const [id, rec] of map) if (rec.appId === app.id) map.delete(id);
  };
  drop(p.store.formations);
  drop(p.store.domains);
  drop(p.store.sniEndpoints);
  drop(p.store.drains);
  drop(p.store.releases);
  drop(p.store.slugs);
  drop(p.store.collaborators);
  drop(p.store.webhooks);
  dropCouplingsOfApp(p, app.id);
  p.store.deleteApp(app);
  p.changed();
  return app;
}

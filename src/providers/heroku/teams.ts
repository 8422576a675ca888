import type { LiveCollaborator } from '../../model/live.js';
import type { ApiCollaborator, ApiTeamApp } from './api-types.js';
import type { HerokuClient } from './client.js';
import { seg, type WriteOptions } from './paths.js';

/** A team app's own fields: `locked` and its team. */
export async function getTeamApp(client: HerokuClient, app: string, opts: { signal?: AbortSignal } = {}): Promise<{ locked: boolean; team?: string; etag?: string }> {
  const res = await client.get<ApiTeamApp>(`/teams/apps/${seg(app)}`, { ...opts, shape: 'team-app' });
  return { locked: res.body.locked === true, ...(res.body.team?.name ? { team: res.body.team.name } : {}), ...(res.etag ? { etag: res.etag } : {}) };
}

/**
 * Moves the app to a team (by name) or an account (by e-mail): the app
 * keeps its id, name, config, add-ons and data. Setting the owner it
 * already has changes nothing, so a read-back after an ambiguous failure
 * tells whether it happened.
 */
export async function transferApp(client: HerokuClient, app: string, team: string, ifMatch?: string, opts: WriteOptions = {}): Promise<void> {
  const path = `/teams/apps/${seg(app)}`;
  await client.request<ApiTeamApp>('PATCH', path, {
    body: { owner: team },
    shape: 'team-app',
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...opts,
    readBack: async () => {
      const got = await client.get<ApiTeamApp>(path, { signal: opts.signal, shape: 'team-app' });
      return got.body.team?.name === team ? got.body : undefined;
    },
  });
}

export async function setLocked(client: HerokuClient, app: string, locked: boolean, ifMatch?: string, opts: WriteOptions = {}): Promise<void> {
  const path = `/teams/apps/${seg(app)}`;
  await client.request<ApiTeamApp>('PATCH', path, {
    body: { locked },
    shape: 'team-app',
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...opts,
    readBack: async () => {
      const got = await client.get<ApiTeamApp>(path, { signal: opts.signal, shape: 'team-app' });
      return got.body.locked === locked ? got.body : undefined;
    },
  });
}

export function toLiveCollaborator(c: ApiCollaborator): LiveCollaborator {
  return {
    id: c.id,
    email: c.user.email.toLowerCase(),
    role: c.role ?? 'collaborator',
    permissions: (c.permissions ?? []).map((p) => p.name).sort(),
  };
}

/** Personal and team apps alike list their collaborators here (with permissions on team apps). */
export async function listCollaborators(client: HerokuClient, app: string, opts: { signal?: AbortSignal } = {}): Promise<LiveCollaborator[]> {
  const res = await client.list<ApiCollaborator>(`/apps/${seg(app)}/collaborators`, { ...opts, shape: 'collaborator' });
  return res.items.map(toLiveCollaborator);
}

export async function getCollaborator(client: HerokuClient, app: string, idOrEmail: string, opts: { signal?: AbortSignal } = {}): Promise<{ collaborator: LiveCollaborator; etag?: string }> {
  const res = await client.get<ApiCollaborator>(`/apps/${seg(app)}/collaborators/${seg(idOrEmail)}`, { ...opts, shape: 'collaborator' });
  return { collaborator: toLiveCollaborator(res.body), ...(res.etag ? { etag: res.etag } : {}) };
}

/**
 * Adds a collaborator: on a team app through the team API with its
 * permissions, on a personal app without. After an ambiguous failure the
 * list is read back by e-mail before anything is sent again.
 */
export async function addCollaborator(
  client: HerokuClient,
  app: string,
  email: string,
  permissions: string[] | undefined,
  opts: WriteOptions = {},
): Promise<LiveCollaborator> {
  const path = permissions ? `/teams/apps/${seg(app)}/collaborators` : `/apps/${seg(app)}/collaborators`;
  const res = await client.request<ApiCollaborator>('POST', path, {
    body: { user: email, silent: true, ...(permissions ? { permissions } : {}) },
    shape: 'collaborator',
    ...opts,
    readBack: async () => {
      const got = await client.list<ApiCollaborator>(`/apps/${seg(app)}/collaborators`, { signal: opts.signal, shape: 'collaborator' });
      return got.items.find((c) => c.user.email.toLowerCase() === email.toLowerCase());
    },
  });
  return toLiveCollaborator(res.body);
}

export async function updateCollaborator(client: HerokuClient, app: string, id: string, permissions: string[], ifMatch?: string, opts: WriteOptions = {}): Promise<LiveCollaborator> {
  const path = `/teams/apps/${seg(app)}/collaborators/${seg(id)}`;
  const res = await client.request<ApiCollaborator>('PATCH', path, {
    body: { permissions },
    shape: 'collaborator',
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...opts,
    readBack: async () => {
      const got = await client.get<ApiCollaborator>(path, { signal: opts.signal, shape: 'collaborator' });
      return toLiveCollaborator(got.body).permissions.join() === [...permissions].sort().join() ? got.body : undefined;
    },
  });
  return toLiveCollaborator(res.body);
}

export async function removeCollaborator(client: HerokuClient, app: string, id: string, ifMatch?: string, opts: WriteOptions = {}): Promise<void> {
  await client.request<ApiCollaborator>('DELETE', `/apps/${seg(app)}/collaborators/${seg(id)}`, { ...(ifMatch !== undefined ? { ifMatch } : {}), ...opts });
}

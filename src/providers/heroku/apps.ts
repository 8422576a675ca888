import type { LiveApp } from '../../model/live.js';
import type { ApiApp } from './api-types.js';
import type { HerokuClient } from './client.js';
import { orUndefined, seg, type WriteOptions } from './paths.js';

/** The app fields that `GET /apps` gives (the rest of LiveApp comes from per-app reads). */
export type AppSummary = Pick<LiveApp, 'id' | 'name' | 'region' | 'stack' | 'buildStack' | 'maintenance' | 'team' | 'releasedAt' | 'acm'>;

export function toAppSummary(a: ApiApp): AppSummary {
  return {
    id: a.id,
    name: a.name,
    region: a.region?.name ?? '',
    stack: a.stack?.name ?? '',
    buildStack: a.build_stack?.name ?? a.stack?.name ?? '',
    maintenance: a.maintenance === true,
    ...(typeof a.acm === 'boolean' ? { acm: a.acm } : {}),
    ...(a.team?.name ? { team: a.team.name } : {}),
    ...(typeof a.released_at === 'string' ? { releasedAt: a.released_at } : {}),
  };
}

/** Every app visible to the account (paged). */
export async function listApps(client: HerokuClient, opts: { signal?: AbortSignal } = {}): Promise<AppSummary[]> {
  const { items } = await client.list<ApiApp>('/apps', { ...opts, shape: 'app' });
  return items.map(toAppSummary);
}

export async function getApp(
  client: HerokuClient,
  appIdOrName: string,
  opts: { signal?: AbortSignal } = {},
): Promise<{ app: AppSummary; etag?: string }> {
  const res = await client.get<ApiApp>(`/apps/${seg(appIdOrName)}`, { ...opts, shape: 'app' });
  return { app: toAppSummary(res.body), ...(res.etag ? { etag: res.etag } : {}) };
}

/**
 * Creates an app. After an ambiguous failure the client looks the name up
 * before sending the create again, so an app is never created twice (and a
 * retry never fails with "name is already taken" by our own first attempt).
 */
export async function createApp(
  client: HerokuClient,
  spec: { name: string; region?: string; stack?: string; team?: string; locked?: boolean },
  opts: WriteOptions = {},
): Promise<{ app: AppSummary; etag?: string }> {
  const body: Record<string, string | boolean> = { name: spec.name };
  if (spec.region) body.region = spec.region;
  if (spec.stack) body.stack = spec.stack;
  // A team app is created in its team directly: never as a personal app moved later.
  if (spec.team) {
    body.team = spec.team;
    if (spec.locked !== undefined) body.locked = spec.locked;
  }
  const res = await client.request<ApiApp>('POST', spec.team ? '/teams/apps' : '/apps', {
    body,
    shape: 'app',
    ...opts,
    readBack: async () => (await orUndefined(() => client.get<ApiApp>(`/apps/${seg(spec.name)}`, { ...opts, shape: 'app' })))?.body,
  });
  return { app: toAppSummary(res.body), ...(res.etag ? { etag: res.etag } : {}) };
}

export interface AppUpdate {
  name?: string;
  maintenance?: boolean;
  buildStack?: string;
}

export async function updateApp(
  client: HerokuClient,
  appIdOrName: string,
  update: AppUpdate,
  ifMatch?: string,
  opts: WriteOptions = {},
): Promise<{ app: AppSummary; etag?: string }> {
  const body: Record<string, string | boolean> = {};
  if (update.name !== undefined) body.name = update.name;
  if (update.maintenance !== undefined) body.maintenance = update.maintenance;
  if (update.buildStack !== undefined) body.build_stack = update.buildStack;
  // After a rename the old name no longer resolves: read back by the new one.
  const readBackId = update.name ?? appIdOrName;
  const res = await client.request<ApiApp>('PATCH', `/apps/${seg(appIdOrName)}`, {
    body,
    shape: 'app',
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...opts,
    readBack: async () => {
      const got = await orUndefined(() => client.get<ApiApp>(`/apps/${seg(readBackId)}`, { ...opts, shape: 'app' }));
      if (!got) return undefined;
      const a = toAppSummary(got.body);
      const applied =
        (update.name === undefined || a.name === update.name) &&
        (update.maintenance === undefined || a.maintenance === update.maintenance) &&
        (update.buildStack === undefined || a.buildStack === update.buildStack);
      return applied ? got.body : undefined;
    },
  });
  return { app: toAppSummary(res.body), ...(res.etag ? { etag: res.etag } : {}) };
}

/** Deletes an app (by id, so a rename elsewhere cannot redirect it). Resolves also when a retry finds it already gone. */
export async function deleteApp(
  client: HerokuClient,
  appId: string,
  ifMatch?: string,
  opts: WriteOptions = {},
): Promise<void> {
  await client.request<ApiApp>('DELETE', `/apps/${seg(appId)}`, { ...(ifMatch !== undefined ? { ifMatch } : {}), ...opts });
}

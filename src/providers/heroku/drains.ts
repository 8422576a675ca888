import type { LiveDrain } from '../../model/live.js';
import type { ApiDrain } from './api-types.js';
import type { HerokuClient } from './client.js';
import { scrubError, seg, urlSecrets, type WriteOptions } from './paths.js';

export function toLiveDrain(d: ApiDrain): LiveDrain {
  return {
    id: d.id,
    url: d.url,
    token: d.token,
    ...(d.addon?.id ? { addonId: d.addon.id } : {}),
  };
}

/** All log drains of an app, add-on drains included (marked with `addonId`). */
export async function listDrains(client: HerokuClient, app: string, opts: { signal?: AbortSignal } = {}): Promise<LiveDrain[]> {
  const { items } = await client.list<ApiDrain>(`/apps/${seg(app)}/log-drains`, { ...opts, shape: 'drain' });
  return items.map(toLiveDrain);
}

/** One drain by id or token (never by URL: the URL may hold credentials and must not appear in a path or a log). */
export async function getDrain(
  client: HerokuClient,
  app: string,
  drainIdOrToken: string,
  opts: { signal?: AbortSignal } = {},
): Promise<LiveDrain> {
  const res = await client.get<ApiDrain>(`/apps/${seg(app)}/log-drains/${seg(drainIdOrToken)}`, { ...opts, shape: 'drain' });
  return toLiveDrain(res.body);
}

/**
 * Adds a log drain. After an ambiguous failure the app's drains are listed
 * and compared by URL in memory before the create is sent again, so a drain
 * is never added twice.
 */
export async function createDrain(client: HerokuClient, app: string, url: string, opts: WriteOptions = {}): Promise<LiveDrain> {
  const base = `/apps/${seg(app)}/log-drains`;
  try {
    const res = await client.request<ApiDrain>('POST', base, {
      body: { url },
      shape: 'drain',
      ...opts,
      readBack: async () => (await client.list<ApiDrain>(base, { signal: opts.signal, shape: 'drain' })).items.find((d) => d.url === url),
    });
    return toLiveDrain(res.body);
  } catch (err) {
    throw scrubError(err, urlSecrets(url));
  }
}

/** Removes a drain by id; resolves also when a retry finds it already gone. */
export async function deleteDrain(
  client: HerokuClient,
  app: string,
  drainId: string,
  ifMatch?: string,
  opts: WriteOptions = {},
): Promise<void> {
  await client.request<ApiDrain>('DELETE', `/apps/${seg(app)}/log-drains/${seg(drainId)}`, {
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...opts,
  });
}

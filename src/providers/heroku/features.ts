import type { LiveFeature } from '../../model/live.js';
import type { ApiAppFeature } from './api-types.js';
import type { HerokuClient } from './client.js';
import { seg, type WriteOptions } from './paths.js';

export function toLiveFeature(f: ApiAppFeature): LiveFeature {
  return { id: f.id, name: f.name, enabled: f.enabled === true, state: String(f.state ?? ''), description: String(f.description ?? '') };
}

/** Every feature the app may use, enabled or not: one list read covers all of them and tells unknown names apart. */
export async function listFeatures(client: HerokuClient, app: string, opts: { signal?: AbortSignal } = {}): Promise<LiveFeature[]> {
  const res = await client.list<ApiAppFeature>(`/apps/${seg(app)}/features`, { ...opts, shape: 'feature' });
  return res.items.map(toLiveFeature);
}

/** One feature with the ETag that guards its PATCH. */
export async function getFeature(
  client: HerokuClient,
  app: string,
  name: string,
  opts: { signal?: AbortSignal } = {},
): Promise<{ feature: LiveFeature; etag?: string }> {
  const res = await client.get<ApiAppFeature>(`/apps/${seg(app)}/features/${seg(name)}`, { ...opts, shape: 'feature' });
  return { feature: toLiveFeature(res.body), ...(res.etag ? { etag: res.etag } : {}) };
}

/** Enables or disables one feature; after an ambiguous failure it is read back to see whether the write landed. */
export async function setFeature(
  client: HerokuClient,
  app: string,
  name: string,
  enabled: boolean,
  ifMatch?: string,
  opts: WriteOptions = {},
): Promise<LiveFeature> {
  return patchFeature(client, `/apps/${seg(app)}/features/${seg(name)}`, enabled, ifMatch, opts);
}

/** The one PATCH of an app or account feature at `path`, read back after an ambiguous failure. */
export async function patchFeature(client: HerokuClient, path: string, enabled: boolean, ifMatch?: string, opts: WriteOptions = {}): Promise<LiveFeature> {
  const res = await client.request<ApiAppFeature>('PATCH', path, {
    body: { enabled },
    shape: 'feature',
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...opts,
    readBack: async () => {
      const got = await client.get<ApiAppFeature>(path, { signal: opts.signal, shape: 'feature' });
      return got.body.enabled === enabled ? got.body : undefined;
    },
  });
  return toLiveFeature(res.body);
}

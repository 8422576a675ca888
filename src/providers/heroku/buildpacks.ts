import type { LiveBuildpacks } from '../../model/live.js';
import type { ApiBuildpackInstallation } from './api-types.js';
import type { HerokuClient } from './client.js';
import { sameBuildpacks } from '../../util/buildpacks.js';
import { seg, type WriteOptions } from './paths.js';

/**
 * The installations in run order. A buildpack from the registry shows its
 * name (`heroku/nodejs`); one given by URL has no name, or its URL as name.
 */
export function toLiveBuildpacks(items: ApiBuildpackInstallation[], etag?: string): LiveBuildpacks {
  const sorted = [...items].sort((a, b) => a.ordinal - b.ordinal);
  return {
    list: sorted.map((i) => i.buildpack.name || i.buildpack.url),
    urls: sorted.map((i) => i.buildpack.url),
    ...(etag ? { etag } : {}),
  };
}

/** One request; its ETag guards the replacing PUT. */
export async function listBuildpacks(client: HerokuClient, app: string, opts: { signal?: AbortSignal } = {}): Promise<LiveBuildpacks> {
  const res = await client.list<ApiBuildpackInstallation>(`/apps/${seg(app)}/buildpack-installations`, { ...opts, shape: 'buildpack' });
  return toLiveBuildpacks(res.items, res.etag);
}

/**
 * Replaces the whole list (the API has no per-entry write). After an
 * ambiguous failure the list is read back: if it already is the one sent,
 * the PUT landed (a resend would meet a 412, its ETag being spent).
 */
export async function setBuildpacks(
  client: HerokuClient,
  app: string,
  buildpacks: readonly string[],
  ifMatch?: string,
  opts: WriteOptions = {},
): Promise<LiveBuildpacks> {
  const path = `/apps/${seg(app)}/buildpack-installations`;
  const res = await client.request<ApiBuildpackInstallation[]>('PUT', path, {
    body: { updates: buildpacks.map((buildpack) => ({ buildpack })) },
    shape: 'buildpack',
    list: true,
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...opts,
    readBack: async () => {
      const got = await client.list<ApiBuildpackInstallation>(path, { signal: opts.signal, shape: 'buildpack' });
      return sameBuildpacks(toLiveBuildpacks(got.items), buildpacks) ? got.items : undefined;
    },
  });
  return toLiveBuildpacks(Array.isArray(res.body) ? res.body : []);
}


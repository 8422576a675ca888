import type { LiveFormation } from '../../model/live.js';
import type { FormationUpdate } from '../../model/plan.js';
import type { ApiFormation } from './api-types.js';
import type { HerokuClient } from './client.js';
import { seg, type WriteOptions } from './paths.js';

export function toLiveFormation(f: ApiFormation): LiveFormation {
  return {
    id: f.id,
    type: f.type,
    quantity: Number(f.quantity),
    size: f.dyno_size?.name ?? f.size ?? '',
    ...(f.command ? { command: f.command } : {}),
  };
}

/** The process types of the current release with their scale; the ETag guards a batch update. */
export async function listFormation(
  client: HerokuClient,
  app: string,
  opts: { signal?: AbortSignal } = {},
): Promise<{ items: LiveFormation[]; etag?: string }> {
  const res = await client.list<ApiFormation>(`/apps/${seg(app)}/formation`, { ...opts, shape: 'formation' });
  return { items: res.items.map(toLiveFormation), ...(res.etag ? { etag: res.etag } : {}) };
}

const sameSize = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * One batch PATCH per app. Sizes go out as `dyno_size: {name}` (the string
 * `size` field is deprecated). Quantities are absolute, so a read-back after
 * an ambiguous failure can tell whether the batch landed.
 */
export async function batchUpdateFormation(
  client: HerokuClient,
  app: string,
  updates: FormationUpdate[],
  ifMatch?: string,
  opts: WriteOptions = {},
): Promise<{ items: LiveFormation[]; etag?: string }> {
  const path = `/apps/${seg(app)}/formation`;
  const body = {
    updates: updates.map((u) => ({
      type: u.type,
      ...(u.quantity !== undefined ? { quantity: u.quantity } : {}),
      ...(u.size !== undefined ? { dyno_size: { name: u.size } } : {}),
    })),
  };
  let readBackEtag: string | undefined;
  const res = await client.request<ApiFormation[]>('PATCH', path, {
    body,
    shape: 'formation',
    list: true,
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...opts,
    readBack: async () => {
      const got = await client.list<ApiFormation>(path, { signal: opts.signal, shape: 'formation' });
      readBackEtag = got.etag;
      const live = got.items.map(toLiveFormation);
      const applied = updates.every((u) => {
        const f = live.find((x) => x.type === u.type);
        return f !== undefined && (u.quantity === undefined || f.quantity === u.quantity) && (u.size === undefined || sameSize(f.size, u.size));
      });
      return applied ? got.items : undefined;
    },
  });
  const items = (Array.isArray(res.body) ? res.body : []).map(toLiveFormation);
  const etag = res.recovered ? readBackEtag : res.etag;
  return { items, ...(etag ? { etag } : {}) };
}

import type { LiveWebhook } from '../../model/live.js';
import type { ApiWebhook } from './api-types.js';
import type { HerokuClient } from './client.js';
import { scrubError, seg, type WriteOptions } from './paths.js';

export function toLiveWebhook(w: ApiWebhook): LiveWebhook {
  return { id: w.id, url: w.url, include: [...w.include].sort(), level: w.level, updatedAt: w.updated_at };
}

/** What a create or update sends; `secret` and `authorization` are secret values, kept out of every error. */
export interface WebhookFields {
  url?: string;
  include?: string[];
  level?: string;
  secret?: string;
  authorization?: string;
}

function secretsOf(f: WebhookFields): string[] {
  return [f.secret, f.authorization].filter((x): x is string => x !== undefined && x !== '');
}

export async function listWebhooks(client: HerokuClient, app: string, opts: { signal?: AbortSignal } = {}): Promise<LiveWebhook[]> {
  const res = await client.list<ApiWebhook>(`/apps/${seg(app)}/webhooks`, { ...opts, shape: 'webhook' });
  return res.items.map(toLiveWebhook);
}

/** One webhook with the ETag of its own read: what a guarded PATCH or DELETE is sent with. */
export async function getWebhook(client: HerokuClient, app: string, id: string, opts: { signal?: AbortSignal } = {}): Promise<{ webhook: LiveWebhook; etag?: string }> {
  const res = await client.get<ApiWebhook>(`/apps/${seg(app)}/webhooks/${seg(id)}`, { ...opts, shape: 'webhook' });
  return { webhook: toLiveWebhook(res.body), ...(res.etag ? { etag: res.etag } : {}) };
}

/** After an ambiguous failure the webhook is looked up by its URL (unique per app). */
export async function createWebhook(client: HerokuClient, app: string, fields: Required<Pick<WebhookFields, 'url' | 'include' | 'level'>> & WebhookFields, opts: WriteOptions = {}): Promise<LiveWebhook> {
  const path = `/apps/${seg(app)}/webhooks`;
  try {
    const res = await client.request<ApiWebhook>('POST', path, {
      body: fields,
      shape: 'webhook',
      ...opts,
      readBack: async () => {
        const got = await client.list<ApiWebhook>(path, { signal: opts.signal, shape: 'webhook' });
        return got.items.find((w) => w.url === fields.url);
      },
    });
    return toLiveWebhook(res.body);
  } catch (err) {
    throw scrubError(err, secretsOf(fields));
  }
}

/**
 * PATCHes the fields given. A read-back after an ambiguous failure counts
 * the write as landed when the visible fields match and `updated_at` moved
 * past `before` (a secret-only write shows nowhere else).
 */
export async function updateWebhook(
  client: HerokuClient,
  app: string,
  id: string,
  fields: WebhookFields,
  before: string | undefined,
  ifMatch?: string,
  opts: WriteOptions = {},
): Promise<LiveWebhook> {
  const path = `/apps/${seg(app)}/webhooks/${seg(id)}`;
  const sorted = (l: readonly string[]): string => [...l].sort().join(',');
  try {
    const res = await client.request<ApiWebhook>('PATCH', path, {
      body: fields,
      shape: 'webhook',
      ...(ifMatch !== undefined ? { ifMatch } : {}),
      ...opts,
      readBack: async () => {
        const got = (await client.get<ApiWebhook>(path, { signal: opts.signal, shape: 'webhook' })).body;
        const visible = (fields.include === undefined || sorted(got.include) === sorted(fields.include)) && (fields.level === undefined || got.level === fields.level);
        return visible && got.updated_at !== before ? got : undefined;
      },
    });
    return toLiveWebhook(res.body);
  } catch (err) {
    throw scrubError(err, secretsOf(fields));
  }
}

export async function deleteWebhook(client: HerokuClient, app: string, id: string, ifMatch?: string, opts: WriteOptions = {}): Promise<void> {
  await client.request<ApiWebhook>('DELETE', `/apps/${seg(app)}/webhooks/${seg(id)}`, { ...(ifMatch !== undefined ? { ifMatch } : {}), ...opts });
}

import type { ApiAttachment } from './api-types.js';
import { toAttachment, type AttachmentRecord } from './addons.js';
import type { HerokuClient } from './client.js';
import { seg, type WriteOptions } from './paths.js';

/** One attachment with the ETag of its own read (what a guarded detach is sent with). */
export async function getAttachment(client: HerokuClient, id: string, opts: { signal?: AbortSignal } = {}): Promise<{ attachment: AttachmentRecord; etag?: string }> {
  const res = await client.get<ApiAttachment>(`/addon-attachments/${seg(id)}`, { ...opts, shape: 'attachment' });
  return { attachment: toAttachment(res.body), ...(res.etag ? { etag: res.etag } : {}) };
}

/**
 * Attaches an add-on (of any app the account can see) to `app` under
 * `name`. After an ambiguous failure the app's attachment of that name is
 * read back: names are unique per app.
 */
export async function createAttachment(client: HerokuClient, addonId: string, app: string, name: string, opts: WriteOptions = {}): Promise<AttachmentRecord> {
  const res = await client.request<ApiAttachment>('POST', '/addon-attachments', {
    body: { addon: addonId, app, name },
    shape: 'attachment',
    ...opts,
    readBack: async () => {
      const got = await client.list<ApiAttachment>(`/apps/${seg(app)}/addon-attachments`, { signal: opts.signal, shape: 'attachment' });
      return got.items.find((a) => a.name === name && a.addon?.id === addonId);
    },
  });
  return toAttachment(res.body);
}

/** Detaches: the add-on stays, with its other attachments. */
export async function deleteAttachment(client: HerokuClient, id: string, ifMatch?: string, opts: WriteOptions = {}): Promise<void> {
  await client.request<ApiAttachment>('DELETE', `/addon-attachments/${seg(id)}`, { ...(ifMatch !== undefined ? { ifMatch } : {}), ...opts });
}

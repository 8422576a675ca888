import type { HerokuClient } from './client.js';
import { scrubError, seg, type WriteOptions } from './paths.js';

export interface ConfigVarsResult {
  vars: Record<string, string>;
  etag?: string;
  /** The response's `Date`, as ISO (whole seconds): when the server answered. Absent when the header is missing or not a date. */
  readAt?: string;
}

/** A `Date` header as ISO, or undefined: it is input like the body, and only a real date may vouch for a read. */
export function serverDate(headers: Record<string, string | string[] | undefined>): string | undefined {
  const raw = headers['date'];
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (typeof text !== 'string' || text.length > 64) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined;
}

function clean(body: Record<string, string | null> | undefined): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(body ?? {})) if (typeof v === 'string') vars[k] = v;
  return vars;
}

/** Which config vars: an app's, or a pipeline stage's (review apps, CI). */
export type ConfigHolder = { app: string } | { pipeline: string; stage: string };

function holderPath(h: ConfigHolder): { path: string; shape: 'config-vars' | 'pipeline-config-vars' } {
  return 'app' in h
    ? { path: `/apps/${seg(h.app)}/config-vars`, shape: 'config-vars' }
    : { path: `/pipelines/${seg(h.pipeline)}/stage/${seg(h.stage)}/config-vars`, shape: 'pipeline-config-vars' };
}

export async function getConfigVars(client: HerokuClient, app: string | ConfigHolder, opts: { signal?: AbortSignal } = {}): Promise<ConfigVarsResult> {
  const { path, shape } = holderPath(typeof app === 'string' ? { app } : app);
  const res = await client.get<Record<string, string | null>>(path, { ...opts, shape: shape });
  const readAt = serverDate(res.headers);
  return { vars: clean(res.body), ...(res.etag ? { etag: res.etag } : {}), ...(readAt ? { readAt } : {}) };
}

/**
 * One merge-PATCH per holder: keys with a string are set, keys with null
 * are deleted, others are left alone. Guarded by `ifMatch` when given;
 * after an ambiguous failure the result is confirmed by reading the vars back.
 */
export async function patchConfigVars(
  client: HerokuClient,
  app: string | ConfigHolder,
  changes: Record<string, string | null>,
  ifMatch?: string,
  opts: WriteOptions = {},
): Promise<ConfigVarsResult> {
  const { path, shape } = holderPath(typeof app === 'string' ? { app } : app);
  let readBackEtag: string | undefined;
  const res = await client
    .request<Record<string, string | null>>('PATCH', path, {
      body: changes,
      shape: shape,
      ...(ifMatch !== undefined ? { ifMatch } : {}),
      ...opts,
      readBack: async () => {
        const got = await client.get<Record<string, string | null>>(path, { signal: opts.signal, shape: shape });
        const vars = clean(got.body);
        readBackEtag = got.etag;
        const applied = Object.entries(changes).every(([k, v]) => (v === null ? !(k in vars) : vars[k] === v));
        return applied ? got.body : undefined;
      },
    })
    .catch((err: unknown) => {
      // Values may be secrets: none may survive in an error an API message echoed them into.
      throw scrubError(err, Object.values(changes).filter((v): v is string => typeof v === 'string'));
    });
  // After a read-back, the read's ETag is the one that guards the next write.
  const etag = res.recovered ? readBackEtag : res.etag;
  return { vars: clean(res.body), ...(etag ? { etag } : {}) };
}

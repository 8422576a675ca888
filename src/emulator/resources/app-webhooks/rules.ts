import { randomBytes } from 'node:crypto';
import { invalidParams, notFound } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import type { AppRecord, WebhookRecord } from '../../store/records.js';
import { isUuid } from '../catalogue/data.js';

/** The entities an app webhook can subscribe to (Heroku Dev Center, "App Webhooks"). */
export const WEBHOOK_ENTITIES = [
  'api:addon-attachment',
  'api:addon',
  'api:app',
  'api:build',
  'api:collaborator',
  'api:domain',
  'api:dyno',
  'api:formation',
  'api:release',
  'api:sni-endpoint',
  'dyno',
] as const;

/** Heroku's limit of webhook subscriptions per app. */
export const MAX_WEBHOOKS_PER_APP = 10;

export function webhooksOf(p: Platform, app: AppRecord): WebhookRecord[] {
  return [...p.store.webhooks.values()].filter((w) => w.appId === app.id);
}

export function findWebhook(p: Platform, app: AppRecord, key: string): WebhookRecord {
  const found = isUuid(key) ? webhooksOf(p, app).find((w) => w.id === key.toLowerCase()) : undefined;
  if (!found) throw notFound("Couldn't find that app webhook.", 'app_webhook');
  return found;
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidParams('Invalid params: url is not a valid URL.');
  }
  if (!['http:', 'https:'].includes(parsed.protocol) || parsed.hostname === '') throw invalidParams('Invalid params: url must be an http:// or https:// URL with a host.');
}

function checkInclude(include: readonly string[]): string[] {
  if (include.length === 0) throw invalidParams('Invalid params: include must name at least one entity.');
  const unknown = include.filter((e) => !(WEBHOOK_ENTITIES as readonly string[]).includes(e));
  if (unknown.length > 0) throw invalidParams(`Invalid params: include has unknown entities: ${unknown.join(', ')} (known: ${WEBHOOK_ENTITIES.join(', ')}).`);
  return [...new Set(include)];
}

export interface WebhookInput {
  url?: string;
  include?: string[];
  level?: 'notify' | 'sync';
  secret?: string | null;
  authorization?: string | null;
}

/** Returns the record and the secret Heroku made up when none was given (sent back once, in a header). */
export function createWebhook(p: Platform, app: AppRecord, body: Required<Pick<WebhookInput, 'url' | 'include' | 'level'>> & WebhookInput): { webhook: WebhookRecord; generatedSecret?: string } {
  checkUrl(body.url);
  const include = checkInclude(body.include);
  const existing = webhooksOf(p, app);
  if (existing.some((w) => w.url === body.url)) throw invalidParams('Url has already been taken');
  if (existing.length >= MAX_WEBHOOKS_PER_APP) throw invalidParams(`${app.name} already has ${MAX_WEBHOOKS_PER_APP} webhooks, the most an app may have.`);
  const generated = body.secret ? undefined : randomBytes(30).toString('hex');
  const now = p.now();
  const w: WebhookRecord = {
    id: p.uuid(),
    appId: app.id,
    url: body.url,
    include,
    level: body.level,
    secret: body.secret || generated!,
    authorization: body.authorization ?? null,
    createdAt: now,
    updatedAt: now,
  };
  p.store.webhooks.set(w.id, w);
  p.changed();
  return { webhook: w, ...(generated ? { generatedSecret: generated } : {}) };
}

export function updateWebhook(p: Platform, app: AppRecord, w: WebhookRecord, body: WebhookInput): WebhookRecord {
  const next: WebhookRecord = { ...w, include: [...w.include] };
  if (body.url !== undefined && body.url !== w.url) {
    checkUrl(body.url);
    if (webhooksOf(p, app).some((x) => x.id !== w.id && x.url === body.url)) throw invalidParams('Url has already been taken');
    next.url = body.url;
  }
  if (body.include !== undefined) next.include = checkInclude(body.include);
  if (body.level !== undefined) next.level = body.level;
  // A null secret asks Heroku for a new one, as at create.
  if (body.secret !== undefined) next.secret = body.secret ?? randomBytes(30).toString('hex');
  if (body.authorization !== undefined) next.authorization = body.authorization;
  next.updatedAt = p.now();
  p.store.webhooks.set(w.id, next);
  p.changed();
  return next;
}

export function deleteWebhook(p: Platform, w: WebhookRecord): WebhookRecord {
  p.store.webhooks.delete(w.id);
  p.changed();
  return w;
}

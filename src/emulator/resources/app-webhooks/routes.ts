import type { Platform } from '../../platform.js';
import type { WebhookRecord } from '../../store/records.js';
import { appParam, appRef } from '../apps/routes.js';
import { bodyOf, list, ok, param, type Json, type RouteDef } from '../types.js';
import { createWebhook, deleteWebhook, findWebhook, updateWebhook, webhooksOf, type WebhookInput } from './rules.js';

/** The official `app_webhook` shape: the secret and the authorization header are never part of it. */
export function renderWebhook(p: Platform, w: WebhookRecord): Json {
  const app = p.store.apps.get(w.appId);
  return {
    app: app ? appRef(app) : { id: w.appId, name: '' },
    created_at: w.createdAt,
    id: w.id,
    include: [...w.include],
    level: w.level,
    updated_at: w.updatedAt,
    url: w.url,
  };
}

type CreateBody = Required<Pick<WebhookInput, 'url' | 'include' | 'level'>> & WebhookInput;

export const webhookRoutes: RouteDef[] = [
  {
    method: 'GET',
    pattern: '/apps/{app}/webhooks',
    handler: (ctx) => list(webhooksOf(ctx.platform, appParam(ctx)).map((w) => renderWebhook(ctx.platform, w)), ['id', 'url']),
  },
  {
    method: 'POST',
    pattern: '/apps/{app}/webhooks',
    handler: (ctx) => {
      const { webhook, generatedSecret } = createWebhook(ctx.platform, appParam(ctx), bodyOf<CreateBody>(ctx));
      // As Heroku: a secret it made up is shown once, in a header, and never again.
      return { status: 201, body: renderWebhook(ctx.platform, webhook), ...(generatedSecret ? { headers: { 'Heroku-Webhook-Secret': generatedSecret } } : {}) };
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/webhooks/{webhook}',
    handler: (ctx) => ok(renderWebhook(ctx.platform, findWebhook(ctx.platform, appParam(ctx), param(ctx, 'webhook')))),
  },
  {
    method: 'PATCH',
    pattern: '/apps/{app}/webhooks/{webhook}',
    handler: (ctx) => {
      const app = appParam(ctx);
      return ok(renderWebhook(ctx.platform, updateWebhook(ctx.platform, app, findWebhook(ctx.platform, app, param(ctx, 'webhook')), bodyOf<WebhookInput>(ctx))));
    },
  },
  {
    method: 'DELETE',
    pattern: '/apps/{app}/webhooks/{webhook}',
    handler: (ctx) => {
      const app = appParam(ctx);
      return ok(renderWebhook(ctx.platform, deleteWebhook(ctx.platform, findWebhook(ctx.platform, app, param(ctx, 'webhook')))));
    },
  },
];

import { notFound } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import type { AttachmentRecord } from '../../store/records.js';
import { addonWebUrl } from '../addons/routes.js';
import { appParam, appRef } from '../apps/routes.js';
import { accountOf, bodyOf, created, list, ok, param, type Json, type RouteDef, refsAsStrings } from '../types.js';
import { planById, planName } from '../catalogue/data.js';
import { attach, attachmentsOf, attachmentsOfAddon, attachmentsVisibleTo, detachById, findAttachment } from './rules.js';
import { findAddon, serviceOf } from '../addons/rules.js';
import { appsOf, findApp } from '../apps/rules.js';

/**
 * `Accept-Inclusion: addon:plan,config_vars` (what the Heroku CLI's resolvers
 * and `pg:*` ask for) adds the add-on's plan and the attachment's config var
 * names, as the real API does.
 */
export function renderAttachment(platform: Platform, att: AttachmentRecord, include: ReadonlySet<string> = NONE): Json {
  const addon = platform.store.addons.get(att.addonId);
  const app = platform.store.apps.get(att.appId);
  const billing = addon ? platform.store.apps.get(addon.appId) : undefined;
  const addonRef: Json = {
    id: att.addonId,
    name: addon?.name ?? '',
    app: billing ? appRef(billing) : { id: addon?.appId ?? '', name: '' },
  };
  if (include.has('addon:plan') && addon) {
    const plan = planById(addon.planId);
    addonRef.plan = { id: plan.id, name: planName(plan) };
  }
  const body: Json = {
    addon: addonRef,
    app: app ? appRef(app) : { id: att.appId, name: '' },
    created_at: att.createdAt,
    id: att.id,
    name: att.name,
    namespace: att.namespace,
    updated_at: att.updatedAt,
    web_url: addon ? addonWebUrl(addon) : null,
    log_input_url: null,
  };
  if (include.has('config_vars')) body.config_vars = addon ? serviceOf(addon).configSuffixes.map((s) => `${att.name}_${s}`) : [];
  return body;
}

const NONE: ReadonlySet<string> = new Set();

type AttachmentCreate = { addon: string; app: string; name?: string; namespace?: string | null; confirm?: string };
type Resolve = { addon_attachment: string; app?: string; addon_service?: string };

export const attachmentRoutes: RouteDef[] = [
  {
    method: 'POST',
    pattern: '/addon-attachments',
    normalize: refsAsStrings('addon', 'app'),
    handler: (ctx) => {
      const account = accountOf(ctx);
      const body = bodyOf<AttachmentCreate>(ctx);
      const addon = findAddon(ctx.platform, account, body.addon);
      const app = findApp(ctx.platform, account, body.app);
      return created(renderAttachment(ctx.platform, attach(ctx.platform, account, addon, app, body.name, body.namespace), ctx.include));
    },
  },
  {
    method: 'GET',
    pattern: '/addon-attachments',
    handler: (ctx) => list(attachmentsVisibleTo(ctx.platform, accountOf(ctx)).map((a) => renderAttachment(ctx.platform, a, ctx.include)), ['id', 'name']),
  },
  {
    method: 'GET',
    pattern: '/addon-attachments/{attachment}',
    handler: (ctx) => ok(renderAttachment(ctx.platform, findAttachment(ctx.platform, accountOf(ctx), param(ctx, 'attachment')), ctx.include)),
  },
  {
    method: 'DELETE',
    pattern: '/addon-attachments/{attachment}',
    handler: (ctx) => {
      const account = accountOf(ctx);
      const att = findAttachment(ctx.platform, account, param(ctx, 'attachment'));
      const body = renderAttachment(ctx.platform, att, ctx.include);
      detachById(ctx.platform, account, att);
      return ok(body);
    },
  },
  {
    method: 'GET',
    pattern: '/addons/{addon}/addon-attachments',
    handler: (ctx) => {
      const account = accountOf(ctx);
      const addon = findAddon(ctx.platform, account, param(ctx, 'addon'));
      const mine = new Set(appsOf(ctx.platform, account).map((a) => a.id));
      return list(
        attachmentsOfAddon(ctx.platform, addon).filter((a) => mine.has(a.appId)).map((a) => renderAttachment(ctx.platform, a, ctx.include)),
        ['id', 'name'],
      );
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/addon-attachments',
    handler: (ctx) => list(attachmentsOf(ctx.platform, appParam(ctx)).map((a) => renderAttachment(ctx.platform, a, ctx.include)), ['id', 'name']),
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/addon-attachments/{attachment}',
    handler: (ctx) => {
      const app = appParam(ctx);
      return ok(renderAttachment(ctx.platform, findAttachment(ctx.platform, accountOf(ctx), param(ctx, 'attachment'), app), ctx.include));
    },
  },
  {
    method: 'POST',
    pattern: '/actions/addon-attachments/resolve',
    normalize: refsAsStrings('app', 'addon_service'),
    handler: (ctx) => {
      const account = accountOf(ctx);
      const body = bodyOf<Resolve>(ctx);
      const app = body.app === undefined ? undefined : findApp(ctx.platform, account, body.app);
      const pool = app ? attachmentsOf(ctx.platform, app) : attachmentsVisibleTo(ctx.platform, account);
      const key = body.addon_attachment;
      const matches = pool.filter((a) => {
        const addon = ctx.platform.store.addons.get(a.addonId);
        const nameHit = a.id === key || a.name === key.toUpperCase() || addon?.name === key;
        return nameHit && (body.addon_service === undefined || (addon !== undefined && serviceOf(addon).name === body.addon_service));
      });
      if (matches.length === 0) throw notFound("Couldn't find that add-on attachment.", 'add_on attachment');
      return ok(matches.map((a) => renderAttachment(ctx.platform, a, ctx.include)));
    },
  },
];

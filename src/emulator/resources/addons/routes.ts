import { planById, planName } from '../catalogue/data.js';
import { invalidParams, notFound } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import type { AddonRecord, AppRecord } from '../../store/records.js';
import { userOf } from '../account/routes.js';
import { appParam, appRef } from '../apps/routes.js';
import { renderPlan, renderService } from '../catalogue/routes.js';
import { accountOf, bodyOf, created, list, ok, param, type Json, type RouteDef, refsAsStrings } from '../types.js';
import { attachmentsOf } from '../addon-attachments/rules.js';
import { addonConfig, addonConfigVars, addonsOf, addonsOfApp, createAddon, deleteAddon, findAddon, serviceOf, updateAddon, updateAddonConfig } from './rules.js';
import { findApp } from '../apps/rules.js';

export const addonWebUrl = (a: AddonRecord): string => `https://addons-sso.heroku.com/apps/${a.appId}/addons/${a.id}`;

/** `Accept-Expansion: plan, addon_service` inlines the full objects, as the real API does for the CLI. */
export function renderAddon(platform: Platform, a: AddonRecord, expand: ReadonlySet<string> = new Set()): Json {
  const app = platform.store.apps.get(a.appId);
  const plan = planById(a.planId);
  const service = serviceOf(a);
  return {
    actions: [],
    addon_service: expand.has('addon_service') ? renderService(service) : { id: service.id, name: service.name },
    billing_entity: { id: a.appId, name: app?.name ?? '', type: 'app' },
    app: app ? appRef(app) : { id: a.appId, name: '' },
    billed_price: { cents: plan.cents, contract: false, unit: 'month' },
    config_vars: addonConfigVars(platform, a),
    created_at: a.createdAt,
    id: a.id,
    name: a.name,
    plan: expand.has('plan') ? renderPlan(plan) : { id: plan.id, name: planName(plan) },
    provider_id: a.providerId,
    provision_message: a.provisionMessage,
    state: a.state,
    updated_at: a.updatedAt,
    web_url: addonWebUrl(a),
  };
}

/** Plan changes and removal go through the billing app; other apps only detach. */
function mustBill(platform: Platform, addon: AddonRecord, app: AppRecord): void {
  if (addon.appId === app.id) return;
  const billing = platform.store.apps.get(addon.appId)?.name ?? addon.appId;
  throw invalidParams(`${addon.name} is billed to ${billing}, not ${app.name}: change or remove it there, or detach it from ${app.name}.`);
}

type AddonCreate = { plan: string; name?: string; attachment?: { name?: string }; config?: Record<string, string> };
type Resolve = { addon: string; app?: string; addon_service?: string };

export const addonRoutes: RouteDef[] = [
  {
    method: 'GET',
    pattern: '/addons',
    handler: (ctx) => list(addonsOf(ctx.platform, accountOf(ctx)).map((a) => renderAddon(ctx.platform, a, ctx.expand)), ['id', 'name']),
  },
  {
    method: 'GET',
    pattern: '/addons/{addon}',
    handler: (ctx) => ok(renderAddon(ctx.platform, findAddon(ctx.platform, accountOf(ctx), param(ctx, 'addon')), ctx.expand)),
  },
  {
    method: 'GET',
    pattern: '/addons/{addon}/config',
    handler: (ctx) => ok(addonConfig(findAddon(ctx.platform, accountOf(ctx), param(ctx, 'addon')))),
  },
  {
    method: 'PATCH',
    pattern: '/addons/{addon}/config',
    handler: (ctx) => {
      const account = accountOf(ctx);
      const addon = findAddon(ctx.platform, account, param(ctx, 'addon'));
      const items = bodyOf<{ config?: Array<{ name: string; value: string | null }> }>(ctx).config ?? [];
      return ok(addonConfig(updateAddonConfig(ctx.platform, account, addon, items)));
    },
  },
  {
    method: 'GET',
    pattern: '/users/{user}/addons',
    handler: (ctx) => list(addonsOf(ctx.platform, userOf(ctx)).map((a) => renderAddon(ctx.platform, a, ctx.expand)), ['id', 'name']),
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/addons',
    handler: (ctx) => list(addonsOfApp(ctx.platform, appParam(ctx)).map((a) => renderAddon(ctx.platform, a, ctx.expand)), ['id', 'name']),
  },
  {
    method: 'POST',
    pattern: '/apps/{app}/addons',
    normalize: refsAsStrings('plan'),
    handler: (ctx) => {
      const addon = createAddon(ctx.platform, accountOf(ctx), appParam(ctx), bodyOf<AddonCreate>(ctx));
      return created(renderAddon(ctx.platform, addon, ctx.expand));
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/addons/{addon}',
    handler: (ctx) => {
      const app = appParam(ctx);
      return ok(renderAddon(ctx.platform, findAddon(ctx.platform, accountOf(ctx), param(ctx, 'addon'), app), ctx.expand));
    },
  },
  {
    method: 'PATCH',
    pattern: '/apps/{app}/addons/{addon}',
    normalize: refsAsStrings('plan'),
    handler: (ctx) => {
      const app = appParam(ctx);
      const addon = findAddon(ctx.platform, accountOf(ctx), param(ctx, 'addon'), app);
      mustBill(ctx.platform, addon, app);
      return ok(renderAddon(ctx.platform, updateAddon(ctx.platform, addon, bodyOf<{ plan: string; name?: string }>(ctx)), ctx.expand));
    },
  },
  {
    method: 'DELETE',
    pattern: '/apps/{app}/addons/{addon}',
    handler: (ctx) => {
      const app = appParam(ctx);
      const addon = findAddon(ctx.platform, accountOf(ctx), param(ctx, 'addon'), app);
      mustBill(ctx.platform, addon, app);
      // Rendered while its attachments still exist, so config_vars says what it exposed.
      const body = renderAddon(ctx.platform, addon, ctx.expand);
      const gone = deleteAddon(ctx.platform, accountOf(ctx), addon);
      return ok({ ...body, state: gone.state, updated_at: gone.updatedAt });
    },
  },
  {
    method: 'POST',
    pattern: '/actions/addons/resolve',
    normalize: refsAsStrings('app', 'addon_service'),
    handler: (ctx) => {
      const account = accountOf(ctx);
      const body = bodyOf<Resolve>(ctx);
      const app = body.app === undefined ? undefined : findApp(ctx.platform, account, body.app);
      const pool = app ? addonsOfApp(ctx.platform, app) : addonsOf(ctx.platform, account);
      const byAttachment = app
        ? attachmentsOf(ctx.platform, app).filter((a) => a.name === body.addon.toUpperCase()).map((a) => a.addonId)
        : [];
      const matches = pool.filter(
        (a) =>
          (a.id === body.addon || a.name === body.addon || byAttachment.includes(a.id)) &&
          (body.addon_service === undefined || serviceOf(a).name === body.addon_service),
      );
      if (matches.length === 0) throw notFound("Couldn't find that add-on.", 'add_on');
      return ok(matches.map((a) => renderAddon(ctx.platform, a, ctx.expand)));
    },
  },
];

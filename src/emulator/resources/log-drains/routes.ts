import type { Platform } from '../../platform.js';
import type { DrainRecord } from '../../store/records.js';
import { appParam, appRef } from '../apps/routes.js';
import { accountOf, bodyOf, created, list, ok, param, type Json, type RouteDef } from '../types.js';
import { findAddon } from '../addons/rules.js';
import { createDrain, deleteDrain, drainsOf, findDrain } from './rules.js';

export function renderDrain(platform: Platform, d: DrainRecord): Json {
  const app = platform.store.apps.get(d.appId);
  const addon = d.addonId ? platform.store.addons.get(d.addonId) : undefined;
  const billing = addon ? platform.store.apps.get(addon.appId) : undefined;
  return {
    addon: addon ? { id: addon.id, name: addon.name, app: billing ? appRef(billing) : { id: addon.appId, name: '' } } : null,
    app: app ? appRef(app) : null,
    created_at: d.createdAt,
    id: d.id,
    token: d.token,
    updated_at: d.updatedAt,
    url: d.url,
  };
}

export const drainRoutes: RouteDef[] = [
  {
    method: 'GET',
    pattern: '/apps/{app}/log-drains',
    handler: (ctx) => list(drainsOf(ctx.platform, appParam(ctx)).map((d) => renderDrain(ctx.platform, d)), ['id', 'url']),
  },
  {
    method: 'POST',
    pattern: '/apps/{app}/log-drains',
    handler: (ctx) => created(renderDrain(ctx.platform, createDrain(ctx.platform, appParam(ctx), bodyOf<{ url: string }>(ctx).url))),
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/log-drains/{drain}',
    handler: (ctx) => ok(renderDrain(ctx.platform, findDrain(ctx.platform, appParam(ctx), param(ctx, 'drain')))),
  },
  {
    method: 'DELETE',
    pattern: '/apps/{app}/log-drains/{drain}',
    handler: (ctx) => ok(renderDrain(ctx.platform, deleteDrain(ctx.platform, findDrain(ctx.platform, appParam(ctx), param(ctx, 'drain'))))),
  },
  {
    method: 'GET',
    pattern: '/addons/{addon}/log-drains',
    handler: (ctx) => {
      const addon = findAddon(ctx.platform, accountOf(ctx), param(ctx, 'addon'));
      const drains = [...ctx.platform.store.drains.values()].filter((d) => d.addonId === addon.id);
      return list(drains.map((d) => renderDrain(ctx.platform, d)), ['id', 'url']);
    },
  },
];

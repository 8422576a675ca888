import { appParam } from '../apps/routes.js';
import { accountOf, bodyOf, ok, param, type RouteDef } from '../types.js';
import { setConfig } from './rules.js';
import { findRelease } from '../releases/rules.js';

export const configVarRoutes: RouteDef[] = [
  // The hot path of every plan: no copy, the map is serialised as it is.
  { method: 'GET', pattern: '/apps/{app}/config-vars', handler: (ctx) => ok(appParam(ctx).config) },
  {
    method: 'PATCH',
    pattern: '/apps/{app}/config-vars',
    handler: (ctx) => ok(setConfig(ctx.platform, accountOf(ctx), appParam(ctx), bodyOf<Record<string, string | null>>(ctx))),
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/releases/{release}/config-vars',
    handler: (ctx) => ok(findRelease(ctx.platform, appParam(ctx), param(ctx, 'release')).config),
  },
];

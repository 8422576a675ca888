import { appParam, renderApp } from '../apps/routes.js';
import { ok, type RouteDef } from '../types.js';
import { refreshAcm, setAcm } from './rules.js';

export const acmRoutes: RouteDef[] = [
  { method: 'POST', pattern: '/apps/{app}/acm', handler: (ctx) => ok(renderApp(ctx.platform, setAcm(ctx.platform, appParam(ctx), true))) },
  { method: 'DELETE', pattern: '/apps/{app}/acm', handler: (ctx) => ok(renderApp(ctx.platform, setAcm(ctx.platform, appParam(ctx), false))) },
  { method: 'PATCH', pattern: '/apps/{app}/acm', handler: (ctx) => ok(renderApp(ctx.platform, refreshAcm(ctx.platform, appParam(ctx)))) },
];

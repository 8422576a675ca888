import { notFound } from '../../http/errors.js';
import type { AppRecord } from '../../store/records.js';
import { appParam, appRef } from '../apps/routes.js';
import { dynoSizeById } from '../catalogue/data.js';
import { list, param, type Ctx, type Json, type Result, type RouteDef } from '../types.js';
import { dynosOf, restartDynos, type Dyno, type DynoSelector } from './rules.js';

export function renderDyno(app: AppRecord, d: Dyno): Json {
  return {
    attach_url: null,
    command: d.command,
    created_at: d.createdAt,
    id: d.id,
    name: d.name,
    release: { id: d.releaseId, version: d.version },
    app: appRef(app),
    size: dynoSizeById(d.sizeId).displayName,
    state: 'up',
    type: d.type,
    updated_at: d.updatedAt,
  };
}

/** Dyno actions answer 202 Accepted with an empty object, as the schema and the API do. */
const act = (which: (ctx: Ctx) => DynoSelector) => (ctx: Ctx): Result => {
  restartDynos(ctx.platform, appParam(ctx), which(ctx));
  return { status: 202, body: {} };
};

export const dynoRoutes: RouteDef[] = [
  { method: 'DELETE', pattern: '/apps/{app}/dynos', handler: act(() => ({ all: true })) },
  { method: 'DELETE', pattern: '/apps/{app}/dynos/{dyno}', handler: act((ctx) => ({ dyno: param(ctx, 'dyno') })) },
  { method: 'DELETE', pattern: '/apps/{app}/formations/{type}', handler: act((ctx) => ({ type: param(ctx, 'type') })) },
  { method: 'POST', pattern: '/apps/{app}/dynos/{dyno}/actions/stop', handler: act((ctx) => ({ dyno: param(ctx, 'dyno') })) },
  { method: 'POST', pattern: '/apps/{app}/formations/{type}/actions/stop', handler: act((ctx) => ({ type: param(ctx, 'type') })) },
  {
    method: 'GET',
    pattern: '/apps/{app}/dynos',
    handler: (ctx) => {
      const app = appParam(ctx);
      return list(
        dynosOf(ctx.platform, app).map((d) => renderDyno(app, d)),
        ['id', 'name'],
      );
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/dynos/{dyno}',
    handler: (ctx) => {
      const app = appParam(ctx);
      const key = param(ctx, 'dyno');
      const dyno = dynosOf(ctx.platform, app).find((d) => d.id === key || d.name === key);
      if (!dyno) throw notFound("Couldn't find that dyno.", 'dyno');
      return { status: 200, body: renderDyno(app, dyno) };
    },
  },
];

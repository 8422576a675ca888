import { notFound } from '../../http/errors.js';
import type { AppRecord } from '../../store/records.js';
import { appParam, appRef } from '../apps/routes.js';
import { dynoSizeById } from '../catalogue/data.js';
import { list, ok, param, type Json, type RouteDef } from '../types.js';
import { dynosOf, type Dyno } from './rules.js';

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

export const dynoRoutes: RouteDef[] = [
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
      return ok(renderDyno(app, dyno));
    },
  },
];

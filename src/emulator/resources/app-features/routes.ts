import type { AccountRecord, AppRecord } from '../../store/records.js';
import { appParam } from '../apps/routes.js';
import { bodyOf, list, ok, param, type Json, type RouteDef } from '../types.js';
import { featuresOf, findFeature, setFeature, type AppFeature } from './rules.js';

/** Also an account feature's body: the two resources have the same fields. */
export function renderFeature(owner: AppRecord | AccountRecord, f: AppFeature): Json {
  return {
    created_at: owner.createdAt,
    description: f.def.description,
    display_name: f.def.displayName,
    doc_url: f.def.docUrl,
    enabled: f.enabled,
    feedback_email: f.def.feedbackEmail,
    id: f.def.id,
    name: f.def.name,
    state: f.def.state,
    updated_at: f.updatedAt,
  };
}

export const appFeatureRoutes: RouteDef[] = [
  {
    method: 'GET',
    pattern: '/apps/{app}/features',
    handler: (ctx) => {
      const app = appParam(ctx);
      return list(featuresOf(app).map((f) => renderFeature(app, f)), ['id', 'name']);
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/features/{feature}',
    handler: (ctx) => {
      const app = appParam(ctx);
      return ok(renderFeature(app, findFeature(app, param(ctx, 'feature'))));
    },
  },
  {
    method: 'PATCH',
    pattern: '/apps/{app}/features/{feature}',
    handler: (ctx) => {
      const app = appParam(ctx);
      return ok(renderFeature(app, setFeature(ctx.platform, app, param(ctx, 'feature'), bodyOf<{ enabled: boolean }>(ctx).enabled)));
    },
  },
];

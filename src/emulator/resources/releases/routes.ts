import type { Platform } from '../../platform.js';
import type { ReleaseRecord } from '../../store/records.js';
import { appParam, appRef } from '../apps/routes.js';
import { accountOf, bodyOf, created, list, ok, param, type Json, type RouteDef } from '../types.js';
import { deploy, findRelease, releasesOf, rollback } from './rules.js';

export function renderRelease(platform: Platform, r: ReleaseRecord): Json {
  const app = platform.store.apps.get(r.appId);
  const current = app !== undefined && app.version === r.version;
  return {
    addon_plan_names: r.addonPlanNames,
    artifacts: r.slugId ? [{ type: 'slug', id: r.slugId }] : [],
    app: app ? appRef(app) : { id: r.appId, name: '' },
    created_at: r.createdAt,
    description: r.description,
    id: r.id,
    updated_at: r.updatedAt,
    slug: r.slugId ? { id: r.slugId } : null,
    status: r.status,
    user: { id: r.userId, email: r.userEmail },
    version: r.version,
    current,
    output_stream_url: null,
    eligible_for_rollback: !current,
  };
}

type ReleaseCreate = { slug?: string; description?: string; release?: string };

export const releaseRoutes: RouteDef[] = [
  {
    method: 'GET',
    pattern: '/apps/{app}/releases',
    handler: (ctx) => {
      const app = appParam(ctx);
      return list(releasesOf(ctx.platform, app).map((r) => renderRelease(ctx.platform, r)), ['version', 'id']);
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/releases/{release}',
    handler: (ctx) => ok(renderRelease(ctx.platform, findRelease(ctx.platform, appParam(ctx), param(ctx, 'release')))),
  },
  {
    method: 'POST',
    pattern: '/apps/{app}/releases',
    handler: (ctx) => {
      const app = appParam(ctx);
      const body = bodyOf<ReleaseCreate>(ctx);
      const release =
        body.release !== undefined
          ? rollback(ctx.platform, accountOf(ctx), app, body.release)
          : deploy(ctx.platform, accountOf(ctx), app, body.slug ?? '', body.description);
      return created(renderRelease(ctx.platform, release));
    },
  },
];

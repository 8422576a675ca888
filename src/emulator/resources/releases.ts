import { stackById } from '../catalogue.js';
import type { Platform } from '../platform.js';
import type { ReleaseRecord, SlugRecord } from '../store/records.js';
import { appParam, appRef } from './apps.js';
import { accountOf, bodyOf, created, list, ok, param, type Json, type RouteDef } from './types.js';

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

export function renderSlug(s: SlugRecord, blobMethod: 'GET' | 'PUT'): Json {
  const stack = stackById(s.stackId);
  return {
    blob: { method: blobMethod, url: `https://s3.amazonaws.com/emulator-slugs/${s.id}.tgz` },
    buildpack_provided_description: s.buildpackProvidedDescription,
    checksum: s.checksum,
    commit: s.commit,
    commit_description: s.commitDescription,
    created_at: s.createdAt,
    id: s.id,
    process_types: s.processTypes,
    size: s.size,
    stack: { id: stack.id, name: stack.name },
    updated_at: s.updatedAt,
    deleted_at: null,
  };
}

type ReleaseCreate = { slug?: string; description?: string; release?: string };
type SlugCreate = Parameters<Platform['createSlug']>[1];

export const releaseRoutes: RouteDef[] = [
  {
    method: 'GET',
    pattern: '/apps/{app}/releases',
    handler: (ctx) => {
      const app = appParam(ctx);
      return list(ctx.platform.releasesOf(app).map((r) => renderRelease(ctx.platform, r)), ['version', 'id']);
    },
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/releases/{release}',
    handler: (ctx) => ok(renderRelease(ctx.platform, ctx.platform.findRelease(appParam(ctx), param(ctx, 'release')))),
  },
  {
    method: 'POST',
    pattern: '/apps/{app}/releases',
    handler: (ctx) => {
      const app = appParam(ctx);
      const body = bodyOf<ReleaseCreate>(ctx);
      const release =
        body.release !== undefined
          ? ctx.platform.rollback(accountOf(ctx), app, body.release)
          : ctx.platform.deploy(accountOf(ctx), app, body.slug ?? '', body.description);
      return created(renderRelease(ctx.platform, release));
    },
  },
  {
    method: 'POST',
    pattern: '/apps/{app}/slugs',
    handler: (ctx) => created(renderSlug(ctx.platform.createSlug(appParam(ctx), bodyOf<SlugCreate>(ctx)), 'PUT')),
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/slugs/{slug}',
    handler: (ctx) => ok(renderSlug(ctx.platform.findSlug(appParam(ctx), param(ctx, 'slug')), 'GET')),
  },
];

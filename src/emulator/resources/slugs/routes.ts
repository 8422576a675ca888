import type { SlugRecord } from '../../store/records.js';
import { appParam } from '../apps/routes.js';
import { stackById } from '../catalogue/data.js';
import { bodyOf, created, ok, param, type Json, type RouteDef } from '../types.js';
import { createSlug, findSlug, type SlugCreate } from './rules.js';

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

export const slugRoutes: RouteDef[] = [
  {
    method: 'POST',
    pattern: '/apps/{app}/slugs',
    handler: (ctx) => created(renderSlug(createSlug(ctx.platform, appParam(ctx), bodyOf<SlugCreate>(ctx)), 'PUT')),
  },
  {
    method: 'GET',
    pattern: '/apps/{app}/slugs/{slug}',
    handler: (ctx) => ok(renderSlug(findSlug(ctx.platform, appParam(ctx), param(ctx, 'slug')), 'GET')),
  },
];

import { invalidParams, notFound } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import type { AppRecord, SlugRecord } from '../../store/records.js';
import { findStack, isUuid } from '../catalogue/data.js';

const PROCESS_TYPE = /^[-\w]{1,128}$/;

export type SlugCreate = {
  process_types: Record<string, unknown>;
  stack?: string;
  commit?: string | null;
  commit_description?: string | null;
  checksum?: string | null;
  buildpack_provided_description?: string | null;
};

export function createSlug(p: Platform, app: AppRecord, body: SlugCreate): SlugRecord {
  const types: Record<string, string> = {};
  for (const [type, command] of Object.entries(body.process_types)) {
    if (!PROCESS_TYPE.test(type)) throw invalidParams(`Invalid params: process_types: ${JSON.stringify(type)} is not a valid process type name.`);
    if (typeof command !== 'string' || command.trim() === '') {
      throw invalidParams(`Invalid params: process_types.${type} must be a command string.`);
    }
    types[type] = command;
  }
  const stack = body.stack === undefined ? undefined : findStack(body.stack);
  if (body.stack !== undefined && !stack) throw invalidParams(`Couldn't find that stack: ${body.stack}.`);
  const now = p.now();
  const slug: SlugRecord = {
    id: p.uuid(),
    appId: app.id,
    processTypes: types,
    stackId: stack?.id ?? app.stackId,
    commit: body.commit ?? null,
    commitDescription: body.commit_description ?? null,
    checksum: body.checksum ?? null,
    buildpackProvidedDescription: body.buildpack_provided_description ?? null,
    size: null,
    createdAt: now,
    updatedAt: now,
  };
  p.store.slugs.set(slug.id, slug);
  p.changed();
  return slug;
}

export function findSlug(p: Platform, app: AppRecord, key: string): SlugRecord {
  const slug = isUuid(key) ? p.store.slugs.get(key.toLowerCase()) : undefined;
  if (!slug || slug.appId !== app.id) throw notFound("Couldn't find that slug.", 'slug');
  return slug;
}

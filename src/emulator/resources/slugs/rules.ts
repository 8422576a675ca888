import { forbidden, invalidParams, notFound } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import type { AccountRecord, AppRecord, SlugRecord } from '../../store/records.js';
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
    // What a build would use: the app's build stack (`heroku stack:set`).
    stackId: stack?.id ?? app.buildStackId,
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

/**
 * A slug to release on `app`: its own, or one of another app the caller can
 * access (Heroku's "copying slugs" flow, e.g. promoting staging to
 * production). Without access to the source app: 403, as Heroku answers.
 */
export function releasableSlug(p: Platform, account: AccountRecord, app: AppRecord, key: string): SlugRecord {
  const slug = isUuid(key) ? p.store.slugs.get(key.toLowerCase()) : undefined;
  if (!slug) throw notFound("Couldn't find that slug.", 'slug');
  if (slug.appId === app.id) return slug;
  const source = p.store.apps.get(slug.appId);
  if (!source) throw notFound("Couldn't find that slug.", 'slug');
  if (source.ownerId !== account.id) throw forbidden(`You do not have access to the app ${source.name}.`);
  return slug;
}

import { invalidParams } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import type { AppRecord, BuildpackRef } from '../../store/records.js';

/** `heroku/nodejs`: a Buildpack Registry name (namespace/name). */
const REGISTRY_NAME = /^[a-z0-9][a-z0-9_-]*\/[a-z0-9][a-z0-9_.-]*$/i;

export function buildpacksOf(app: AppRecord): BuildpackRef[] {
  return app.buildpacks ?? [];
}

/**
 * One buildpack as the API accepts it: a registry name, its URN
 * (`urn:buildpack:heroku/nodejs`) or an http(s) URL (a Git or tarball URL,
 * optionally with `#ref`). Registry names keep the name in both fields, as
 * the Platform API answers them.
 */
function resolveBuildpack(given: string, index: number): BuildpackRef {
  const key = given.trim();
  const urn = /^urn:buildpack:(.+)$/.exec(key);
  const name = urn ? (urn[1] ?? '') : key;
  if (REGISTRY_NAME.test(name)) return { url: name, name };
  if (!urn && /^https?:\/\//i.test(key)) {
    try {
      const u = new URL(key);
      if (u.hostname !== '') return { url: key, name: key };
    } catch {
      // falls through to the error below
    }
  }
  throw invalidParams(
    `Invalid params: updates[${index}].buildpack ${JSON.stringify(given)} is neither a Buildpack Registry name (namespace/name), its urn:buildpack: URN, nor an http(s) URL.`,
  );
}

/** `PUT`: replaces the whole list, in the order given; an empty list removes every buildpack. No release. */
export function setBuildpacks(p: Platform, app: AppRecord, updates: { buildpack: string }[]): BuildpackRef[] {
  const next = updates.map((u, i) => resolveBuildpack(u.buildpack, i));
  const seen = new Set<string>();
  for (const b of next) {
    if (seen.has(b.url)) throw invalidParams(`Invalid params: buildpack ${b.name} is listed more than once.`);
    seen.add(b.url);
  }
  const before = buildpacksOf(app);
  if (JSON.stringify(before) === JSON.stringify(next)) return before;
  // Buildpacks are not part of the app's representation: its updated_at stays.
  app.buildpacks = next;
  p.store.putApp(app);
  p.changed();
  return next;
}

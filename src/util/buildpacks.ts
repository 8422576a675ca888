import type { LiveBuildpacks } from '../model/live.js';

/** One buildpack however it is spelled: case, a trailing slash and the `urn:buildpack:` form of a registry name do not make another. */
export function buildpackKey(b: string | undefined): string {
  return (b ?? '')
    .trim()
    .replace(/^urn:buildpack:/i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

/**
 * Whether the live list is the declared one, in order. The API shows a
 * registry buildpack by name and a URL-given one by URL, so each entry may
 * match either.
 */
export function sameBuildpacks(live: Pick<LiveBuildpacks, 'list' | 'urls'>, declared: readonly string[]): boolean {
  if (live.list.length !== declared.length) return false;
  return declared.every((d, i) => buildpackKey(d) === buildpackKey(live.list[i]) || buildpackKey(d) === buildpackKey(live.urls[i]));
}

/** Two declared lists (or a declared one and the one state recorded), in order. */
export function sameBuildpackList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => buildpackKey(x) === buildpackKey(b[i]));
}

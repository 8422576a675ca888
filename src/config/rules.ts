/**
 * The value rules of the YAML format, in one place: the JSON Schema
 * (schema/dynoform.schema.json) repeats these patterns for editors, and a
 * unit test fails when the two drift apart.
 */

/** Heroku app names: 3–30 characters, lower-case, starts with a letter, no trailing dash (Platform API schema). */
export const HEROKU_APP_NAME = '^[a-z][a-z0-9-]{1,28}[a-z0-9]$';

/**
 * The key under `apps:`: the app's stable handle in state and addresses
 * (`app.<key>`). Looser than a Heroku name because `name:` may rename the
 * Heroku app while the key stays.
 */
export const APP_KEY = '^[a-z][a-z0-9-]*$';
export const APP_KEY_MAX_LENGTH = 63;

/** Config var keys as a process environment accepts them. */
export const CONFIG_KEY = '^[A-Za-z_][A-Za-z0-9_]*$';

/** The key under `addons:`: the add-on's stable handle (`app.<key>/addon.<key>`). */
export const ADDON_KEY = '^[A-Za-z][A-Za-z0-9_-]*$';

/** `service:plan`, e.g. `heroku-postgresql:essential-0` (any case; normalised to lower case). */
export const ADDON_PLAN = '^[A-Za-z0-9][A-Za-z0-9-]*:[A-Za-z0-9][A-Za-z0-9._-]*$';

/** Globally unique add-on names (Platform API schema). */
export const ADDON_NAME = '^[a-zA-Z][A-Za-z0-9_-]+$';

/** Attachment names become config-var prefixes (`DATABASE` → `DATABASE_URL`). */
export const ATTACHMENT_NAME = '^[A-Za-z][A-Za-z0-9_]*$';

/** Provisioning option keys (Platform API schema: `^\w+$`). */
export const ADDON_CONFIG_KEY = '^\\w+$';

/** Process types (Platform API schema). */
export const PROCESS_TYPE = '^[-\\w]{1,128}$';

/** Region and stack names, e.g. `us`, `eu`, `heroku-24`. */
export const SLUG_NAME = '^[a-z][a-z0-9-]*$';

/**
 * A DNS hostname, optionally a wildcard (`*.example.com`): labels of 1–63
 * letters, digits and inner dashes, at least two labels, the last starting
 * with a letter. Any case: hostnames are lower-cased.
 */
export const HOSTNAME =
  '^(?:\\*\\.)?(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$';
export const HOSTNAME_MAX_LENGTH = 253;

/**
 * A drain URL as written: a literal https, syslog or syslog+tls URL, or one
 * that starts with `${env:…}` (checked again once interpolated).
 */
export const DRAIN_URL = '^(?:(?:https|syslog|syslog\\+tls)://|\\$\\{env:)';
export const DRAIN_SCHEMES: readonly string[] = ['https:', 'syslog:', 'syslog+tls:'];

export const FORMATION_MAX_QUANTITY = 100;

/** Keys that could reach an object's prototype chain if ever used as property names. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Dyno sizes, spelled as Heroku prints them. */
export const DYNO_SIZES: readonly string[] = [
  'eco',
  'basic',
  'standard-1X',
  'standard-2X',
  'performance-M',
  'performance-L',
  'performance-L-RAM',
  'performance-XL',
  'performance-2XL',
  'private-S',
  'private-M',
  'private-L',
  'private-L-RAM',
  'private-XL',
  'private-2XL',
  'shield-S',
  'shield-M',
  'shield-L',
];

/** Sizes Heroku retired, with what replaced them: a better hint than "did you mean". */
export const RETIRED_DYNO_SIZES: Readonly<Record<string, string>> = { free: 'eco', hobby: 'basic' };

const sizeByLowerCase = new Map(DYNO_SIZES.map((s) => [s.toLowerCase(), s]));

/** The canonical spelling of a dyno size in any case (`STANDARD-1x` → `standard-1X`); undefined when unknown. */
export function canonicalDynoSize(name: string): string | undefined {
  return sizeByLowerCase.get(name.trim().toLowerCase());
}

const hostnameRe = new RegExp(HOSTNAME);

/** A valid hostname lower-cased; undefined when it is not a valid hostname. */
export function normaliseHostname(hostname: string): string | undefined {
  const h = hostname.trim();
  if (h.length > HOSTNAME_MAX_LENGTH || !hostnameRe.test(h)) return undefined;
  return h.toLowerCase();
}

const planRe = new RegExp(ADDON_PLAN);

/** `Heroku-Postgresql : Essential-0` → `heroku-postgresql:essential-0`; undefined when it is not `service:plan`. */
export function normalisePlan(plan: string): string | undefined {
  const p = plan.replace(/\s*:\s*/, ':').trim();
  if (!planRe.test(p)) return undefined;
  return p.toLowerCase();
}

const appNameRe = new RegExp(HEROKU_APP_NAME);

export function isHerokuAppName(name: string): boolean {
  return appNameRe.test(name);
}

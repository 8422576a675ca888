import type { Address } from '../../model/address.js';
import { createRedactor } from '../../util/mask.js';
import { HerokuApiError } from './errors.js';

/** One path segment: ids, names and hostnames are encoded so that no value can change the route. */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

/** Options every write takes besides its guard. */
export interface WriteOptions {
  /** dynoform address of the object, carried by PreconditionFailedError (e.g. `app.shop/config`). */
  address?: Address;
  signal?: AbortSignal;
}

/** True for a 404 from the API: "does not exist" rather than a failure. */
export function isNotFound(err: unknown): boolean {
  return err instanceof HerokuApiError && err.status === 404;
}

/** Runs a read that may find nothing: a 404 becomes undefined. */
export async function orUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/**
 * Removes secret strings from an error's message and stack before it
 * travels up (an API message may echo a submitted value, e.g. a drain URL
 * with credentials). Returns the same error for `throw scrub(err, …)`.
 */
export function scrubError(err: unknown, secrets: Iterable<string>): unknown {
  if (!(err instanceof Error)) return err;
  const r = createRedactor(secrets);
  err.message = r.redact(err.message);
  if (err.stack) err.stack = r.redact(err.stack);
  if (err instanceof HerokuApiError) (err as { apiMessage: string }).apiMessage = r.redact(err.apiMessage);
  return err;
}

/** The secret parts of a URL: the whole URL and its userinfo. */
export function urlSecrets(url: string): string[] {
  const out = [url];
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^@/]*)@/i.exec(url);
  if (m?.[1]) out.push(m[1], decodeURIComponent(m[1]));
  const pw = m?.[1]?.split(':')[1];
  if (pw) out.push(pw);
  return out;
}

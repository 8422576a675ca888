import type { Address } from '../../model/address.js';

/**
 * Typed failures of the Platform API client. Every message says what
 * happened and what the user can do about it, and none of them ever holds
 * the API token or a request body (config values may be secrets).
 */

/** The endpoint or credentials cannot be used; nothing was sent. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export interface ApiErrorDetails {
  status: number;
  /** Heroku's machine error id, e.g. `not_found`, `invalid_params`. */
  id: string;
  /** Heroku's human message. */
  apiMessage: string;
  method: string;
  path: string;
  requestId?: string;
  /** Documentation link the API sent, if any. */
  url?: string;
}

/** The API answered with an error status. */
export class HerokuApiError extends Error {
  override readonly name: string = 'HerokuApiError';
  readonly status: number;
  readonly id: string;
  readonly apiMessage: string;
  readonly method: string;
  readonly path: string;
  readonly requestId: string | undefined;
  readonly url: string | undefined;

  constructor(d: ApiErrorDetails, message?: string) {
    super(message ?? HerokuApiError.describe(d));
    this.status = d.status;
    this.id = d.id;
    this.apiMessage = d.apiMessage;
    this.method = d.method;
    this.path = d.path;
    this.requestId = d.requestId;
    this.url = d.url;
  }

  static describe(d: ApiErrorDetails): string {
    const hint = HINTS[d.status] ?? '';
    const rid = d.requestId ? ` (Request-Id ${d.requestId})` : '';
    return `${d.method} ${d.path} failed: ${d.status} ${d.id}: ${d.apiMessage}${hint}${rid}`;
  }
}

const HINTS: Record<number, string> = {
  401: ' — check HEROKU_API_KEY or the netrc entry for the API host',
  403: ' — the account behind the API token may not access this resource',
  404: ' — it may have been deleted or renamed outside dynoform',
};

/**
 * 401: the API refused the token. The client stops sending after the first
 * one (every later call fails with this error at once), so a run says once
 * what to check instead of failing request by request.
 */
export class UnauthorizedError extends HerokuApiError {
  override readonly name = 'UnauthorizedError';
  constructor(d: ApiErrorDetails, apiHost: string) {
    super(
      d,
      `401 unauthorized: check HEROKU_API_KEY (or the netrc entry for ${apiHost}) — ` +
        `the API refused ${d.method} ${d.path}${d.requestId ? ` (Request-Id ${d.requestId})` : ''}`,
    );
  }
}

/**
 * A response dynoform cannot rely on: not JSON, not the shape the schema
 * describes, larger than the cap, or a list whose pages do not add up.
 * Nothing is built from it.
 */
export class InvalidResponseError extends HerokuApiError {
  override readonly name = 'InvalidResponseError';
  constructor(
    d: ApiErrorDetails,
    /** The field at fault, e.g. `[0].url`; undefined when the body as a whole is. */
    readonly field: string | undefined,
    /** The request was a write: it may have been applied even though its answer is unusable. */
    write: boolean,
  ) {
    super(
      d,
      `${d.method} ${d.path}${d.requestId ? ` (Request-Id ${d.requestId})` : ''}: unexpected response from the API: ` +
        `${field !== undefined ? `${field} ` : ''}${d.apiMessage}` +
        (write ? ' — the write may or may not have happened; run plan to see the current state' : ' — nothing was planned or written from it'),
    );
  }
}

/**
 * 429 responses kept coming until the deadline, or the next wait (the API's
 * Retry-After, or the client's own pacing) would end past it.
 */
export class RateLimitedError extends HerokuApiError {
  override readonly name = 'RateLimitedError';
  constructor(
    d: ApiErrorDetails,
    readonly waitedMs: number,
    /** The wait that would have passed the deadline, when that is why it stopped. */
    readonly refusedWaitMs?: number,
  ) {
    const s = (ms: number): string => `${Math.round(ms / 1000)}s`;
    const why =
      refusedWaitMs !== undefined
        ? `the Heroku API rate limit needs a wait of ${s(refusedWaitMs)}${waitedMs > 0 ? ` (after ${s(waitedMs)} of waiting)` : ''}, past the client deadline`
        : `the Heroku API rate limit stayed exhausted after waiting ${s(waitedMs)}`;
    super(
      d,
      `${d.method} ${d.path}: ${why}; wait for tokens to come back (GET /account/rate-limits shows them) ` +
        `or raise the client deadline${d.requestId ? ` (Request-Id ${d.requestId})` : ''}`,
    );
  }
}

/** 412: the object changed since its ETag was read; the write was not made. */
export class PreconditionFailedError extends HerokuApiError {
  override readonly name = 'PreconditionFailedError';
  constructor(
    d: ApiErrorDetails,
    /** The dynoform address of what was being written, e.g. `app.shop/config`. */
    readonly address: Address | undefined,
  ) {
    super(
      d,
      `${address ?? `${d.method} ${d.path}`} changed since it was read (412 Precondition Failed); ` +
        `nothing was written — run plan again to see the current state${d.requestId ? ` (Request-Id ${d.requestId})` : ''}`,
    );
  }
}

/** No HTTP response: refused, reset, timed out, or the deadline ran out. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(
    message: string,
    readonly method: string,
    readonly path: string,
    /** Node's error code, e.g. ECONNRESET, ETIMEDOUT. */
    readonly code: string,
    /**
     * True when the request may have reached the server: a non-idempotent
     * write in this state may or may not have happened.
     */
    readonly ambiguous: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The caller's AbortSignal fired. */
export class AbortedError extends Error {
  override readonly name = 'AbortError';
  constructor(message = 'The operation was aborted') {
    super(message);
  }
}

/** An add-on did not reach `provisioned`: the provider failed it, or it took longer than allowed. */
export class ProvisioningError extends Error {
  override readonly name = 'ProvisioningError';
  constructor(
    message: string,
    readonly addonId: string,
    readonly addonName: string,
    readonly state: string,
    readonly provisionMessage: string | undefined,
    readonly timedOut: boolean,
  ) {
    super(message);
  }
}

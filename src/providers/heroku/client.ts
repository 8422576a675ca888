import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import PQueue from 'p-queue';
import type { Address } from '../../model/address.js';
import type { ClientEvent, ClientStats } from '../../model/client.js';
import { VERSION } from '../../version.js';
import {
  AbortedError,
  ConfigurationError,
  HerokuApiError,
  InvalidResponseError,
  NetworkError,
  PreconditionFailedError,
  RateLimitedError,
  UnauthorizedError,
  type ApiErrorDetails,
} from './errors.js';
import { RateBudget } from './rate-limit.js';
import { isFatalNetworkCode, isTlsHandshakeFailure, nextStep, parseRetryAfter, type Attempt, type Outcome, type RetryConfig, type Step } from './retry-policy.js';
import { tokenScrubber } from './scrub.js';
import { shapeProblem, type ResponseShape } from './shapes.js';
import { Transport, TransportError, type RawResponse } from './transport.js';

export const ACCEPT_V3 = 'application/vnd.heroku+json; version=3';
const RATE_LIMITS_PATH = '/account/rate-limits';
/** No real account has a bucket near this; a larger `RateLimit-Remaining` is junk, not a pool to pace by. */
const MAX_REMAINING = 1_000_000;
/** A list longer than this is not an account's apps or add-ons but a server that will not stop. */
const MAX_PAGES = 1000;

/**
 * Time as the client sees it. Injected so tests can run a rate-limit bucket
 * faster than the wall clock (with an emulator on the same clock) and still
 * assert on the waits the client computes.
 */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) => sleep(ms, undefined, signal ? { signal } : undefined),
};

export interface HerokuClientOptions {
  apiUrl: URL | string;
  token: string;
  /** Default `dynoform/<version>`. */
  userAgent?: string;
  /** Requests in flight at once (also the socket pool size). Default 10. */
  concurrency?: number;
  /** Share of the pool kept in reserve; under it the client paces itself to the refill rate. Default 0.1. */
  reserveFraction?: number;
  /** Pool size assumed until a larger `RateLimit-Remaining` is seen. Default 4500. */
  bucketSize?: number;
  /** Refill rate assumed unless a slower one is observed. Default 4500 per hour. */
  refillPerHour?: number;
  /** How long one call may keep retrying (429 waits included). Default 10 minutes. */
  deadlineMs?: number;
  /** Time allowed for one HTTP exchange. Default 60 s. */
  requestTimeoutMs?: number;
  /** Attempts after the first for 5xx and network failures (429s are bounded by the deadline only). Default 8. */
  maxRetries?: number;
  /** Attempts after the first when the connection is refused. Default 5 (a few seconds in all). */
  maxRefusedRetries?: number;
  /** Largest response body read; a larger one is an error, not a memory spike. Default 64 MiB. */
  maxBodyBytes?: number;
  clock?: Clock;
  /** First back-off step for 5xx and network failures. Default 250 ms. */
  retryBaseMs?: number;
  /** First back-off step after a 429. Default 1 s. */
  rateLimitBaseMs?: number;
  /** `max` of the `Range` header on lists. Default 1000 (the API's maximum). */
  pageSize?: number;
  onEvent?: (e: ClientEvent) => void;
  /** One line per exchange (method, path, status, timing, request id): never headers or bodies. */
  onDebug?: (line: string) => void;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  status: number;
  body: T;
  etag?: string;
  headers: Record<string, string | string[] | undefined>;
  requestId?: string;
  /** 304: the `ifNoneMatch` ETag is still current; `body` is undefined. */
  notModified?: boolean;
  /**
   * Set when the outcome was established after an ambiguous failure rather
   * than from the write's own response: `read-back` (the write is visible
   * in the read-back) or `already-deleted` (a retried DELETE found nothing).
   */
  recovered?: 'read-back' | 'already-deleted';
}

export interface GetOptions {
  /** Send `If-None-Match`; a 304 resolves with `notModified: true`. */
  ifNoneMatch?: string;
  /** Check the body against this shape (response-schemas.ts): a mismatch is an InvalidResponseError. */
  shape?: ResponseShape;
  signal?: AbortSignal;
  /** An API variant some endpoints live under (`repositories-api`): sent as `Accept: …; version=3.<variant>`. */
  variant?: string;
}

export interface ListOptions {
  /** First `Range` header; default `id ..; max=<pageSize>`. */
  range?: string;
  /** Check every item against this shape. */
  shape?: ResponseShape;
  signal?: AbortSignal;
}

export interface RequestOptions<T> {
  body?: unknown;
  /** ETag the object was read with; sent as `If-Match`, a 412 becomes PreconditionFailedError. */
  ifMatch?: string;
  /**
   * The write's idempotency check, run after an ambiguous failure (the
   * request may have reached the server): it reads the resource back and
   * returns it when the write is visible, undefined when it is not.
   */
  readBack?: () => Promise<T | undefined>;
  /** dynoform address carried by PreconditionFailedError, e.g. `app.shop/config`. */
  address?: Address;
  /** Check the (2xx) body against this shape. */
  shape?: ResponseShape;
  /** The shape describes each item of an array body. */
  list?: boolean;
  signal?: AbortSignal;
}

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface CallOptions<T> extends RequestOptions<T> {
  ifNoneMatch?: string;
  variant?: string;
  range?: string;
  /** Not charged by the API (GET /account/rate-limits): bypasses pacing. */
  free?: boolean;
}

function positive(name: string, v: number | undefined, dflt: number, min = 1): number {
  if (v === undefined) return dflt;
  if (!Number.isFinite(v) || v < min) throw new ConfigurationError(`HerokuClient: ${name} must be a number ≥ ${min} (got ${v})`);
  return v;
}

/**
 * The one gateway to the Platform API. Every request of a run goes through
 * one instance: one queue (concurrency), one rate-limit budget, one socket
 * pool. Retries and read-backs live here so that callers can treat each call
 * as "done exactly once, or a typed error".
 */
export class HerokuClient {
  readonly apiUrl: URL;
  readonly concurrency: number;
  /** Path prefix of apiUrl without a trailing slash ('' for https://api.heroku.com). */
  private readonly basePath: string;
  private readonly token: string;
  private readonly userAgent: string;
  private readonly deadlineMs: number;
  private readonly requestTimeoutMs: number;
  private readonly retry: RetryConfig;
  private readonly maxBodyBytes: number;
  private readonly clock: Clock;
  /** Removes the token, in every form a server could echo it, from text that came from a response. */
  private readonly scrub: (text: string) => string;
  /** Set by the first 401: every later call fails with it without being sent. */
  private refusedToken: UnauthorizedError | undefined;
  private readonly pageSize: number;
  private readonly onEvent: (e: ClientEvent) => void;
  private readonly onDebug: ((line: string) => void) | undefined;
  private readonly signal: AbortSignal;
  /** Fired by close(): whatever still waits (pacing, back-off, the queue) ends with AbortedError instead of hanging. */
  private readonly closer = new AbortController();
  private readonly queue: PQueue;
  private readonly transport: Transport;
  private readonly budget: RateBudget;
  private gate: Promise<void> = Promise.resolve();
  private primed = false;
  private readonly warned = new Set<string>();
  private latencyMs: number | undefined;
  private readonly counters: ClientStats = {
    requests: 0,
    retries: 0,
    rateLimitWaits: 0,
    waitedMs: 0,
    status429: 0,
    status412: 0,
    byMethod: {},
  };

  constructor(opts: HerokuClientOptions) {
    this.apiUrl = typeof opts.apiUrl === 'string' ? new URL(opts.apiUrl) : new URL(opts.apiUrl.href);
    this.basePath = this.apiUrl.pathname.replace(/\/+$/, '');
    if (!opts.token) throw new ConfigurationError('HerokuClient: an API token is required');
    this.token = opts.token;
    this.userAgent = opts.userAgent ?? `dynoform/${VERSION}`;
    this.concurrency = Math.floor(positive('concurrency', opts.concurrency, 10));
    this.deadlineMs = positive('deadlineMs', opts.deadlineMs, 600_000, 0);
    this.requestTimeoutMs = positive('requestTimeoutMs', opts.requestTimeoutMs, 60_000);
    this.retry = {
      maxRetries: Math.floor(positive('maxRetries', opts.maxRetries, 8, 0)),
      maxRefusedRetries: Math.floor(positive('maxRefusedRetries', opts.maxRefusedRetries, 5, 0)),
      retryBaseMs: positive('retryBaseMs', opts.retryBaseMs, 250, 0),
      rateLimitBaseMs: positive('rateLimitBaseMs', opts.rateLimitBaseMs, 1000, 0),
      deadlineMs: this.deadlineMs,
    };
    this.maxBodyBytes = Math.floor(positive('maxBodyBytes', opts.maxBodyBytes, 64 * 1024 * 1024, 1024));
    this.clock = opts.clock ?? realClock;
    this.scrub = tokenScrubber(opts.token);
    this.pageSize = Math.floor(positive('pageSize', opts.pageSize, 1000));
    this.onEvent = opts.onEvent ?? (() => {});
    const onDebug = opts.onDebug;
    // A debug line carries the response's Request-Id, which a server may have set to the token.
    this.onDebug = onDebug ? (line) => onDebug(this.scrub(line)) : undefined;
    this.signal = opts.signal ? AbortSignal.any([opts.signal, this.closer.signal]) : this.closer.signal;
    // Every queued call listens for the abort: thousands of listeners are expected, not a leak.
    setMaxListeners(0, this.signal);
    this.queue = new PQueue({ concurrency: this.concurrency });
    this.transport = new Transport(this.apiUrl, this.concurrency);
    try {
      this.budget = new RateBudget({
        bucketSize: positive('bucketSize', opts.bucketSize, 4500),
        refillPerHour: positive('refillPerHour', opts.refillPerHour, 4500),
        reserveFraction: opts.reserveFraction ?? 0.1,
        now: () => this.clock.now(),
      });
    } catch (err) {
      throw new ConfigurationError(`HerokuClient: ${(err as Error).message}`);
    }
  }

  /** GET one resource; with `ifNoneMatch`, a 304 resolves with `notModified` and no body. */
  get<T>(path: string, opts: GetOptions & { ifNoneMatch: string }): Promise<ApiResponse<T | undefined>>;
  get<T>(path: string, opts?: GetOptions): Promise<ApiResponse<T>>;
  get<T>(path: string, opts: GetOptions = {}): Promise<ApiResponse<T>> {
    return this.call<T>('GET', path, opts);
  }

  /**
   * GET a whole list: sends `Range: id ..; max=<pageSize>` and follows
   * `Next-Range` to the end. A server whose pages do not progress (a range
   * given twice, a page with nothing new, more items than the page's
   * `max`, endless pages) gets an InvalidResponseError, not an endless loop.
   */
  async list<T>(path: string, opts: ListOptions = {}): Promise<{ items: T[]; etag?: string; pages: number }> {
    const items: T[] = [];
    let range = opts.range ?? `id ..; max=${this.pageSize}`;
    let pages = 0;
    let etag: string | undefined;
    const seen = new Set<string>();
    const ids = new Set<unknown>();
    for (;;) {
      const res = await this.call<T[]>('GET', path, { range, signal: opts.signal, list: true, ...(opts.shape ? { shape: opts.shape } : {}) });
      pages += 1;
      const bad = (id: string, apiMessage: string): InvalidResponseError =>
        new InvalidResponseError({ status: res.status, id, apiMessage, method: 'GET', path, ...(res.requestId ? { requestId: res.requestId } : {}) }, undefined, false);
      if (!Array.isArray(res.body)) throw bad('unexpected_body', 'the body must be a JSON array');
      const max = pageMax(header(res.headers, 'content-range')) ?? pageMax(range);
      if (max !== undefined && res.body.length > max) throw bad('bad_page', `a page holds ${res.body.length} items, more than its announced max=${max}`);
      let fresh = 0;
      for (const item of res.body) {
        const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
        if (id === undefined || !ids.has(id)) fresh += 1;
        if (id !== undefined) ids.add(id);
      }
      items.push(...res.body);
      if (pages === 1) etag = res.etag;
      const next = header(res.headers, 'next-range');
      if (!next) break;
      // A server that hands back a range it already gave, or pages with nothing new, would loop forever.
      if (seen.has(next) || next === range) throw bad('bad_next_range', 'Next-Range repeats an earlier range');
      if (fresh === 0) throw bad('bad_next_range', 'a page with Next-Range brought no new items');
      if (pages >= MAX_PAGES) throw bad('bad_next_range', `more than ${MAX_PAGES} pages`);
      seen.add(next);
      range = next;
    }
    // An ETag only describes a whole list when it came in one page.
    return pages === 1 && etag !== undefined ? { items, etag, pages } : { items, pages };
  }

  /** Any method. Writes take `ifMatch`; POSTs and unguarded PATCHes need `readBack` to be retried after an ambiguous failure. */
  request<T>(method: Method, path: string, opts: RequestOptions<T> = {}): Promise<ApiResponse<T>> {
    return this.call<T>(method, path, opts);
  }

  /** The last `RateLimit-Remaining` the API sent (undefined before any response). */
  rateLimitRemaining(): number | undefined {
    return this.budget.lastRemaining();
  }

  /** `GET /account/rate-limits` (not charged by the API); updates the budget and returns the remaining tokens. */
  async refreshRateLimit(signal?: AbortSignal): Promise<number> {
    this.primed = true;
    const res = await this.call<{ remaining: number }>('GET', RATE_LIMITS_PATH, { free: true, signal, shape: 'rate-limit' });
    const remaining = res.body.remaining;
    if (remaining < 0 || remaining > MAX_REMAINING) {
      throw new InvalidResponseError(
        { status: res.status, id: 'unexpected_body', apiMessage: `must be a count from 0 to ${MAX_REMAINING}`, method: 'GET', path: RATE_LIMITS_PATH, ...(res.requestId ? { requestId: res.requestId } : {}) },
        'remaining',
        false,
      );
    }
    this.budget.observeFree(remaining);
    return remaining;
  }

  /** Milliseconds `n` more requests should take under the current budget, pool, refill rate and latency. */
  estimateMs(n: number): number {
    return this.budget.estimateMs(n, this.concurrency, this.latencyMs ?? 100);
  }

  /** What the client believes about the account's budget (for plans and progress lines). */
  budgetInfo(): { remaining?: number; pool: number; reserve: number; refillPerHour: number; observedRefillPerHour?: number } {
    const remaining = this.budget.remaining();
    const observed = this.budget.observedRefillPerHour();
    return {
      ...(remaining === undefined ? {} : { remaining: Math.floor(remaining) }),
      pool: this.budget.pool(),
      reserve: this.budget.reserve(),
      refillPerHour: this.budget.refillPerHour(),
      ...(observed === undefined ? {} : { observedRefillPerHour: observed }),
    };
  }

  stats(): ClientStats {
    return { ...this.counters, byMethod: { ...this.counters.byMethod } };
  }

  /** Ends queued and waiting calls with AbortedError and closes the sockets. */
  close(): void {
    this.closer.abort();
    this.queue.clear();
    this.transport.close();
  }

  // ---------------------------------------------------------------------

  private async call<T>(method: Method, path: string, o: CallOptions<T>): Promise<ApiResponse<T>> {
    if (!path.startsWith('/')) throw new TypeError(`HerokuClient: path must start with "/" (got ${path})`);
    // After a 401 every call would be refused the same way: say it once, send nothing more.
    if (this.refusedToken) throw this.refusedToken;
    const signal = this.combine(o.signal);
    const body = o.body === undefined ? undefined : Buffer.from(JSON.stringify(o.body));
    // Retrying these cannot do anything twice: reads, idempotent writes, and writes guarded by If-Match.
    const replayable = method === 'GET' || method === 'HEAD' || method === 'PUT' || method === 'DELETE' || (method === 'PATCH' && o.ifMatch !== undefined);
    const attempt: Attempt = { number: 0, failures: 0, rateLimited: 0, refused: 0, elapsedMs: 0 };
    let waited429 = 0;
    let started: number | undefined;
    /** An earlier attempt may have been applied: a later 412/404 may be our own doing. */
    let maybeApplied = false;

    /** Waits before the next attempt, or throws what `toThrow` makes when the policy gives up. */
    const retryOrThrow = async (outcome: Outcome, toThrow: (step: Extract<Step, { type: 'give-up' }>) => Error): Promise<void> => {
      attempt.elapsedMs = started === undefined ? 0 : this.clock.now() - started;
      const step = nextStep(this.retry, attempt, outcome);
      if (step.type === 'give-up') throw toThrow(step);
      this.onEvent({
        type: 'retry',
        attempt: attempt.number + 1,
        ms: step.ms,
        reason: step.reason,
        method,
        path,
        retry: step.retry,
        ...(step.of !== undefined ? { of: step.of } : {}),
      });
      if (step.rateLimit) {
        this.recordWait(step.ms, '429');
        waited429 += step.ms;
      }
      await this.pause(step.ms, signal);
    };

    for (;;) {
      attempt.number += 1;
      if (attempt.number > 1) this.counters.retries += 1;
      let raw: RawResponse;
      const requestId = randomUUID();
      try {
        raw = await this.exchange(method, path, requestId, o, body, signal, () => {
          started ??= this.clock.now();
        });
      } catch (err) {
        if (!(err instanceof TransportError)) throw err;
        if (err.code === 'ABORT_ERR' || signal?.aborted) throw new AbortedError();
        if (err.code === 'EBODYTOOLARGE') {
          throw new InvalidResponseError({ status: 0, id: 'body_too_large', apiMessage: err.message, method, path }, undefined, method !== 'GET' && method !== 'HEAD');
        }
        if (err.code === 'ECONNREFUSED') attempt.refused += 1;
        else attempt.failures += 1;
        if (err.sent) {
          maybeApplied = true;
          if (!replayable) {
            if (!o.readBack) throw this.networkError(err, method, path, attempt.number, replayable);
            const found = await o.readBack();
            if (found !== undefined) return recoveredResponse(found, requestId);
          }
        }
        await retryOrThrow({ type: 'network', code: err.code }, () => this.networkError(err, method, path, attempt.number, replayable));
        continue;
      }

      const res = this.parse<T>(raw, method, path, requestId, o.shape, o.list);
      if (raw.status >= 200 && raw.status < 300) return res;
      if (raw.status === 304 && o.ifNoneMatch !== undefined) return { ...res, notModified: true, body: undefined as T };

      const details = this.errorDetails(raw, res, method, path);
      const retryAfterMs = parseRetryAfter(header(raw.headers, 'retry-after'));
      const asked = retryAfterMs !== undefined ? { retryAfterMs } : {};
      if (raw.status === 401) {
        this.refusedToken = new UnauthorizedError(details, this.apiUrl.host);
        throw this.refusedToken;
      }
      if (raw.status === 429) {
        // The API did not process it, so any method may be sent again.
        this.counters.status429 += 1;
        attempt.rateLimited += 1;
        await retryOrThrow(
          { type: 'status', status: 429, id: details.id, ...asked },
          // A Retry-After past the deadline is refused up front; otherwise the 429s simply kept coming.
          (step) => new RateLimitedError(details, waited429, step.why === 'deadline' && retryAfterMs !== undefined ? step.ms : undefined),
        );
        continue;
      }
      if (raw.status === 412) {
        this.counters.status412 += 1;
        if (maybeApplied && o.readBack) {
          const found = await o.readBack();
          if (found !== undefined) return recoveredResponse(found, requestId);
        }
        throw new PreconditionFailedError(details, o.address);
      }
      if (raw.status === 404 && method === 'DELETE' && maybeApplied) {
        return { status: 404, body: undefined as T, headers: res.headers, requestId: res.requestId ?? requestId, recovered: 'already-deleted' };
      }
      if (raw.status >= 500) {
        attempt.failures += 1;
        maybeApplied = true;
        if (!replayable) {
          // A 5xx to a create may still have created it: look before sending it again.
          if (!o.readBack) throw new HerokuApiError(details, `${HerokuApiError.describe(details)}; the write may or may not have happened — run plan to see the current state`);
          const found = await o.readBack();
          if (found !== undefined) return recoveredResponse(found, requestId);
        }
        await retryOrThrow({ type: 'status', status: raw.status, id: details.id, ...asked }, () => new HerokuApiError(details));
        continue;
      }
      throw new HerokuApiError(details);
    }
  }

  private networkError(err: TransportError, method: Method, path: string, attempts: number, replayable: boolean): NetworkError {
    const host = this.apiUrl.host;
    const tries = `after ${attempts} attempt${attempts > 1 ? 's' : ''}`;
    let what: string;
    if (isTlsHandshakeFailure(err.code)) what = `TLS handshake with ${host} failed: is it plain http? (use http:// for a local emulator)`;
    else if (err.code === 'ENOTLOOPBACK') what = this.scrub(err.message);
    else if (isFatalNetworkCode(err.code) && err.code !== 'ENOTFOUND') what = `the TLS certificate of ${host} was not accepted (${err.code})`;
    else if (err.code === 'ENOTFOUND') what = `${this.apiUrl.hostname} does not resolve (ENOTFOUND): check --api-url / HEROKU_API_URL`;
    else if (err.code === 'ECONNREFUSED') what = `connection refused by ${host} (ECONNREFUSED) ${tries}: is the API (or the emulator) running there?`;
    else what = `${err.sent ? 'connection lost after the request was sent' : 'could not connect'} to ${host} (${err.code}: ${this.scrub(err.message)}) ${tries}`;
    return new NetworkError(
      `${method} ${path}: ${what}` + (err.sent && !replayable ? '; the write may or may not have happened — run plan to see the current state' : ''),
      method,
      path,
      err.code,
      err.sent,
      { cause: err },
    );
  }

  /** One attempt: budget, queue, socket. */
  private async exchange<T>(
    method: Method,
    path: string,
    requestId: string,
    o: CallOptions<T>,
    body: Buffer | undefined,
    signal: AbortSignal | undefined,
    onStart: () => void,
  ): Promise<RawResponse> {
    const charged = !o.free;
    if (charged) await this.acquire(method, path, signal);
    let settled = false;
    const settle = (remaining: number | undefined, counted: boolean): void => {
      if (!charged || settled) return;
      settled = true;
      this.budget.settle(remaining, counted);
    };
    try {
      return await this.queue.add(
        async () => {
          onStart();
          const headers: Record<string, string> = {
            Accept: o.variant !== undefined && /^[a-z][a-z-]*$/.test(o.variant) ? `${ACCEPT_V3}.${o.variant}` : ACCEPT_V3,
            'User-Agent': this.userAgent,
            'Request-Id': requestId,
            Authorization: `Bearer ${this.token}`,
          };
          if (body) headers['Content-Type'] = 'application/json';
          if (o.ifMatch !== undefined) headers['If-Match'] = o.ifMatch;
          if (o.ifNoneMatch !== undefined) headers['If-None-Match'] = o.ifNoneMatch;
          if (o.range !== undefined) headers.Range = o.range;
          const url = new URL(this.apiUrl.href);
          const q = path.indexOf('?');
          url.pathname = this.basePath + (q < 0 ? path : path.slice(0, q));
          if (q >= 0) url.search = path.slice(q);

          this.counters.requests += 1;
          this.counters.byMethod[method] = (this.counters.byMethod[method] ?? 0) + 1;
          const t0 = performance.now();
          this.onDebug?.(`→ ${method} ${path} Request-Id ${requestId}`);
          try {
            const raw = await this.transport.send({ method, url, headers, body, timeoutMs: this.requestTimeoutMs, maxBodyBytes: this.maxBodyBytes, signal });
            const ms = Math.round(performance.now() - t0);
            this.latencyMs = this.latencyMs === undefined ? ms : 0.8 * this.latencyMs + 0.2 * ms;
            const remaining = this.remainingHeader(raw, method, path);
            settle(remaining, raw.status !== 429);
            if (o.free && remaining !== undefined) this.budget.observeFree(remaining);
            this.warnFrom(raw);
            this.onDebug?.(`← ${raw.status} ${method} ${path} ${ms}ms RateLimit-Remaining ${remaining ?? '?'} Request-Id ${header(raw.headers, 'request-id') ?? requestId}`);
            this.onEvent({ type: 'request', method, path, status: raw.status, ms });
            return raw;
          } catch (err) {
            const ms = Math.round(performance.now() - t0);
            settle(undefined, true);
            if (err instanceof TransportError) this.onDebug?.(`✗ ${method} ${path} ${ms}ms ${err.code} (${err.sent ? 'sent' : 'not sent'}) Request-Id ${requestId}`);
            this.onEvent({ type: 'request', method, path, status: 0, ms });
            throw err;
          }
        },
        { signal, priority: o.free ? 1 : 0 },
      );
    } catch (err) {
      settle(undefined, false);
      if (!(err instanceof TransportError) && signal?.aborted) throw new AbortedError();
      throw err;
    }
  }

  /** Waits its turn for a token: FIFO, so pacing is fair and waits are reported once. */
  private acquire(method: Method, path: string, signal: AbortSignal | undefined): Promise<void> {
    const run = async (): Promise<void> => {
      if (!this.primed && !this.budget.known()) {
        // The first charged request learns the budget from the free endpoint, so a
        // nearly-empty account is paced from the start instead of meeting 429s.
        this.primed = true;
        try {
          await this.refreshRateLimit(signal);
        } catch (err) {
          if (err instanceof AbortedError) throw err;
          // Not fatal: the headers of the next responses tell the same.
        }
      }
      for (;;) {
        signal?.throwIfAborted();
        const ms = this.budget.delayForNext();
        // A timer may fire a hair early; a 1 ms remainder is not worth another pause.
        if (ms <= 1) {
          this.budget.take();
          return;
        }
        // However the estimate came about, no single pause may outlast the call's deadline.
        if (ms > this.deadlineMs) {
          throw new RateLimitedError(
            { status: 429, id: 'rate_limit', apiMessage: 'the rate-limit budget is exhausted', method, path },
            0,
            ms,
          );
        }
        this.recordWait(ms, 'pacing');
        await this.pause(ms, signal);
      }
    };
    const turn = this.gate.then(run);
    this.gate = turn.catch(() => {});
    return turn.catch((err: unknown) => {
      if (signal?.aborted) throw new AbortedError();
      throw err;
    });
  }

  private recordWait(ms: number, reason: 'pacing' | '429'): void {
    this.counters.rateLimitWaits += 1;
    this.counters.waitedMs += ms;
    const remaining = this.budget.remaining();
    this.onEvent({ type: 'rate-limit-wait', ms, remaining: Math.max(0, Math.floor(remaining ?? 0)), reason });
  }

  private async pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
    try {
      await this.clock.sleep(ms, signal);
    } catch {
      throw new AbortedError();
    }
  }

  private combine(signal: AbortSignal | undefined): AbortSignal {
    if (!signal) return this.signal;
    const both = AbortSignal.any([this.signal, signal]);
    setMaxListeners(0, both);
    return both;
  }

  private parse<T>(raw: RawResponse, method: Method, path: string, requestId: string, shape: ResponseShape | undefined, list = false): ApiResponse<T> {
    const etag = header(raw.headers, 'etag');
    const rid = this.requestIdOf(raw) ?? requestId;
    const invalid = (apiMessage: string, field?: string): InvalidResponseError =>
      new InvalidResponseError({ status: raw.status, id: 'invalid_response', apiMessage, method, path, requestId: rid }, field, method !== 'GET' && method !== 'HEAD');
    let body: unknown;
    const text = raw.body.length ? raw.body.toString('utf8') : '';
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        if (raw.status < 300) throw invalid('the body is not JSON');
        body = text;
      }
    }
    if (shape && raw.status >= 200 && raw.status < 300) {
      const wrong = shapeProblem(shape, body, list);
      if (wrong) throw invalid(wrong.problem, wrong.field);
    }
    return { status: raw.status, body: body as T, ...(etag ? { etag } : {}), headers: raw.headers, requestId: rid };
  }

  /** The server's Request-Id when it looks like one (a hostile server could send anything, the token included). */
  private requestIdOf(raw: RawResponse): string | undefined {
    const v = header(raw.headers, 'request-id')?.split(',')[0]?.trim();
    if (!v || !/^[A-Za-z0-9._:-]{1,128}$/.test(v)) return undefined;
    const clean = this.scrub(v);
    return clean === v ? v : undefined;
  }

  /** `RateLimit-Remaining` as a count, or undefined (with a warning, once) when it is not a plausible one. */
  private remainingHeader(raw: RawResponse, method: Method, path: string): number | undefined {
    const v = header(raw.headers, 'ratelimit-remaining');
    if (v === undefined) return undefined;
    const t = v.trim();
    if (/^\d{1,7}$/.test(t) && Number(t) <= MAX_REMAINING) return Number(t);
    this.warnOnce('ratelimit-remaining', `ignoring RateLimit-Remaining ${JSON.stringify(this.scrub(t).slice(0, 40))} from ${method} ${path}: not a count from 0 to ${MAX_REMAINING}`);
    return undefined;
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.onEvent({ type: 'warning', message });
  }

  private errorDetails(raw: RawResponse, res: ApiResponse<unknown>, method: string, path: string): ApiErrorDetails {
    const b = res.body as { id?: unknown; message?: unknown; url?: unknown } | string | undefined;
    const obj = typeof b === 'object' && b !== null ? b : {};
    const id = typeof obj.id === 'string' && /^[a-z0-9_]{1,64}$/i.test(obj.id) ? this.scrub(obj.id) : `http_${raw.status}`;
    const message = typeof obj.message === 'string' ? obj.message : typeof b === 'string' && b.length < 300 ? b.trim() : 'no message';
    return {
      status: raw.status,
      id,
      // One line, bounded, without the token: it is printed as it is.
      apiMessage: this.scrub(oneLine(message)),
      method,
      path,
      ...(res.requestId ? { requestId: res.requestId } : {}),
      ...(typeof obj.url === 'string' && /^https:\/\/[^\s]{1,200}$/.test(obj.url) ? { url: this.scrub(obj.url) } : {}),
    };
  }

  private warnFrom(raw: RawResponse): void {
    for (const name of ['warning-message', 'x-heroku-warning']) {
      const v = raw.headers[name];
      for (const text of Array.isArray(v) ? v : v ? [v] : []) {
        const message = this.scrub(oneLine(text));
        if (this.warned.has(message)) continue;
        this.warned.add(message);
        this.onEvent({ type: 'warning', message });
      }
    }
  }
}

function recoveredResponse<T>(body: T, requestId: string): ApiResponse<T> {
  return { status: 200, body, headers: {}, requestId, recovered: 'read-back' };
}

function header(h: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `max=N` of a Range or Content-Range header. */
function pageMax(h: string | undefined): number | undefined {
  const m = h === undefined ? null : /max=(\d{1,6})/.exec(h);
  return m ? Number(m[1]) : undefined;
}

/** Control characters out (a header or message could carry terminal escapes), at most 500 characters. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return flat.length > 500 ? `${flat.slice(0, 500)}…` : flat;
}

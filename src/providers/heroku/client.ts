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
  NetworkError,
  PreconditionFailedError,
  RateLimitedError,
  type ApiErrorDetails,
} from './errors.js';
import { RateBudget } from './rate-limit.js';
import { Transport, TransportError, type RawResponse } from './transport.js';

export const ACCEPT_V3 = 'application/vnd.heroku+json; version=3';
const RATE_LIMITS_PATH = '/account/rate-limits';

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
  signal?: AbortSignal;
}

export interface ListOptions {
  /** First `Range` header; default `id ..; max=<pageSize>`. */
  range?: string;
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
  signal?: AbortSignal;
}

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface CallOptions<T> extends RequestOptions<T> {
  ifNoneMatch?: string;
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
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private readonly rateLimitBaseMs: number;
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
    this.maxRetries = Math.floor(positive('maxRetries', opts.maxRetries, 8, 0));
    this.retryBaseMs = positive('retryBaseMs', opts.retryBaseMs, 250, 0);
    this.rateLimitBaseMs = positive('rateLimitBaseMs', opts.rateLimitBaseMs, 1000, 0);
    this.pageSize = Math.floor(positive('pageSize', opts.pageSize, 1000));
    this.onEvent = opts.onEvent ?? (() => {});
    this.onDebug = opts.onDebug;
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

  /** GET a whole list: sends `Range: id ..; max=<pageSize>` and follows `Next-Range` to the end. */
  async list<T>(path: string, opts: ListOptions = {}): Promise<{ items: T[]; etag?: string; pages: number }> {
    const items: T[] = [];
    let range = opts.range ?? `id ..; max=${this.pageSize}`;
    let pages = 0;
    let etag: string | undefined;
    const seen = new Set<string>();
    for (;;) {
      const res = await this.call<T[]>('GET', path, { range, signal: opts.signal });
      pages += 1;
      if (!Array.isArray(res.body)) {
        throw new HerokuApiError(
          { status: res.status, id: 'unexpected_body', apiMessage: 'expected a JSON array', method: 'GET', path, requestId: res.requestId },
        );
      }
      items.push(...res.body);
      if (pages === 1) etag = res.etag;
      const next = header(res.headers, 'next-range');
      if (!next) break;
      // A server that hands back a range it already gave would loop forever.
      if (seen.has(next) || next === range) {
        throw new HerokuApiError({ status: res.status, id: 'bad_next_range', apiMessage: `Next-Range repeats (${next})`, method: 'GET', path, requestId: res.requestId });
      }
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
    const res = await this.call<{ remaining: number }>('GET', RATE_LIMITS_PATH, { free: true, signal });
    const remaining = Number(res.body?.remaining);
    if (!Number.isFinite(remaining)) {
      throw new HerokuApiError({ status: res.status, id: 'unexpected_body', apiMessage: 'no "remaining" in the rate-limit response', method: 'GET', path: RATE_LIMITS_PATH, requestId: res.requestId });
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
    const signal = this.combine(o.signal);
    const body = o.body === undefined ? undefined : Buffer.from(JSON.stringify(o.body));
    // Retrying these cannot do anything twice: reads, idempotent writes, and writes guarded by If-Match.
    const replayable = method === 'GET' || method === 'HEAD' || method === 'PUT' || method === 'DELETE' || (method === 'PATCH' && o.ifMatch !== undefined);
    let attempt = 0;
    let failures = 0;
    let rateLimited = 0;
    let waited429 = 0;
    let started: number | undefined;
    /** An earlier attempt may have been applied: a later 412/404 may be our own doing. */
    let maybeApplied = false;

    /** Waits before the next attempt, or throws when the retries or the deadline are used up. */
    const retryOrThrow = async (reason: string, toThrow: () => Error, after429: boolean): Promise<void> => {
      const elapsed = started === undefined ? 0 : performance.now() - started;
      const ms = after429 ? backoff(Math.min(rateLimited, 16), this.rateLimitBaseMs, 60_000) : backoff(failures, this.retryBaseMs, 30_000);
      if ((!after429 && failures > this.maxRetries) || elapsed + ms > this.deadlineMs) throw toThrow();
      this.onEvent({ type: 'retry', attempt: attempt + 1, ms, reason, method, path });
      if (after429) {
        this.recordWait(ms, '429');
        waited429 += ms;
      }
      await this.pause(ms, signal);
    };

    for (;;) {
      attempt += 1;
      if (attempt > 1) this.counters.retries += 1;
      let raw: RawResponse;
      const requestId = randomUUID();
      try {
        raw = await this.exchange(method, path, requestId, o, body, signal, () => {
          started ??= performance.now();
        });
      } catch (err) {
        if (!(err instanceof TransportError)) throw err;
        if (err.code === 'ABORT_ERR' || signal?.aborted) throw new AbortedError();
        failures += 1;
        const netErr = (): NetworkError =>
          new NetworkError(
            `${method} ${path}: ${err.sent ? 'connection lost after the request was sent' : 'could not connect'} to ${this.apiUrl.host} ` +
              `(${err.code}: ${err.message}) after ${attempt} attempt${attempt > 1 ? 's' : ''}` +
              (err.sent && !replayable ? '; the write may or may not have happened — run plan to see the current state' : ''),
            method,
            path,
            err.code,
            err.sent,
            { cause: err },
          );
        if (err.sent) {
          maybeApplied = true;
          if (!replayable) {
            if (!o.readBack) throw netErr();
            const found = await o.readBack();
            if (found !== undefined) return recoveredResponse(found, requestId);
          }
        }
        await retryOrThrow(err.code, netErr, false);
        continue;
      }

      const res = this.parse<T>(raw, method, path, requestId);
      if (raw.status >= 200 && raw.status < 300) return res;
      if (raw.status === 304 && o.ifNoneMatch !== undefined) return { ...res, notModified: true, body: undefined as T };

      const details = errorDetails(raw, res, method, path);
      // Belt and braces: an error page that echoed the Authorization header must not carry the token on.
      if (this.token.length >= 8 && details.apiMessage.includes(this.token)) details.apiMessage = details.apiMessage.split(this.token).join('***');
      if (raw.status === 429) {
        // The API did not process it, so any method may be sent again.
        this.counters.status429 += 1;
        rateLimited += 1;
        await retryOrThrow('429 rate_limit', () => new RateLimitedError(details, waited429), true);
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
        failures += 1;
        maybeApplied = true;
        if (!replayable) {
          // A 5xx to a create may still have created it: look before sending it again.
          if (!o.readBack) throw new HerokuApiError(details, `${HerokuApiError.describe(details)}; the write may or may not have happened — run plan to see the current state`);
          const found = await o.readBack();
          if (found !== undefined) return recoveredResponse(found, requestId);
        }
        await retryOrThrow(`${raw.status} ${details.id}`, () => new HerokuApiError(details), false);
        continue;
      }
      throw new HerokuApiError(details);
    }
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
    if (charged) await this.acquire(signal);
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
            Accept: ACCEPT_V3,
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
            const raw = await this.transport.send({ method, url, headers, body, timeoutMs: this.requestTimeoutMs, signal });
            const ms = Math.round(performance.now() - t0);
            this.latencyMs = this.latencyMs === undefined ? ms : 0.8 * this.latencyMs + 0.2 * ms;
            const remaining = intHeader(raw.headers, 'ratelimit-remaining');
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
  private acquire(signal: AbortSignal | undefined): Promise<void> {
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
      await sleep(ms, undefined, signal ? { signal } : undefined);
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

  private parse<T>(raw: RawResponse, method: string, path: string, requestId: string): ApiResponse<T> {
    let body: unknown;
    const text = raw.body.length ? raw.body.toString('utf8') : '';
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        if (raw.status < 300) {
          throw new HerokuApiError({ status: raw.status, id: 'invalid_json', apiMessage: 'the response is not JSON', method, path, requestId: header(raw.headers, 'request-id') ?? requestId });
        }
        body = text;
      }
    }
    const etag = header(raw.headers, 'etag');
    const rid = header(raw.headers, 'request-id')?.split(',')[0]?.trim() || requestId;
    return { status: raw.status, body: body as T, ...(etag ? { etag } : {}), headers: raw.headers, requestId: rid };
  }

  private warnFrom(raw: RawResponse): void {
    for (const name of ['warning-message', 'x-heroku-warning']) {
      const v = raw.headers[name];
      for (const message of Array.isArray(v) ? v : v ? [v] : []) {
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

function intHeader(h: Record<string, string | string[] | undefined>, name: string): number | undefined {
  const v = header(h, name);
  if (v === undefined) return undefined;
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : undefined;
}

function errorDetails(raw: RawResponse, res: ApiResponse<unknown>, method: string, path: string): ApiErrorDetails {
  const b = res.body as { id?: unknown; message?: unknown; url?: unknown } | string | undefined;
  const obj = typeof b === 'object' && b !== null ? b : {};
  const id = typeof obj.id === 'string' ? obj.id : `http_${raw.status}`;
  const apiMessage = typeof obj.message === 'string' ? obj.message : typeof b === 'string' && b.length < 300 ? b.trim() : (raw.headers.status as string | undefined) ?? 'no message';
  return {
    status: raw.status,
    id,
    apiMessage,
    method,
    path,
    ...(res.requestId ? { requestId: res.requestId } : {}),
    ...(typeof obj.url === 'string' ? { url: obj.url } : {}),
  };
}

/** Exponential back-off with jitter: half fixed, half random, so retries of many calls spread out. */
export function backoff(attempt: number, baseMs: number, capMs: number): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}

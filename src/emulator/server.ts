import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { acceptsV3 } from './http/accept.js';
import { tokenOf } from './http/auth.js';
import {
  ApiError,
  badRequest,
  endpointNotFound,
  internalError,
  invalidParams,
  notAcceptable,
  payloadTooLarge,
  preconditionFailed,
  rateLimited,
  serviceUnavailable,
  unauthorized,
} from './http/errors.js';
import { etagOf, ifMatch, noneMatch } from './http/etag.js';
import { FaultInjector, Latency } from './http/faults.js';
import { RateLimiter, type TokenBucket } from './http/rate-limit.js';
import { applyRange, parseRange } from './http/ranges.js';
import { requestIdChain } from './http/request-id.js';
import { Router, type Match } from './http/router.js';
import type { ResolvedOptions } from './options.js';
import type { Platform } from './platform.js';
import type { Ctx, Result } from './resources/types.js';
import { ROUTES } from './resources/index.js';
import { ensureAccount } from './resources/account/rules.js';
import type { StatsRecorder } from './stats.js';
import type { AccountRecord } from './store/records.js';
import { validateBody } from './validate.js';

const WRITES = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
const OVERRIDABLE = new Set(['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE']);
const BODY_LIMIT = 1024 * 1024;
const JSON_TYPE = 'application/json; charset=utf-8';

/** The account everyone is when the emulator runs without `--api-key`. */
export const DEFAULT_ACCOUNT = { id: '0aafd892-3e01-415f-8fb0-1c05d32619f5', email: 'emulator@example.com' } as const;

/** A per-key account: a stable id and e-mail derived from a hash, so no key is ever stored or shown. */
export function accountIdentity(key: string): { id: string; email: string } {
  const h = createHash('sha256').update(`dynoform-emulator-account:${key}`).digest('hex');
  const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
  return { id, email: `user-${h.slice(0, 8)}@example.com` };
}

/** `real`: a HEAD request; `override`: a POST overridden to HEAD. */
type HeadMode = 'no' | 'real' | 'override';

interface Outcome {
  status: number;
  headers: Record<string, string>;
  /** Undefined for 304. */
  text: string | undefined;
}

const router = new Router(ROUTES);
// Shared by requests without a query or expansions; handlers only read them.
const NO_QUERY = new URLSearchParams();
const NO_EXPANSIONS: ReadonlySet<string> = new Set();

/** `Accept-Expansion` and `Accept-Inclusion`: comma-separated field names. */
function expansions(h: string | undefined): ReadonlySet<string> {
  if (!h) return NO_EXPANSIONS;
  return new Set(
    h
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > BODY_LIMIT) {
        reject(payloadTooLarge(BODY_LIMIT));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 0 ? '' : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function lastModified(body: unknown): string | undefined {
  let latest: string | undefined;
  const consider = (x: unknown): void => {
    if (x !== null && typeof x === 'object' && !Array.isArray(x)) {
      const u = (x as { updated_at?: unknown }).updated_at;
      if (typeof u === 'string' && (latest === undefined || u > latest)) latest = u;
    }
  };
  if (Array.isArray(body)) body.forEach(consider);
  else consider(body);
  if (latest === undefined) return undefined;
  const d = new Date(latest);
  return Number.isNaN(d.getTime()) ? undefined : d.toUTCString();
}

/**
 * The HTTP layer: request ids, latency and faults, `Accept`, auth, the
 * rate limit, routing, body validation, `If-Match`, ranges, ETags and
 * `If-None-Match`. Resource handlers see none of it.
 */
export class HttpLayer {
  private readonly limiter: RateLimiter;
  readonly faults: FaultInjector;
  private readonly latency: Latency;
  private readonly accountsByKey = new Map<string, AccountRecord>();
  private readonly defaultAccount: AccountRecord | undefined;

  constructor(
    private readonly opts: ResolvedOptions,
    private readonly platform: Platform,
    private readonly stats: StatsRecorder,
    seed: number,
  ) {
    this.limiter = new RateLimiter(opts.rateLimit, opts.refillPerHour);
    this.faults = new FaultInjector(opts.faultRate, seed);
    this.latency = new Latency(opts.latencyMs, opts.jitter, seed);
    if (opts.apiKeys) {
      for (const key of opts.apiKeys) {
        const { id, email } = accountIdentity(key);
        this.accountsByKey.set(key, ensureAccount(platform, id, email));
      }
    } else {
      this.defaultAccount = ensureAccount(platform, DEFAULT_ACCOUNT.id, DEFAULT_ACCOUNT.email);
    }
  }

  private accountFor(token: string): AccountRecord | undefined {
    return this.defaultAccount ?? this.accountsByKey.get(token);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
    if (path.startsWith('/__emulator/')) {
      this.internal(req, res, path);
      return;
    }

    const rid = requestIdChain(header(req, 'request-id'));
    let method = req.method ?? 'GET';
    let badOverride: string | undefined;
    const override = header(req, 'x-http-method-override')?.trim();
    if (method === 'POST' && override) {
      const m = override.toUpperCase();
      if (OVERRIDABLE.has(m)) method = m;
      else badOverride = override;
    }
    // A HEAD sent as `POST` + `X-Http-Method-Override: HEAD` is still a POST on
    // the wire: its answer must say Content-Length: 0, or the client waits for
    // a body that a HEAD answer never has.
    const isHead = method === 'HEAD';
    const head: HeadMode = !isHead ? 'no' : req.method === 'HEAD' ? 'real' : 'override';
    const routeMethod = isHead ? 'GET' : method;
    const match = router.match(routeMethod, path);
    const routeKey = match ? `${routeMethod} ${match.def.pattern}` : `${routeMethod} (no route)`;
    const isWrite = WRITES.has(routeMethod);
    this.stats.request(method, routeKey, path, isWrite);

    const token = tokenOf(header(req, 'authorization'));
    const account = token === undefined ? undefined : this.accountFor(token);
    const bucket = this.limiter.bucket(account ? account.id : `anon:${req.socket.remoteAddress ?? ''}`, this.opts.rateLimitClock());

    const delay = this.latency.next();
    if (delay > 0) await sleep(delay);

    const fault = this.faults.decide(method, path, isWrite);
    if (fault === 'drop-before') {
      this.stats.fault(fault);
      req.socket.destroy();
      return;
    }
    if (fault === '500' || fault === '503') {
      this.stats.fault(fault);
      this.send(res, this.errorOutcome(fault === '500' ? internalError() : serviceUnavailable(), rid.header, bucket), head);
      return;
    }

    let bodyText = '';
    try {
      bodyText = await readBody(req);
    } catch (err) {
      if (err instanceof ApiError) this.send(res, this.errorOutcome(err, rid.header, bucket), head);
      else req.socket.destroy();
      return;
    }

    const out = this.process({ req, path, query: q === -1 ? '' : rawUrl.slice(q + 1), method, routeMethod, match, routeKey, isWrite, token, account, bucket, bodyText, badOverride, requestId: rid.header });
    if (fault === 'drop-after') {
      // The write (if any) happened; the client never hears about it.
      this.stats.fault(fault);
      req.socket.destroy();
      return;
    }
    this.send(res, out, head);
  }

  private process(r: {
    req: IncomingMessage;
    path: string;
    query: string;
    method: string;
    routeMethod: string;
    match: Match | undefined;
    routeKey: string;
    isWrite: boolean;
    token: string | undefined;
    account: AccountRecord | undefined;
    bucket: TokenBucket;
    bodyText: string;
    badOverride: string | undefined;
    requestId: string;
  }): Outcome {
    const now = this.opts.rateLimitClock();
    try {
      if (r.badOverride !== undefined) throw badRequest(`X-Http-Method-Override must be one of ${[...OVERRIDABLE].join(', ')}.`);
      if (!acceptsV3(header(r.req, 'accept'))) throw notAcceptable();
      if (r.token === undefined ? r.match?.def.auth !== 'optional' : r.account === undefined) throw unauthorized();
      const cost = r.match?.def.cost ?? 1;
      if (cost > 0 && !r.bucket.take(now)) throw rateLimited();
      if (!r.match) throw endpointNotFound();
      const def = r.match.def;

      let rawBody: unknown;
      if (r.bodyText.trim() !== '') {
        try {
          rawBody = JSON.parse(r.bodyText);
        } catch (err) {
          throw badRequest(`The request body is not valid JSON: ${(err as Error).message}.`);
        }
      } else if (r.isWrite) {
        rawBody = {};
      }
      let body = rawBody;
      if (r.isWrite) {
        if (def.normalize) body = def.normalize(rawBody);
        const problem = validateBody(r.routeMethod, def.pattern, body);
        if (problem !== undefined) throw invalidParams(problem);
      }

      const ctx: Ctx = {
        method: r.routeMethod,
        path: r.path,
        params: r.match.params,
        query: r.query === '' ? NO_QUERY : new URLSearchParams(r.query),
        headers: r.req.headers,
        body,
        rawBody,
        remaining: r.bucket.remaining(now),
        account: r.account,
        platform: this.platform,
        expand: expansions(header(r.req, 'accept-expansion')),
        include: expansions(header(r.req, 'accept-inclusion')),
      };

      const ifm = header(r.req, 'if-match');
      if (r.isWrite && ifm !== undefined) {
        const current = this.currentEtag(ctx);
        // No current representation at all (no GET here) fails the precondition;
        // a GET that errors (the thing is gone) lets the handler answer its 404.
        if (current === null || (current !== undefined && !ifMatch(ifm, current))) throw preconditionFailed();
      }

      const result = def.handler(ctx);
      const out = this.render(result, header(r.req, 'range'), r.requestId, r.bucket, now);
      if (r.isWrite && out.status < 300) this.stats.applied(r.routeKey);

      const inm = header(r.req, 'if-none-match');
      if (inm !== undefined && r.routeMethod === 'GET' && (out.status === 200 || out.status === 206) && noneMatch(inm, out.headers.ETag ?? '')) {
        const { 'Content-Type': _type, 'Content-Length': _len, ...rest } = out.headers;
        return { status: 304, headers: rest, text: undefined };
      }
      return out;
    } catch (err) {
      if (err instanceof ApiError) return this.errorOutcome(err, r.requestId, r.bucket);
      // The route pattern, not the path: paths can carry drain URLs with credentials.
      this.opts.log(`emulator: ${r.routeKey} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return this.errorOutcome(internalError(), r.requestId, r.bucket);
    }
  }

  /** The ETag a plain GET of the same URL would answer with now (null: there is no such GET). */
  private currentEtag(ctx: Ctx): string | undefined | null {
    const get = router.match('GET', ctx.path);
    if (!get) return null;
    try {
      const result = get.def.handler({ ...ctx, method: 'GET', params: get.params, body: undefined, rawBody: undefined });
      if ('list' in result) {
        const ranged = applyRange(result.list, parseRange(undefined, result), result);
        return etagOf(JSON.stringify(ranged.items));
      }
      return etagOf(JSON.stringify(result.body));
    } catch (err) {
      if (err instanceof ApiError) return undefined;
      throw err;
    }
  }

  private baseHeaders(requestId: string, bucket: TokenBucket, now: number): Record<string, string> {
    return {
      'Content-Type': JSON_TYPE,
      'Request-Id': requestId,
      'RateLimit-Remaining': String(bucket.remaining(now)),
      'Ratelimit-Multiplier': '1',
      'Cache-Control': 'private, no-cache',
    };
  }

  private render(result: Result, range: string | undefined, requestId: string, bucket: TokenBucket, now: number): Outcome {
    const headers = this.baseHeaders(requestId, bucket, now);
    let status = result.status;
    let body: unknown;
    if ('list' in result) {
      const ranged = applyRange(result.list, parseRange(range, result), result);
      status = ranged.status;
      body = ranged.items;
      Object.assign(headers, ranged.headers);
    } else {
      body = result.body;
      if (result.headers) Object.assign(headers, result.headers);
    }
    const text = JSON.stringify(body);
    headers.ETag = etagOf(text);
    const modified = lastModified(body);
    if (modified !== undefined) headers['Last-Modified'] = modified;
    headers['Content-Length'] = String(Buffer.byteLength(text));
    return { status, headers, text };
  }

  private errorOutcome(err: ApiError, requestId: string, bucket: TokenBucket): Outcome {
    const headers = this.baseHeaders(requestId, bucket, this.opts.rateLimitClock());
    const text = JSON.stringify(err.body());
    headers.ETag = etagOf(text);
    headers['Content-Length'] = String(Buffer.byteLength(text));
    return { status: err.status, headers, text };
  }

  /** Set while the server shuts down: answers close their connection instead of keeping it alive. */
  closing = false;

  private send(res: ServerResponse, out: Outcome, head: HeadMode): void {
    if (head === 'override') out = { ...out, headers: { ...out.headers, 'Content-Length': '0' } };
    this.stats.status(out.status);
    if (this.closing) res.shouldKeepAlive = false;
    res.writeHead(out.status, out.headers);
    res.end(head !== 'no' || out.text === undefined ? undefined : out.text);
  }

  /** `/__emulator/*`: for tests; no auth, no tokens, no faults, not counted. */
  private internal(req: IncomingMessage, res: ServerResponse, path: string): void {
    const reply = (status: number, body: unknown): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': String(Buffer.byteLength(text)) });
      res.end(text);
    };
    req.resume();
    const method = req.method ?? 'GET';
    if (path === '/__emulator/stats' && method === 'GET') reply(200, this.stats.snapshot());
    else if (path === '/__emulator/reset-stats' && method === 'POST') {
      this.stats.reset();
      reply(200, this.stats.snapshot());
    } else if (path === '/__emulator/health' && method === 'GET') reply(200, { status: 'ok' });
    else reply(404, { id: 'not_found', message: 'Emulator endpoints: GET /__emulator/stats, POST /__emulator/reset-stats, GET /__emulator/health.' });
  }
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientEvent } from '../../../../src/model/client.js';
import { HerokuClient, type HerokuClientOptions } from '../../../../src/providers/heroku/client.js';
import { AbortedError, HerokuApiError, NetworkError, PreconditionFailedError, RateLimitedError } from '../../../../src/providers/heroku/errors.js';

/**
 * A scripted HTTP server: each handler decides one response (or drops the
 * connection). These tests pin the client's retry and read-back rules at the
 * wire level; behaviour against the real emulator is in test/integration/client.
 */
type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

const TOKEN = 'tok-5f0e2c1d-secret';
let server: http.Server | undefined;
let client: HerokuClient | undefined;

async function serve(handler: Handler): Promise<string> {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'RateLimit-Remaining': '4000', ...headers });
  res.end(JSON.stringify(body));
}

function make(url: string, extra: Partial<HerokuClientOptions> = {}): HerokuClient {
  client = new HerokuClient({ apiUrl: url, token: TOKEN, retryBaseMs: 5, rateLimitBaseMs: 5, ...extra });
  return client;
}

afterEach(async () => {
  client?.close();
  client = undefined;
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

describe('HerokuClient on the wire', () => {
  it('sends the v3 Accept, User-Agent, a Request-Id and the bearer token', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const url = await serve((req, _b, res) => {
      seen.push(req.headers);
      if (req.url === '/account/rate-limits') return json(res, 200, { remaining: 4000 });
      json(res, 200, { ok: true }, { ETag: '"e1"', 'Request-Id': 'srv-1' });
    });
    const c = make(url);
    const r = await c.get<{ ok: boolean }>('/apps/x');
    expect(r).toMatchObject({ status: 200, body: { ok: true }, etag: '"e1"', requestId: 'srv-1' });
    const h = seen.at(-1)!;
    expect(h.accept).toBe('application/vnd.heroku+json; version=3');
    expect(h['user-agent']).toMatch(/^dynoform\/\d+\.\d+\.\d+/);
    expect(h['request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.authorization).toBe(`Bearer ${TOKEN}`);
    // The first charged request primed the budget with the free endpoint.
    expect(seen.map((s) => s['request-id'] !== undefined)).toHaveLength(2);
    expect(c.rateLimitRemaining()).toBe(4000);
  });

  it('surfaces each distinct Warning-Message once and never logs the token', async () => {
    const url = await serve((_req, _b, res) => json(res, 200, {}, { 'Warning-Message': 'stack heroku-20 is deprecated' }));
    const events: ClientEvent[] = [];
    const debug: string[] = [];
    const c = make(url, { onEvent: (e) => events.push(e), onDebug: (l) => debug.push(l) });
    await c.get('/apps/a');
    await c.get('/apps/b');
    expect(events.filter((e) => e.type === 'warning')).toEqual([{ type: 'warning', message: 'stack heroku-20 is deprecated' }]);
    expect(debug.length).toBeGreaterThan(0);
    expect(debug.join('\n')).not.toContain(TOKEN);
  });

  it('retries GETs on 5xx and reports each retry', async () => {
    let n = 0;
    const url = await serve((req, _b, res) => {
      if (req.url === '/account/rate-limits') return json(res, 200, { remaining: 4000 });
      n += 1;
      if (n <= 2) return json(res, 503, { id: 'unavailable', message: 'try later' });
      json(res, 200, { n });
    });
    const events: ClientEvent[] = [];
    const c = make(url, { onEvent: (e) => events.push(e) });
    expect((await c.get<{ n: number }>('/apps/a')).body.n).toBe(3);
    expect(events.filter((e) => e.type === 'retry').map((e) => e.type === 'retry' && e.reason)).toEqual(['503 unavailable', '503 unavailable']);
    expect(c.stats().retries).toBe(2);
  });

  it('waits on 429 and retries, counting the wait; gives up with RateLimitedError at the deadline', async () => {
    let n = 0;
    const url = await serve((req, _b, res) => {
      if (req.url === '/account/rate-limits') return json(res, 200, { remaining: 4000 });
      n += 1;
      if (n === 1 || req.url === '/always') return json(res, 429, { id: 'rate_limit', message: 'Your account reached the API rate limit' }, { 'RateLimit-Remaining': '0' });
      json(res, 200, {});
    });
    const events: ClientEvent[] = [];
    const c = make(url, { onEvent: (e) => events.push(e), deadlineMs: 300, refillPerHour: 3_600_000 });
    await c.get('/apps/a');
    expect(c.stats().status429).toBe(1);
    expect(events.some((e) => e.type === 'rate-limit-wait' && e.reason === '429')).toBe(true);
    const err = await c.get('/always').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as Error).message).toMatch(/rate limit stayed exhausted/);
  });

  it('turns a 412 into PreconditionFailedError carrying the address', async () => {
    const url = await serve((req, _b, res) =>
      req.url === '/account/rate-limits' ? json(res, 200, { remaining: 4000 }) : json(res, 412, { id: 'precondition_failed', message: 'ETag mismatch' }),
    );
    const c = make(url);
    const err = await c.request('PATCH', '/apps/a/config-vars', { body: { A: '1' }, ifMatch: '"old"', address: 'app.shop/config' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PreconditionFailedError);
    expect((err as PreconditionFailedError).address).toBe('app.shop/config');
    expect((err as Error).message).toMatch(/^app\.shop\/config changed since it was read/);
    expect(c.stats().status412).toBe(1);
  });

  it('never repeats a POST blindly: after a lost response it reads back and finds the create', async () => {
    const created: string[] = [];
    const url = await serve((req, body, res) => {
      if (req.url === '/account/rate-limits') return json(res, 200, { remaining: 4000 });
      if (req.method === 'POST') {
        created.push(JSON.parse(body).hostname);
        // Processed, then the connection dies before the answer.
        return res.socket?.destroy();
      }
      if (req.url === '/apps/a/domains/www.example.com' && created.length) return json(res, 200, { id: 'd1', hostname: 'www.example.com' });
      json(res, 404, { id: 'not_found', message: 'nope' });
    });
    const c = make(url);
    let readBacks = 0;
    const r = await c.request<{ id: string }>('POST', '/apps/a/domains', {
      body: { hostname: 'www.example.com' },
      readBack: async () => {
        readBacks += 1;
        return (await c.get<{ id: string }>('/apps/a/domains/www.example.com').catch(() => undefined))?.body;
      },
    });
    expect(r).toMatchObject({ body: { id: 'd1' }, recovered: 'read-back' });
    expect(created).toEqual(['www.example.com']);
    expect(readBacks).toBe(1);
  });

  it('sends the POST again when the read-back finds nothing', async () => {
    let posts = 0;
    const url = await serve((req, _b, res) => {
      if (req.url === '/account/rate-limits') return json(res, 200, { remaining: 4000 });
      posts += 1;
      if (posts === 1) return json(res, 500, { id: 'internal', message: 'boom' }); // failed before creating
      json(res, 201, { id: 'x' });
    });
    const c = make(url);
    const r = await c.request('POST', '/apps', { body: {}, readBack: async () => undefined });
    expect(r.status).toBe(201);
    expect(posts).toBe(2);
  });

  it('without a read-back an ambiguous POST fails with an actionable error and no token', async () => {
    const url = await serve((req, _b, res) => {
      if (req.url === '/account/rate-limits') return json(res, 200, { remaining: 4000 });
      res.socket?.destroy();
    });
    const c = make(url);
    const err = await c.request('POST', '/apps', { body: { name: 'x' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).ambiguous).toBe(true);
    expect((err as Error).message).toMatch(/may or may not have happened/);
    expect(`${(err as Error).message}\n${(err as Error).stack}`).not.toContain(TOKEN);
  });

  it('a guarded PATCH whose first attempt landed is recognised when its retry meets 412', async () => {
    let etag = '"v1"';
    const url = await serve((req, _b, res) => {
      if (req.url === '/account/rate-limits') return json(res, 200, { remaining: 4000 });
      if (req.method === 'PATCH') {
        if (req.headers['if-match'] !== etag) return json(res, 412, { id: 'precondition_failed', message: 'changed' });
        etag = '"v2"';
        return res.socket?.destroy();
      }
      json(res, 200, { A: '1' }, { ETag: etag });
    });
    const c = make(url);
    const r = await c.request<Record<string, string>>('PATCH', '/apps/a/config-vars', {
      body: { A: '1' },
      ifMatch: '"v1"',
      readBack: async () => {
        const got = await c.get<Record<string, string>>('/apps/a/config-vars');
        return got.body.A === '1' ? got.body : undefined;
      },
    });
    expect(r.recovered).toBe('read-back');
    expect(c.stats().status412).toBe(1);
  });

  it('a DELETE retried after a lost response accepts the 404 as done', async () => {
    let deleted = false;
    const url = await serve((req, _b, res) => {
      if (req.url === '/account/rate-limits') return json(res, 200, { remaining: 4000 });
      if (deleted) return json(res, 404, { id: 'not_found', message: 'gone' });
      deleted = true;
      res.socket?.destroy();
    });
    const c = make(url);
    const r = await c.request('DELETE', '/apps/a/domains/d1');
    expect(r.recovered).toBe('already-deleted');
  });

  it('does not retry client errors and shows the API message with the request id', async () => {
    let n = 0;
    const url = await serve((req, _b, res) => {
      if (req.url === '/account/rate-limits') return json(res, 200, { remaining: 4000 });
      n += 1;
      json(res, 422, { id: 'invalid_params', message: 'Name is already taken' }, { 'Request-Id': 'rid-9' });
    });
    const c = make(url);
    const err = await c.request('POST', '/apps', { body: { name: 'x' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HerokuApiError);
    expect((err as HerokuApiError).status).toBe(422);
    expect((err as Error).message).toBe('POST /apps failed: 422 invalid_params: Name is already taken (Request-Id rid-9)');
    expect(n).toBe(1);
  });

  it('times out a request and retries it when it is a read', async () => {
    let n = 0;
    const url = await serve((req, _b, res) => {
      if (req.url === '/account/rate-limits') return json(res, 200, { remaining: 4000 });
      n += 1;
      if (n === 1) return; // never answers
      json(res, 200, { n });
    });
    const c = make(url, { requestTimeoutMs: 200 });
    expect((await c.get<{ n: number }>('/apps/a')).body.n).toBe(2);
  });

  it('retries a POST that never left (connection refused)', async () => {
    const url = await serve(() => {});
    await new Promise<void>((r) => server!.close(() => r()));
    server = undefined;
    const c = make(url, { maxRefusedRetries: 1 });
    const err = await c.request('POST', '/apps', { body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).ambiguous).toBe(false);
    expect((err as Error).message).toMatch(/connection refused by .*ECONNREFUSED.* after 2 attempts/);
  });

  it('follows Next-Range to the end of a list', async () => {
    const ranges: string[] = [];
    const url = await serve((req, _b, res) => {
      if (req.url === '/account/rate-limits') return json(res, 200, { remaining: 4000 });
      const range = String(req.headers.range);
      ranges.push(range);
      if (range === 'id ..; max=2') return json(res, 206, [{ id: 'a' }, { id: 'b' }], { 'Next-Range': 'id ]b..; max=2' });
      if (range === 'id ]b..; max=2') return json(res, 206, [{ id: 'c' }, { id: 'd' }], { 'Next-Range': 'id ]d..; max=2' });
      json(res, 200, [{ id: 'e' }]);
    });
    const c = make(url, { pageSize: 2 });
    const r = await c.list<{ id: string }>('/apps');
    expect(r.items.map((i) => i.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(r.pages).toBe(3);
    expect(ranges).toEqual(['id ..; max=2', 'id ]b..; max=2', 'id ]d..; max=2']);
  });

  it('an abort ends a pacing wait at once with AbortedError', async () => {
    let charged = 0;
    const url = await serve((req, _b, res) => {
      if (req.url === '/account/rate-limits') return json(res, 200, { remaining: 0 }, { 'RateLimit-Remaining': '0' });
      charged += 1;
      json(res, 200, {});
    });
    const abort = new AbortController();
    const events: ClientEvent[] = [];
    const c = make(url, { refillPerHour: 36, signal: abort.signal, onEvent: (e) => events.push(e) }); // one token per 100 s
    const pending = c.get('/apps/a');
    const pacing = (): boolean => events.some((e) => e.type === 'rate-limit-wait' && e.reason === 'pacing' && e.ms > 50_000);
    // Under load the free rate-limit read may take a while: wait for the pause to begin, not a fixed time.
    for (let i = 0; i < 200 && !pacing(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(pacing()).toBe(true);
    abort.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    expect(charged).toBe(0);
  });

  it('checks its options at construction', () => {
    expect(() => new HerokuClient({ apiUrl: 'http://127.0.0.1:1', token: '' })).toThrow(/token is required/);
    expect(() => new HerokuClient({ apiUrl: 'http://127.0.0.1:1', token: 't', concurrency: 0 })).toThrow(/concurrency must be a number ≥ 1/);
    expect(() => new HerokuClient({ apiUrl: 'http://127.0.0.1:1', token: 't', reserveFraction: 1.5 })).toThrow(/reserveFraction/);
  });
});

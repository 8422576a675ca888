import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveApiUrl } from '../../src/providers/heroku/auth.js';
import { HerokuClient } from '../../src/providers/heroku/client.js';
import { loopbackOnlyLookup } from '../../src/providers/heroku/transport.js';
import { InvalidResponseError, RateLimitedError } from '../../src/providers/heroku/errors.js';
import { listApps } from '../../src/providers/heroku/apps.js';
import type { ClientEvent } from '../../src/model/client.js';
import { HostileWorld, expectOneLineError } from './world.js';

// #14 §4 and §5: endless bodies, absurd RateLimit-Remaining, paging that never
// ends or overflows its page, and plain http to a name that is not loopback.

describe('bounded against a hostile server', () => {
  let server: http.Server;
  let url: string;
  let handler: (req: http.IncomingMessage, res: http.ServerResponse) => void = () => undefined;
  const clients: HerokuClient[] = [];
  const client = (events?: ClientEvent[], extra: Partial<ConstructorParameters<typeof HerokuClient>[0]> = {}): HerokuClient => {
    const c = new HerokuClient({ apiUrl: url, token: 'bounds-token-0123', retryBaseMs: 1, ...(events ? { onEvent: (e) => events.push(e) } : {}), ...extra });
    clients.push(c);
    return c;
  };
  const app = (i: number): object => ({ id: `id-${i}`, name: `app-${i}`, region: { name: 'us' }, stack: { name: 'heroku-24' }, maintenance: false });

  beforeAll(async () => {
    server = http.createServer((req, res) => handler(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    for (const c of clients.splice(0)) c.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('a body that never ends is cut at the cap with a clear error (not read into memory)', async () => {
    let sent = 0;
    handler = (req, res) => {
      if (req.url === '/account/rate-limits') return res.end('{"remaining":100}');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(1 << 20, 0x20);
      const pump = (): void => {
        while (!res.destroyed && sent < 1 << 30) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.write('[');
      pump();
    };
    const err = await listApps(client(undefined, { maxBodyBytes: 8 << 20 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect((err as Error).message).toMatch(/^GET \/apps: unexpected response from the API: the response body is larger than 8 MiB — nothing was planned or written from it$/);
    // The server was stopped well before the gigabyte (the socket closed).
    expect(sent).toBeLessThan(1 << 30);
  });

  it('a Content-Length past the cap is refused before the body is read', async () => {
    handler = (req, res) => {
      res.writeHead(200, { 'Content-Length': String(200 << 20) });
      res.write('[');
    };
    const err = await listApps(client(undefined, { maxBodyBytes: 1 << 20 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
  });

  for (const junk of ['-1000000', '1e20', '100000000000', 'lots', '4500, 3']) {
    it(`RateLimit-Remaining: ${junk} is ignored with one warning: no 9-day wait, no inflated pool`, async () => {
      handler = (req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'RateLimit-Remaining': junk });
        res.end(req.url === '/account/rate-limits' ? '{"remaining":4000}' : JSON.stringify([app(1)]));
      };
      const events: ClientEvent[] = [];
      const c = client(events);
      for (let i = 0; i < 3; i++) await listApps(c);
      expect(events.filter((e) => e.type === 'rate-limit-wait')).toEqual([]);
      expect(events.filter((e) => e.type === 'warning')).toEqual([
        { type: 'warning', message: expect.stringMatching(/^ignoring RateLimit-Remaining ".*" from GET \/(apps|account\/rate-limits): not a count from 0 to 1000000$/) },
      ]);
      expect(c.budgetInfo().pool).toBe(4500);
    });
  }

  it('a wait longer than the deadline is refused up front, not slept through', async () => {
    handler = (req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'RateLimit-Remaining': '0' });
      res.end(req.url === '/account/rate-limits' ? '{"remaining":0}' : JSON.stringify([app(1)]));
    };
    const events: ClientEvent[] = [];
    // One token an hour: the next request would wait an hour; the deadline is a minute.
    const err = await listApps(client(events, { refillPerHour: 1, deadlineMs: 60_000 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as Error).message).toMatch(/^GET \/apps: the Heroku API rate limit needs a wait of \d+s, past the client deadline/);
  });

  it('Next-Range handing out ever-new ranges with nothing new stops after the first repeat', async () => {
    let n = 0;
    handler = (req, res) => {
      if (req.url === '/account/rate-limits') return res.end('{"remaining":4000}');
      n += 1;
      res.writeHead(206, { 'Content-Type': 'application/json', 'Next-Range': `id ]id-${n}..; max=1000` });
      res.end(JSON.stringify([app(1)]));
    };
    const err = await listApps(client()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect((err as Error).message).toMatch(/GET \/apps.*a page with Next-Range brought no new items/);
    expect(n).toBe(2);
  });

  it('ever-new items on ever-new pages stop at the page limit, not after 100,000 requests', async () => {
    let n = 0;
    handler = (req, res) => {
      if (req.url === '/account/rate-limits') return res.end('{"remaining":4000}');
      n += 1;
      res.writeHead(206, { 'Content-Type': 'application/json', 'Next-Range': `id ]id-${n}..; max=1000` });
      res.end(JSON.stringify([app(n)]));
    };
    const err = await listApps(client()).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/more than 1000 pages/);
    expect(n).toBe(1000);
  });

  it('a page larger than its Content-Range max is refused', async () => {
    handler = (req, res) => {
      if (req.url === '/account/rate-limits') return res.end('{"remaining":4000}');
      res.writeHead(206, { 'Content-Type': 'application/json', 'Content-Range': 'id id-1..id-3; max=2', 'Next-Range': 'id ]id-3..; max=2' });
      res.end(JSON.stringify([app(1), app(2), app(3)]));
    };
    const err = await listApps(client()).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/a page holds 3 items, more than its announced max=2/);
  });

  it('a 401 stops the client: later calls fail at once without a request', async () => {
    let requests = 0;
    handler = (req, res) => {
      requests += 1;
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end('{"id":"unauthorized","message":"Invalid credentials provided."}');
    };
    const c = client();
    await expect(listApps(c)).rejects.toThrow(/^401 unauthorized/);
    const before = requests;
    await expect(Promise.all([listApps(c), listApps(c), listApps(c)])).rejects.toThrow(/^401 unauthorized/);
    expect(requests).toBe(before);
  });
});

describe('plain http only to loopback', () => {
  it('accepts literal loopback addresses and localhost, refuses anything.localhost and other names', () => {
    for (const ok of ['http://127.0.0.1:5000', 'http://127.8.9.10', 'http://[::1]:5000', 'http://localhost:5000']) expect(() => resolveApiUrl(ok, {})).not.toThrow();
    for (const bad of ['http://anything.localhost:5000', 'http://api.localhost', 'http://localhost.example.com', 'http://10.0.0.1']) {
      expect(() => resolveApiUrl(bad, {}), bad).toThrow(/plain http:\/\/ to a non-loopback host/);
    }
  });

  it('localhost is only used when it resolves to loopback (checked when connecting)', async () => {
    const server = http.createServer((_req, res) => res.end('[]'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const c = new HerokuClient({ apiUrl: `http://localhost:${port}`, token: 'loopback-token-1' });
    try {
      // On this machine localhost is loopback: the request goes through.
      const res = await c.get<unknown[]>('/apps');
      expect(res.body).toEqual([]);
    } finally {
      c.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('a loopback-only lookup refuses a name that resolves elsewhere (the token is never sent there)', async () => {
    const lookup = loopbackOnlyLookup as unknown as (h: string, o: object, cb: (err: NodeJS.ErrnoException | null, a: unknown) => void) => void;
    const ask = (host: string): Promise<NodeJS.ErrnoException | null> => new Promise((r) => lookup(host, {}, (err) => r(err)));
    expect(await ask('127.0.0.1')).toBeNull();
    expect((await ask('10.0.0.1'))?.code).toBe('ENOTLOOPBACK');
    expect((await ask('10.0.0.1'))?.message).toMatch(/10\.0\.0\.1 resolves to 10\.0\.0\.1, not a loopback address/);
  });
});

describe('through the CLI', () => {
  let hw: HostileWorld;
  beforeAll(async () => {
    hw = await HostileWorld.start();
  }, 120_000);
  afterAll(() => hw.close());

  it('endless paging on a real plan: one line naming the request, nothing written', async () => {
    let n = 0;
    const r = await hw.run(['apply', '--auto-approve'], ({ path }) => {
      if (!path.endsWith('/domains')) return { type: 'pass' };
      n += 1;
      return { type: 'rewrite', rewrite: (up) => ({ ...up, status: 206, headers: { ...up.headers, 'next-range': `id ]x-${n}..; max=1000` } }) };
    });
    expectOneLineError(r, /GET \/apps\/[^/]+\/domains/, 'a page with Next-Range brought no new items');
  });
});

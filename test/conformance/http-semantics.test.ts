/**
 * One test per HTTP behaviour of the Platform API that clients rely on,
 * each written to fail when the behaviour breaks.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';

const V3 = 'application/vnd.heroku+json; version=3';

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

function api(emu: EmulatorHandle, token = 'semantics') {
  return async (method: string, path: string, opts: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> => {
    const headers: Record<string, string> = { Accept: V3, Authorization: `Bearer ${token}`, ...opts.headers };
    for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k];
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(emu.url + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: text === '' ? undefined : JSON.parse(text) };
  };
}

let emu: EmulatorHandle;
let call: ReturnType<typeof api>;
beforeAll(async () => {
  emu = await startEmulator({ rateLimit: 100_000, refillPerHour: 100_000 });
  call = api(emu);
  await call('POST', '/apps', { body: { name: 'sem' } });
  const slug = await call('POST', '/apps/sem/slugs', { body: { process_types: { web: 'x', worker: 'y' } } });
  await call('POST', '/apps/sem/releases', { body: { slug: slug.body.id } });
});
afterAll(() => emu.close());

describe('If-Match → 412 when the resource changed', () => {
  it('guards config-vars with the ETag of GET config-vars', async () => {
    const read = await call('GET', '/apps/sem/config-vars');
    const etag = read.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    await call('PATCH', '/apps/sem/config-vars', { body: { CHANGED_BY: 'someone else' } });
    const before = emu.stats();
    const stale = await call('PATCH', '/apps/sem/config-vars', { body: { MINE: '1' }, headers: { 'If-Match': etag } });
    expect(stale.status).toBe(412);
    expect(stale.body).toEqual({ id: 'precondition_failed', message: expect.any(String) });
    expect((await call('GET', '/apps/sem/config-vars')).body).toEqual({ CHANGED_BY: 'someone else' });
    const after = emu.stats();
    expect(after.preconditionFailed - before.preconditionFailed).toBe(1);
    expect(after.appliedWrites['PATCH /apps/{app}/config-vars']).toBe(before.appliedWrites['PATCH /apps/{app}/config-vars']);

    const fresh = (await call('GET', '/apps/sem/config-vars')).headers.get('etag') ?? '';
    expect((await call('PATCH', '/apps/sem/config-vars', { body: { MINE: '1' }, headers: { 'If-Match': fresh } })).status).toBe(200);
    expect((await call('PATCH', '/apps/sem/config-vars', { body: { MINE: '2' }, headers: { 'If-Match': '*' } })).status).toBe(200);
    expect((await call('PATCH', '/apps/sem/config-vars', { body: { MINE: '3' }, headers: { 'If-Match': `W/${fresh}` } })).status).toBe(412);
  });

  it('guards the batch formation PATCH with the ETag of GET formation', async () => {
    const etag = (await call('GET', '/apps/sem/formation')).headers.get('etag') ?? '';
    const ok = await call('PATCH', '/apps/sem/formation', { body: { updates: [{ type: 'web', quantity: 0 }] }, headers: { 'If-Match': etag } });
    expect(ok.status).toBe(200);
    const stale = await call('PATCH', '/apps/sem/formation', { body: { updates: [{ type: 'web', quantity: 1 }] }, headers: { 'If-Match': etag } });
    expect(stale.status).toBe(412);
    expect((await call('GET', '/apps/sem/formation/web')).body.quantity).toBe(0);
  });

  it('guards a domain and the app itself, on PATCH and DELETE', async () => {
    await call('POST', '/apps/sem/domains', { body: { hostname: 'guard.example.com', sni_endpoint: null } });
    await new Promise((r) => setTimeout(r, 10));
    const domainTag = (await call('GET', '/apps/sem/domains/guard.example.com')).headers.get('etag') ?? '';
    expect((await call('DELETE', '/apps/sem/domains/guard.example.com', { headers: { 'If-Match': '"not-it"' } })).status).toBe(412);
    expect((await call('DELETE', '/apps/sem/domains/guard.example.com', { headers: { 'If-Match': domainTag } })).status).toBe(200);

    const appTag = (await call('GET', '/apps/sem')).headers.get('etag') ?? '';
    await call('PATCH', '/apps/sem', { body: { maintenance: true } });
    expect((await call('PATCH', '/apps/sem', { body: { maintenance: false }, headers: { 'If-Match': appTag } })).status).toBe(412);
    expect((await call('DELETE', '/apps/sem', { headers: { 'If-Match': appTag } })).status).toBe(412);
    expect((await call('GET', '/apps/sem')).body.maintenance).toBe(true);
  });

  it('a resource that is gone answers 404, not 412', async () => {
    expect((await call('DELETE', '/apps/sem/domains/never.example.com', { headers: { 'If-Match': '"x"' } })).status).toBe(404);
  });
});

describe('ETag and If-None-Match → 304', () => {
  it('every response carries a strong ETag that is the hash of its body', async () => {
    for (const [method, path] of [['GET', '/apps/sem'], ['GET', '/apps'], ['GET', '/apps/none'], ['GET', '/regions']] as const) {
      const r = await call(method, path);
      expect(r.headers.get('etag'), path).toBe(`"${createHash('md5').update(r.text).digest('hex')}"`);
    }
  });

  it('answers 304 with no body while nothing changed, 200 after a change', async () => {
    const first = await call('GET', '/apps/sem/config-vars');
    const etag = first.headers.get('etag') ?? '';
    const same = await call('GET', '/apps/sem/config-vars', { headers: { 'If-None-Match': etag } });
    expect(same.status).toBe(304);
    expect(same.text).toBe('');
    expect(same.headers.get('etag')).toBe(etag);
    expect(same.headers.get('ratelimit-remaining')).not.toBeNull();
    expect((await call('GET', '/apps/sem/config-vars', { headers: { 'If-None-Match': `"a", W/${etag}` } })).status).toBe(304);
    await call('PATCH', '/apps/sem/config-vars', { body: { NEW: 'value' } });
    const changed = await call('GET', '/apps/sem/config-vars', { headers: { 'If-None-Match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.body.NEW).toBe('value');
  });

  it('works on lists too', async () => {
    const etag = (await call('GET', '/apps')).headers.get('etag') ?? '';
    expect((await call('GET', '/apps', { headers: { 'If-None-Match': etag } })).status).toBe(304);
  });
});

describe('Ranges', () => {
  it('walks 1,500 items with 206 and Next-Range, and only then', async () => {
    const e = await startEmulator({ rateLimit: 100_000 });
    try {
      const c = api(e);
      await c('POST', '/apps', { body: { name: 'many-domains' } });
      const hostnames = Array.from({ length: 1499 }, (_, i) => `h${String(i).padStart(4, '0')}.example.com`);
      for (let i = 0; i < hostnames.length; i += 50) {
        await Promise.all(hostnames.slice(i, i + 50).map((hostname) => c('POST', '/apps/many-domains/domains', { body: { hostname, sni_endpoint: null } })));
      }
      const all = new Set([...hostnames, 'many-domains.herokuapp.com']);
      expect(all.size).toBe(1500);

      // The maximum page: 1000 then 500.
      const p1 = await c('GET', '/apps/many-domains/domains', { headers: { Range: 'id ..; max=1000;' } });
      expect(p1.status).toBe(206);
      expect(p1.body).toHaveLength(1000);
      const next = p1.headers.get('next-range') ?? '';
      expect(next).toMatch(/^id \][0-9a-f-]{36}\.\.; max=1000$/);
      expect(p1.headers.get('content-range')).toBe(`id ${p1.body[0].id}..${p1.body[999].id}; max=1000`);
      const p2 = await c('GET', '/apps/many-domains/domains', { headers: { Range: next } });
      expect(p2.status).toBe(200);
      expect(p2.body).toHaveLength(500);
      expect(p2.headers.get('next-range')).toBeNull();
      const ids = [...p1.body, ...p2.body].map((d: any) => d.id);
      expect(new Set(ids).size).toBe(1500);
      expect([...ids].sort()).toEqual(ids);

      // No Range: 200 per page by default, as the CLI's http-call follows it.
      let range: string | undefined;
      const seen: string[] = [];
      const statuses: number[] = [];
      do {
        const page = await c('GET', '/apps/many-domains/domains', { headers: range ? { Range: range } : {} });
        statuses.push(page.status);
        expect(page.headers.get('accept-ranges')).toBe('id, hostname');
        seen.push(...page.body.map((d: any) => d.hostname));
        range = page.headers.get('next-range') ?? undefined;
        if (page.status === 200) expect(range).toBeUndefined();
      } while (range);
      expect(statuses).toEqual([206, 206, 206, 206, 206, 206, 206, 200]);
      expect(new Set(seen)).toEqual(all);

      // By another field, descending, small pages.
      range = 'hostname ..; max=100, order=desc';
      const desc: string[] = [];
      let pages = 0;
      while (range) {
        const page = await c('GET', '/apps/many-domains/domains', { headers: { Range: range } });
        desc.push(...page.body.map((d: any) => d.hostname));
        range = page.headers.get('next-range') ?? undefined;
        pages += 1;
      }
      expect(pages).toBe(15);
      expect(desc).toEqual([...all].sort().reverse());

      // Max is capped at 1000, and bounds are honoured.
      expect((await c('GET', '/apps/many-domains/domains', { headers: { Range: 'id ..; max=5000' } })).body).toHaveLength(1000);
      const bounded = await c('GET', '/apps/many-domains/domains', { headers: { Range: 'hostname ]h0010.example.com..h0014.example.com[' } });
      expect(bounded.body.map((d: any) => d.hostname)).toEqual(['h0011.example.com', 'h0012.example.com', 'h0013.example.com']);
    } finally {
      await e.close();
    }
  });

  it('answers 416 requested_range_not_satisfiable on a bad range', async () => {
    for (const range of ['name ..', 'id ..; max=0', 'id ..; max=-3', 'id ..; order=random', 'id ..abc', 'id ..; foo=bar', 'id garbage']) {
      const r = await call('GET', '/apps/sem/domains', { headers: { Range: range } });
      expect(r.status, range).toBe(416);
      expect(r.body.id).toBe('requested_range_not_satisfiable');
    }
    // An empty Range header (sent by `apps:create --buildpack`) is no range.
    expect((await call('GET', '/apps/sem/domains', { headers: { Range: ' ' } })).status).toBe(200);
  });
});

describe('Accept, auth and validation', () => {
  it('406 not_acceptable without the v3 Accept header; v3 variants are fine', async () => {
    for (const accept of ['', 'application/json', 'application/vnd.heroku+json; version=2']) {
      const r = await call('GET', '/apps', { headers: { Accept: accept } });
      expect(r.status, accept).toBe(406);
      expect(r.body.id).toBe('not_acceptable');
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    }
    expect((await call('GET', '/apps', { headers: { Accept: 'application/vnd.heroku+json; version=3.sdk' } })).status).toBe(200);
  });

  it('401 unauthorized without a token, with a placeholder, or with an unknown key', async () => {
    for (const auth of ['', 'Bearer undefined', 'Basic Zm9v', 'Token abc']) {
      const r = await call('GET', '/account', { headers: { Authorization: auth } });
      expect(r.status, auth).toBe(401);
      expect(r.body).toEqual({ id: 'unauthorized', message: 'Invalid credentials provided.' });
    }
    const keyed = await startEmulator({ apiKeys: ['right'] });
    try {
      expect((await api(keyed, 'wrong')('GET', '/account')).status).toBe(401);
      expect((await api(keyed, 'right')('GET', '/account')).status).toBe(200);
      const basic = `Basic ${Buffer.from('me@example.com:right').toString('base64')}`;
      expect((await api(keyed)('GET', '/account', { headers: { Authorization: basic } })).status).toBe(200);
    } finally {
      await keyed.close();
    }
  });

  it('422 invalid_params naming the field, from the link schemas', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/apps', { name: 'NO' }, 'name'],
      ['PATCH', '/apps/sem', { maintenance: 'on' }, 'maintenance'],
      ['PATCH', '/apps/sem/config-vars', { OK: 'x', NOT_OK: 1 }, 'NOT_OK'],
      ['POST', '/apps/sem/addons', { name: 'x' }, 'plan'],
      ['POST', '/apps/sem/domains', { sni_endpoint: null }, 'hostname'],
      ['POST', '/apps/sem/log-drains', { url: 42 }, 'url'],
      ['PATCH', '/apps/sem/formation', { updates: [{ type: 'web', quantity: 'many' }] }, 'quantity'],
      ['POST', '/addon-attachments', { app: 'sem' }, 'addon'],
    ];
    for (const [method, path, body, field] of cases) {
      const r = await call(method, path, { body });
      expect(r.status, `${method} ${path}`).toBe(422);
      expect(r.body.id).toBe('invalid_params');
      expect(r.body.message, `${method} ${path}`).toContain(field);
    }
  });
});

describe('rate limit', () => {
  it('RateLimit-Remaining counts down on every response, then 429 rate_limit; rate-limits is free', async () => {
    const e = await startEmulator({ rateLimit: 5, refillPerHour: 0, apiKeys: ['a', 'b'] });
    try {
      const a = api(e, 'a');
      const remaining: string[] = [];
      for (let i = 0; i < 5; i++) remaining.push((await a('GET', '/apps')).headers.get('ratelimit-remaining') ?? '');
      expect(remaining).toEqual(['4', '3', '2', '1', '0']);
      const limited = await a('GET', '/apps');
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ id: 'rate_limit', message: expect.stringContaining('rate limit') });
      expect(limited.headers.get('ratelimit-remaining')).toBe('0');
      const free = await a('GET', '/account/rate-limits');
      expect(free.status).toBe(200);
      expect(free.body).toEqual({ remaining: 0 });
      // Each account has its own bucket.
      expect((await api(e, 'b')('GET', '/apps')).headers.get('ratelimit-remaining')).toBe('4');
      expect(e.stats().rateLimited).toBe(1);
    } finally {
      await e.close();
    }
  });

  it('the bucket refills at the configured rate', async () => {
    const e = await startEmulator({ rateLimit: 2, refillPerHour: 3_600_000 }); // one token per millisecond
    try {
      const a = api(e);
      await a('GET', '/apps');
      await a('GET', '/apps');
      await new Promise((r) => setTimeout(r, 20));
      expect((await a('GET', '/apps')).status).toBe(200);
    } finally {
      await e.close();
    }
  });
});

describe('method override, HEAD, Request-Id, Content-Type', () => {
  it('X-Http-Method-Override on POST acts as the named method', async () => {
    await call('POST', '/apps', { body: { name: 'override-me' } });
    const patched = await call('POST', '/apps/override-me/config-vars', { body: { VIA: 'override' }, headers: { 'X-Http-Method-Override': 'PATCH' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ VIA: 'override' });
    expect(emu.stats().writes['PATCH /apps/{app}/config-vars']).toBeGreaterThan(0);
    expect((await call('POST', '/apps/override-me', { headers: { 'X-Http-Method-Override': 'DELETE' } })).status).toBe(200);
    expect((await call('GET', '/apps/override-me')).status).toBe(404);
    expect((await call('POST', '/apps', { body: {}, headers: { 'X-Http-Method-Override': 'FROB' } })).status).toBe(400);
    // Only POST can be overridden.
    expect((await call('GET', '/apps/sem', { headers: { 'X-Http-Method-Override': 'DELETE' } })).status).toBe(200);
  });

  it('HEAD answers the GET headers without a body', async () => {
    const get = await call('GET', '/apps/sem');
    const head = await call('HEAD', '/apps/sem');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers.get('etag')).toBe(get.headers.get('etag'));
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(get.text)));
    expect((await call('HEAD', '/apps/nothing-here')).status).toBe(404);
  });

  it('Request-Id: the caller chain plus a fresh id of ours on every response', async () => {
    const a = await call('GET', '/apps', { headers: { 'Request-Id': 'aaaa-1,bbbb-2' } });
    const ours = (a.headers.get('request-id') ?? '').split(',');
    expect(ours.slice(0, 2)).toEqual(['aaaa-1', 'bbbb-2']);
    expect(ours[2]).toMatch(/^[0-9a-f-]{36}$/);
    const b = await call('GET', '/nope');
    expect(b.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.headers.get('request-id')).not.toBe(ours[2]);
  });

  it('JSON Content-Type on every response, errors included', async () => {
    for (const r of [await call('GET', '/apps'), await call('GET', '/apps/missing'), await call('GET', '/apps', { headers: { Accept: '' } })]) {
      expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    }
  });
});

describe('faults', () => {
  const outcomes = async (seed: number) => {
    const e = await startEmulator({ faultRate: 0.3, seed });
    const c = api(e);
    const seen: string[] = [];
    try {
      for (let i = 0; i < 40; i++) {
        try {
          seen.push(String((await c('GET', '/regions')).status));
        } catch {
          seen.push('dropped');
        }
      }
    } finally {
      await e.close();
    }
    return seen;
  };

  it('500/503/dropped connections, the same ones under the same seed', async () => {
    const a = await outcomes(99);
    expect(await outcomes(99)).toEqual(a);
    expect(a).toContain('200');
    expect(a.some((s) => s === '500' || s === '503' || s === 'dropped')).toBe(true);
    expect(await outcomes(100)).not.toEqual(a);
  });

  it('drop-after applies the write, then drops: a retried POST finds it done', async () => {
    const e = await startEmulator();
    try {
      const c = api(e);
      e.failNext(1, 'drop-after', { method: 'POST', path: /^\/apps$/ });
      await expect(c('POST', '/apps', { body: { name: 'ambiguous' } })).rejects.toThrow();
      expect((await c('GET', '/apps/ambiguous')).status).toBe(200);
      const retry = await c('POST', '/apps', { body: { name: 'ambiguous' } });
      expect(retry.status).toBe(422);
      expect(e.stats().appliedWrites['POST /apps']).toBe(1);
      expect(e.stats().faults['drop-after']).toBe(1);

      e.failNext(1, 'drop-before', { method: 'POST' });
      await expect(c('POST', '/apps', { body: { name: 'never-made' } })).rejects.toThrow();
      expect((await c('GET', '/apps/never-made')).status).toBe(404);

      e.failNext(2, '503');
      const r = await c('GET', '/apps');
      expect(r.status).toBe(503);
      expect(r.body.id).toBe('service_unavailable');
      expect((await c('GET', '/apps')).status).toBe(503);
      expect((await c('GET', '/apps')).status).toBe(200);
      e.setFaultRate(1);
      await c('GET', '/regions').catch(() => undefined);
      expect(Object.values(e.stats().faults).reduce((x, y) => x + y, 0)).toBe(5);
    } finally {
      await e.close();
    }
  });
});

describe('concurrency', () => {
  it('serves many parallel keep-alive requests; concurrent config PATCHes each cut one release', async () => {
    await call('POST', '/apps', { body: { name: 'busy' } });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => call('PATCH', '/apps/busy/config-vars', { body: { [`K${i}`]: String(i) } })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(Object.keys((await call('GET', '/apps/busy/config-vars')).body)).toHaveLength(50);
    const releases = (await call('GET', '/apps/busy/releases')).body;
    expect(releases.map((r: any) => r.version)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
    const reads = await Promise.all(Array.from({ length: 300 }, () => call('GET', '/apps/busy/config-vars')));
    expect(reads.every((r) => r.status === 200)).toBe(true);
  });
});

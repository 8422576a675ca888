import { describe, expect, it } from 'vitest';
import { Router } from '../../../src/emulator/http/router.js';
import { Random } from '../../../src/emulator/random.js';
import type { RouteDef } from '../../../src/emulator/resources/types.js';

const route = (method: RouteDef['method'], pattern: string): RouteDef => ({ method, pattern, handler: () => ({ status: 200, body: pattern }) });

describe('Router', () => {
  const router = new Router([
    route('GET', '/apps/{app}/addons/{addon}'),
    route('GET', '/apps/{app}/formation'),
    route('GET', '/apps/{app}/{thing}'),
    route('GET', '/apps/{app}/log-drains/{drain}'),
    route('PATCH', '/apps/{app}'),
  ]);

  it('prefers literal segments over parameters, whatever the order of definition', () => {
    expect(router.match('GET', '/apps/shop/formation')?.def.pattern).toBe('/apps/{app}/formation');
    expect(router.match('GET', '/apps/shop/domains')?.params).toEqual({ app: 'shop', thing: 'domains' });
  });

  it('decodes parameters (drain URLs are percent-encoded) and tolerates a trailing slash', () => {
    const m = router.match('GET', `/apps/shop/log-drains/${encodeURIComponent('https://logs.example.com/x?y=1')}`);
    expect(m?.params.drain).toBe('https://logs.example.com/x?y=1');
    expect(router.match('GET', '/apps/shop/formation/')?.def.pattern).toBe('/apps/{app}/formation');
  });

  it('matches the method and the segment count exactly', () => {
    expect(router.match('GET', '/apps/shop')).toBeUndefined();
    expect(router.match('PATCH', '/apps/shop')?.def.method).toBe('PATCH');
    expect(router.match('GET', '/apps/shop/addons/db/extra')).toBeUndefined();
    expect(router.match('GET', '/apps//formation')).toBeUndefined();
    expect(router.match('GET', '/apps/%E0%A4%A/formation')).toBeUndefined();
  });
});

describe('Random', () => {
  it('repeats per seed and stream, and makes RFC 4122 v4 UUIDs', () => {
    const a = new Random(1, 0);
    const b = new Random(1, 0);
    const c = new Random(1, 1);
    const xs = Array.from({ length: 5 }, () => a.u32());
    expect(Array.from({ length: 5 }, () => b.u32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.u32())).not.toEqual(xs);
    for (let i = 0; i < 100; i++) expect(a.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ints = Array.from({ length: 1000 }, () => a.int(10));
    expect(Math.min(...ints)).toBe(0);
    expect(Math.max(...ints)).toBe(9);
  });
});

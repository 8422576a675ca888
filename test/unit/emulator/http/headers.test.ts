import { describe, expect, it } from 'vitest';
import { acceptsV3 } from '../../../../src/emulator/http/accept.js';
import { tokenOf } from '../../../../src/emulator/http/auth.js';
import { etagOf, ifMatch, noneMatch } from '../../../../src/emulator/http/etag.js';
import { requestIdChain } from '../../../../src/emulator/http/request-id.js';

describe('Accept', () => {
  it('takes version 3 and its variants only', () => {
    expect(acceptsV3('application/vnd.heroku+json; version=3')).toBe(true);
    expect(acceptsV3('application/vnd.heroku+json; version=3.sdk')).toBe(true);
    expect(acceptsV3('text/html, application/vnd.heroku+json;version="3.webhooks"')).toBe(true);
    expect(acceptsV3(undefined)).toBe(false);
    expect(acceptsV3('application/json')).toBe(false);
    expect(acceptsV3('application/vnd.heroku+json; version=2')).toBe(false);
    expect(acceptsV3('application/vnd.heroku+json; version=30')).toBe(false);
    expect(acceptsV3('application/vnd.heroku+json')).toBe(false);
  });
});

describe('Authorization', () => {
  const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
  it('reads Bearer and Basic (token as password)', () => {
    expect(tokenOf('Bearer abc')).toBe('abc');
    expect(tokenOf('bearer abc')).toBe('abc');
    expect(tokenOf(basic('me@example.com:abc'))).toBe('abc');
    expect(tokenOf(basic(':abc'))).toBe('abc');
    expect(tokenOf(basic('abc:'))).toBe('abc');
  });
  it('treats missing and placeholder tokens as none', () => {
    for (const h of [undefined, '', 'Bearer', 'Bearer ', 'Bearer undefined', 'Bearer null', 'Token abc', basic('nocolon')]) {
      expect(tokenOf(h), String(h)).toBeUndefined();
    }
  });
});

describe('ETags', () => {
  it('is a strong hash of the body', () => {
    expect(etagOf('{"a":1}')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(etagOf('{"a":1}')).toBe(etagOf('{"a":1}'));
    expect(etagOf('{"a":1}')).not.toBe(etagOf('{"a":2}'));
  });
  it('If-None-Match compares weakly, If-Match strongly', () => {
    const e = etagOf('x');
    expect(noneMatch(e, e)).toBe(true);
    expect(noneMatch(`W/${e}`, e)).toBe(true);
    expect(noneMatch(`"other", ${e}`, e)).toBe(true);
    expect(noneMatch('*', e)).toBe(true);
    expect(noneMatch('"other"', e)).toBe(false);
    expect(ifMatch(e, e)).toBe(true);
    expect(ifMatch('*', e)).toBe(true);
    expect(ifMatch(`W/${e}`, e)).toBe(false);
    expect(ifMatch('"other"', e)).toBe(false);
  });
});

describe('Request-Id', () => {
  it('appends ours to the caller chain', () => {
    const { id, header } = requestIdChain('a1,b2');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(header).toBe(`a1,b2,${id}`);
  });
  it('drops ids that are not plain tokens and caps the echo', () => {
    expect(requestIdChain('ok-1,<script>').header).toMatch(/^ok-1,[0-9a-f-]{36}$/);
    const long = Array.from({ length: 400 }, (_, i) => `id-${i}-${'x'.repeat(20)}`).join(',');
    expect(requestIdChain(long).header.length).toBeLessThan(7 * 1024 + 40);
  });
});

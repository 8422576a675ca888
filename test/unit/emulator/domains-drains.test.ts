import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../../../src/emulator/index.js';
import { tick, withEmulator, type Call } from './helpers.js';

let emu: EmulatorHandle;
let call: Call;
beforeAll(async () => {
  ({ emu, call } = await withEmulator());
  await call('POST', '/apps', { body: { name: 'web-a' } });
  await call('POST', '/apps', { body: { name: 'web-b' } });
});
afterAll(() => emu.close());

describe('domains', () => {
  it('creates a custom domain with a DNS target; pending, then succeeded', async () => {
    const res = await call('POST', '/apps/web-a/domains', { body: { hostname: 'WWW.Example.com', sni_endpoint: null } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ hostname: 'www.example.com', kind: 'custom', status: 'pending', sni_endpoint: null, app: { name: 'web-a' } });
    expect(res.body.cname).toMatch(/^[a-z]+-[a-z]+-[0-9a-f]{12}\.herokudns\.com$/);
    await tick(20);
    expect((await call('GET', '/apps/web-a/domains/www.example.com')).body.status).toBe('succeeded');
    expect((await call('GET', `/apps/web-a/domains/${res.body.id}`)).body.hostname).toBe('www.example.com');
  });

  it('a hostname is unique across all apps', async () => {
    await call('POST', '/apps/web-a/domains', { body: { hostname: 'shop.example.com', sni_endpoint: null } });
    const again = await call('POST', '/apps/web-a/domains', { body: { hostname: 'shop.example.com', sni_endpoint: null } });
    expect(again.status).toBe(422);
    const elsewhere = await call('POST', '/apps/web-b/domains', { body: { hostname: 'shop.example.com', sni_endpoint: null } });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.message).toBe('shop.example.com is currently in use by another app.');
  });

  it('validates hostname and sni_endpoint, both required as in the schema', async () => {
    expect((await call('POST', '/apps/web-a/domains', { body: { hostname: 'x.example.com' } })).status).toBe(422);
    expect((await call('POST', '/apps/web-a/domains', { body: { sni_endpoint: null } })).status).toBe(422);
    for (const hostname of ['not a host', 'under_score.example.com', 'web-b.herokuapp.com', '-x.example.com']) {
      expect((await call('POST', '/apps/web-a/domains', { body: { hostname, sni_endpoint: null } })).status, hostname).toBe(422);
    }
    expect((await call('POST', '/apps/web-a/domains', { body: { hostname: '*.wild.example.com', sni_endpoint: null } })).status).toBe(201);
    expect((await call('POST', '/apps/web-a/domains', { body: { hostname: 'sni.example.com', sni_endpoint: 'my-cert' } })).status).toBe(422);
  });

  it('updates sni_endpoint (null only, without certificates) and deletes; the heroku domain stays', async () => {
    await call('POST', '/apps/web-b/domains', { body: { hostname: 'api.example.com', sni_endpoint: null } });
    const patched = await call('PATCH', '/apps/web-b/domains/api.example.com', { body: { sni_endpoint: null } });
    expect(patched.status).toBe(200);
    expect((await call('PATCH', '/apps/web-b/domains/api.example.com', { body: {} })).status).toBe(422);
    const gone = await call('DELETE', '/apps/web-b/domains/api.example.com');
    expect(gone.body.hostname).toBe('api.example.com');
    expect((await call('GET', '/apps/web-b/domains/api.example.com')).status).toBe(404);
    expect((await call('DELETE', '/apps/web-b/domains/web-b.herokuapp.com')).status).toBe(422);
    expect((await call('GET', '/apps/web-b/sni-endpoints')).body).toEqual([]);
  });
});

describe('log drains', () => {
  it('creates and finds a drain by id, url (encoded) or token, and deletes by any of them', async () => {
    const url = 'syslog+tls://logs.example.com:6514';
    const res = await call('POST', '/apps/web-a/log-drains', { body: { url } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ url, addon: null, app: { name: 'web-a' } });
    expect(res.body.token).toMatch(/^d\.[0-9a-f-]{36}$/);
    for (const key of [res.body.id, encodeURIComponent(url), res.body.token]) {
      expect((await call('GET', `/apps/web-a/log-drains/${key}`)).body.id, key).toBe(res.body.id);
    }
    expect((await call('POST', '/apps/web-a/log-drains', { body: { url } })).status).toBe(422);
    expect((await call('DELETE', `/apps/web-a/log-drains/${res.body.token}`)).body.id).toBe(res.body.id);
    expect((await call('GET', '/apps/web-a/log-drains')).body).toEqual([]);
  });

  it('validates the url', async () => {
    for (const url of ['not a url', 'ftp://logs.example.com', 'https://']) {
      expect((await call('POST', '/apps/web-a/log-drains', { body: { url } })).status, url).toBe(422);
    }
    const secret = await call('POST', '/apps/web-a/log-drains', { body: { url: 'https://user:hunter2@ bad host' } });
    expect(secret.status).toBe(422);
    expect(secret.text).not.toContain('hunter2');
    expect((await call('POST', '/apps/web-a/log-drains', { body: {} })).status).toBe(422);
    expect((await call('GET', '/apps/web-a/log-drains/d.nothing')).status).toBe(404);
  });
});

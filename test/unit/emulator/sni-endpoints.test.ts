/**
 * SNI endpoints in the emulator: real PEM certificates parsed with node's
 * X509Certificate into schema-valid `ssl_cert` fields, the key checked
 * against the certificate, domains naming their endpoint, and deletion
 * releasing them. Bodies are checked against the official schema.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../../src/emulator/index.js';
import { linkFor, targetValidator } from '../../conformance/support.js';
import { makeCert, type TestCert } from '../../helpers/certs.js';
import { client, type Call } from './helpers.js';

let emu: EmulatorHandle;
let call: Call;
let selfSigned: TestCert;
let chained: TestCert;
let other: TestCert;
beforeAll(async () => {
  emu = await startEmulator({ rateLimit: 1_000_000, refillPerHour: 1_000_000 });
  call = client(emu);
  selfSigned = makeCert(['www.sni.example.com', 'api.sni.example.com']);
  chained = makeCert(['shop.sni.example.com'], { ca: true });
  other = makeCert(['other.sni.example.com']);
});
afterAll(() => emu.close());

function expectSchemaValid(method: string, pattern: string, body: unknown): void {
  const link = linkFor(method, pattern);
  if (!link) throw new Error(`no link ${method} ${pattern} in the schema`);
  const validate = targetValidator(link);
  expect(validate(body) ? [] : validate.errors).toEqual([]);
}

describe('SNI endpoints', () => {
  it('creates an endpoint from a chain and its key, with ssl_cert read from the certificate', async () => {
    await call('POST', '/apps', { body: { name: 'sni-app' } });
    expect((await call('GET', '/apps/sni-app/sni-endpoints')).body).toEqual([]);
    const res = await call('POST', '/apps/sni-app/sni-endpoints', { body: { certificate_chain: selfSigned.chain, private_key: selfSigned.key } });
    expect(res.status).toBe(201);
    expectSchemaValid('POST', '/apps/{}/sni-endpoints', res.body);
    expect(res.body.name).toMatch(/^[a-z][a-z0-9-]{2,29}$/);
    expect(res.body.certificate_chain).toBe(selfSigned.chain);
    expect(res.body).not.toHaveProperty('private_key');
    expect(res.body.ssl_cert).toMatchObject({
      cert_domains: ['www.sni.example.com', 'api.sni.example.com'],
      subject: '/CN=www.sni.example.com',
      issuer: '/CN=www.sni.example.com',
      'self_signed?': true,
      'ca_signed?': false,
    });
    expect(Date.parse(res.body.ssl_cert.expires_at)).toBeGreaterThan(Date.now() + 80 * 86_400_000);
    const listed = await call('GET', '/apps/sni-app/sni-endpoints');
    expectSchemaValid('GET', '/apps/{}/sni-endpoints', listed.body);
    expect(listed.body.map((e: { id: string }) => e.id)).toEqual([res.body.id]);
    const byName = await call('GET', `/apps/sni-app/sni-endpoints/${res.body.name}`);
    expect(byName.body.id).toBe(res.body.id);
    expect(byName.headers.get('etag')).toBeTruthy();
  });

  it('reads a CA-signed chain: the leaf is the certificate, not self-signed', async () => {
    const res = await call('POST', '/apps/sni-app/sni-endpoints', { body: { certificate_chain: chained.chain, private_key: chained.key } });
    expect(res.status).toBe(201);
    expect(res.body.ssl_cert).toMatchObject({ cert_domains: ['shop.sni.example.com'], issuer: '/O=dynoform tests/CN=dynoform test CA', 'self_signed?': false, 'ca_signed?': false });
  });

  it('refuses a key that is not the certificate’s, a chain that is no certificate, and a key that is no key', async () => {
    const mismatch = await call('POST', '/apps/sni-app/sni-endpoints', { body: { certificate_chain: selfSigned.chain, private_key: other.key } });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.message).toMatch(/Key doesn't match/);
    const junk = await call('POST', '/apps/sni-app/sni-endpoints', { body: { certificate_chain: 'not a certificate', private_key: selfSigned.key } });
    expect(junk.status).toBe(422);
    expect(junk.body.message).toMatch(/no PEM certificate/);
    const broken = selfSigned.chain.replace(/^(-----BEGIN CERTIFICATE-----\n)[A-Za-z0-9+/]{8}/, '$1AAAAAAAA');
    expect((await call('POST', '/apps/sni-app/sni-endpoints', { body: { certificate_chain: broken, private_key: selfSigned.key } })).status).toBe(422);
    const badKey = await call('POST', '/apps/sni-app/sni-endpoints', { body: { certificate_chain: selfSigned.chain, private_key: 'junk' } });
    expect(badKey.status).toBe(422);
    expect(badKey.text).not.toContain('junk');
    expect((await call('POST', '/apps/sni-app/sni-endpoints', { body: { certificate_chain: selfSigned.chain } })).status).toBe(422);
  });

  it('lets a domain name its endpoint by name or id, shows it on both sides, and releases it on delete', async () => {
    await call('POST', '/apps', { body: { name: 'sni-dom' } });
    const ep = (await call('POST', '/apps/sni-dom/sni-endpoints', { body: { certificate_chain: selfSigned.chain, private_key: selfSigned.key } })).body;
    const d = await call('POST', '/apps/sni-dom/domains', { body: { hostname: 'www.sni.example.com', sni_endpoint: ep.name } });
    expect(d.status).toBe(201);
    expect(d.body.sni_endpoint).toEqual({ id: ep.id, name: ep.name });
    expectSchemaValid('POST', '/apps/{}/domains', d.body);
    await call('POST', '/apps/sni-dom/domains', { body: { hostname: 'api.sni.example.com', sni_endpoint: null } });
    const patched = await call('PATCH', '/apps/sni-dom/domains/api.sni.example.com', { body: { sni_endpoint: ep.id } });
    expect(patched.body.sni_endpoint.name).toBe(ep.name);
    const shown = (await call('GET', `/apps/sni-dom/sni-endpoints/${ep.id}`)).body;
    expect(shown.domains.sort()).toEqual([d.body.id, patched.body.id].sort());
    // Another app's endpoint is not this app's.
    await call('POST', '/apps/sni-app/domains', { body: { hostname: 'x.sni-app.example.com', sni_endpoint: null } });
    expect((await call('PATCH', '/apps/sni-app/domains/x.sni-app.example.com', { body: { sni_endpoint: ep.name } })).status).toBe(422);

    const del = await call('DELETE', `/apps/sni-dom/sni-endpoints/${ep.name}`);
    expect(del.status).toBe(200);
    expectSchemaValid('DELETE', '/apps/{}/sni-endpoints/{}', del.body);
    expect((await call('GET', '/apps/sni-dom/domains/www.sni.example.com')).body.sni_endpoint).toBeNull();
    expect((await call('GET', `/apps/sni-dom/sni-endpoints/${ep.id}`)).status).toBe(404);
  });

  it('replaces the certificate in place on PATCH: same endpoint and name, new ssl_cert, domains kept; an If-Match that moved is a 412', async () => {
    await call('POST', '/apps', { body: { name: 'sni-upd' } });
    const ep = (await call('POST', '/apps/sni-upd/sni-endpoints', { body: { certificate_chain: selfSigned.chain, private_key: selfSigned.key } })).body;
    expect((await call('POST', '/apps/sni-upd/domains', { body: { hostname: 'upd.sni.example.com', sni_endpoint: ep.name } })).status).toBe(201);
    const etag = (await call('GET', `/apps/sni-upd/sni-endpoints/${ep.id}`)).headers.get('etag')!;
    const upd = await call('PATCH', `/apps/sni-upd/sni-endpoints/${ep.id}`, { body: { certificate_chain: other.chain, private_key: other.key }, headers: { 'If-Match': etag } });
    expect(upd.status).toBe(200);
    expectSchemaValid('PATCH', '/apps/{}/sni-endpoints/{}', upd.body);
    expect(upd.body).toMatchObject({ id: ep.id, name: ep.name });
    expect(upd.body.ssl_cert.cert_domains).toEqual(['other.sni.example.com']);
    expect(upd.body.ssl_cert.id).not.toBe(ep.ssl_cert.id);
    expect(upd.body.domains).toHaveLength(1);
    const stale = await call('PATCH', `/apps/sni-upd/sni-endpoints/${ep.id}`, { body: { certificate_chain: selfSigned.chain, private_key: selfSigned.key }, headers: { 'If-Match': etag } });
    expect(stale.status).toBe(412);
    expect((await call('GET', `/apps/sni-upd/sni-endpoints/${ep.id}`)).body.ssl_cert.cert_domains).toEqual(['other.sni.example.com']);
  });

  it('goes with its app', async () => {
    await call('POST', '/apps', { body: { name: 'sni-gone' } });
    await call('POST', '/apps/sni-gone/sni-endpoints', { body: { certificate_chain: selfSigned.chain, private_key: selfSigned.key } });
    await call('DELETE', '/apps/sni-gone');
    await call('POST', '/apps', { body: { name: 'sni-gone' } });
    expect((await call('GET', '/apps/sni-gone/sni-endpoints')).body).toEqual([]);
  });
});

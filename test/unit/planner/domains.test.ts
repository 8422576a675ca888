import { describe, expect, it } from 'vitest';
import { domainGuard } from '../../../src/util/guard.js';
import { change, liveDomain, managed, plan } from './fixtures.js';

describe('planner: domains', () => {
  it('creates a declared domain', () => {
    const m = managed('shop', { desired: { domains: [{ hostname: 'www.example.com' }] } });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/domain.www.example.com');
    expect(c.action).toBe('create');
    expect(c.op).toEqual({ type: 'domain.create', hostname: 'www.example.com', sniEndpoint: null });
    expect(c.requests).toBe(1);
  });

  it('adopts a live, unowned domain without a request', () => {
    const d = liveDomain('www.example.com');
    const m = managed('shop', { desired: { domains: [{ hostname: 'www.example.com' }] }, live: { domains: [d] } });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/domain.www.example.com');
    expect(c.action).toBe('adopt');
    expect(c.op).toEqual({ type: 'domain.adopt', domainId: d.id, hostname: 'www.example.com' });
    expect(c.requests).toBe(0);
  });

  it('updates the certificate of an owned domain only when declared', () => {
    const d = liveDomain('api.example.com', { sniEndpoint: 'sni-old' });
    const base = { live: { domains: [d] }, inv: { domains: { 'api.example.com': { id: d.id, hostname: 'api.example.com' } } } };
    const declared = managed('shop', { ...base, desired: { domains: [{ hostname: 'api.example.com', sniEndpoint: null }] } });
    const c = change(plan({ desired: [declared.desired], live: { shop: declared.live }, inventory: [declared.inv] }), 'app.shop/domain.api.example.com');
    expect(c.action).toBe('update');
    expect(c.op).toEqual({ type: 'domain.update', domainId: d.id, hostname: 'api.example.com', sniEndpoint: null });
    expect(c.guard).toEqual({ fingerprint: domainGuard(d) });
    expect(c.requests).toBe(2);

    const unmanagedSni = managed('shop', { ...base, desired: { domains: [{ hostname: 'api.example.com' }] } });
    expect(plan({ desired: [unmanagedSni.desired], live: { shop: unmanagedSni.live }, inventory: [unmanagedSni.inv] }).changes).toEqual([]);
  });

  it('deletes an owned domain removed from the YAML, without further consent', () => {
    const d = liveDomain('old.example.com');
    const m = managed('shop', { live: { domains: [d] }, inv: { protect: true, domains: { 'old.example.com': { id: d.id, hostname: 'old.example.com' } } } });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/domain.old.example.com');
    expect(c.action).toBe('delete');
    expect(c.op).toEqual({ type: 'domain.delete', domainId: d.id, hostname: 'old.example.com' });
  });

  it('forgets an owned domain already gone', () => {
    const m = managed('shop', { inv: { domains: { 'old.example.com': { id: 'x', hostname: 'old.example.com' } } } });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/domain.old.example.com');
    expect(c.op).toEqual({ type: 'state.forget' });
  });

  it('ignores the heroku domain and reports unmanaged custom domains', () => {
    const m = managed('shop', { live: { domains: [liveDomain('shop.herokuapp.com', { kind: 'heroku' }), liveDomain('stray.example.com')] } });
    const p = plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] });
    expect(p.changes).toEqual([]);
    const d = p.diagnostics.find((x) => x.code === 'domain-unmanaged');
    expect(d?.message).toMatch(/stray\.example\.com/);
    expect(d?.message).not.toMatch(/herokuapp/);
  });
});

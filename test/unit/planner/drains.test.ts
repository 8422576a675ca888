import { describe, expect, it } from 'vitest';
import { displayDrainUrl } from '../../../src/planner/index.js';
import { change, fingerprint, liveDrain, managed, plan } from './fixtures.js';

describe('planner: drains', () => {
  it('creates a declared drain, addressed by its masked URL', () => {
    const url = 'https://user:pa55word@logs.example.com/ingest';
    const m = managed('shop', { desired: { drains: [{ url, secret: false }] } });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/drain.https://***@logs.example.com/ingest');
    expect(c.action).toBe('create');
    expect(c.op).toMatchObject({ type: 'drain.create', maskedUrl: 'https://***@logs.example.com/ingest' });
    expect(JSON.stringify(c)).not.toContain('pa55word');
    expect(c.after).toEqual({ url: 'https://***@logs.example.com/ingest' });
  });

  it('a secret drain URL is a fingerprint in the op and fully masked on display', () => {
    const url = 'https://logs.example.com/in/tok-abcdef123';
    const m = managed('shop', { desired: { drains: [{ url, secret: true }] } });
    const p = plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] });
    const c = p.changes[0]!;
    expect(c.address).toBe('app.shop/drain.https://logs.example.com/***');
    expect(c.op).toEqual({ type: 'drain.create', url: { kind: 'secret', fingerprint: fingerprint(url, true), envRefs: [] }, maskedUrl: 'https://logs.example.com/***' });
    expect(JSON.stringify(p)).not.toContain('tok-abcdef123');
  });

  it('adopts a live drain with the same URL, and leaves an owned one alone', () => {
    const l = liveDrain('https://logs.example.com/a');
    const m = managed('shop', { desired: { drains: [{ url: l.url, secret: false }] }, live: { drains: [l] } });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/drain.https://logs.example.com/a');
    expect(c.action).toBe('adopt');
    expect(c.op).toMatchObject({ type: 'drain.adopt', drainId: l.id });
    expect(c.requests).toBe(0);

    m.inv.drains = { [l.id]: { id: l.id, urlFingerprint: fingerprint(l.url, false), maskedUrl: l.url } };
    expect(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }).changes).toEqual([]);
  });

  it('deletes an owned drain removed from the YAML, by id, with the masked URL from state', () => {
    const l = liveDrain('https://u:p@logs.example.com/old');
    const m = managed('shop', { live: { drains: [l] }, inv: { drains: { [l.id]: { id: l.id, urlFingerprint: 'x', maskedUrl: 'https://***@logs.example.com/old' } } } });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/drain.https://***@logs.example.com/old');
    expect(c.action).toBe('delete');
    expect(c.op).toEqual({ type: 'drain.delete', drainId: l.id, maskedUrl: 'https://***@logs.example.com/old' });
    expect(c.requests).toBe(2);
  });

  it('forgets an owned drain already gone', () => {
    const m = managed('shop', { inv: { drains: { d1: { id: 'd1', urlFingerprint: 'x', maskedUrl: 'https://logs.example.com/gone' } } } });
    expect(change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/drain.https://logs.example.com/gone').op).toEqual({ type: 'state.forget' });
  });

  it('never touches drains an add-on created, and reports unmanaged ones masked', () => {
    const m = managed('shop', {
      desired: { configMode: 'exclusive' },
      live: { drains: [liveDrain('syslog+tls://addon.example.com:1234', { addonId: 'addon-1' }), liveDrain('https://u:hunter2@stray.example.com/x?token=abc')] },
    });
    const p = plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] });
    expect(p.changes).toEqual([]);
    const d = p.diagnostics.find((x) => x.code === 'drain-unmanaged');
    expect(d?.message).toContain('https://***@stray.example.com/x?token=***');
    expect(d?.message).not.toMatch(/hunter2|abc|addon\.example/);
  });

  it('display masking', () => {
    expect(displayDrainUrl('https://logs.example.com/', true)).toBe('https://logs.example.com/');
    expect(displayDrainUrl('https://a:b@h/p?x=1', true)).toBe('https://***@h/***');
    expect(displayDrainUrl('https://h/p?x=1', false)).toBe('https://h/p?x=1');
  });
});

describe('planner: drain URLs with literal credentials', () => {
  it('keep the credentials out of the plan: a fingerprint instead of the URL', () => {
    const url = 'https://user:literal-pw-123@logs.example.com/x';
    const m = managed('shop', { desired: { drains: [{ url, secret: false }] } });
    const p = plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] });
    expect(p.changes[0]!.op).toEqual({ type: 'drain.create', url: { kind: 'secret', fingerprint: fingerprint(url, true), envRefs: [] }, maskedUrl: 'https://***@logs.example.com/x' });
    expect(JSON.stringify(p)).not.toContain('literal-pw-123');
  });
});

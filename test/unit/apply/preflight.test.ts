import { beforeAll, describe, expect, it } from 'vitest';
import { preflight } from '../../../src/apply/preflight.js';
import { createFingerprinter } from '../../../src/util/fingerprint.js';
import { change, desired, desiredApp, inventory, invApp, plan } from './fixtures.js';

const SECRET = 'hunter2-very-secret';
const fp = createFingerprinter({ keys: { current: 'test-fingerprint-key-0123456789abcdef' } });
let secretFp = '';
let drainFp = '';
const DRAIN = 'https://user:pw-secret@logs.example.com/in';

beforeAll(async () => {
  await fp.prepare([
    { value: SECRET, secret: true },
    { value: DRAIN, secret: true },
    { value: 'changed-value', secret: true },
    { value: 'https://user:changed-value@logs.example.com/in', secret: true },
  ]);
  secretFp = fp.sync(SECRET, true);
  drainFp = fp.sync(DRAIN, true);
});

function configChange() {
  return change('shop', 'config', 'update', {
    type: 'config.patch',
    set: { SECRET_KEY: { kind: 'secret', fingerprint: secretFp, envRefs: ['SECRET_KEY_BASE'] }, RAILS_ENV: { kind: 'literal', value: 'production' } },
    unset: [],
    own: {},
  });
}

const input = (over: Partial<Parameters<typeof preflight>[1]> = {}) => ({
  inventory: inventory([invApp('shop')]),
  desired: desired([desiredApp('shop', { config: { SECRET_KEY: { value: SECRET, secret: true, envRefs: ['SECRET_KEY_BASE'] } } })]),
  fingerprint: fp,
  allowDestroy: false,
  ...over,
});

describe('preflight', () => {
  it('passes a fresh plan whose secrets still match', () => {
    expect(preflight(plan([configChange()]), input())).toEqual([]);
  });

  it('reports plan-stale when the serial or the lineage moved', () => {
    const serial = preflight(plan([]), input({ inventory: inventory([], { serial: 4 }) }));
    expect(serial.map((d) => d.code)).toEqual(['plan-stale']);
    expect(serial[0]!.message).toMatch(/serial 3 .* serial 4/);
    const lineage = preflight(plan([]), input({ inventory: inventory([], { lineage: 'other' }) }));
    expect(lineage.map((d) => d.code)).toEqual(['plan-stale']);
    expect(lineage[0]!.message).toMatch(/another state/);
  });

  it('reports secret-mismatch naming the address and env var, never the value', () => {
    const d = preflight(
      plan([configChange()]),
      input({ desired: desired([desiredApp('shop', { config: { SECRET_KEY: { value: 'changed-value', secret: true, envRefs: ['SECRET_KEY_BASE'] } } })]) }),
    );
    expect(d.map((x) => x.code)).toEqual(['secret-mismatch']);
    expect(d[0]!.address).toBe('app.shop/config');
    expect(d[0]!.message).toContain('$SECRET_KEY_BASE');
    expect(d[0]!.message).toContain('SECRET_KEY');
    expect(JSON.stringify(d)).not.toContain('changed-value');
    expect(JSON.stringify(d)).not.toContain(SECRET);
  });

  it('reports secret-missing when the key is no longer declared', () => {
    const d = preflight(plan([configChange()]), input({ desired: desired([desiredApp('shop')]) }));
    expect(d.map((x) => x.code)).toEqual(['secret-missing']);
  });

  it('checks secret drain URLs against the declared drains', () => {
    const drain = change('shop', 'drain', 'create', { type: 'drain.create', url: { kind: 'secret', fingerprint: drainFp, envRefs: ['DRAIN_PW'] }, maskedUrl: 'https://***@logs.example.com/in' }, { key: 'https://***@logs.example.com/in' });
    const ok = input({ desired: desired([desiredApp('shop', { drains: [{ url: DRAIN, secret: true }] })]) });
    expect(preflight(plan([drain]), ok)).toEqual([]);
    const moved = input({ desired: desired([desiredApp('shop', { drains: [{ url: 'https://user:changed-value@logs.example.com/in', secret: true }] })]) });
    const d = preflight(plan([drain]), moved);
    expect(d.map((x) => x.code)).toEqual(['secret-mismatch']);
    expect(JSON.stringify(d)).not.toContain('changed-value');
  });

  it('refuses app and add-on deletions without --allow-destroy, and while the app is protected', () => {
    const del = change('old', 'app', 'delete', { type: 'app.delete', appId: 'id-old' });
    const forget = change('gone', 'app', 'delete', { type: 'state.forget' });
    const consented = input({ inventory: inventory([invApp('old', { protect: false })]) });
    expect(preflight(plan([del, forget]), consented).map((d) => d.code)).toEqual(['destroy-needs-flag']);
    expect(preflight(plan([del, forget]), { ...consented, allowDestroy: true })).toEqual([]);
    const protectedApp = input({ inventory: inventory([invApp('old', { protect: true })]), allowDestroy: true });
    expect(preflight(plan([del]), protectedApp).map((d) => d.code)).toEqual(['destroy-protected']);
  });
});

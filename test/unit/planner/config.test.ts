import { describe, expect, it } from 'vitest';
import { change, desiredApp, liveAddon, managed, ownedConfig, plan, secret, fingerprint } from './fixtures.js';

describe('planner: config vars', () => {
  it('sets declared keys that are missing or differ, showing declared literals (a live value nobody recorded stays hidden)', () => {
    const m = managed('shop', { desired: { config: { A: '1', B: 'two' } }, live: { vars: { A: '0' } } });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/config');
    expect(c.action).toBe('update');
    expect(c.items).toEqual([
      { key: 'A', action: 'update', before: '(hidden)', after: '1' },
      { key: 'B', action: 'create', after: 'two' },
    ]);
    expect(c.op).toEqual({ type: 'config.patch', set: { A: { kind: 'literal', value: '1' }, B: { kind: 'literal', value: 'two' } }, unset: [], own: {} });
    expect(c.guard).toEqual({ etag: m.live.config.etag });
    expect(c.requests).toBe(1);
    expect(c.sideEffects.releases).toBe(1);
    expect(c.patch).toEqual([
      { op: 'replace', path: '/A', value: '1' },
      { op: 'add', path: '/B', value: 'two' },
    ]);
  });

  it('shows the live value only when it is a literal of ours: recorded as a literal and its fingerprint matches', () => {
    const m = managed('shop', {
      desired: { config: { OURS: 'new', ONCE_SECRET: 'now-literal', EDITED: 'x' } },
      live: { vars: { OURS: 'old', ONCE_SECRET: 'the-old-secret', EDITED: 'edited-by-hand' } },
      inv: { config: ownedConfig({ OURS: 'old', ONCE_SECRET: secret('the-old-secret'), EDITED: 'applied' }) },
    });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/config');
    expect(c.items?.map((i) => [i.key, i.before, i.after])).toEqual([
      ['EDITED', '(hidden)', 'x'],
      ['ONCE_SECRET', '(hidden)', 'now-literal'],
      ['OURS', 'old', 'new'],
    ]);
    expect(JSON.stringify(c)).not.toMatch(/the-old-secret|edited-by-hand/);
  });

  it('guards a write the API gave no ETag for with a fingerprint of the live values it saw (one more request: the re-read)', () => {
    const m = managed('shop', { desired: { config: { A: '1' } }, live: { vars: { A: '0' } } });
    delete m.live.config.etag;
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/config');
    expect(c.guard.etag).toBeUndefined();
    expect(c.guard.fingerprint).toMatch(/^gk:/);
    expect(c.requests).toBe(2);
  });

  it('never shows a secret: (sensitive) after, (hidden) before, a fingerprint in the op', () => {
    const m = managed('shop', { desired: { config: { KEY: secret('s3cr3t-new', ['KEY_ENV']) } }, live: { vars: { KEY: 's3cr3t-old' } } });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/config');
    expect(c.items).toEqual([{ key: 'KEY', action: 'update', before: '(hidden)', after: '(sensitive)' }]);
    expect(c.op).toMatchObject({ set: { KEY: { kind: 'secret', fingerprint: fingerprint('s3cr3t-new', true), envRefs: ['KEY_ENV'] } } });
    expect(JSON.stringify(c)).not.toMatch(/s3cr3t/);
  });

  it('records ownership of keys whose live value already matches, without a request', () => {
    const m = managed('shop', { desired: { config: { A: '1', S: secret('same') } }, live: { vars: { A: '1', S: 'same' } } });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/config');
    expect(c.action).toBe('adopt');
    expect(c.requests).toBe(0);
    expect(c.sideEffects.releases).toBe(0);
    expect(c.guard).toEqual({});
    expect(c.op).toMatchObject({ set: {}, unset: [], own: { A: { kind: 'literal', value: '1' }, S: { kind: 'secret' } } });
  });

  it('plans nothing when owned keys match (noop)', () => {
    const m = managed('shop', { desired: { config: { A: '1' } }, live: { vars: { A: '1', OTHER: 'x' } }, inv: { config: ownedConfig({ A: '1' }) } });
    const p = plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] });
    expect(p.changes).toEqual([]);
  });

  it('unsets owned keys removed from the YAML, hiding their value', () => {
    const m = managed('shop', { live: { vars: { OLD: 'v' } }, inv: { config: ownedConfig({ OLD: 'v' }) } });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/config');
    expect(c.items).toEqual([{ key: 'OLD', action: 'delete', before: '(hidden)', after: null, note: 'removed from the YAML' }]);
    expect(c.op).toMatchObject({ unset: ['OLD'] });
    expect(c.patch).toEqual([{ op: 'remove', path: '/OLD' }]);
    expect(c.requests).toBe(1);
  });

  it('forgets owned keys that are gone both from the YAML and live, without a request', () => {
    const m = managed('shop', { inv: { config: ownedConfig({ GONE: 'v' }) } });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/config');
    expect(c.op).toEqual({ type: 'config.patch', set: {}, unset: [], own: {}, forget: ['GONE'] });
    expect(c.requests).toBe(0);
    expect(c.sideEffects.releases).toBe(0);
  });

  it('merge mode reports undeclared, unowned keys and never deletes them', () => {
    const m = managed('shop', { desired: { configMode: 'merge' }, live: { vars: { STRAY: 'x', OTHER: 'y' } } });
    const p = plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] });
    expect(p.changes).toEqual([]);
    const d = p.diagnostics.find((x) => x.code === 'config-unmanaged-keys');
    expect(d).toMatchObject({ severity: 'info', address: 'app.shop/config' });
    expect(d?.message).toMatch(/OTHER, STRAY/);
    expect(d?.message).not.toMatch(/\bx\b|\by\b/);
  });

  it('exclusive mode unsets undeclared, unowned keys', () => {
    const m = managed('shop', { desired: { configMode: 'exclusive', config: { KEEP: 'k' } }, live: { vars: { KEEP: 'k', STRAY: 'x' } }, inv: { config: ownedConfig({ KEEP: 'k' }) } });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/config');
    expect(c.op).toMatchObject({ unset: ['STRAY'], set: {} });
    expect(c.items).toEqual([{ key: 'STRAY', action: 'delete', before: '(hidden)', after: null, note: 'not declared; config_mode: exclusive deletes it' }]);
  });

  describe('add-on config vars are never planned', () => {
    const setup = (mode: 'merge' | 'exclusive', declareIt: boolean, owned: boolean) => {
      const m = managed('shop', {
        desired: { configMode: mode, config: declareIt ? { DATABASE_URL: 'postgres://mine' } : {} },
        live: { vars: { DATABASE_URL: 'postgres://addon', REDIS_URL: 'redis://addon' }, addonConfigVars: ['DATABASE_URL', 'REDIS_URL'] },
        inv: { config: owned ? ownedConfig({ DATABASE_URL: 'postgres://mine' }) : {} },
      });
      m.live.addons = [liveAddon(m.live, 'heroku-postgresql:essential-0', { attachAs: 'DATABASE', name: 'pg-1' })];
      return plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] });
    };
    const touched = (p: ReturnType<typeof plan>): string[] =>
      p.changes.flatMap((c) => (c.op.type === 'config.patch' ? [...Object.keys(c.op.set), ...c.op.unset, ...Object.keys(c.op.own)] : []));

    for (const mode of ['merge', 'exclusive'] as const) {
      it(`${mode}: not unset when undeclared`, () => {
        expect(touched(setup(mode, false, false))).toEqual([]);
      });
      it(`${mode}: not set when declared, with a warning that names the add-on`, () => {
        const p = setup(mode, true, false);
        expect(touched(p)).toEqual([]);
        const w = p.diagnostics.find((d) => d.code === 'config-key-addon-managed');
        expect(w?.severity).toBe('warning');
        expect(w?.message).toMatch(/^DATABASE_URL is set by add-on pg-1 \(heroku-postgresql\); remove it from the YAML/);
      });
      it(`${mode}: an owned key that an add-on took over is only forgotten`, () => {
        const p = setup(mode, false, true);
        expect(touched(p)).toEqual([]);
        expect(change(p, 'app.shop/config').op).toMatchObject({ forget: ['DATABASE_URL'] });
      });
    }
  });

  it('notes values changed outside dynoform since the last apply', () => {
    const m = managed('shop', { desired: { config: { A: '1' } }, live: { vars: { A: 'hand-edited' } }, inv: { config: ownedConfig({ A: '1' }) } });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/config');
    expect(c.items?.[0]?.note).toBe('changed outside dynoform since the last apply');
  });

  it('creates the config of a new app as part of its creation', () => {
    const p = plan({ desired: [desiredApp('shop', { config: { A: '1' } })] });
    const c = change(p, 'app.shop/config');
    expect(c.action).toBe('create');
    expect(c.before).toBeNull();
    expect(c.dependsOn).toEqual(['app.shop']);
    expect(c.guard).toEqual({});
  });
});

describe('planner: config state refresh', () => {
  it('records the new fingerprint when the YAML changes to match a hand-edited live value', () => {
    const m = managed('shop', { desired: { config: { A: 'hand' } }, live: { vars: { A: 'hand' } }, inv: { config: ownedConfig({ A: 'old' }) } });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/config');
    expect(c.action).toBe('adopt');
    expect(c.requests).toBe(0);
    expect(c.op).toMatchObject({ own: { A: { kind: 'literal', value: 'hand' } }, set: {}, unset: [] });
    expect(c.items?.[0]?.note).toBe('already set: state updated');
  });
});

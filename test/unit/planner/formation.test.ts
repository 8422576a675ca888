import { describe, expect, it } from 'vitest';
import { change, desiredApp, liveFormation, managed, plan } from './fixtures.js';

describe('planner: formation', () => {
  it('sends one batch update with only the changed fields', () => {
    const m = managed('shop', {
      desired: { formation: { web: { type: 'web', quantity: 2, size: 'standard-1X' }, worker: { type: 'worker', quantity: 1, size: 'standard-2X' } } },
      live: { formation: [liveFormation('web', 1, 'Standard-1X'), liveFormation('worker', 1, 'standard-1X')] },
    });
    const c = change(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }), 'app.shop/formation');
    expect(c.action).toBe('update');
    expect(c.op).toEqual({
      type: 'formation.batch',
      updates: [{ type: 'web', quantity: 2 }, { type: 'worker', size: 'standard-2X' }],
      record: { web: { quantity: 2, size: 'standard-1X' }, worker: { quantity: 1, size: 'standard-2X' } },
    });
    expect(c.guard).toEqual({ etag: m.live.formationEtag });
    expect(c.requests).toBe(1);
    expect(c.sideEffects.releases).toBe(0);
    expect(c.items?.map((i) => [i.key, i.before, i.after])).toEqual([
      ['web', '1 × Standard-1X', '2 × Standard-1X'],
      ['worker', '1 × standard-1X', '1 × standard-2X'],
    ]);
  });

  it('compares sizes case-insensitively (noop)', () => {
    const m = managed('shop', {
      desired: { formation: { web: { type: 'web', quantity: 1, size: 'standard-1X' } } },
      live: { formation: [liveFormation('web', 1, 'Standard-1x')] },
      inv: { formation: { web: { quantity: 1, size: 'Standard-1X' } } },
    });
    expect(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }).changes).toEqual([]);
  });

  it('records a declared scale that is already live in state, without a request (so drift can tell hand edits apart)', () => {
    const m = managed('shop', {
      desired: { formation: { web: { type: 'web', quantity: 1, size: 'standard-1X' } } },
      live: { formation: [liveFormation('web', 1, 'Standard-1X')] },
      inv: { formation: { web: { quantity: 1 } } },
    });
    const p = plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] });
    const c = change(p, 'app.shop/formation');
    expect(c.action).toBe('adopt');
    expect(c.requests).toBe(0);
    expect(c.op).toEqual({ type: 'formation.batch', updates: [], record: { web: { quantity: 1, size: 'standard-1X' } } });
    expect(c.items).toEqual([expect.objectContaining({ key: 'web', action: 'adopt', note: 'already at this scale: state updated' })]);
    expect(p.summary.requests).toBe(0);
  });

  it('a type the release does not define waits, with a warning, and is not sent', () => {
    const m = managed('shop', {
      desired: { formation: { web: { type: 'web', quantity: 2 }, worker: { type: 'worker', quantity: 1 } } },
      live: { formation: [liveFormation('web', 1)] },
    });
    const p = plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] });
    const c = change(p, 'app.shop/formation');
    expect(c.action).toBe('update');
    expect(c.op).toEqual({ type: 'formation.batch', updates: [{ type: 'web', quantity: 2 }], record: { web: { quantity: 2 } } });
    expect(c.items?.find((i) => i.key === 'worker')).toMatchObject({ action: 'waiting', note: 'waiting for a release that defines it' });
    expect(p.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'formation-waiting', address: 'app.shop/formation.worker' }));
    expect(p.summary.waiting).toBe(1);
  });

  it('only waiting types make a waiting change with no request', () => {
    const m = managed('shop', { desired: { formation: { worker: { type: 'worker', quantity: 1 } } } });
    const p = plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] });
    const c = change(p, 'app.shop/formation');
    expect(c.action).toBe('waiting');
    expect(c.requests).toBe(0);
    expect(c.op).toEqual({ type: 'none' });
    expect(p.summary.requests).toBe(0);
  });

  it('every type of a new app waits', () => {
    const p = plan({ desired: [desiredApp('shop', { formation: { web: { type: 'web', quantity: 1 }, worker: { type: 'worker', quantity: 1 } } })] });
    const c = change(p, 'app.shop/formation');
    expect(c.action).toBe('waiting');
    expect(c.items?.map((i) => i.action)).toEqual(['waiting', 'waiting']);
  });

  it('leaves types removed from the YAML running and unmanaged', () => {
    const m = managed('shop', { live: { formation: [liveFormation('web', 3)] }, inv: { formation: { web: { quantity: 3 } } } });
    expect(plan({ desired: [m.desired], live: { shop: m.live }, inventory: [m.inv] }).changes).toEqual([]);
  });
});
